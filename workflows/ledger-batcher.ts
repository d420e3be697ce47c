// The durable ledger batcher: one long-running workflow per ledger (id `ledger-batcher`). Producers
// hand it records through `ledgerSubmitUpdate` (with backpressure: refused while the buffer is
// full, so the caller retries) or `ledgerSubmitSignal` (fire and forget). It flushes by size or
// age through the idempotent activity `ledgerAppendBatch` under a deterministic batch id
// `<workflowId>:<seq>`, so a worker dying mid-flush only causes a retry of the same batch id,
// which the ledger turns into a no-op if the first attempt committed: no accepted record is lost
// (it is in history once the update completes) or duplicated (batch-id idempotency, record-id
// dedup here and `skipExisting` in the ledger). Continues-as-new after N flushes, after draining.
import * as wf from '@temporalio/workflow';
import type { createLedgerActivities } from '../activities/ledger.ts';
import type { LedgerRecordInput } from '../core/ledger/schema.ts';

/** A record whose id is set (ledgerSubmit validates and derives ids before submitting). */
export type BatcherRecord = LedgerRecordInput & { id: string };

export interface BatcherConfig {
  /** Records per flush (default 1000). */
  maxBatch?: number;
  /** Longest a record waits in the buffer before a flush (default 2000 ms). */
  maxAgeMs?: number;
  /** Buffer size above which submissions are refused until flushed (default 5000). */
  maxBuffer?: number;
  /** Flushes per run before continue-as-new (default 50; earlier if the server suggests it). */
  flushesPerRun?: number;
  /** Record ids remembered for dedup after their flush (default 5000; carried over continue-as-new). */
  dedupWindow?: number;
}

export interface BatcherInput {
  config?: BatcherConfig;
  /** Carried over continue-as-new. */
  buffer?: BatcherRecord[];
  seq?: number;
  recentIds?: string[];
  flushedRecords?: number;
}

export interface BatcherStatus {
  buffered: number;
  seq: number;
  flushedRecords: number;
  draining: boolean;
  lastFlush?: { batchId: string; height: number; count: number; treeSize: number; skipped: number };
  rejected: { batchId: string; error: string }[];
}

export interface SubmitResult {
  accepted: number;
  duplicates: number;
  /** The flush sequence number these records will be flushed at or before. */
  seq: number;
}

export const ledgerSubmitUpdate = wf.defineUpdate<SubmitResult, [BatcherRecord[]]>('ledgerSubmitUpdate');
export const ledgerSubmitSignal = wf.defineSignal<[BatcherRecord[]]>('ledgerSubmitSignal');
/** Waits until everything accepted before this call is flushed; returns the status then. */
export const ledgerFlushUpdate = wf.defineUpdate<BatcherStatus>('ledgerFlushUpdate');
export const ledgerStatusQuery = wf.defineQuery<BatcherStatus>('ledgerStatusQuery');

export const BUFFER_FULL = 'LedgerBufferFull';

const { ledgerAppendBatch } = wf.proxyActivities<ReturnType<typeof createLedgerActivities>>({
  startToCloseTimeout: '120s',
  // The activity heartbeats as it starts: a worker killed mid-flush is noticed in 20 s, not 120 s.
  heartbeatTimeout: '20s',
  retry: { initialInterval: '500ms', maximumInterval: '10s', nonRetryableErrorTypes: ['BadInput', 'LedgerConflict'] },
});

