// A small LSTM forecaster in TensorFlow.js (cpu backend: pure JS, no native download), trained
// on a series' own history: it predicts the next value from the last `lookback` values, and
// its prediction error is one more surprise view for the detectors. Kept deliberately small
// (one LSTM layer of a few units, a few epochs) so training costs seconds, not minutes.
import * as tf from '@tensorflow/tfjs';

export interface LstmOptions {
  lookback: number;
  units: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Training windows kept (most recent). */
  maxWindows: number;
  seed: number;
}

export const DEFAULT_LSTM: LstmOptions = {
  lookback: 16,
  units: 8,
  epochs: 4,
  batchSize: 64,
  learningRate: 0.01,
  maxWindows: 1024,
  seed: 7,
};

let backendReady: Promise<void> | undefined;
/** The cpu backend always loads offline; silence tfjs's advice to install tfjs-node. */
export function ensureBackend(): Promise<void> {
  backendReady ??= (async () => {
    tf.env().set('IS_NODE', true);
    tf.env().set('PROD', true);
    await tf.setBackend('cpu');
    await tf.ready();
  })();
  return backendReady;
}

export interface LstmModelFile {
  kind: 'lstm-forecaster';
  options: LstmOptions;
  center: number;
  scale: number;
  weights: { shape: number[]; values: number[] }[];
}

export class LstmForecaster {
  private model: tf.LayersModel;
  center = 0;
  scale = 1;

  constructor(readonly options: LstmOptions = DEFAULT_LSTM) {
    const init = tf.initializers.glorotUniform({ seed: options.seed });
    const model = tf.sequential();
    model.add(tf.layers.lstm({ units: options.units, inputShape: [options.lookback, 1], kernelInitializer: init, recurrentInitializer: tf.initializers.orthogonal({ seed: options.seed }) }));
    model.add(tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: options.seed + 1 }) }));
    model.compile({ optimizer: tf.train.adam(options.learningRate), loss: 'meanSquaredError' });
    this.model = model;
  }

  /** Trains on `values` (finite numbers, oldest first). Returns the final training loss. */
  async train(values: readonly number[]): Promise<number> {
    await ensureBackend();
    const { lookback, maxWindows } = this.options;
    if (values.length < lookback + 8) {
      throw new Error(`too short to train: ${values.length} points, the LSTM needs at least ${lookback + 8}`);
    }
    const sorted = [...values].sort((a, b) => a - b);
    this.center = sorted[sorted.length >> 1]!;
    const iqr = sorted[Math.floor(sorted.length * 0.75)]! - sorted[Math.floor(sorted.length * 0.25)]!;
    this.scale = iqr > 0 ? iqr : Math.max(Math.abs(this.center) * 0.01, 1);
    const norm = values.map((v) => (v - this.center) / this.scale);
    const start = Math.max(0, norm.length - lookback - maxWindows);
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = start; i + lookback < norm.length; i++) {
      for (let k = 0; k < lookback; k++) xs.push(norm[i + k]!);
      ys.push(norm[i + lookback]!);
    }
    const x = tf.tensor3d(xs, [ys.length, lookback, 1]);
    const y = tf.tensor2d(ys, [ys.length, 1]);
    try {
      const h = await this.model.fit(x, y, { epochs: this.options.epochs, batchSize: this.options.batchSize, shuffle: false, verbose: 0 });
      const losses = h.history.loss as number[];
      return losses[losses.length - 1] ?? NaN;
    } finally {
      x.dispose();
      y.dispose();
    }
  }

  /** One-step forecasts for each index i ≥ lookback of `values` (NaN before). */
  predictSeries(values: readonly number[]): number[] {
    const { lookback } = this.options;
    const out = new Array<number>(values.length).fill(NaN);
    if (values.length <= lookback) return out;
    const norm = values.map((v) => (v - this.center) / this.scale);
    const n = values.length - lookback;
    const xs = new Float32Array(n * lookback);
    for (let i = 0; i < n; i++) for (let k = 0; k < lookback; k++) xs[i * lookback + k] = norm[i + k]!;
    const pred = tf.tidy(() => (this.model.predict(tf.tensor3d(xs, [n, lookback, 1])) as tf.Tensor).dataSync());
    for (let i = 0; i < n; i++) out[i + lookback] = pred[i]! * this.scale + this.center;
    return out;
  }

  /** Mean squared error of one-step forecasts over `values`, in the series' own units (comparable across models). */
  evaluate(values: readonly number[]): number {
    const pred = this.predictSeries(values);
    let s = 0;
    let n = 0;
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(pred[i]!)) continue;
      s += (values[i]! - pred[i]!) ** 2;
      n++;
    }
    return n ? s / n : NaN;
  }

  toJSON(): LstmModelFile {
    return {
      kind: 'lstm-forecaster',
      options: this.options,
      center: this.center,
      scale: this.scale,
      weights: this.model.getWeights().map((w) => ({ shape: w.shape, values: Array.from(w.dataSync()) })),
    };
  }

  static async fromJSON(file: LstmModelFile): Promise<LstmForecaster> {
    await ensureBackend();
    const f = new LstmForecaster(file.options);
    f.center = file.center;
    f.scale = file.scale;
    f.model.setWeights(file.weights.map((w) => tf.tensor(w.values, w.shape)));
    return f;
  }

  dispose(): void {
    this.model.dispose();
  }
}
