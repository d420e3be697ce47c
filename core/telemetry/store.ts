// The dimensional series store: series = name + tags, one value per fixed step (default 1 min)
// consolidated per bucket, compressed blocks, an inverted tag index, retention with rollups, and
// durability through a write-ahead log plus periodic snapshots (see wal.ts for the fsync policy).
import { mkdirSync } from 'node:fs';
import { acquireLock, releaseLock } from './lock.ts';
import { CF_CODE, HeadArena, accumulate, appendSealed, bucketValue, readChunks, type Chunk } from './blocks.ts';
import { TagIndex } from './tag-index.ts';
import { canonicalTags, consolidationFor, type Consolidation, type Tags } from './tags.ts';
import { WalBuffer, WalWriter, encodeSeries, listSegments, readSegment, deleteSegmentsBefore } from './wal.ts';
import { maintain } from './retention.ts';
import { ingestBatch } from './ingest.ts';
import { loadSnapshot, writeSnapshot } from './snapshot.ts';

export interface StoreOptions {
  /** Step in ms (default 60 000). */
  stepMs?: number;
  /** Folder for the WAL and snapshots; without it the store is memory-only. */
  dir?: string;
  /** fsync on every commit (default true). */
  fsync?: boolean;
  /** Raw (step-resolution) retention; older points are refused and chunks rolled up (default 2 days). */
  retentionMs?: number;
  /** How long hourly rollups are kept (default 30 days). */
  rollupRetentionMs?: number;
  /** Datapoints further in the future than this are refused as clock skew (default 5 min). */
  maxFutureMs?: number;
  /** Buckets per series kept mutable before sealing (default 16). */
  headSlots?: number;
  /** Slots per compressed chunk (default one day at the step). */
  chunkSlots?: number;
  /** Slots per rollup bucket (default one hour at the step). */
  rollupSlots?: number;
  clock?: () => number;
  /** Take a snapshot automatically this often (ms); 0 = only on demand and on close. */
  snapshotEveryMs?: number;
  /**
   * Recover from `dir` but never write to it (no WAL, no snapshots): for readers such as the CLI
   * while a server owns the folder. Ingest still works, in memory only.
   */
  readOnly?: boolean;
}

export interface SeriesInfo {
  id: number;
  key: string;
  tags: Tags;
  cf: number;
  headStart: number;
  chunks: Chunk[];
}

export interface Datapoint {
  tags: unknown;
  timestamp: unknown;
  value: unknown;
}

export interface IngestResult {
  accepted: number;
  errors: { index: number; reason: string }[];
}

export type RefusalReason = 'invalid' | 'future' | 'too-old' | 'late';

export class TelemetryStore {
  readonly stepMs: number;
  readonly headSlots: number;
  readonly chunkSlots: number;
  readonly rollupSlots: number;
  readonly retentionMs: number;
  readonly rollupRetentionMs: number;
  readonly maxFutureMs: number;
  readonly clock: () => number;
  readonly index = new TagIndex();
  readonly series: (SeriesInfo | undefined)[] = [];
  private readonly byKey = new Map<string, number>();
  readonly head: HeadArena;
  readonly stats = {
    accepted: 0,
    refused: { invalid: 0, future: 0, 'too-old': 0, late: 0 } as Record<RefusalReason, number>,
  };
  private scratch: Float64Array;
  // WAL buffering
  private wal?: WalWriter;
  private readonly pending = new WalBuffer();
  private commitPromise?: Promise<void>;
  private timers: NodeJS.Timeout[] = [];
  private replaying = false;

