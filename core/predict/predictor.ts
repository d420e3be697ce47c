// Scoring a series in the product: sanitise the points (see series.ts for each bad-input rule),
// stream them through the detector, and turn the last window's scores into a prediction with
// an explanation (which series, which window, which view deviated, value against expected).
import { DEFAULT_ENSEMBLE, type EnsembleConfig } from './detectors/ensemble.ts';
import { EnsembleScorer } from './detectors/index.ts';
import { sanitize, toEpochMs, type PointIssue } from './series.ts';

export interface ScoredPoint {
  t: number;
  value: number;
  /** null when the point was not scored (rejected input, or the detector still warming up). */
  score: number | null;
  view?: string;
  issues: PointIssue[];
}

export interface Prediction {
  target: string;
  series: string;
  /** Calibrated anomaly likelihood of the latest window, in [0, 1]; null when it cannot be judged. */
  probability: number | null;
  /** How far ahead the prediction speaks for (ISO 8601 duration). */
  horizon: string;
  status: 'scored' | 'warming-up' | 'constant' | 'no-data';
  explanation: {
    series: string;
    window: { from: string; to: string; points: number };
    deviated: { view: string; value: number; expected: number; at: string } | null;
    summary: string;
  };
}

export interface PredictOptions {
  target: string;
  series: string;
  /** Points at the end of the series the prediction speaks for (default 10). */
  windowPoints?: number;
  horizon?: string;
  config?: Partial<EnsembleConfig>;
}

export interface ScoreResult {
  points: ScoredPoint[];
  prediction: Prediction;
  rejected: { index: number; issue: PointIssue }[];
}

const iso = (t: number): string => new Date(t).toISOString();

export function scoreSeries(input: readonly { t: unknown; v: unknown }[], opts: PredictOptions): ScoreResult {
  const config = { ...DEFAULT_ENSEMBLE, ...opts.config };
  const raw = input.map((p) => ({ t: toEpochMs(p.t), v: typeof p.v === 'number' ? p.v : Number(p.v ?? NaN) }));
  const { accepted, rejected } = sanitize(raw);
  const scorer = new EnsembleScorer(config);
  const points: ScoredPoint[] = [];
  const expected: number[] = [];
  for (const p of accepted) {
    const before = scorer.detector.expected();
    const r = scorer.update(p.t, p.v);
    const warming = scorer.detector.seen <= config.warmup;
    const issues = [...p.issues];
    if (warming) issues.push('warming-up');
    else if (scorer.detector.constant) issues.push('constant');
    points.push({ t: p.t, value: p.v, score: warming ? null : r.score, view: r.view, issues });
    expected.push(before);
  }
  const windowPoints = Math.max(1, opts.windowPoints ?? 10);
  const tail = points.slice(-windowPoints);
  const base = { target: opts.target, series: opts.series, horizon: opts.horizon ?? 'PT30M' };
  const window = tail.length
    ? { from: iso(tail[0]!.t), to: iso(tail[tail.length - 1]!.t), points: tail.length }
    : { from: '', to: '', points: 0 };
  if (!tail.length) {
    const summary = `${opts.series}: no usable points (${rejected.length} rejected)`;
    return { points, rejected: rejected.map(({ index, issue }) => ({ index, issue })), prediction: { ...base, probability: null, status: 'no-data', explanation: { series: opts.series, window, deviated: null, summary } } };
  }
  const scored = tail.filter((p) => p.score !== null);
  let status: Prediction['status'] = 'scored';
  let probability: number | null = null;
  let deviated: Prediction['explanation']['deviated'] = null;
  let summary: string;
  if (!scored.length) {
    status = 'warming-up';
    summary = `${opts.series}: ${accepted.length} points, the detector needs ${config.warmup + 1} before it scores`;
  } else if (tail[tail.length - 1]!.issues.includes('constant')) {
    status = 'constant';
    probability = 0;
    summary = `${opts.series}: constant at ${tail[tail.length - 1]!.value} over ${accepted.length} points, nothing deviates`;
  } else {
    let top = scored[0]!;
    for (const p of scored) if ((p.score ?? 0) > (top.score ?? 0)) top = p;
    probability = top.score;
    const exp = expected[points.indexOf(top)] ?? NaN;
    deviated = { view: top.view ?? 'none', value: top.value, expected: exp, at: iso(top.t) };
    summary = `${opts.series}: anomaly likelihood ${top.score!.toFixed(3)} at ${iso(top.t)} (${top.view}): value ${top.value} against about ${Number.isFinite(exp) ? exp.toPrecision(4) : 'n/a'}`;
  }
  return {
    points,
    rejected: rejected.map(({ index, issue }) => ({ index, issue })),
    prediction: { ...base, probability, status, explanation: { series: opts.series, window, deviated, summary } },
  };
}
