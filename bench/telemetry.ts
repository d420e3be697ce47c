// Telemetry store benchmark: ingest rate on one core (vs a plain Float64Array write loop),
// memory per active series over one day at a 1-minute step for three data shapes, and latency of
// `:sum` grouped `:by` host over 10,000 series × 1 day (vs summing pre-decoded arrays).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile, printTable, writeResults, type BenchRow } from './lib.ts';
import { TelemetryStore } from '../core/telemetry/store.ts';
import { runQuery } from '../core/telemetry/query/evaluate.ts';
import { queryWorkerReady, setSingleThreaded } from '../core/telemetry/query/parallel.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heap = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

const STEP = 60_000;
const DAY = 1440;
const T0 = Date.UTC(2026, 0, 1);
const NOW = T0 + DAY * STEP;

type Shape = (series: number, minute: number, prev: number) => number;
const shapes: Record<string, Shape> = {
  // a sensor: temperature in 0.5 °C steps, changing now and then
  'sensor (0.5 °C steps, random walk)': (s, m, prev) =>
    m === 0 ? 40 + (s % 20) : Math.random() < 0.2 ? prev + (Math.random() < 0.5 ? -0.5 : 0.5) : prev,
  'counter/status (integers, mostly constant)': (s, m) => (s % 7 === 0 ? Math.floor(m / 60) : 1),
  'noisy gauge (random float64)': () => Math.random() * 100,
};

function fill(store: TelemetryStore, nSeries: number, shape: Shape, hosts: number): number {
  const ids = Array.from({ length: nSeries }, (_, i) =>
    store.resolve({ name: 'cpu', host: `h${i % hosts}`, core: String(Math.floor(i / hosts)) })
  );
  const prev = new Float64Array(nSeries);
  const t = performance.now();
  for (let m = 0; m < DAY; m++) {
    const ts = T0 + m * STEP;
    for (let i = 0; i < nSeries; i++) {
      const v = shape(i, m, prev[i]!);
      prev[i] = v;
      store.putId(ids[i]!, ts, v);
    }
  }
  return performance.now() - t;
}

