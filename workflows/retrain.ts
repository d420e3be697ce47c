// Retraining (run by a Temporal Schedule): retrain each model on recent data; the activity
// promotes a candidate only if it is not worse on a held-out recent slice. Each decision is
// recorded on the ledger when `handOff` is `ledger`.
import { proxyActivities } from '@temporalio/workflow';
import type { createPredictActivities } from '../activities/predict.ts';

type PredictActivities = ReturnType<typeof createPredictActivities>;
type ModelDecision = Awaited<ReturnType<PredictActivities['predictRetrainFromStore']>> & { model: string };

export interface RetrainInput {
  models: { model: string; query: string; windowMs?: number }[];
  handOff?: 'none' | 'ledger';
}

const acts = proxyActivities<PredictActivities>({
  startToCloseTimeout: '30 minutes',
  retry: { maximumAttempts: 2, nonRetryableErrorTypes: ['BadInput'] },
});

const ledger = proxyActivities<{ predictModelRecord(m: ModelDecision): Promise<unknown> }>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 5 },
});

export async function retrainModels(input: RetrainInput): Promise<{ model: string; promoted: boolean; version: number; reason: string }[]> {
  const out: { model: string; promoted: boolean; version: number; reason: string }[] = [];
  for (const m of input.models) {
    const r = await acts.predictRetrainFromStore(m);
    out.push({ model: m.model, promoted: r.promoted, version: r.version, reason: r.reason });
    if (input.handOff === 'ledger') await ledger.predictModelRecord({ model: m.model, ...r });
  }
  return out;
}