  private constructor(readonly opts: StoreOptions) {
    this.stepMs = opts.stepMs ?? 60_000;
    if (!(this.stepMs >= 1000) || !Number.isInteger(this.stepMs))
      throw new Error(`stepMs: expected an integer ≥ 1000, got ${opts.stepMs}`);
    this.headSlots = opts.headSlots ?? 16;
    this.chunkSlots = opts.chunkSlots ?? Math.max(1, Math.round(86_400_000 / this.stepMs));
    this.rollupSlots = opts.rollupSlots ?? Math.max(1, Math.round(3_600_000 / this.stepMs));
    this.retentionMs = opts.retentionMs ?? 2 * 86_400_000;
    this.rollupRetentionMs = opts.rollupRetentionMs ?? 30 * 86_400_000;
    this.maxFutureMs = opts.maxFutureMs ?? 5 * 60_000;
    this.clock = opts.clock ?? Date.now;
    this.head = new HeadArena(this.headSlots);
    this.scratch = new Float64Array(this.chunkSlots);
  }

  /** Open a store; with `dir`, recover from the last snapshot and the WAL after it. */
  static open(opts: StoreOptions = {}): TelemetryStore {
    const s = new TelemetryStore(opts);
    if (opts.dir) {
      mkdirSync(opts.dir, { recursive: true });
      if (!opts.readOnly) acquireLock(opts.dir);
      let fromSeq = 0;
      const snap = loadSnapshot(opts.dir, s);
      if (snap) fromSeq = snap.walSeq;
      s.replaying = true;
      const segs = listSegments(opts.dir).filter((q) => q >= fromSeq);
      for (const seq of segs) s.replaySegment(opts.dir, seq);
      s.replaying = false;
      if (opts.readOnly) return s;
      const next = Math.max(fromSeq, ...segs.map((q) => q + 1));
      s.wal = new WalWriter(opts.dir, next, opts.fsync ?? true);
      const flush = setInterval(() => void s.commit().catch(() => {}), 1000);
      flush.unref();
      s.timers.push(flush);
      if (opts.snapshotEveryMs) {
        const t = setInterval(() => s.snapshot(), opts.snapshotEveryMs);
        t.unref();
        s.timers.push(t);
      }
    }
    return s;
  }

  private replaySegment(dir: string, seq: number): void {
    readSegment(
      `${dir}/wal-${String(seq).padStart(8, '0')}.log`,
      (r) => {
        if (r.type === 1) {
          const { tags, key } = canonicalTags(JSON.parse(r.key));
          this.defineSeries(r.id, key, tags, r.cf);
        } else {
          for (let i = 0; i < r.ids.length; i++) this.putId(r.ids[i]!, r.ts[i]!, r.vals[i]!);
        }
      },
      !this.opts.readOnly
    );
  }

  /** Internal: register a series under a known id (snapshot load, WAL replay). */
  defineSeries(id: number, key: string, tags: Tags, cf: number): SeriesInfo {
    const info: SeriesInfo = { id, key, tags, cf, headStart: -1, chunks: [] };
    this.series[id] = info;
    this.byKey.set(key, id);
    this.index.add(id, tags);
    this.head.ensure(id);
    return info;
  }

  /** The id of the series with these tags, created on first use. Throws TagError on bad tags. */
  resolve(rawTags: unknown, cf?: Consolidation): number {
    const { tags, key } = canonicalTags(rawTags);
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    const id = this.series.length;
    const code = CF_CODE[cf ?? consolidationFor(tags)];
    this.defineSeries(id, key, tags, code);
    if (this.wal) this.pending.addSeries(encodeSeries(id, code, JSON.stringify(tags)));
    return id;
  }

  /** Why a timestamp is refused now, if it is. */
  checkTime(ts: number): RefusalReason | undefined {
    if (!Number.isFinite(ts) || ts < 0) return 'invalid';
    const now = this.clock();
    if (ts > now + this.maxFutureMs) return 'future';
    if (ts < now - this.retentionMs) return 'too-old';
    return undefined;
  }

