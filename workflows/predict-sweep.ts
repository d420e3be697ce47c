// The prediction sweep (run by a Temporal Schedule): score the live series a telemetry query
// returns and record every alert or uncertain prediction as an event on the ledger. Picking and
// starting the runbook whose trigger matches (and the approval asked for uncertain ones) is the
// incident workflow's job: this workflow returns the predictions by band for it.
import { proxyActivities } from '@temporalio/workflow';
import type { createPredictActivities } from '../activities/predict.ts';
import type { SweepPrediction, SweepRequest, SweepResult } from '../core/predict/sweep.ts';
import type { TriggerEvent } from '../core/runbook/triggers.ts';

type PredictActivities = ReturnType<typeof createPredictActivities>;

export interface PredictSweepInput extends SweepRequest {
  /** `none` (default): only return the predictions; `ledger`: also record each with `ledgerSubmit`. */
  handOff?: 'none' | 'ledger';
  /** Start the runbooks whose `prediction` triggers match (band travels as a tag for approvals). */
  dispatch?: boolean;
}

const acts = proxyActivities<PredictActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: ['BadInput'] },
});

const ledger = proxyActivities<{
  predictLedgerRecord(predictions: SweepPrediction[]): Promise<unknown>;
  predictDriftRecord(drift: SweepResult['drift']): Promise<unknown>;
}>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 5 },
});

const incidents = proxyActivities<{ incidentDispatch(event: TriggerEvent): Promise<unknown> }>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 5 },
});

export async function predictSweep(input: PredictSweepInput): Promise<SweepResult> {
  const result = await acts.predictSweep(input);
  if (input.handOff === 'ledger' && result.predictions.length) await ledger.predictLedgerRecord(result.predictions);
  if (input.handOff === 'ledger' && result.drift?.length) await ledger.predictDriftRecord(result.drift);
  if (input.dispatch) {
    for (const p of result.predictions) {
      await incidents.incidentDispatch({
        kind: 'prediction',
        target: p.target,
        probability: p.probability ?? 0,
        severity: p.band === 'alert' ? 'major' : 'warning',
        tags: { band: p.band, series: p.series },
        observedAt: p.explanation.window.to,
      });
    }
  }
  return result;
}
