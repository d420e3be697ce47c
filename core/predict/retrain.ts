// Retrain and promote: train a candidate LSTM forecaster on all but the most recent slice of a
// series, measure it and the current promoted model on that held-out slice, and let the
// registry's rule decide (promote only if not worse).
import { LstmForecaster, DEFAULT_LSTM, type LstmModelFile, type LstmOptions } from './lstm.ts';
import { ModelRegistry, type ModelEntry, type PromotionDecision } from './registry.ts';

export interface RetrainResult {
  entry: ModelEntry;
  decision: PromotionDecision;
  candidateLoss: number;
  currentLoss?: number;
  trainMs: number;
}

export async function retrainModel(
  name: string,
  points: readonly { t: number; v: number }[],
  registry: ModelRegistry = new ModelRegistry(),
  opts: { heldOut?: number; lstm?: Partial<LstmOptions> } = {}
): Promise<RetrainResult> {
  const clean = points.filter((p) => Number.isFinite(p.t) && Number.isFinite(p.v)).sort((a, b) => a.t - b.t);
  const options = { ...DEFAULT_LSTM, ...opts.lstm };
  const heldOut = Math.max(options.lookback + 8, Math.floor(clean.length * (opts.heldOut ?? 0.2)));
  const trainPart = clean.slice(0, clean.length - heldOut);
  if (trainPart.length < options.lookback + 8) {
    throw new Error(`${name}: too short to train: ${clean.length} usable points, need at least ${2 * (options.lookback + 8)}`);
  }
  // The held-out slice is scored with `lookback` points of context before it.
  const testPart = clean.slice(clean.length - heldOut - options.lookback).map((p) => p.v);
  const candidate = new LstmForecaster(options);
  const started = performance.now();
  try {
    await candidate.train(trainPart.map((p) => p.v));
    const trainMs = performance.now() - started;
    const candidateLoss = candidate.evaluate(testPart);
    let currentLoss: number | undefined;
    const current = registry.current(name);
    if (current) {
      const model = await LstmForecaster.fromJSON(registry.load(current) as LstmModelFile);
      currentLoss = model.evaluate(testPart);
      model.dispose();
    }
    const training = { from: new Date(trainPart[0]!.t).toISOString(), to: new Date(trainPart[trainPart.length - 1]!.t).toISOString(), points: trainPart.length };
    const { entry, decision } = registry.register(name, candidate.toJSON(), { loss: candidateLoss, heldOutPoints: heldOut }, training, currentLoss);
    return { entry, decision, candidateLoss, currentLoss, trainMs };
  } finally {
    candidate.dispose();
  }
}