  /**
   * The hot path: fold one datapoint into series `id`. Returns a refusal reason or undefined.
   * Does not check the clock (callers do, via `checkTime`) so WAL replay is deterministic.
   */
  putId(id: number, ts: number, v: number): RefusalReason | undefined {
    const s = this.series[id];
    if (!s) return 'invalid';
    const slot = Math.floor(ts / this.stepMs);
    const H = this.headSlots;
    if (s.headStart < 0) s.headStart = slot;
    else if (slot < s.headStart) return 'late';
    else if (slot >= s.headStart + H) this.advance(s, slot - H + 1);
    const i = id * H + (slot % H);
    const c = this.head.cnt[i]!;
    this.head.val[i] = accumulate(s.cf, this.head.val[i]!, c, v);
    this.head.cnt[i] = c === 65535 ? c : c + 1;
    if (this.wal && !this.replaying) this.pending.addPoint(id, ts, v);
    return undefined;
  }

  /** Seal head buckets before `newStart`. */
  private advance(s: SeriesInfo, newStart: number): void {
    const H = this.headSlots;
    const end = Math.min(newStart, s.headStart + H);
    const base = s.id * H;
    for (let slot = s.headStart; slot < end; slot++) {
      const i = base + (slot % H);
      const c = this.head.cnt[i]!;
      if (c > 0) appendSealed(s.chunks, this.chunkSlots, slot, bucketValue(s.cf, this.head.val[i]!, c));
      this.head.cnt[i] = 0;
      this.head.val[i] = 0;
    }
    s.headStart = newStart;
  }

  /** Validate and store a batch; each refused datapoint is reported with its index and reason (ingest.ts). */
  ingest(points: readonly Datapoint[]): IngestResult {
    return ingestBatch(this, points);
  }

  /** Make everything ingested so far durable (group commit: one write + fsync for all waiters). */
  commit(): Promise<void> {
    if (!this.wal) return Promise.resolve();
    this.commitPromise ??= new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.commitPromise = undefined;
        try {
          this.flushWal();
          resolve();
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    });
    return this.commitPromise;
  }

  private flushWal(): void {
    if (!this.wal || this.pending.empty) return;
    this.wal.write(this.pending.drain());
  }

  /** Write a snapshot and start a new WAL segment; older segments are removed. */
  snapshot(): void {
    if (!this.wal || !this.opts.dir) return;
    this.flushWal();
    const dir = this.opts.dir;
    const next = this.wal.seq + 1;
    this.wal.close();
    this.wal = new WalWriter(dir, next, this.opts.fsync ?? true);
    writeSnapshot(dir, this, next);
    deleteSegmentsBefore(dir, next);
  }

  /** Values stored for slots [fromSlot, toSlot) of a series (NaN where none). */
  read(
    id: number,
    fromSlot: number,
    toSlot: number,
    out: Float64Array = new Float64Array(toSlot - fromSlot).fill(NaN)
  ): Float64Array {
    const s = this.series[id];
    if (!s) return out;
    if (this.scratch.length < this.chunkSlots) this.scratch = new Float64Array(this.chunkSlots);
    readChunks(s.chunks, this.chunkSlots, fromSlot, toSlot, out, this.scratch, s.cf);
    if (s.headStart >= 0) {
      const H = this.headSlots;
      const lo = Math.max(fromSlot, s.headStart);
      const hi = Math.min(toSlot, s.headStart + H);
      for (let slot = lo; slot < hi; slot++) {
        const i = s.id * H + (slot % H);
        const c = this.head.cnt[i]!;
        if (c > 0) out[slot - fromSlot] = bucketValue(s.cf, this.head.val[i]!, c);
      }
    }
    return out;
  }

  /** Ids of every live series, ascending. */
  allIds(): number[] {
    const out: number[] = [];
    for (const s of this.series) if (s) out.push(s.id);
    return out;
  }

  /** Retention: see retention.ts. */
  maintain(now = this.clock()): { rolledUp: number; dropped: number; removedSeries: number } {
    return maintain(this, now);
  }

  /** Forget a series entirely (retention). */
  removeSeries(id: number): void {
    const s = this.series[id];
    if (!s) return;
    this.index.remove(id, s.tags);
    this.byKey.delete(s.key);
    this.series[id] = undefined;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    if (this.wal) {
      this.snapshot();
      this.wal.close();
      this.wal = undefined;
      releaseLock(this.opts.dir!);
    }
  }
}
