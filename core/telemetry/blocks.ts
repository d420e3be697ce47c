// Per-series storage at a fixed step. Recent buckets live in a small mutable head (a ring of
// `headSlots` buckets per series, in one store-wide arena so a series costs no typed-array
// objects); once a bucket leaves the head it is consolidated to one float64 and appended to the
// series' open chunk, a compressed bitstream aligned on `chunkSlots` (one day at the default
// step). Chunks older than the raw retention are replaced by an hourly rollup (sum, count, min,
// max per rollup bucket) so long windows stay cheap.
//
// Layout (why): a JS object or typed array per series or per chunk costs 100-200 bytes of V8
// overhead, more than a day of compressed data. So chunks are rows of a column table
// (struct-of-arrays), and their bits live in 64-byte segments of shared 64 KiB pages, linked per
// chunk. A chunk grows one segment at a time (no reallocation, so no garbage or fragmentation:
// every freed segment fits any chunk), and a reader gathers the segments into one scratch array.
import { deltaAppend, deltaDecode, deltaDiff, fits, scaleFor, SCALES, SUM_UNIT } from './delta.ts';
import { xorAppend, xorDecode } from './gorilla.ts';
import { put } from './bits.ts';
import type { Consolidation } from './tags.ts';

export const CF_CODE: Record<Consolidation, number> = { avg: 0, sum: 1, max: 2, min: 3, count: 4 };
export const CF_NAME: Consolidation[] = ['avg', 'sum', 'max', 'min', 'count'];

/** Codec of a chunk row: XOR, integer delta at `SCALES[codec - 1]`, or a rollup. */
export const XOR = 0;
export const ROLLUP = 127;

const SEG_WORDS = 16;
const SEG_BITS = SEG_WORDS * 32;
const PAGE_SEGS = 1024; // 64 KiB pages: small stores do not pay for a large empty page

type Typed = Int32Array | Float64Array | Int8Array | Uint8Array | Uint16Array | Uint32Array;
type TypedCtor<T> = { new (buffer: ArrayBufferLike): T; BYTES_PER_ELEMENT: number };

/**
 * A typed array on shared memory: the store's tables are SharedArrayBuffers so a query can hand
 * them to worker threads without copying (query/parallel.ts). The main thread, the only writer,
 * is blocked while they read.
 */
export function shared<T extends Typed>(Ctor: TypedCtor<T>, n: number): T {
  return new Ctor(new SharedArrayBuffer(n * Ctor.BYTES_PER_ELEMENT));
}

export function grown<T extends Typed>(a: T, size: number): T {
  const b = shared(a.constructor as unknown as TypedCtor<T>, size);
  b.set(a);
  return b;
}

/** Head ring buffers of every series: bucket accumulator and datapoint count. */
export class HeadArena {
  val: Float64Array;
  cnt: Uint16Array;
  constructor(
    readonly slots: number,
    capacity = 1024
  ) {
    this.val = shared(Float64Array, capacity * slots);
    this.cnt = shared(Uint16Array, capacity * slots);
  }
  ensure(id: number): void {
    const need = (id + 1) * this.slots;
    if (need <= this.val.length) return;
    const size = Math.max(need, Math.ceil((this.val.length * 1.25) / this.slots) * this.slots); // 25 % slack, not 100 %
    this.val = grown(this.val, size);
    this.cnt = grown(this.cnt, size);
  }
}

export interface ChunkColumns {
  k: Int32Array;
  start: Float64Array;
  n: Int32Array;
  bits: Int32Array;
  first: Int32Array;
  last: Int32Array;
  next: Int32Array;
  codec: Int8Array;
  open: Uint8Array;
  st0: Int32Array;
  st1: Int32Array;
  lead: Int8Array;
  trail: Int8Array;
  segNext: Int32Array;
  pages: Uint32Array[];
}

/**
 * Every chunk of every series. Row columns: chunk index `k` (covers slots [k*chunkSlots,
 * (k+1)*chunkSlots)), first slot `start`, value count `n` (for a rollup: slots per bucket),
 * `bits` written, first/last segment, `next` chunk of the same series (ascending k), `codec`,
 * `open` (still appended to) and the encoder state (`st0`, `st1`, `lead`, `trail`; see the codecs).
 */