export async function run(): Promise<unknown> {
  const rows: BenchRow[] = [];
  const N = 10_000;
  const points = N * DAY;

  // Baseline: the cheapest possible write of the same number of float64 values.
  const arr = new Float64Array(N * 16);
  let t = performance.now();
  for (let m = 0; m < DAY; m++) for (let i = 0; i < N; i++) arr[(i << 4) | (m & 15)] = m + i;
  const baseMs = performance.now() - t;
  const baseRate = points / (baseMs / 1000);
  rows.push({ name: 'baseline: Float64Array write loop', 'points/s': Math.round(baseRate), 'vs baseline': 1 });

  // Hot path: putId (resolved series id), in memory.
  const h0 = heap();
  const store = TelemetryStore.open({ clock: () => NOW });
  const ingestMs = fill(store, N, shapes['sensor (0.5 °C steps, random walk)']!, 1000);
  const rate = points / (ingestMs / 1000);
  // measured before anything else is allocated
  const perSeries = (heap() - h0) / N;
  const dataBytes = store.encodedBytes();
  rows.push({
    name: 'store.putId (10k series × 1 day, sensor shape)',
    'points/s': Math.round(rate),
    'vs baseline': rate / baseRate,
  });

  // With the WAL: every point logged; one commit (write + fsync) per 100k points.
  const dir = mkdtempSync(join(tmpdir(), 'bench-telemetry-'));
  const durable = TelemetryStore.open({ dir, clock: () => NOW });
  const ids = Array.from({ length: 1000 }, (_, i) => durable.resolve({ name: 'w', host: `h${i}` }));
  t = performance.now();
  let n = 0;
  for (let m = 0; m < 200; m++) {
    for (let i = 0; i < 1000; i++, n++) durable.putId(ids[i]!, T0 + m * STEP, m);
    if (n % 100_000 === 0) await durable.commit();
  }
  await durable.commit();
  const walRate = n / ((performance.now() - t) / 1000);
  rows.push({
    name: 'store.putId + WAL (fsync per 100k points)',
    'points/s': Math.round(walRate),
    'vs baseline': walRate / baseRate,
  });
  await durable.close();
  rmSync(dir, { recursive: true, force: true });

  // Full validation path: tag canonicalisation, clock checks, per-point objects.
  const batch = Array.from({ length: 100_000 }, (_, i) => ({
    tags: { name: 'api', host: `h${i % 1000}`, region: 'eu' },
    timestamp: NOW - 60_000,
    value: i,
  }));
  const s2 = TelemetryStore.open({ clock: () => NOW });
  t = performance.now();
  s2.ingest(batch);
  const fullRate = batch.length / ((performance.now() - t) / 1000);
  rows.push({
    name: 'store.ingest (tags + validation per point)',
    'points/s': Math.round(fullRate),
    'vs baseline': fullRate / baseRate,
  });
  printTable('telemetry ingest, one core', rows);

  // Memory per series (heap + array buffers after GC, so it includes objects, index, head arena).
  const mem: BenchRow[] = [];
  mem.push({
    name: 'sensor shape, 10k series (incl. index, head arena)',
    'bytes/series': Math.round(perSeries),
    'of which encoded data': Math.round(dataBytes / N),
    'target bytes': 1024,
    'raw float64 bytes': DAY * 8,
  });
  for (const [label, shape] of Object.entries(shapes).slice(1)) {
    const before = heap();
    const s = TelemetryStore.open({ clock: () => NOW });
    fill(s, 2000, shape, 200);
    const b = (heap() - before) / 2000;
    const data = s.encodedBytes();
    mem.push({
      name: `${label}, 2k series`,
      'bytes/series': Math.round(b),
      'of which encoded data': Math.round(data / 2000),
      'target bytes': 1024,
      'raw float64 bytes': DAY * 8,
    });
  }
  printTable('memory per active series, 1 day at 1-minute step', mem);

  // Query latency: :sum grouped by host over the 10k series × 1 day (1000 hosts × 10 series).
  // A dashboard server answers this query warm: the first runs (JIT compilation, first touch of
  // the pages) are reported apart as the cold query, and p99 is taken over RUNS warm runs, enough
  // samples for a 99th percentile that is not just the slowest run. The query worker is up first,
  // as in a server (instance.ts starts it once the store is large enough).
  const threads = (await queryWorkerReady()) ? 2 : 1;
  const q = 'name,cpu,:eq,(,host,),:by';
  const RUNS = Number(process.env.BENCH_QUERY_RUNS ?? 100);
  const WARMUP = 5;
  /** Latencies (sorted) of `runs` warm runs of the query at `step`, and of its first run. */
  const timeQuery = (step: number, runs: number) => {
    const lat: number[] = [];
    let cold = 0;
    for (let i = 0; i < WARMUP + runs; i++) {
      t = performance.now();
      const r = runQuery(store, q, { start: T0, end: T0 + DAY * STEP, step });
      const ms = performance.now() - t;
      if (i === 0) cold = ms;
      if (i >= WARMUP) lat.push(ms);
      if (r.series.length !== 1000) throw new Error(`expected 1000 groups, got ${r.series.length}`);
    }
    return { lat: lat.sort((a, b) => a - b), cold };
  };
  const { lat, cold } = timeQuery(STEP, RUNS);
  setSingleThreaded(true);
  const one = timeQuery(STEP, RUNS).lat;
  setSingleThreaded(false);
  const five = timeQuery(5 * STEP, Math.max(10, RUNS / 5)).lat;
  // Baseline: summing the same values already decoded into arrays (no decoding, no index).
  const decoded = Array.from({ length: N }, (_, i) => store.read(i, T0 / STEP, T0 / STEP + DAY));
  const base: number[] = [];
  for (let k = 0; k < WARMUP + RUNS; k++) {
    t = performance.now();
    const out = Array.from({ length: 1000 }, () => new Float64Array(DAY));
    for (let i = 0; i < N; i++) {
      const d = decoded[i]!;
      const o = out[i % 1000]!;
      for (let j = 0; j < DAY; j++) o[j]! += d[j]!;
    }
    if (k >= WARMUP) base.push(performance.now() - t);
  }
  base.sort((a, b) => a - b);
  const row = (name: string, l: number[], extra: Record<string, number> = {}): BenchRow => ({
    name,
    'p50 ms': percentile(l, 50),
    'p99 ms': percentile(l, 99),
    ...extra,
    'vs baseline (p99)': percentile(l, 99) / percentile(base, 99),
  });
  const qrows: BenchRow[] = [
    row('baseline: sum pre-decoded arrays by host (one thread)', base),
    row(`query ${q} (10k series × 1440, ${threads} threads)`, lat, { 'target p99 ms': 100 }),
    { name: 'the same query, first (cold) run', 'p50 ms': cold, 'p99 ms': cold },
    row('the same query on one thread', one),
    row(`the same query at a 5-minute step (${threads} threads)`, five),
  ];
  printTable('query latency', qrows);
  const results = { ingest: rows, memory: mem, query: qrows };
  writeResults('telemetry', results);
  return results;
}
