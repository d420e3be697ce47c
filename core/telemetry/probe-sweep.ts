// One sweep over the configured probes: run them (bounded concurrency), fold results into the
// damping state persisted between sweeps, write datapoints to the series store and return the
// confirmed transitions as ledger availability events.
//
// Crash safety: the damping state and the events it produced are saved together, in one atomic
// write, with the events in an outbox. A sweep returns every event still in the outbox, and the
// outbox is emptied (`ackProbeEvents`) only after the events were handed to the ledger. So a crash
// after the save re-sends them with the next sweep instead of losing them, and because an event's
// id is derived from its content the ledger refuses the copy: neither lost nor duplicated.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileDurably } from './durable-file.ts';
import { parse } from 'yaml';
import { projectRoot } from '../config.ts';
import type { LedgerRecordInput } from '../ledger/schema.ts';
import {
  damp,
  probeDatapoints,
  probeSpecSchema,
  runProbe,
  transitionEvent,
  type DampState,
  type ProbeResult,
  type ProbeSpec,
} from './probes.ts';
import type { TelemetryStore } from './store.ts';

export function probesFile(): string {
  return resolve(process.env.IRONTHRONE_PROBES_FILE ?? join(projectRoot, 'config', 'probes.yaml'));
}

/** `probes:` list from YAML; a bad entry is an error naming file, entry and field. */
export function loadProbes(file = probesFile()): ProbeSpec[] {
  if (!existsSync(file)) return [];
  const doc = (parse(readFileSync(file, 'utf8')) ?? {}) as { probes?: unknown };
  if (!Array.isArray(doc.probes)) throw new Error(`${file}: expected a mapping with a \`probes:\` list`);
  return doc.probes.map((p, i) => {
    const r = probeSpecSchema.safeParse(p);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new Error(`${file}: probes[${i}]${issue.path.length ? '.' + issue.path.join('.') : ''}: ${issue.message}`);
    }
    return r.data;
  });
}

export interface SweepOutcome {
  results: ProbeResult[];
  states: Record<string, DampState['state']>;
  /** Events to hand to the ledger: this sweep's and any earlier ones not acknowledged yet. */
  events: (LedgerRecordInput & { id: string })[];
}

/** The state file: damping state per target and the outbox of events not yet acknowledged. */
interface SweepState {
  targets: Record<string, DampState>;
  outbox: (LedgerRecordInput & { id: string })[];
}

function loadState(file: string): SweepState {
  if (!existsSync(file)) return { targets: {}, outbox: [] };
  const j = JSON.parse(readFileSync(file, 'utf8')) as Partial<SweepState>;
  return { targets: j.targets ?? {}, outbox: j.outbox ?? [] };
}

function saveState(file: string, state: SweepState): void {
  writeFileDurably(file, JSON.stringify(state));
}

/** The events with these ids reached the ledger: drop them from the outbox. */
export function ackProbeEvents(stateFile: string, ids: readonly string[]): { acked: number; pending: number } {
  const state = loadState(stateFile);
  const done = new Set(ids);
  const outbox = state.outbox.filter((e) => !done.has(e.id));
  const acked = state.outbox.length - outbox.length;
  if (acked > 0) saveState(stateFile, { ...state, outbox });
  return { acked, pending: outbox.length };
}

export async function sweepProbes(
  specs: ProbeSpec[],
  opts: { stateFile: string; store?: TelemetryStore; concurrency?: number; now?: () => number }
): Promise<SweepOutcome> {
  const { targets: state, outbox } = loadState(opts.stateFile);
  const results: ProbeResult[] = new Array<ProbeResult>(specs.length);
  let next = 0;
  const lane = async () => {
    while (next < specs.length) {
      const i = next++;
      results[i] = await runProbe(specs[i]!, opts.now);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 16, specs.length) }, lane));
  const events = [...outbox];
  specs.forEach((spec, i) => {
    const r = results[i]!;
    const { next: s, transition } = damp(state[spec.target], r, spec.confirm);
    state[spec.target] = s;
    if (transition) events.push(transitionEvent(transition, spec));
  });
  // the new damping state and its events in one write: see the top of this file
  saveState(opts.stateFile, { targets: state, outbox: events });
  if (opts.store) {
    specs.forEach((spec, i) => opts.store!.ingest(probeDatapoints(results[i]!, spec)));
    await opts.store.commit();
  }
  return { results, states: Object.fromEntries(Object.entries(state).map(([k, v]) => [k, v.state])), events };
}
