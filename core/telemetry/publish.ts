// Atlas's publish payload: `{tags: {common}, metrics: [{tags: {name, …}, timestamp, value}]}`.
// Common tags are merged under each metric's own. Good datapoints are stored, each bad one is
// reported with its index in `metrics` and the reason (as Atlas does).
import { counter } from './internal-metrics.ts';
import type { IngestResult, TelemetryStore } from './store.ts';

const acceptedCounter = counter('ironthrone.telemetry.datapoints', { result: 'accepted' });
const refusedCounter = counter('ironthrone.telemetry.datapoints', { result: 'refused' });

export function publishPayload(store: TelemetryStore, body: unknown): IngestResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { accepted: 0, errors: [{ index: -1, reason: 'invalid: payload must be an object {tags, metrics}' }] };
  const { tags: common = {}, metrics } = body as { tags?: unknown; metrics?: unknown };
  if (typeof common !== 'object' || common === null || Array.isArray(common))
    return { accepted: 0, errors: [{ index: -1, reason: 'invalid: tags must be an object of common tags' }] };
  if (!Array.isArray(metrics))
    return { accepted: 0, errors: [{ index: -1, reason: 'invalid: metrics must be an array' }] };
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
  return r;
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
