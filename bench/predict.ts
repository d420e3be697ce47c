// Predictor benchmark: points scored per second for one long series and for 10,000 series,
// LSTM training time per series, and the NAB table (ours against the published detectors).
// The baseline measured in the same run is a plain rolling-Gaussian z-score (NAB's
// windowedGaussian idea): throughput is reported as a ratio to it, as the machines are noisy.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir } from '../core/config.ts';
import { EnsembleDetector } from '../core/predict/detectors/ensemble.ts';
import { LstmForecaster, ensureBackend } from '../core/predict/lstm.ts';
import { defaultNabDir } from '../core/predict/nab/corpus.ts';
import { evaluateDetector, scoreExisting } from '../core/predict/nab/report.ts';
import { printTable, writeResults, type BenchRow } from './lib.ts';

const STEP = 60_000;
function series(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    out[i] = 50 + 10 * Math.sin(i / 229) + 4 * (s / 2 ** 32 - 0.5) + (i % 5000 === 4999 ? 40 : 0);
  }
  return out;
}

/** windowedGaussian-style baseline: z-score against a rolling mean and variance. */
class GaussianBaseline {
  private readonly buf: number[] = [];
  private sum = 0;
  private sq = 0;
  update(x: number): number {
    const n = this.buf.length;
    const m = n ? this.sum / n : 0;
    const sd = n > 1 ? Math.sqrt(Math.max(this.sq / n - m * m, 1e-12)) : 1;
    this.buf.push(x);
    this.sum += x;
    this.sq += x * x;
    if (this.buf.length > 6400) {
      const o = this.buf.shift()!;
      this.sum -= o;
      this.sq -= o * o;
    }
    return Math.abs(x - m) / sd;
  }
}

function rate(points: number, ms: number): number {
  return Math.round((points / ms) * 1000);
}

export async function run(): Promise<unknown> {
  const rows: BenchRow[] = [];
  // One series, 200k points.
  const one = series(200_000, 1);
  let t = performance.now();
  const g = new GaussianBaseline();
  for (let i = 0; i < one.length; i++) g.update(one[i]!);
  const baseMs = performance.now() - t;
  t = performance.now();
  const d = new EnsembleDetector();
  for (let i = 0; i < one.length; i++) d.update(i * STEP, one[i]!);
  const oneMs = performance.now() - t;
  rows.push({ name: 'one series, 200k points', 'points/s': rate(one.length, oneMs), 'baseline points/s': rate(one.length, baseMs), 'vs baseline': baseMs / oneMs });

  // 10,000 series, scored round-robin as a sweep would (one point per series per tick).
  const nSeries = 10_000;
  const ticks = 300;
  const dets = Array.from({ length: nSeries }, () => new EnsembleDetector());
  const bases = Array.from({ length: nSeries }, () => new GaussianBaseline());
  const data = Array.from({ length: 16 }, (_, k) => series(ticks, k + 2));
  t = performance.now();
  for (let k = 0; k < ticks; k++) for (let s = 0; s < nSeries; s++) bases[s]!.update(data[s % 16]![k]!);
  const manyBaseMs = performance.now() - t;
  t = performance.now();
  for (let k = 0; k < ticks; k++) for (let s = 0; s < nSeries; s++) dets[s]!.update(k * STEP, data[s % 16]![k]!);
  const manyMs = performance.now() - t;
  rows.push({ name: `10,000 series × ${ticks} points`, 'points/s': rate(nSeries * ticks, manyMs), 'baseline points/s': rate(nSeries * ticks, manyBaseMs), 'vs baseline': manyBaseMs / manyMs });
  printTable('predict: scoring throughput', rows);

  // LSTM training time per series (default model, 2000-point history).
  await ensureBackend();
  const train: BenchRow[] = [];
  for (const n of [500, 2000]) {
    const f = new LstmForecaster();
    t = performance.now();
    const loss = await f.train(Array.from(series(n, 9)));
    train.push({ name: `LSTM train, ${n} points`, ms: Math.round(performance.now() - t), loss });
    f.dispose();
  }
  printTable('predict: training time per series', train);

  // NAB table.
  const nab = defaultNabDir();
  let nabRows: BenchRow[] = [];
  if (existsSync(join(nab, 'data'))) {
    const ours = evaluateDetector(nab, 'ironthrone', dataDir('nab-results'));
    const published = scoreExisting(nab, join(nab, 'results'));
    nabRows = [ours, ...published].map((r) => ({
      name: r.detector,
      standard: r.profiles.standard.score,
      reward_low_FP_rate: r.profiles.reward_low_FP_rate.score,
      reward_low_FN_rate: r.profiles.reward_low_FN_rate.score,
    }));
    nabRows.push({ name: 'ARTime (published, these 50 series)', standard: 73.54, reward_low_FP_rate: '', reward_low_FN_rate: '' });
    printTable(`predict: NAB scores (${ours.files} series, ${ours.points} points, ours ran in ${Math.round(ours.runMs ?? 0)} ms)`, nabRows);
  } else {
    console.log(`NAB corpus not found at ${nab}: NAB table skipped (set IRONTHRONE_NAB_DIR)`);
  }
  const file = writeResults('predict', { throughput: rows, training: train, nab: nabRows });
  console.log(`\nresults: ${file}`);
  return { rows, train, nabRows };
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
