// Service probes: HTTP(S) and TCP checks (status, latency, TLS certificate days left), with flap
// damping: a target changes state only after N consecutive results agree, so one blip is not an
// outage. Confirmed changes become ledger availability events whose `onsetAt` tag is the first
// result of the streak (that is what MTTD measures); every result feeds the series store.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { z } from 'zod';
import { canonicalJson, sha256Hex } from '../ledger/canonical.ts';
import type { LedgerRecordInput } from '../ledger/schema.ts';

export const probeSpecSchema = z
  .object({
    target: z.string().min(1).describe('name of the probed service instance'),
    kind: z.enum(['http', 'tcp']),
    url: z.url().optional(),
    host: z.string().optional(),
    port: z.int().min(1).max(65535).optional(),
    /** Accepted HTTP status codes (default 200-399). */
    expectStatus: z.array(z.int()).optional(),
    timeoutMs: z.int().positive().default(5000),
    /** Check TLS certificates for validity (default true); false still reports expiry. */
    tlsVerify: z.boolean().default(true),
    /** Consecutive results needed to change state (default 3). */
    confirm: z.int().min(1).max(20).default(3),
    tags: z.record(z.string(), z.string()).default({}),
  })
  .strict()
  .refine((p) => (p.kind === 'http' ? Boolean(p.url) : Boolean(p.host && p.port)), {
    message: 'http probes need `url`; tcp probes need `host` and `port`',
  });
export type ProbeSpec = z.output<typeof probeSpecSchema>;

export interface ProbeResult {
  target: string;
  ok: boolean;
  at: number;
  latencyMs: number;
  status?: number;
  certDaysLeft?: number;
  error?: string;
}

export async function runProbe(spec: ProbeSpec, now: () => number = Date.now): Promise<ProbeResult> {
  const at = now();
  const t0 = performance.now();
  const done = (r: Omit<ProbeResult, 'target' | 'at' | 'latencyMs'>): ProbeResult => ({
    target: spec.target,
    at,
    latencyMs: Math.round((performance.now() - t0) * 100) / 100,
    ...r,
  });
  if (spec.kind === 'tcp') {
    return new Promise((resolve) => {
      const sock = connect({ host: spec.host!, port: spec.port!, timeout: spec.timeoutMs });
      sock.once('connect', () => (sock.destroy(), resolve(done({ ok: true }))));
      sock.once(
        'timeout',
        () => (sock.destroy(), resolve(done({ ok: false, error: `timeout after ${spec.timeoutMs} ms` })))
      );
      sock.once('error', (err) => resolve(done({ ok: false, error: err.message })));
    });
  }
  const url = new URL(spec.url!);
  const req = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const r = req(
      url,
      {
        method: 'GET',
        timeout: spec.timeoutMs,
        rejectUnauthorized: spec.tlsVerify,
        headers: { 'user-agent': 'ironthrone-probe' },
      },
      (res) => {
        let certDaysLeft: number | undefined;
        if (url.protocol === 'https:') {
          const cert = (res.socket as TLSSocket).getPeerCertificate();
          if (cert?.valid_to) certDaysLeft = Math.floor((Date.parse(cert.valid_to) - Date.now()) / 86_400_000);
        }
        res.resume();
        res.once('end', () => {
          const status = res.statusCode ?? 0;
          const ok = spec.expectStatus ? spec.expectStatus.includes(status) : status >= 200 && status < 400;
          resolve(
            done({
              ok,
              status,
              ...(certDaysLeft !== undefined ? { certDaysLeft } : {}),
              ...(ok ? {} : { error: `HTTP ${status}` }),
            })
          );
        });
      }
    );
    r.once('timeout', () => r.destroy(new Error(`timeout after ${spec.timeoutMs} ms`)));
    r.once('error', (err) => resolve(done({ ok: false, error: err.message })));
    r.end();
  });
}

/** Damping state of one target; plain JSON so it can be persisted between scheduled sweeps. */
export interface DampState {
  state: 'unknown' | 'up' | 'down';
  /** The state the current streak points to, its length and first result time. */
  candidate?: 'up' | 'down';
  streak: number;
  streakStart?: number;
  lastError?: string;
}

export interface Transition {
  target: string;
  from: DampState['state'];
  to: 'up' | 'down';
  /** When the confirming result came in (detection). */
  detectedAt: number;
  /** First result of the confirming streak (onset). */
  onsetAt: number;
  error?: string;
}

/** Fold one result into a target's damping state; returns the confirmed transition, if any. */
export function damp(
  prev: DampState | undefined,
  r: ProbeResult,
  confirm: number
): { next: DampState; transition?: Transition } {
  const s: DampState = prev ? { ...prev } : { state: 'unknown', streak: 0 };
  const seen = r.ok ? 'up' : 'down';
  if (seen === s.state) return { next: { state: s.state, streak: 0 } };
  if (s.candidate === seen) s.streak++;
  else Object.assign(s, { candidate: seen, streak: 1, streakStart: r.at });
  if (!r.ok && r.error) s.lastError = r.error;
  if (s.streak < confirm) return { next: s };
  const transition: Transition = {
    target: r.target,
    from: s.state,
    to: seen,
    detectedAt: r.at,
    onsetAt: s.streakStart ?? r.at,
    ...(s.lastError && seen === 'down' ? { error: s.lastError } : {}),
  };
  return { next: { state: seen, streak: 0 }, transition };
}

/**
 * The ledger's availability event for a confirmed transition. Its id is derived from its content,
 * so handing the same event to the ledger again (a sweep's outbox re-sent after a crash) is
 * recognised as a duplicate, never a second event.
 */
export function transitionEvent(t: Transition, spec: ProbeSpec): LedgerRecordInput & { id: string } {
  const event = transitionRecord(t, spec);
  return { id: 'probe:' + sha256Hex(canonicalJson(event)), ...event };
}

function transitionRecord(t: Transition, spec: ProbeSpec): LedgerRecordInput {
  const payload = {
    target: t.target,
    from: t.from,
    to: t.to,
    detectedAt: t.detectedAt,
    onsetAt: t.onsetAt,
    error: t.error ?? null,
    probe: spec.kind,
  };
  return {
    type: 'availability',
    target: t.target,
    kind: t.to === 'down' ? 'availability.down' : 'availability.up',
    from: t.from,
    to: t.to,
    severity: t.to === 'down' ? 'major' : 'info',
    observedAt: new Date(t.detectedAt).toISOString(),
    source: `probe:${spec.kind}`,
    payloadDigest: 'sha256:' + sha256Hex(canonicalJson(payload)),
    tags: { ...spec.tags, onsetAt: new Date(t.onsetAt).toISOString(), probe: spec.kind },
  };
}

/** Datapoints for the series store: up (1/0), latency and certificate days left. */
export function probeDatapoints(
  r: ProbeResult,
  spec: ProbeSpec
): { tags: Record<string, string>; timestamp: number; value: number }[] {
  const tags = { ...spec.tags, target: r.target, probe: spec.kind };
  const out = [
    { tags: { ...tags, name: 'ironthrone.probe.up' }, timestamp: r.at, value: r.ok ? 1 : 0 },
    { tags: { ...tags, name: 'ironthrone.probe.latency', unit: 'ms' }, timestamp: r.at, value: r.latencyMs },
  ];
  if (r.certDaysLeft !== undefined)
    out.push({ tags: { ...tags, name: 'ironthrone.probe.certDaysLeft' }, timestamp: r.at, value: r.certDaysLeft });
  return out;
}
