// The log pipeline: lines in (from any ingest), parsed and enriched, batched by size or time,
// written to the store, the batch digest sent to the ledger. Memory is bounded: `submit` waits for
// room (TCP, files, HTTP slow down), `offer` never waits (UDP) and overflows to the disk spool.
// When the store or the ledger is down, whole batches go to the spool and are replayed in order
// when it returns; content-derived ids make the replay duplicate-free.
import { buildBatch, type DigestSink } from './digest.ts';
import type { LineMeta } from './enrich.ts';
import type { Inventory } from './inventory.ts';
import { processLine } from './pipeline-parse.ts';
import { Spool, type SpooledBatch } from './spool.ts';
import { LogStoreRejectedError, LogStoreUnavailableError, type LogStore } from './store.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LogDoc } from './types.ts';

export interface PipelineOptions {
  store: LogStore;
  spoolDir: string;
  inventory?: Inventory;
  /** Where batch digests go (the ledger); without it batches are indexed but not anchored. */
  digestSink?: DigestSink;
  batchSize?: number;
  flushMs?: number;
  /** Docs held in memory before `submit` waits and `offer` spools. */
  maxQueued?: number;
  /** How often to probe a store that is down. */
  retryMs?: number;
  maxLineBytes?: number;
  onError?: (err: unknown) => void;
}

export interface PipelineStats {
  received: number;
  indexed: number;
  existing: number;
  batches: number;
  spooledBatches: number;
  replayedBatches: number;
  /** Batches the store refused for good, kept in <spoolDir>/rejected/. */
  rejectedBatches: number;
  overflowed: number;
  storeDown: boolean;
}

export class LogPipeline {
  readonly stats: PipelineStats = {
    received: 0,
    indexed: 0,
    existing: 0,
    batches: 0,
    spooledBatches: 0,
    replayedBatches: 0,
    rejectedBatches: 0,
    overflowed: 0,
    storeDown: false,
  };
  private queue: LogDoc[] = [];
  private overflow: LogDoc[] = [];
  private waiters: (() => void)[] = [];
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private closed = false;
  private readonly spool: Spool;
  private readonly batchSize: number;
  private readonly maxQueued: number;

  constructor(private readonly o: PipelineOptions) {
    this.spool = new Spool(o.spoolDir);
    this.batchSize = o.batchSize ?? 500;
    this.maxQueued = Math.max(o.maxQueued ?? 10_000, this.batchSize);
    if (!this.spool.isEmpty()) this.stats.storeDown = true; // replay leftovers from a previous run first
    this.schedule(0);
  }

  private doc(line: Uint8Array | string, meta: LineMeta): LogDoc {
    this.stats.received++;
    return processLine(line, meta, { inventory: this.o.inventory, maxLineBytes: this.o.maxLineBytes });
  }

  /** Waits while the queue is full: the caller (a TCP socket, a file reader) slows down. */
  async submit(line: Uint8Array | string, meta: LineMeta): Promise<void> {
    if (this.closed) throw new Error('log pipeline is closed');
    while (this.queue.length >= this.maxQueued) await new Promise<void>((r) => this.waiters.push(r));
    this.queue.push(this.doc(line, meta));
    if (this.queue.length >= this.batchSize) this.schedule(0);
  }

  /** Never waits (UDP cannot be slowed down): past the bound, lines go to the disk spool. */
  offer(line: Uint8Array | string, meta: LineMeta): void {
    if (this.closed) return;
    const d = this.doc(line, meta);
    if (this.queue.length < this.maxQueued) {
      this.queue.push(d);
      if (this.queue.length >= this.batchSize) this.schedule(0);
      return;
    }
    this.stats.overflowed++;
    this.overflow.push(d);
    if (this.overflow.length >= this.batchSize) this.spoolBatch(this.overflow.splice(0));
  }