export class ChunkTable {
  k = shared(Int32Array, 1024);
  start = shared(Float64Array, 1024);
  n = shared(Int32Array, 1024);
  bits = shared(Int32Array, 1024);
  first = shared(Int32Array, 1024);
  last = shared(Int32Array, 1024);
  next = shared(Int32Array, 1024);
  codec = shared(Int8Array, 1024);
  open = shared(Uint8Array, 1024);
  st0 = shared(Int32Array, 1024);
  st1 = shared(Int32Array, 1024);
  lead = shared(Int8Array, 1024);
  trail = shared(Int8Array, 1024);
  private rows = 0;
  private freeRows: number[] = [];

  /** The columns and pages, to read this table from another thread (see `ChunkTable.view`). */
  columns(): ChunkColumns {
    const { k, start, n, bits, first, last, next, codec, open, st0, st1, lead, trail, segNext } = this;
    return {
      k,
      start,
      n,
      bits,
      first,
      last,
      next,
      codec,
      open,
      st0,
      st1,
      lead,
      trail,
      segNext,
      pages: [...this.pages],
    };
  }

  /** A table over shared columns for reading only (a query worker's view of the store). */
  static view(c: ChunkColumns): ChunkTable {
    const t = new ChunkTable();
    Object.assign(t, c);
    return t;
  }

  private pages: Uint32Array[] = [];
  private segNext = shared(Int32Array, PAGE_SEGS);
  private segCount = 0;
  private freeSegs: number[] = [];

  /** Gather buffer for readers (with a float64 view for rollups). */
  private gatherBuf = new Uint32Array(256);
  private gatherF64 = new Float64Array(this.gatherBuf.buffer);

  /** Segments in use, for the benchmark's accounting. */
  get segmentsUsed(): number {
    return this.segCount - this.freeSegs.length;
  }

  private allocSeg(): number {
    let s = this.freeSegs.pop();
    if (s === undefined) {
      s = this.segCount++;
      if (s >> 10 >= this.pages.length) this.pages.push(shared(Uint32Array, PAGE_SEGS * SEG_WORDS));
      if (s >= this.segNext.length)
        this.segNext = grown(this.segNext, Math.ceil(this.segNext.length * 1.25) + PAGE_SEGS);
    } else this.pages[s >> 10]!.fill(0, (s & 1023) * SEG_WORDS, (s & 1023) * SEG_WORDS + SEG_WORDS);
    this.segNext[s] = -1;
    return s;
  }

  private freeChain(c: number): void {
    for (let s = this.first[c]!; s >= 0; s = this.segNext[s]!) this.freeSegs.push(s);
    this.first[c] = this.last[c] = -1;
  }

  /** A new chunk row (one empty segment) for codec `codec`. */
  alloc(k: number, start: number, codec: number): number {
    let c = this.freeRows.pop();
    if (c === undefined) {
      c = this.rows++;
      if (c >= this.k.length) this.growRows(Math.ceil(this.k.length * 1.25));
    }
    this.k[c] = k;
    this.start[c] = start;
    this.next[c] = -1;
    this.open[c] = 1;
    this.first[c] = this.last[c] = -1;
    this.reset(c, codec);
    return c;
  }

  /** Empty a chunk's bitstream and encoder state (keeps k, start, links). */
  reset(c: number, codec: number): void {
    if (this.first[c]! >= 0) this.freeChain(c);
    const s = this.allocSeg();
    this.first[c] = this.last[c] = s;
    this.n[c] = 0;
    this.bits[c] = 0;
    this.codec[c] = codec;
    this.st0[c] = this.st1[c] = 0;
    this.lead[c] = codec === XOR ? -1 : 1; // XOR: no window yet; delta: previous value is NaN
    this.trail[c] = 0;
  }

  free(c: number): void {
    this.freeChain(c);
    this.freeRows.push(c);
  }

  private growRows(size: number): void {
    this.k = grown(this.k, size);
    this.start = grown(this.start, size);
    this.n = grown(this.n, size);
    this.bits = grown(this.bits, size);
    this.first = grown(this.first, size);
    this.last = grown(this.last, size);
    this.next = grown(this.next, size);
    this.codec = grown(this.codec, size);
    this.open = grown(this.open, size);
    this.st0 = grown(this.st0, size);
    this.st1 = grown(this.st1, size);
    this.lead = grown(this.lead, size);
    this.trail = grown(this.trail, size);
  }

