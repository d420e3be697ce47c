// One sweep over the configured probes: run them (bounded concurrency), fold results into the
// damping state persisted between sweeps (a JSON file, written atomically), write datapoints to
// the series store and return the confirmed transitions as ledger availability events.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
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
  events: LedgerRecordInput[];
}

function loadState(file: string): Record<string, DampState> {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, DampState>) : {};
}

export async function sweepProbes(
  specs: ProbeSpec[],
  opts: { stateFile: string; store?: TelemetryStore; concurrency?: number; now?: () => number }
): Promise<SweepOutcome> {
  const state = loadState(opts.stateFile);
  const results: ProbeResult[] = new Array<ProbeResult>(specs.length);
  let next = 0;
  const lane = async () => {
    while (next < specs.length) {
      const i = next++;
      results[i] = await runProbe(specs[i]!, opts.now);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 16, specs.length) }, lane));
  const events: LedgerRecordInput[] = [];
  specs.forEach((spec, i) => {
    const r = results[i]!;
    const { next: s, transition } = damp(state[spec.target], r, spec.confirm);
    state[spec.target] = s;
    if (transition) events.push(transitionEvent(transition, spec));
    if (opts.store) opts.store.ingest(probeDatapoints(r, spec));
  });
  const tmp = opts.stateFile + '.tmp';
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, opts.stateFile);
  if (opts.store) await opts.store.commit();
  return { results, states: Object.fromEntries(Object.entries(state).map(([k, v]) => [k, v.state])), events };
}
