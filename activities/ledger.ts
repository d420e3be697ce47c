// Ledger activities. Thin: validate, call core/ledger, map errors (bad records and conflicts are
// non-retryable with stable types; anything else is retried).
//  - ledgerAppendBatch: the batcher's idempotent flush (same batch id → same block, once).
//  - ledgerSubmit: hands records to the batcher reliably (update-with-start on `ledger-batcher`,
//    retried by Temporal while the batcher applies backpressure). Used by the runbook interpreter
//    for runbook starts, step outcomes and approvals.
//  - ledgerRecordFact: the `ledger` step kind.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { join } from 'node:path';
import { openLedger } from '../core/ledger/index.ts';
import { LedgerConflictError, type Ledger } from '../core/ledger/ledger.ts';
import type { LedgerRecordInput } from '../core/ledger/schema.ts';
import { LedgerValidationError, validateBatch } from '../core/ledger/validate.ts';
import { ledgerFactParams } from '../core/runbook/kinds/ledger.ts';
import type { StepContext } from '../core/runbook/plan.ts';
import {
  BUFFER_FULL,
  ledgerBatcher,
  ledgerSubmitUpdate,
  type BatcherConfig,
  type BatcherRecord,
  type SubmitResult,
} from '../workflows/ledger-batcher.ts';
import type { ActivityOptions } from './index.ts';

export const LEDGER_BATCHER_ID = 'ledger-batcher';
/** Records per update: keeps each history payload well under Temporal's 2 MB limit. */
const SUBMIT_CHUNK = 500;

export interface LedgerActivityOptions extends ActivityOptions {
  /** Ledger implementation (default IRONTHRONE_LEDGER or `embedded`). */
  ledgerKind?: string;
  /** Workflow id of the batcher (default `ledger-batcher`; tests use their own). */
  batcherWorkflowId?: string;
  batcherConfig?: BatcherConfig;
  /** An already open ledger (tests, or a worker that shares one). */
  ledger?: Ledger;
}

/**
 * Backpressure: the batcher refuses updates while its buffer is full. Wait and retry here for a
 * while (heartbeating), then fail the attempt as retryable so Temporal backs off further; records
 * of chunks already accepted are deduplicated by id when the attempt is retried.
 */
async function submitWithBackoff(send: () => Promise<SubmitResult>, ctx: Context): Promise<SubmitResult> {
  const deadline = Date.now() + 30_000;
  for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
    try {
      return await send();
    } catch (err) {
      const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
      if (!(cause instanceof ApplicationFailure && cause.type === BUFFER_FULL)) throw err;
      if (Date.now() > deadline)
        throw ApplicationFailure.retryable(`ledger batcher still full after 30 s: ${cause.message}`, BUFFER_FULL);
      ctx.heartbeat();
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

function failure(err: unknown): never {
  if (err instanceof LedgerValidationError) throw ApplicationFailure.nonRetryable(err.message, 'BadInput', err.issues);
  if (err instanceof LedgerConflictError) throw ApplicationFailure.nonRetryable(err.message, 'LedgerConflict');
  // Fabric refusals (access, chaincode rejections) say they are permanent: do not retry them.
  if (err instanceof Error && (err as Error & { retryable?: boolean }).retryable === false) {
    throw ApplicationFailure.nonRetryable(err.message, err.name);
  }
  throw err;
}

export function createLedgerActivities(opts: LedgerActivityOptions = {}) {
  let ledger: Promise<Ledger> | undefined = opts.ledger && Promise.resolve(opts.ledger);
  const getLedger = () =>
    (ledger ??= openLedger(opts.ledgerKind, opts.dataDir ? { dir: join(opts.dataDir, 'ledger') } : {}));
  const batcherId = opts.batcherWorkflowId ?? process.env.IRONTHRONE_LEDGER_BATCHER_ID ?? LEDGER_BATCHER_ID;

  async function ledgerSubmit(
    records: LedgerRecordInput[]
  ): Promise<{ submitted: number; accepted: number; duplicates: number; recordIds: string[] }> {
    if (!Array.isArray(records)) {
      throw ApplicationFailure.nonRetryable(
        `ledgerSubmit: expected an array of ledger records, got ${records === null ? 'null' : typeof records}`,
        'BadInput'
      );
    }
    let valid;
    try {
      valid = validateBatch(records, 'ledgerSubmit');
    } catch (err) {
      failure(err);
    }
    const ctx = Context.current();
    const client = ctx.client;
    const out = { submitted: valid.length, accepted: 0, duplicates: 0, recordIds: valid.map((v) => v.record.id) };
    for (let i = 0; i < valid.length; i += SUBMIT_CHUNK) {
      const chunk: BatcherRecord[] = valid.slice(i, i + SUBMIT_CHUNK).map((v) => v.record);
      const start = () =>
        new WithStartWorkflowOperation(ledgerBatcher, {
          workflowId: batcherId,
          taskQueue: ctx.info.taskQueue,
          args: [{ config: opts.batcherConfig }],
          workflowIdConflictPolicy: 'USE_EXISTING',
        });
      const r = await submitWithBackoff(
        () =>
          client.workflow.executeUpdateWithStart(ledgerSubmitUpdate, {
            args: [chunk],
            startWorkflowOperation: start(),
          }),
        ctx
      );
      out.accepted += r.accepted;
      out.duplicates += r.duplicates;
      ctx.heartbeat(i);
    }
    return out;
  }

  return {
    async ledgerAppendBatch(input: { batchId: string; records: LedgerRecordInput[] }) {
      Context.current().heartbeat();
      const l = await getLedger();
      try {
        const r = await l.appendBatch(input.batchId, input.records, { skipExisting: true });
        // Keep history small: no record ids in the result.
        return {
          height: r.height,
          count: r.count,
          treeSize: r.treeSize,
          treeRoot: r.treeRoot,
          duplicate: r.duplicate,
          skipped: r.skippedIds.length,
        };
      } catch (err) {
        failure(err);
      }
    },

    ledgerSubmit,

    async ledgerHead() {
      return (await getLedger()).head();
    },

    /** The `ledger` step kind: records a fact of the runbook's own, through the batcher. */
    async ledgerRecordFact(params: unknown, ctx: StepContext) {
      const p = ledgerFactParams.safeParse(params);
      if (!p.success) {
        const issues = p.error.issues.map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`).join('; ');
        throw ApplicationFailure.nonRetryable(`ledger step ${ctx.stepId}: invalid params: ${issues}`, 'BadInput');
      }
      // Deterministic across retries: id from the idempotency key, time from the first schedule.
      const at = p.data.at ?? new Date(Context.current().info.scheduledTimestampMs).toISOString();
      const record: LedgerRecordInput = {
        type: 'fact',
        id: `${ctx.idempotencyKey}`,
        kind: p.data.kind,
        ...((p.data.target ?? ctx.target) ? { target: p.data.target ?? ctx.target } : {}),
        workflowId: ctx.workflowId,
        runbookId: ctx.runbookId,
        stepId: ctx.stepId,
        data: (p.data.data ?? null) as never,
        at,
      };
      if (ctx.dryRun) return { dryRun: true, recordId: record.id, record };
      const r = await ledgerSubmit([record]);
      return { recordId: r.recordIds[0]!, accepted: r.accepted === 1 };
    },
  };
}