  /** Append the low `nb` (1..32) bits of `value` to chunk `c`'s bitstream. */
  write(c: number, value: number, nb: number): void {
    const pos = this.bits[c]!;
    let seg = this.last[c]!;
    if (pos > 0 && (pos & (SEG_BITS - 1)) === 0) seg = this.extend(c, seg);
    const page = this.pages[seg >> 10]!;
    const wi = ((seg & 1023) * SEG_WORDS) | ((pos >>> 5) & (SEG_WORDS - 1));
    const v = nb === 32 ? value >>> 0 : (value & ((1 << nb) - 1)) >>> 0;
    const free = 32 - (pos & 31);
    if (nb <= free) page[wi] = page[wi]! | (v << (free - nb));
    else {
      const over = nb - free;
      page[wi] = page[wi]! | (v >>> over);
      if (((pos >>> 5) & (SEG_WORDS - 1)) === SEG_WORDS - 1) {
        const s2 = this.extend(c, seg);
        this.pages[s2 >> 10]![(s2 & 1023) * SEG_WORDS] = v << (32 - over);
      } else page[wi + 1] = v << (32 - over);
    }
    this.bits[c] = pos + nb;
  }

  private extend(c: number, seg: number): number {
    const s = this.allocSeg();
    this.segNext[seg] = s;
    this.last[c] = s;
    return s;
  }

  /** Chunk `c`'s words, gathered into a shared scratch array (valid until the next gather). */
  gather(c: number): Uint32Array {
    const words = (this.bits[c]! + 31) >>> 5;
    if (this.gatherBuf.length < words) {
      this.gatherBuf = new Uint32Array(Math.ceil(words / SEG_WORDS) * SEG_WORDS * 2);
      this.gatherF64 = new Float64Array(this.gatherBuf.buffer);
    }
    const out = this.gatherBuf;
    let i = 0;
    for (let s = this.first[c]!; s >= 0 && i < words; s = this.segNext[s]!) {
      const page = this.pages[s >> 10]!;
      const base = (s & 1023) * SEG_WORDS;
      const m = Math.min(SEG_WORDS, words - i);
      for (let j = 0; j < m; j++) out[i + j] = page[base + j]!;
      i += m;
    }
    return out;
  }

  /** The gathered words as float64 (rollup rows). */
  gatherFloats(c: number): Float64Array {
    this.gather(c);
    return this.gatherF64;
  }

  /** Load a chunk's bitstream (snapshot): `words` holding `bits` bits. */
  load(c: number, words: Uint32Array, bits: number): void {
    for (let i = 0; i < words.length; i++) {
      const nb = Math.min(32, bits - i * 32);
      if (nb > 0) this.write(c, nb === 32 ? words[i]! : words[i]! >>> (32 - nb), nb);
    }
  }

  /** Encoded bytes of chunk `c` (trimmed to whole words). */
  byteLength(c: number): number {
    return ((this.bits[c]! + 31) >>> 5) * 4;
  }

  /** Append one value to raw chunk `c`, switching codec when it does not fit. */
  append(c: number, v: number): void {
    const codec = this.codec[c]!;
    if (codec === XOR) xorAppend(this, c, v);
    else if (!deltaAppend(this, c, v, SCALES[codec - 1]!)) {
      this.reencode(c, v);
      this.append(c, v);
      return;
    }
    this.n[c]!++;
  }

  /** Decode the first `n` values of raw chunk `c` into `out` at `outOffset`. */
  decode(c: number, n: number, out: Float64Array, outOffset = 0): void {
    const words = this.gather(c);
    const codec = this.codec[c]!;
    if (codec === XOR) xorDecode(words, n, out, outOffset);
    else deltaDecode(words, n, SCALES[codec - 1]!, out, outOffset);
  }

  /** A value the delta chunk cannot hold: re-encode at a scale that fits everything, or with XOR. */
  private reencode(c: number, extra: number): void {
    const n = this.n[c]!;
    const vals = new Float64Array(n);
    this.decode(c, n, vals);
    const scale = SCALES.findIndex((s) => fits(extra, s) && vals.every((v) => fits(v, s)));
    this.reset(c, scale >= 0 ? scale + 1 : XOR);
    for (let i = 0; i < n; i++) this.append(c, vals[i]!);
  }

