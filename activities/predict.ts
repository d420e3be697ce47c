// Prediction activities: thin wrappers over core/predict (scoring, retraining, drift).
import { ApplicationFailure } from '@temporalio/activity';
import { join } from 'node:path';
import { dataDir } from '../core/config.ts';
import { detectDrift } from '../core/predict/drift.ts';
import { scoreSeries } from '../core/predict/predictor.ts';
import { ModelRegistry } from '../core/predict/registry.ts';
import { retrainModel } from '../core/predict/retrain.ts';
import { toEpochMs } from '../core/predict/series.ts';
import { sweepSeries, type SweepRequest } from '../core/predict/sweep.ts';
import { sharedTelemetryStore } from '../core/telemetry/instance.ts';
import { runQuery } from '../core/telemetry/query/evaluate.ts';
import type { TelemetryStore } from '../core/telemetry/store.ts';
import { predictParams } from '../core/runbook/kinds/predict.ts';
import type { StepContext } from '../core/runbook/plan.ts';
import type { ActivityOptions } from './index.ts';
import { parseOrFail } from './steps.ts';

export interface PredictActivityOptions extends ActivityOptions {
  /** Store the sweep and retraining read; default the process-wide one under dataDir('telemetry'). */
  telemetryStore?: TelemetryStore;
}

export function createPredictActivities(opts: PredictActivityOptions = {}) {
  const telemetry = () => opts.telemetryStore ?? sharedTelemetryStore();
  const registry = () => new ModelRegistry(opts.dataDir ? join(opts.dataDir, 'models') : dataDir('models'));
  return {
    async predictScore(params: unknown, ctx: StepContext) {
      const p = parseOrFail(predictParams, params, `predict step ${ctx.stepId}`);
      if (typeof p.points === 'string') {
        throw ApplicationFailure.nonRetryable(`predict step ${ctx.stepId}: points: expected an array, got an unresolved expression`, 'BadInput');
      }
      const r = scoreSeries(p.points, { target: p.target ?? ctx.target, series: p.series, windowPoints: p.window, horizon: p.horizon });
      const alert = r.prediction.probability !== null && r.prediction.probability >= p.threshold;
      return { ...r.prediction, alert, rejected: r.rejected.length };
    },
    /** Retrains the named model on the given points; promotes it only if not worse on the held-out slice. */
    async predictRetrain(input: { model: string; points: { t: unknown; v: unknown }[] }) {
      const pts = input.points.map((p) => ({ t: toEpochMs(p.t), v: Number(p.v) }));
      try {
        const r = await retrainModel(input.model, pts, registry());
        return { version: r.entry.version, promoted: r.entry.promoted, reason: r.decision.reason, candidateLoss: r.candidateLoss, currentLoss: r.currentLoss ?? null, sha256: r.entry.sha256, trainMs: r.trainMs };
      } catch (err) {
        if (err instanceof Error && /too short to train/.test(err.message)) throw ApplicationFailure.nonRetryable(err.message, 'BadInput');
        throw err;
      }
    },
    /** Scores every series a telemetry query returns over the recent window; returns the predictions by band. */
     
    async predictSweep(input: SweepRequest) {
      const store = telemetry();
      const end = store.clock();
      const res = runQuery(store, input.query, { start: end - (input.windowMs ?? 24 * 3_600_000), end });
      return sweepSeries(res, input);
    },
    /** Retrains a model on what a telemetry query returns (first series) over the recent window. */
    async predictRetrainFromStore(input: { model: string; query: string; windowMs?: number }) {
      const store = telemetry();
      const end = store.clock();
      const res = runQuery(store, input.query, { start: end - (input.windowMs ?? 7 * 24 * 3_600_000), end });
      const s = res.series[0];
      if (!s) throw ApplicationFailure.nonRetryable(`retrain ${input.model}: query '${input.query}' matched no series`, 'BadInput');
      const pts = Array.from(s.data, (v, i) => ({ t: res.start + i * res.step, v })).filter((p) => Number.isFinite(p.v));
      try {
        const r = await retrainModel(input.model, pts, registry());
        return { version: r.entry.version, promoted: r.entry.promoted, reason: r.decision.reason, candidateLoss: r.candidateLoss, currentLoss: r.currentLoss ?? null, sha256: r.entry.sha256, trainMs: r.trainMs };
      } catch (err) {
        if (err instanceof Error && /too short to train/.test(err.message)) throw ApplicationFailure.nonRetryable(err.message, 'BadInput');
        throw err;
      }
    },
    /** Compares the live anomaly-score distribution with a reference one; returns a drift event or null. */
     
    async predictDrift(input: { series: string; reference: number[]; live: number[] }) {
      return detectDrift(input.series, input.reference, input.live);
    },
  };
}
