// The prediction sweep's core: score every series of a query result and sort the predictions
// into bands. Above `threshold` a prediction is an alert (it may start the runbook whose trigger
// matches); between `uncertainBelow` and `threshold` it is uncertain (a human is asked before any
// remediation); below, it is only counted.
import { detectDrift, type DriftEvent } from './drift.ts';
import { scoreSeries, type Prediction } from './predictor.ts';

export interface SweepRequest {
  /** Telemetry query (Atlas-style stack language), grouped per series, e.g. `name,fan.rpm,:eq,(,host,),:by`. */
  query: string;
  windowMs?: number;
  threshold?: number;
  uncertainBelow?: number;
  /** Tag holding the target (host) name; default `host`. */
  targetTag?: string;
}

export interface SweepPrediction extends Prediction {
  band: 'alert' | 'uncertain';
}

export interface SweepResult {
  scored: number;
  quiet: number;
  notScored: number;
  predictions: SweepPrediction[];
  /** Series whose recent anomaly scores no longer look like their earlier ones (retraining hint). */
  drift: (DriftEvent & { target: string })[];
}

/** The last quarter of a window's scores is compared with the three quarters before it. */
const DRIFT_LIVE_SHARE = 0.25;
const DRIFT_SETTLE_SHARE = 0.35;

export function sweepSeries(
  res: { start: number; step: number; series: { tags: Record<string, string>; label: string; data: Float64Array }[] },
  req: SweepRequest
): SweepResult {
  const threshold = req.threshold ?? 0.9;
  const uncertainBelow = req.uncertainBelow ?? 0.7;
  const out: SweepResult = { scored: 0, quiet: 0, notScored: 0, predictions: [], drift: [] };
  for (const s of res.series) {
    const points = Array.from(s.data, (v, i) => ({ t: res.start + i * res.step, v }));
    // Missing buckets (NaN) are gaps in a stored series, not bad input: leave them out.
    const present = points.filter((p) => Number.isFinite(p.v));
    const target = s.tags[req.targetTag ?? 'host'] ?? s.label;
    const { prediction, points: scored } = scoreSeries(present, { target, series: s.label });
    const scores = scored.map((p) => p.score).filter((x): x is number => x !== null);
    const cut = Math.floor(scores.length * (1 - DRIFT_LIVE_SHARE));
    // The detector is still learning early in the window: its first scores are no reference.
    const drift = detectDrift(s.label, scores.slice(Math.floor(scores.length * DRIFT_SETTLE_SHARE), cut), scores.slice(cut));
    if (drift) out.drift.push({ ...drift, target });
    if (prediction.probability === null) {
      out.notScored++;
      continue;
    }
    out.scored++;
    if (prediction.probability >= threshold) out.predictions.push({ ...prediction, band: 'alert' });
    else if (prediction.probability >= uncertainBelow) out.predictions.push({ ...prediction, band: 'uncertain' });
    else out.quiet++;
  }
  out.predictions.sort((a, b) => (b.probability ?? 0) - (a.probability ?? 0));
  return out;
}