export async function ledgerBatcher(input: BatcherInput = {}): Promise<void> {
  const cfg = {
    maxBatch: input.config?.maxBatch ?? 1000,
    maxAgeMs: input.config?.maxAgeMs ?? 2000,
    maxBuffer: input.config?.maxBuffer ?? 5000,
    flushesPerRun: input.config?.flushesPerRun ?? 50,
    dedupWindow: input.config?.dedupWindow ?? 5000,
  };
  const buffer: BatcherRecord[] = [...(input.buffer ?? [])];
  const known = new Set<string>([...(input.recentIds ?? []), ...buffer.map((r) => r.id)]);
  const recent: string[] = [...(input.recentIds ?? [])];
  let seq = input.seq ?? 0;
  let flushedRecords = input.flushedRecords ?? 0;
  let firstBufferedAt = buffer.length ? Date.now() : 0;
  let draining = false;
  let flushWaiters = 0;
  let acceptedTotal = flushedRecords + buffer.length;
  let rejectedRecords = 0;
  const status: BatcherStatus = { buffered: 0, seq, flushedRecords, draining, rejected: [] };
  const snapshot = (): BatcherStatus => ({ ...status, buffered: buffer.length, seq, flushedRecords, draining });

  const accept = (records: BatcherRecord[]): SubmitResult => {
    let accepted = 0;
    for (const r of records) {
      if (known.has(r.id)) continue;
      known.add(r.id);
      if (buffer.length === 0) firstBufferedAt = Date.now();
      buffer.push(r);
      accepted++;
    }
    acceptedTotal += accepted;
    return { accepted, duplicates: records.length - accepted, seq };
  };

  wf.setHandler(ledgerSubmitUpdate, accept, {
    validator: (records) => {
      const shaped = (r: unknown) =>
        typeof r === 'object' &&
        r !== null &&
        typeof (r as { id?: unknown }).id === 'string' &&
        typeof (r as { type?: unknown }).type === 'string';
      if (!Array.isArray(records) || !(records as unknown[]).every(shaped)) {
        throw new Error('expected an array of records with id and type (use the ledgerSubmit activity)');
      }
      // Refused updates never enter history: the caller retries later (backpressure).
      if (draining)
        throw wf.ApplicationFailure.retryable('ledger batcher is draining before continue-as-new, retry', BUFFER_FULL);
      // An empty buffer takes any chunk, so one oversized submission cannot be refused forever.
      if (buffer.length > 0 && buffer.length + records.length > cfg.maxBuffer) {
        throw wf.ApplicationFailure.retryable(
          `ledger batcher buffer full (${buffer.length}/${cfg.maxBuffer}), retry`,
          BUFFER_FULL
        );
      }
    },
  });
  // Signals cannot be refused; they are accepted even over maxBuffer (the buffer flushes anyway).
  wf.setHandler(
    ledgerSubmitSignal,
    (records) => void accept(Array.isArray(records) ? records.filter((r) => typeof r?.id === 'string') : [])
  );
  wf.setHandler(ledgerStatusQuery, snapshot);
  wf.setHandler(ledgerFlushUpdate, async () => {
    const target = acceptedTotal;
    flushWaiters++;
    try {
      await wf.condition(() => flushedRecords + rejectedRecords >= target);
    } finally {
      flushWaiters--;
    }
    return snapshot();
  });

  let flushes = 0;
  for (;;) {
    const runOver = flushes >= cfg.flushesPerRun || wf.workflowInfo().continueAsNewSuggested;
    if (runOver) draining = true;
    if (buffer.length === 0) {
      if (draining) break;
      await wf.condition(() => buffer.length > 0);
    }
    if (!draining && buffer.length < cfg.maxBatch && flushWaiters === 0) {
      const wait = firstBufferedAt + cfg.maxAgeMs - Date.now();
      if (wait > 0) await wf.condition(() => buffer.length >= cfg.maxBatch || flushWaiters > 0, wait);
    }
    const take = buffer.slice(0, cfg.maxBatch);
    const batchId = `${wf.workflowInfo().workflowId}:${seq}`;
    try {
      const r = await ledgerAppendBatch({ batchId, records: take });
      status.lastFlush = { batchId, height: r.height, count: r.count, treeSize: r.treeSize, skipped: r.skipped };
      flushedRecords += take.length;
    } catch (err) {
      // Only non-retryable failures reach here (a bad or conflicting record): park the batch for
      // an operator (visible in the status query) rather than wedge every later record.
      status.rejected.push({
        batchId,
        error: err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err),
      });
      if (status.rejected.length > 100) status.rejected.shift();
      rejectedRecords += take.length;
    }
    buffer.splice(0, take.length);
    for (const r of take) recent.push(r.id);
    if (recent.length > cfg.dedupWindow)
      for (const id of recent.splice(0, recent.length - cfg.dedupWindow)) known.delete(id);
    if (buffer.length) firstBufferedAt = Date.now();
    seq++;
    flushes++;
  }
  await wf.condition(wf.allHandlersFinished);
  await wf.continueAsNew<typeof ledgerBatcher>({
    config: input.config,
    buffer,
    seq,
    recentIds: recent,
    flushedRecords,
  });
}
