// Runbook executions on the ledger: the interpreter reports starts, step outcomes, approval
// decisions (refusals too) and ends; this activity turns them into schema records with
// deterministic ids (so a retried report is deduplicated) and hands them to the batcher.
import { digestOf } from '../core/ledger/canonical.ts';
import type { LedgerRecordInput } from '../core/ledger/schema.ts';
import type { RunbookLedgerBatch, RunStatus, StepStatus } from '../workflows/runbook-types.ts';
import { createLedgerActivities, type LedgerActivityOptions } from './ledger.ts';

const OUTCOME: Record<StepStatus, 'ok' | 'failed' | 'skipped' | 'compensated' | 'cancelled'> = {
  succeeded: 'ok',
  failed: 'failed',
  continued: 'failed',
  skipped: 'skipped',
  compensated: 'compensated',
  pending: 'cancelled',
  running: 'cancelled',
};

const END: Record<RunStatus, 'completed' | 'failed' | 'cancelled' | 'rolled-back' | 'timed-out'> = {
  completed: 'completed',
  failed: 'failed',
  rejected: 'failed',
  'rolled-back': 'rolled-back',
  cancelled: 'cancelled',
  running: 'failed',
  'waiting-approval': 'failed',
  paused: 'failed',
  'rolling-back': 'failed',
};

export function runbookRecords(b: RunbookLedgerBatch): LedgerRecordInput[] {
  const ref = { workflowId: b.workflowId, runbookId: b.runbookId, target: b.target, incidentId: b.incidentId };
  const base = `${b.workflowId}/${b.executionId}`;
  return b.events.map((e): LedgerRecordInput => {
    switch (e.kind) {
      case 'start':
        return { type: 'runbook-start', id: `${base}:start`, ...ref, planHash: `sha256:${e.planHash}`, inputsDigest: digestOf(e.inputs), at: e.at };
      case 'step':
        return {
          type: 'runbook-step',
          id: `${base}:step:${e.stepId}:${e.status}`,
          ...ref,
          stepId: e.stepId,
          kind: e.stepKind,
          outcome: OUTCOME[e.status],
          ...(e.output === undefined ? {} : { outputDigest: digestOf(e.output) }),
          ...(e.error ? { error: e.error.slice(0, 2000) } : {}),
          at: e.at,
        };
      case 'approval':
        return {
          type: 'approval',
          id: `${base}:approval:${e.stepId}:${e.user}:${e.decision}:${e.at}`,
          workflowId: b.workflowId,
          stepId: e.stepId,
          who: e.user,
          role: e.role || 'none',
          decision: e.decision,
          at: e.at,
          ...(e.comment ? { comment: e.comment.slice(0, 4000) } : {}),
        };
      case 'end':
        return { type: 'runbook-end', id: `${base}:end`, ...ref, status: END[e.status], at: e.at };
    }
  });
}

export function createRunbookLedgerActivities(opts: LedgerActivityOptions = {}) {
  const { ledgerSubmit } = createLedgerActivities(opts);
  return {
    async runbookLedgerRecord(batch: RunbookLedgerBatch) {
      const r = await ledgerSubmit(runbookRecords(batch));
      return { accepted: r.accepted, duplicates: r.duplicates };
    },
  };
}
