// Per-series storage at a fixed step. Recent buckets live in a small mutable head (a ring of
// `headSlots` buckets per series, in one store-wide arena so a series costs no typed-array
// objects); once a bucket leaves the head it is consolidated to one float64 and appended to the
// series' open chunk, a Gorilla XOR bitstream aligned on `chunkSlots` (one day at the default
// step). Chunks older than the raw retention are replaced by an hourly rollup (sum, count, min,
// max per rollup bucket) so long windows stay cheap.
import { DeltaEncoder, deltaDecode, fits, scaleFor, SCALES } from './delta.ts';
import { XorEncoder, xorDecode } from './gorilla.ts';
import type { Consolidation } from './tags.ts';

export interface RawChunk {
  kind: 'raw';
  /** Chunk index: covers slots [k*chunkSlots, (k+1)*chunkSlots). */
  k: number;
  /** First slot written. */
  start: number;
  n: number;
  /** Open chunk: the encoder; sealed chunk: the trimmed words. */
  enc?: XorEncoder | DeltaEncoder;
  words?: Uint32Array;
  /** Set when the chunk uses the integer delta codec (value × scale is an int32), else XOR. */
  scale?: number;
}

/** Decode the first `n` values of a raw chunk. */
export function decodeChunk(c: RawChunk, n: number, out: Float64Array, outOffset = 0): void {
  if (c.scale !== undefined) deltaDecode(chunkWords(c), n, c.scale, out, outOffset);
  else xorDecode(chunkWords(c), n, out, outOffset);
}

function newEncoder(first: number): { enc: XorEncoder | DeltaEncoder; scale?: number } {
  const scale = scaleFor(first);
  return scale !== undefined ? { enc: new DeltaEncoder(scale), scale } : { enc: new XorEncoder(4) };
}

/** A value the delta chunk cannot hold: re-encode at a scale that fits everything, or with XOR. */
function reencode(c: RawChunk, extra: number): void {
  const vals = new Float64Array(c.n);
  decodeChunk(c, c.n, vals);
  const all = [...vals, extra];
  const scale = SCALES.find((s) => all.every((v) => fits(v, s)));
  const enc = scale !== undefined ? new DeltaEncoder(scale) : new XorEncoder(4);
  for (let i = 0; i < c.n; i++) enc.append(vals[i]!);
  c.enc = enc;
  if (scale !== undefined) c.scale = scale;
  else delete c.scale;
}

function push(c: RawChunk, v: number): void {
  const enc = c.enc!;
  if (enc instanceof DeltaEncoder) {
    if (!enc.append(v)) {
      reencode(c, v);
      c.enc!.append(v);
    }
  } else enc.append(v);
  c.n++;
}

export interface RollupChunk {
  kind: 'rollup';
  k: number;
  /** Slots per rollup bucket. */
  per: number;
  sum: Float64Array;
  cnt: Float64Array;
  min: Float64Array;
  max: Float64Array;
}

export type Chunk = RawChunk | RollupChunk;

export const CF_CODE: Record<Consolidation, number> = { avg: 0, sum: 1, max: 2, min: 3, count: 4 };
export const CF_NAME: Consolidation[] = ['avg', 'sum', 'max', 'min', 'count'];

/** Head ring buffers of every series: bucket accumulator and datapoint count. */
export class HeadArena {
  val: Float64Array;
  cnt: Uint16Array;
  constructor(
    readonly slots: number,
    capacity = 1024
  ) {
    this.val = new Float64Array(capacity * slots);
    this.cnt = new Uint16Array(capacity * slots);
  }
  ensure(id: number): void {
    const need = (id + 1) * this.slots;
    if (need <= this.val.length) return;
    const size = Math.max(need, Math.ceil((this.val.length * 1.25) / this.slots) * this.slots); // 25 % slack, not 100 %
    const v = new Float64Array(size);
    v.set(this.val);
    const c = new Uint16Array(size);
    c.set(this.cnt);
    this.val = v;
    this.cnt = c;
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

/** Append one sealed bucket value to a series' chunk list (NaN-filling any gap within the chunk). */
export function appendSealed(chunks: Chunk[], chunkSlots: number, slot: number, value: number): void {
  const k = Math.floor(slot / chunkSlots);
  let last = chunks[chunks.length - 1];
  if (!last || last.k !== k || last.kind !== 'raw') {
    if (last && last.kind === 'raw' && last.enc) sealChunk(last);
    last = { kind: 'raw', k, start: slot, n: 0, ...newEncoder(value) };
    chunks.push(last);
  }
  for (let s = last.start + last.n; s < slot; s++) push(last, NaN);
  push(last, value);
}

export function sealChunk(c: RawChunk): void {
  if (!c.enc) return;
  c.words = c.enc.trimmed();
  delete c.enc;
}

export function chunkWords(c: RawChunk): Uint32Array {
  return c.words ?? c.enc!.words;
}

/** Replace a raw chunk by its rollup at `per` slots per bucket. */
export function rollup(c: RawChunk, chunkSlots: number, per: number, scratch: Float64Array): RollupChunk {
  const buckets = Math.ceil(chunkSlots / per);
  const r: RollupChunk = {
    kind: 'rollup',
    k: c.k,
    per,
    sum: new Float64Array(buckets),
    cnt: new Float64Array(buckets),
    min: new Float64Array(buckets).fill(NaN),
    max: new Float64Array(buckets).fill(NaN),
  };
  decodeChunk(c, c.n, scratch);
  const base = c.k * chunkSlots;
  for (let i = 0; i < c.n; i++) {
    const v = scratch[i]!;
    if (Number.isNaN(v)) continue;
    const b = Math.floor((c.start + i - base) / per);
    r.sum[b]! += v;
    r.cnt[b]! += 1;
    if (!(v >= r.min[b]!)) r.min[b] = v;
    if (!(v <= r.max[b]!)) r.max[b] = v;
  }
  return r;
}

/**
 * Write the stored values of slots [from, to) into `out` (NaN where nothing is stored). A rollup
 * chunk yields its bucket's consolidated value (`cf`) on every slot of the bucket.
 */
export function readChunks(
  chunks: Chunk[],
  chunkSlots: number,
  from: number,
  to: number,
  out: Float64Array,
  scratch: Float64Array,
  cf: number
): void {
  for (const c of chunks) {
    const base = c.k * chunkSlots;
    if (base >= to || base + chunkSlots <= from) continue;
    if (c.kind === 'raw') {
      const lo = Math.max(from, c.start);
      const hi = Math.min(to, c.start + c.n);
      if (hi <= lo) continue;
      if (lo === c.start) {
        decodeChunk(c, hi - c.start, out, c.start - from); // straight into the caller's buffer
        continue;
      }
      decodeChunk(c, hi - c.start, scratch);
      for (let s = lo; s < hi; s++) out[s - from] = scratch[s - c.start]!;
    } else {
      const lo = Math.max(from, base);
      const hi = Math.min(to, base + chunkSlots);
      for (let s = lo; s < hi; s++) {
        const b = Math.floor((s - base) / c.per);
        const n = c.cnt[b]!;
        out[s - from] =
          n === 0
            ? NaN
            : cf === 2
              ? c.max[b]!
              : cf === 3
                ? c.min[b]!
                : cf === 4
                  ? n
                  : cf === 1
                    ? c.sum[b]!
                    : c.sum[b]! / n;
      }
    }
  }
}
