// Causal LSTM forecasts for a whole series, as a stream would get them: the model is first
// trained once `firstTrainAt` points exist, then retrained (warm start) every `retrainEvery`
// points on the last `trainWindow` points; the forecast for point i always comes from a model
// trained on points before i only.
import { LstmForecaster, DEFAULT_LSTM, type LstmOptions } from '../lstm.ts';

export interface LstmViewOptions {
  firstTrainAt: number;
  retrainEvery: number;
  trainWindow: number;
  lstm: LstmOptions;
}

export const DEFAULT_LSTM_VIEW: LstmViewOptions = {
  firstTrainAt: 300,
  retrainEvery: 1000,
  trainWindow: 1500,
  lstm: { ...DEFAULT_LSTM, epochs: 2, maxWindows: 512 },
};

export async function causalForecasts(values: readonly number[], opts: LstmViewOptions = DEFAULT_LSTM_VIEW): Promise<{ forecasts: Float64Array; trainMs: number; retrains: number }> {
  const out = new Float64Array(values.length).fill(NaN);
  const { lookback } = opts.lstm;
  if (values.length < opts.firstTrainAt || opts.firstTrainAt < lookback + 8) return { forecasts: out, trainMs: 0, retrains: 0 };
  const model = new LstmForecaster(opts.lstm);
  let trainMs = 0;
  let retrains = 0;
  try {
    for (let b = opts.firstTrainAt; b < values.length; b += opts.retrainEvery) {
      const started = performance.now();
      await model.train(values.slice(Math.max(0, b - opts.trainWindow), b));
      trainMs += performance.now() - started;
      retrains++;
      const end = Math.min(values.length, b + opts.retrainEvery);
      const pred = model.predictSeries(values.slice(b - lookback, end));
      for (let i = lookback; i < pred.length; i++) out[b - lookback + i] = pred[i]!;
    }
  } finally {
    model.dispose();
  }
  return { forecasts: out, trainMs, retrains };
}
