// The dimensional series store: series = name + tags, one value per fixed step (default 1 min)
// consolidated per bucket, compressed blocks, an inverted tag index, retention with rollups, and
// durability through a write-ahead log plus periodic snapshots (see wal.ts for the fsync policy).
// Series are ids into columns (typed arrays), not objects: see blocks.ts for why.
import { mkdirSync } from 'node:fs';
import { acquireLock, releaseLock } from './lock.ts';
import {
  CF_CODE,
  ChunkTable,
  HeadArena,
  ROLLUP,
  accumulate,
  bucketValue,
  codecFor,
  grown,
  shared,
  type SumSink,
} from './blocks.ts';
import { readStored, type ReaderState } from './reader.ts';
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
  readonly head: HeadArena;
  readonly chunks = new ChunkTable();
  /** Series columns, indexed by id (internal: retention and snapshots use them). */
  headStart = shared(Float64Array, 1024);
  cf = shared(Uint8Array, 1024);
  live = shared(Uint8Array, 1024);
  /** First and last chunk row of each series (-1 = none); rows link to the next through `chunks.next`. */
  firstChunk = shared(Int32Array, 1024);
  lastChunk = shared(Int32Array, 1024);
  /** Ids handed out so far (ids are never reused). */
  count = 0;
  /** Open-addressing hash of canonical keys → id + 1 (0 empty, -1 removed): no key string per series. */
  private slots = new Int32Array(2048);
  private slotsUsed = 0;
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
  defineSeries(id: number, key: string, tags: Tags, cf: number): void {
    if (id >= this.cf.length) this.growSeries(Math.max(id + 1, Math.ceil(this.cf.length * 1.25)));
    this.count = Math.max(this.count, id + 1);
    this.cf[id] = cf;
    this.live[id] = 1;
    this.headStart[id] = -1;
    this.firstChunk[id] = this.lastChunk[id] = -1;
    this.index.add(id, tags);
    this.head.ensure(id);
    this.insertSlot(hashKey(key), id);
  }

  private growSeries(size: number): void {
    this.headStart = grown(this.headStart, size);
    this.cf = grown(this.cf, size);
    this.live = grown(this.live, size);
    this.firstChunk = grown(this.firstChunk, size);
    this.lastChunk = grown(this.lastChunk, size);
  }

  private insertSlot(h: number, id: number): void {
    if ((this.slotsUsed + 1) * 2 > this.slots.length) {
      const old = this.slots;
      this.slots = new Int32Array(old.length * 2);
      this.slotsUsed = 0;
      for (const v of old) if (v > 0) this.insertSlot(hashKey(this.keyOf(v - 1)), v - 1);
    }
    const mask = this.slots.length - 1;
    let i = h & mask;
    while (this.slots[i]! > 0) i = (i + 1) & mask;
    if (this.slots[i] === 0) this.slotsUsed++;
    this.slots[i] = id + 1;
  }

  /** Id of the live series with these canonical tags, or undefined. */
  private lookup(key: string, tags: Tags): number | undefined {
    const mask = this.slots.length - 1;
    for (let i = hashKey(key) & mask; ; i = (i + 1) & mask) {
      const v = this.slots[i]!;
      if (v === 0) return undefined;
      if (v > 0 && this.index.sameTags(v - 1, tags)) return v - 1;
    }
  }

  /** Canonical tags of a series. */
  tagsOf(id: number): Tags {
    return this.index.tags(id);
  }

  /** Canonical key of a series: its tags sorted by key, `k=v` joined by commas. */
  keyOf(id: number): string {
    // sorted here, not in object order: objects list integer-like keys first
    return Object.entries(this.index.tags(id))
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
  }

  has(id: number): boolean {
    return id >= 0 && id < this.count && this.live[id] === 1;
  }

  /** Encoded bytes of every raw chunk (the benchmark's "data" share). */
  encodedBytes(): number {
    let n = 0;
    for (let id = 0; id < this.count; id++)
      for (let c = this.live[id] ? this.firstChunk[id]! : -1; c >= 0; c = this.chunks.next[c]!)
        if (this.chunks.codec[c] !== ROLLUP) n += this.chunks.byteLength(c);
    return n;
  }

  /** The id of the series with these tags, created on first use. Throws TagError on bad tags. */
  resolve(rawTags: unknown, cf?: Consolidation): number {
    const { tags, key } = canonicalTags(rawTags);
    const known = this.lookup(key, tags);
    if (known !== undefined) return known;
    const id = this.count;
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
    if (!this.has(id)) return 'invalid';
    const slot = Math.floor(ts / this.stepMs);
    const H = this.headSlots;
    const hs = this.headStart[id]!;
    if (hs < 0) this.headStart[id] = slot;
    else if (slot < hs) return 'late';
    else if (slot >= hs + H) this.advance(id, slot - H + 1);
    const i = id * H + (slot % H);
    const c = this.head.cnt[i]!;
    this.head.val[i] = accumulate(this.cf[id]!, this.head.val[i]!, c, v);
    this.head.cnt[i] = c === 65535 ? c : c + 1;
    if (this.wal && !this.replaying) this.pending.addPoint(id, ts, v);
    return undefined;
  }

  /** Seal head buckets before `newStart`. */
  private advance(id: number, newStart: number): void {
    const H = this.headSlots;
    const hs = this.headStart[id]!;
    const end = Math.min(newStart, hs + H);
    const base = id * H;
    for (let slot = hs; slot < end; slot++) {
      const i = base + (slot % H);
      const c = this.head.cnt[i]!;
      if (c > 0) this.appendSealed(id, slot, bucketValue(this.cf[id]!, this.head.val[i]!, c));
      this.head.cnt[i] = 0;
      this.head.val[i] = 0;
    }
    this.headStart[id] = newStart;
  }

  /** Append one sealed bucket value to the series' open chunk (NaN-filling any gap within the chunk). */
  private appendSealed(id: number, slot: number, value: number): void {
    const t = this.chunks;
    const k = Math.floor(slot / this.chunkSlots);
    let c = this.lastChunk[id]!;
    if (c < 0 || t.k[c] !== k || t.open[c] !== 1) {
      if (c >= 0) t.open[c] = 0; // sealed: nothing more is appended to an earlier chunk
      const nc = t.alloc(k, slot, codecFor(value));
      if (c < 0) this.firstChunk[id] = nc;
      else t.next[c] = nc;
      this.lastChunk[id] = c = nc;
    }
    for (let s = t.start[c]! + t.n[c]!; s < slot; s++) t.append(c, NaN);
    t.append(c, value);
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

  /**
   * Values stored for slots [fromSlot, toSlot) of a series (NaN where none). With `sink`, a query
   * accumulator (`out` = `sink.sum`): the values are added to it instead, with no intermediate
   * array and no NaN fill (blocks.ts `SumSink`).
   */
  read(
    id: number,
    fromSlot: number,
    toSlot: number,
    out: Float64Array = new Float64Array(toSlot - fromSlot).fill(NaN),
    sink?: SumSink
  ): Float64Array {
    return readStored(this, this.scratch, id, fromSlot, toSlot, out, sink);
  }

  /** What a query worker needs to read every series (shared memory, no copy). */
  readerState(): ReaderState {
    const { headSlots, chunkSlots, count, headStart, cf, live, firstChunk } = this;
    return {
      headSlots,
      chunkSlots,
      count,
      headStart,
      cf,
      live,
      firstChunk,
      headVal: this.head.val,
      headCnt: this.head.cnt,
      chunks: this.chunks.columns(),
    };
  }

  /** Ids of every live series, ascending. */
  allIds(): number[] {
    const out: number[] = [];
    for (let id = 0; id < this.count; id++) if (this.live[id]) out.push(id);
    return out;
  }

  /** Retention: see retention.ts. */
  maintain(now = this.clock()): { rolledUp: number; dropped: number; removedSeries: number } {
    return maintain(this, now);
  }

  /** Forget a series entirely (retention). */
  removeSeries(id: number): void {
    if (!this.has(id)) return;
    const mask = this.slots.length - 1;
    for (let i = hashKey(this.keyOf(id)) & mask; this.slots[i] !== 0; i = (i + 1) & mask)
      if (this.slots[i] === id + 1) {
        this.slots[i] = -1; // tombstone: later keys of the same probe run stay reachable
        break;
      }
    for (let c = this.firstChunk[id]!; c >= 0;) {
      const next = this.chunks.next[c]!;
      this.chunks.free(c);
      c = next;
    }
    this.firstChunk[id] = this.lastChunk[id] = -1;
    this.index.remove(id);
    this.live[id] = 0;
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

/** FNV-1a over the canonical key's UTF-16 units. */
function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h ^ (h >>> 15)) >>> 0;
}
