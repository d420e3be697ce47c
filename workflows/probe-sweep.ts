// The service probe sweep, run by a Temporal Schedule (e.g. every minute): one activity runs the
// probes and applies flap damping (state persisted between runs, with the events it produced in
// an outbox), then confirmed availability events go to the ledger, through `ledgerSubmit` when
// the worker has it, or through the probes capability's own idempotent hand-off, and only then are
// they acknowledged (removed from the outbox). A run that fails in between leaves them in the
// outbox for the next run to re-send; their content-derived ids make the ledger skip copies.
import { patched, proxyActivities } from '@temporalio/workflow';
import type { createProbesActivities } from '../activities/probes.ts';
import type { LedgerRecordInput } from '../core/ledger/schema.ts';

type ProbeActivities = ReturnType<typeof createProbesActivities>;

export interface ProbeSweepInput {
  specs?: unknown[];
  sweepId?: string;
  /**
   * `ledger` (default): the ledger capability's `ledgerSubmit` (through its batcher);
   * `probes`: append directly with `probesHandOffToLedger` (one idempotent batch per sweep).
   */
  handOff?: 'probes' | 'ledger';
}

const acts = proxyActivities<ProbeActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 3, initialInterval: '1s', nonRetryableErrorTypes: ['ProbeConfigError'] },
});

const ledger = proxyActivities<{ ledgerSubmit(records: LedgerRecordInput[]): Promise<unknown> }>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 5 },
});

export async function probeSweep(
  input: ProbeSweepInput = {}
): Promise<{ probed: number; down: string[]; events: number }> {
  const r = await acts.probesSweep({ specs: input.specs, sweepId: input.sweepId });
  if (r.events.length) {
    if (input.handOff === 'probes') await acts.probesHandOffToLedger(r.events);
    else await ledger.ledgerSubmit(r.events);
    // runs started before the outbox existed replay without this activity
    if (patched('probe-sweep-outbox-ack'))
      await acts.probesAck({ sweepId: input.sweepId, ids: r.events.map((e) => e.id) });
  }
  return { probed: r.probed, down: r.down, events: r.events.length };
}
