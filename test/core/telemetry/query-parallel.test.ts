// The parallel query path (a worker thread reading the store's shared-memory tables) against the
// same queries on one thread, on a store large enough to go parallel: mixed codecs (integer
// deltas, decimals, XOR floats), gaps, data still in the head, and series removed by a filter.
import { afterAll, describe, expect, it } from 'vitest';
import { TelemetryStore } from '../../../core/telemetry/store.ts';
import { runQuery } from '../../../core/telemetry/query/evaluate.ts';
import {
  PARALLEL_MIN_SERIES,
  parallelStats,
  queryWorkerReady,
  setSingleThreaded,
} from '../../../core/telemetry/query/parallel.ts';

const STEP = 60_000;
const SLOTS = 240;
const T0 = Date.UTC(2026, 0, 1);
const NOW = T0 + SLOTS * STEP;

function bigStore(): TelemetryStore {
  const s = TelemetryStore.open({ clock: () => NOW });
  const n = PARALLEL_MIN_SERIES + 500;
  const ids = Array.from({ length: n }, (_, i) =>
    s.resolve({ name: 'cpu', host: `h${i % 97}`, dc: i % 3 ? 'a' : 'b', k: String(i) })
  );
  for (let m = 0; m < SLOTS; m++) {
    for (let i = 0; i < n; i++) {
      if ((i + m) % 17 === 0) continue; // gaps
      const v = i % 3 === 0 ? (i * m) % 7 : i % 3 === 1 ? Math.round(Math.sin(i + m) * 1000) / 10 : Math.sin(i * m) * 1e3;
      s.putId(ids[i]!, T0 + m * STEP, v);
    }
  }
  return s;
}

afterAll(() => setSingleThreaded(false));

describe('parallel stored sums', () => {
  it('give the same series as one thread, and are used for a large query', { timeout: 60_000 }, async () => {
    const store = bigStore();
    expect(await queryWorkerReady()).toBe(true);
    const exprs = [
      'name,cpu,:eq,(,host,),:by',
      'name,cpu,:eq,:avg,(,host,dc,),:by',
      'name,cpu,:eq,:count,(,dc,),:by',
      'name,cpu,:eq,:max,(,host,),:by',
      'name,cpu,:eq,:min,:cf-max,(,host,),:by',
      'name,cpu,:eq,:sum,:cf-sum,(,host,),:by',
      'name,cpu,:eq,:avg,:cf-min,(,dc,),:by',
      'name,cpu,:eq,dc,a,:eq,:and,:sum,(,host,),:by',
    ];
    // at the store's step (summed straight from the chunks) and at 5 and 7 steps (consolidated)
    const windows = [STEP, 5 * STEP, 7 * STEP].map((step) => ({ start: T0, end: NOW, step }));
    for (const [e, w] of exprs.flatMap((e) => windows.map((w) => [e, w] as const))) {
      const before = parallelStats.queries;
      const par = runQuery(store, e, w);
      const went = parallelStats.queries - before;
      setSingleThreaded(true);
      const one = runQuery(store, e, w);
      setSingleThreaded(false);
      expect(par.series.map((s) => s.label), `${e} @${w.step}`).toEqual(one.series.map((s) => s.label));
      par.series.forEach((s, i) => expect(Array.from(s.data), `${e} @${w.step}`).toEqual(Array.from(one.series[i]!.data)));
      // every query here has more than PARALLEL_MIN_SERIES series except the filtered one
      if (!e.includes('dc,a,:eq')) expect(went, e).toBe(1);
    }
  });
});