  private spoolBatch(docs: LogDoc[]): void {
    this.spool.append(buildBatch(docs, this.o.store.location));
    this.stats.spooledBatches++;
  }

  private schedule(ms: number): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.runCycle();
    }, ms);
  }

  private runCycle(): Promise<void> {
    this.running ??= this.cycle().finally(() => {
      this.running = undefined;
      const spooled = !this.spool.isEmpty();
      if (this.queue.length || this.overflow.length || spooled)
        this.schedule(this.stats.storeDown ? (this.o.retryMs ?? 1000) : (this.o.flushMs ?? 1000));
    });
    return this.running;
  }

  private async send(b: SpooledBatch): Promise<void> {
    let r;
    try {
      r = await this.o.store.write(b.docs);
    } catch (err) {
      if (!(err instanceof LogStoreRejectedError)) throw err;
      // Kept on disk, never silently dropped, and out of the way of the batches behind it.
      const dir = join(this.o.spoolDir, 'rejected');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${b.digest.id}.json`), JSON.stringify({ error: err.message, ...b }) + '\n');
      this.stats.rejectedBatches++;
      this.o.onError?.(err);
      return;
    }
    let ledgerRecordId: string | undefined;
    try {
      ledgerRecordId = this.o.digestSink ? await this.o.digestSink(b.digest) : undefined;
    } catch (err) {
      // The ledger is down or busy: the batch is spooled and retried whole (store writes are idempotent).
      throw new LogStoreUnavailableError(`ledger: ${(err as Error).message}`, { cause: err });
    }
    await this.o.store.putBatch(ledgerRecordId ? { ...b.digest, ledgerRecordId } : b.digest);
    this.stats.indexed += r.written;
    this.stats.existing += r.existing;
    this.stats.batches++;
  }

  /** One pass: replay the spool if it holds anything, then write queued batches; spool on failure. */
  private async cycle(): Promise<void> {
    try {
      if (this.stats.storeDown || !this.spool.isEmpty()) {
        if (!(await this.o.store.ping())) {
          this.stats.storeDown = true;
          return this.spoolQueue();
        }
        this.stats.replayedBatches += await this.spool.drain((b) => this.send(b));
        this.stats.storeDown = false;
      }
      while (this.queue.length) {
        const docs = this.queue.splice(0, this.batchSize);
        this.release();
        const b = buildBatch(docs, this.o.store.location);
        try {
          await this.send(b);
        } catch (err) {
          this.spool.append(b);
          this.stats.spooledBatches++;
          this.stats.storeDown = true;
          if (!(err instanceof LogStoreUnavailableError)) this.o.onError?.(err);
          return this.spoolQueue();
        }
      }
      if (this.overflow.length) this.spoolBatch(this.overflow.splice(0));
    } catch (err) {
      // A replay that failed half-way: the segment stays on disk and is retried whole.
      this.stats.storeDown = true;
      if (!(err instanceof LogStoreUnavailableError)) this.o.onError?.(err);
      this.spoolQueue();
    }
  }

  /** The store is down: move what memory holds to disk so the bound holds and senders go on. */
  private spoolQueue(): void {
    while (this.queue.length) {
      this.spoolBatch(this.queue.splice(0, this.batchSize));
      this.release();
    }
    if (this.overflow.length) this.spoolBatch(this.overflow.splice(0));
  }

  private release(): void {
    while (this.waiters.length && this.queue.length < this.maxQueued) this.waiters.shift()!();
  }

  /**
   * Resolves when everything received so far is indexed, or on disk in the spool if the store is
   * down; a reachable store also gets the spool replayed first.
   */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    clearTimeout(this.timer);
    this.timer = undefined;
    do await this.runCycle();
    while ((this.queue.length || this.overflow.length) && !this.stats.storeDown);
  }

  /** Batches waiting on disk. */
  spooledSegments(): number {
    return this.spool.pendingSegments();
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    for (const r of this.waiters.splice(0)) r();
  }
}
