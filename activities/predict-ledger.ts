// Predictions on the ledger: the sweep's alert and uncertain predictions become `prediction`
// records (deterministic ids, so a retried hand-off is deduplicated) through the batcher.
import { Context } from '@temporalio/activity';
import type { LedgerRecordInput } from '../core/ledger/schema.ts';
import type { DriftEvent } from '../core/predict/drift.ts';
import type { SweepPrediction } from '../core/predict/sweep.ts';
import { createLedgerActivities, type LedgerActivityOptions } from './ledger.ts';

/** ISO 8601 durations as the predictor writes them (PT30M, PT2H, P1D) → the ledger's `30m`. */
export function ledgerDuration(iso: string): string {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(iso);
  if (!m) return iso;
  const [d, h, min, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number];
  const secs = ((d * 24 + h) * 60 + min) * 60 + s;
  if (secs % 86_400 === 0) return `${secs / 86_400}d`;
  if (secs % 3600 === 0) return `${secs / 3600}h`;
  if (secs % 60 === 0) return `${secs / 60}m`;
  return `${secs}s`;
}

export function predictionRecords(predictions: SweepPrediction[]): LedgerRecordInput[] {
  return predictions
    .filter((p) => p.probability !== null)
    .map((p) => ({
      type: 'prediction' as const,
      id: `prediction:${p.target}:${p.series.replace(/[^A-Za-z0-9._:@/+=-]/g, '_')}:${p.explanation.window.to}`.slice(0, 256),
      target: p.target,
      probability: p.probability!,
      horizon: ledgerDuration(p.horizon),
      explanation: `[${p.band}] ${p.explanation.summary}`.slice(0, 4000),
      at: p.explanation.window.to,
    }));
}

export function createPredictLedgerActivities(opts: LedgerActivityOptions = {}) {
  const { ledgerSubmit } = createLedgerActivities(opts);
  return {
    /** A retraining decision as a `model` record: version, weights digest, losses, promotion. */
    async predictModelRecord(m: { model: string; version: number; promoted: boolean; sha256: string; candidateLoss: number; currentLoss: number | null }) {
      const record: LedgerRecordInput = {
        type: 'model',
        id: `model:${m.model}:v${m.version}`,
        modelId: m.model,
        version: `v${m.version}`,
        weightsDigest: `sha256:${m.sha256}`,
        metrics: { candidateLoss: m.candidateLoss, ...(m.currentLoss === null ? {} : { currentLoss: m.currentLoss }), promoted: m.promoted ? 1 : 0 },
        trainedAt: new Date(Context.current().info.scheduledTimestampMs).toISOString(),
      };
      const r = await ledgerSubmit([record]);
      return { accepted: r.accepted, duplicates: r.duplicates };
    },
    /** Score-distribution drift as a `fact` (kind prediction.drift): a hint to retrain. */
    async predictDriftRecord(drift: (DriftEvent & { target: string })[]) {
      if (drift.length === 0) return { accepted: 0, duplicates: 0 };
      const at = new Date(Context.current().info.scheduledTimestampMs).toISOString();
      const records: LedgerRecordInput[] = drift.map((d) => ({
        type: 'fact',
        id: `drift:${d.target}:${d.series.replace(/[^A-Za-z0-9._:@/+=-]/g, '_')}:${at}`.slice(0, 256),
        kind: 'prediction.drift',
        target: d.target,
        data: { series: d.series, statistic: d.statistic, critical: d.critical, reference: d.reference, live: d.live, summary: d.summary },
        at,
      }));
      const r = await ledgerSubmit(records);
      return { accepted: r.accepted, duplicates: r.duplicates };
    },
    async predictLedgerRecord(predictions: SweepPrediction[]) {
      const records = predictionRecords(predictions);
      if (records.length === 0) return { accepted: 0, duplicates: 0 };
      const r = await ledgerSubmit(records);
      return { accepted: r.accepted, duplicates: r.duplicates };
    },
  };
}
