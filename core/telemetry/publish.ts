// Atlas's publish payload: `{tags: {common}, metrics: [{tags: {name, …}, timestamp, value}]}`.
// Common tags are merged under each metric's own. Good datapoints are stored, each bad one is
// reported with its index in `metrics` and the reason. The answer follows Atlas's webapi
// (PublishApi.scala, LocalPublishActor.scala, RequestHandler.scala): see `atlasResponse`.
import { counter } from './internal-metrics.ts';
import type { IngestResult, TelemetryStore } from './store.ts';

export interface PublishResult extends IngestResult {
  /** Why the body is not a publish payload at all (nothing was read from it). */
  malformed?: string;
  /** Merged tags of each metric, for the error messages. */
  tags: unknown[];
}

/** What Atlas lists in `message`: the first 5 failures ("Limit encoding the tags to just the summary set"). */
const MESSAGES = 5;

/**
 * Atlas's answer to a publish: 200 with no body when every datapoint was stored; 202
 * `{type: "partial", errorCount, message}` when some were; 400 `{type: "error", errorCount,
 * message}` when none were; 400 `{type: "error", message: "empty payload"}` for a batch without
 * datapoints; a body that is not a payload is a 400 diagnostic `{type: "error", message}`.
 * `message` lists at most 5 failures as `reason (tags=…)`, `errorCount` counts all of them; we add
 * `errors: [{index, reason}]` with every failure and its index in `metrics`.
 */
export function atlasResponse(r: PublishResult): { status: 200 | 202 | 400; body: unknown } {
  if (r.malformed) return { status: 400, body: { type: 'error', message: r.malformed } };
  if (r.errors.length === 0)
    return r.accepted > 0
      ? { status: 200, body: null }
      : { status: 400, body: { type: 'error', message: 'empty payload' } };
  const detail = {
    errorCount: r.errors.length,
    message: r.errors.slice(0, MESSAGES).map((e) => `${e.reason} (tags=${JSON.stringify(r.tags[e.index] ?? null)})`),
    errors: r.errors,
  };
  return r.accepted > 0
    ? { status: 202, body: { type: 'partial', ...detail } }
    : { status: 400, body: { type: 'error', ...detail } };
}

const acceptedCounter = counter('ironthrone.telemetry.datapoints', { result: 'accepted' });
const refusedCounter = counter('ironthrone.telemetry.datapoints', { result: 'refused' });

export function publishPayload(store: TelemetryStore, body: unknown): PublishResult {
  const malformed = (why: string): PublishResult => ({ accepted: 0, errors: [], malformed: why, tags: [] });
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return malformed('payload must be an object {tags, metrics}');
  const { tags: common = {}, metrics = [] } = body as { tags?: unknown; metrics?: unknown };
  if (typeof common !== 'object' || common === null || Array.isArray(common))
    return malformed('tags must be an object of common tags');
  if (!Array.isArray(metrics)) return malformed('metrics must be an array');
  const points = metrics.map((m: unknown) => {
    const o = (typeof m === 'object' && m !== null ? m : {}) as {
      tags?: unknown;
      timestamp?: unknown;
      value?: unknown;
    };
    const own = o.tags ?? {};
    return {
      tags: typeof own === 'object' && own !== null && !Array.isArray(own) ? { ...common, ...own } : own,
      timestamp: o.timestamp,
      value: o.value,
    };
  });
  const r = store.ingest(points);
  acceptedCounter.inc(r.accepted);
  refusedCounter.inc(r.errors.length);
  return { ...r, tags: points.map((p) => p.tags) };
}

const forwardFailures = counter('ironthrone.telemetry.forward', { result: 'failed' });
const forwardOk = counter('ironthrone.telemetry.forward', { result: 'ok' });

/** Optionally mirror the payload to a real Atlas (`IRONTHRONE_ATLAS_URL`, e.g. http://atlas:7101). */
export function forwardToAtlas(body: unknown, base = process.env.IRONTHRONE_ATLAS_URL): void {
  if (!base) return;
  fetch(new URL('/api/v1/publish', base), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  })
    .then((r) => (r.ok || r.status === 202 ? forwardOk.inc() : forwardFailures.inc()))
    .catch(() => forwardFailures.inc());
}