  /** Turn raw chunk `c` into its rollup at `per` slots per bucket (sum, count, min, max). */
  rollup(c: number, chunkSlots: number, per: number): void {
    const buckets = Math.ceil(chunkSlots / per);
    const n = this.n[c]!;
    const vals = new Float64Array(n);
    this.decode(c, n, vals);
    const r = new Float64Array(4 * buckets); // [sum, cnt, min, max] per bucket
    for (let b = 0; b < buckets; b++) r[4 * b + 2] = r[4 * b + 3] = NaN;
    const base = this.k[c]! * chunkSlots;
    for (let i = 0; i < n; i++) {
      const v = vals[i]!;
      if (Number.isNaN(v)) continue;
      const b = 4 * Math.floor((this.start[c]! + i - base) / per);
      r[b]! += v;
      r[b + 1]! += 1;
      if (!(v >= r[b + 2]!)) r[b + 2] = v;
      if (!(v <= r[b + 3]!)) r[b + 3] = v;
    }
    this.reset(c, ROLLUP);
    this.open[c] = 0;
    this.n[c] = per;
    const words = new Uint32Array(r.buffer);
    for (let i = 0; i < words.length; i++) this.write(c, words[i]!, 32);
  }
}

/** Value of a bucket as stored: the consolidation of its datapoints. */
export function bucketValue(cf: number, acc: number, cnt: number): number {
  if (cnt === 0) return NaN;
  return cf === 0 ? acc / cnt : cf === 4 ? cnt : acc;
}

/** Fold one datapoint into a bucket accumulator. */
export function accumulate(cf: number, acc: number, cnt: number, v: number): number {
  if (cnt === 0) return cf === 4 ? 0 : v;
  switch (cf) {
    case 2:
      return v > acc ? v : acc;
    case 3:
      return v < acc ? v : acc;
    case 4:
      return 0;
    default:
      return acc + v;
  }
}

/** The codec a new chunk starts with, from its first value. */
export function codecFor(first: number): number {
  const s = scaleFor(first);
  return s === undefined ? XOR : SCALES.indexOf(s) + 1;
}

/**
 * A query's accumulator for sums, averages and counts: `sum`/`cnt` get values added directly,
 * `di`/`dc` (one longer) get integer differences from delta chunks (delta.ts `deltaDiff`), and
 * `bound` is the largest |running integer sum| they can reach, kept under 2^53 so they stay exact.
 */
export interface SumSink {
  sum: Float64Array;
  cnt: Float64Array;
  di: Float64Array;
  dc: Float64Array;
  bound: number;
}

const EXACT = 2 ** 52;

/**
 * Write the stored values of slots [from, to) of the chunk list starting at row `head` into
 * `out` (left untouched where nothing is stored), or with `sink` add them to it (`out` is then
 * `sink.sum`). A rollup yields its bucket's consolidated value (`cf`) on every slot of the bucket.
 */
export function readChunks(
  t: ChunkTable,
  head: number,
  chunkSlots: number,
  from: number,
  to: number,
  out: Float64Array,
  scratch: Float64Array,
  cf: number,
  sink?: SumSink
): void {
  const cnt = sink?.cnt;
  for (let c = head; c >= 0; c = t.next[c]!) {
    const base = t.k[c]! * chunkSlots;
    if (base >= to) break;
    if (base + chunkSlots <= from) continue;
    if (t.codec[c] !== ROLLUP) {
      const start = t.start[c]!;
      const lo = Math.max(from, start);
      const hi = Math.min(to, start + t.n[c]!);
      if (hi <= lo) continue;
      const codec = t.codec[c]!;
      if (sink && codec !== XOR) {
        const f = SUM_UNIT / SCALES[codec - 1]!;
        if (sink.bound + t.st1[c]! * f < EXACT) {
          sink.bound += t.st1[c]! * f;
          deltaDiff(t.gather(c), hi - start, SCALES[codec - 1]!, sink.di, sink.dc, start - from, lo - start);
          continue;
        }
      }
      if (lo === start && !cnt) {
        t.decode(c, hi - start, out, start - from); // straight into the caller's buffer
        continue;
      }
      if (lo === start && codec === XOR) {
        xorDecode(t.gather(c), hi - start, out, start - from, cnt); // straight into the sums
        continue;
      }
      // otherwise (part of the chunk, or a delta chunk's values added past the exact bound) via scratch
      t.decode(c, hi - start, scratch);
      for (let s = lo; s < hi; s++) put(out, cnt, s - from, scratch[s - start]!);
    } else {
      const r = t.gatherFloats(c);
      const per = t.n[c]!;
      const lo = Math.max(from, base);
      const hi = Math.min(to, base + chunkSlots);
      for (let s = lo; s < hi; s++) {
        const b = 4 * Math.floor((s - base) / per);
        const n = r[b + 1]!;
        const v =
          n === 0 ? NaN : cf === 2 ? r[b + 3]! : cf === 3 ? r[b + 2]! : cf === 4 ? n : cf === 1 ? r[b]! : r[b]! / n;
        put(out, cnt, s - from, v);
      }
    }
  }
}
