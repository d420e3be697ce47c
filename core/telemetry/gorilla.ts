// Gorilla-style XOR compression of float64 values (Pelkonen et al., VLDB 2015, §4.1.2).
// Timestamps are implicit (fixed step: a chunk is a run of consecutive step slots), so only the
// values are encoded. A repeated value costs 1 bit, a value sharing the previous XOR window costs
// 2 bits + the window, otherwise 13 bits + the meaningful bits. The encoder's state lives in the
// chunk table's columns (st0/st1 = previous value's high/low word, lead/trail = the window).
import type { ChunkTable } from './blocks.ts';
import { put, putRun, readBits, zeroRun } from './bits.ts';

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer); // little-endian: u32[0] = low word, u32[1] = high word

function clz64(hi: number, lo: number): number {
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
}
function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}
function ctz64(hi: number, lo: number): number {
  return lo !== 0 ? ctz32(lo) : 32 + ctz32(hi);
}

/** Append `value` to XOR chunk `c` (the caller counts it). */
export function xorAppend(t: ChunkTable, c: number, value: number): void {
  f64[0] = value;
  const hi = u32[1]!;
  const lo = u32[0]!;
  if (t.n[c] === 0) {
    t.write(c, hi, 32);
    t.write(c, lo, 32);
  } else {
    const xh = (hi ^ t.st0[c]!) >>> 0;
    const xl = (lo ^ t.st1[c]!) >>> 0;
    if (xh === 0 && xl === 0) {
      t.write(c, 0, 1);
    } else {
      const lead = Math.min(31, clz64(xh, xl));
      const trail = ctz64(xh, xl);
      const pl = t.lead[c]!;
      const pt = t.trail[c]!;
      if (pl >= 0 && lead >= pl && trail >= pt) {
        t.write(c, 0b10, 2);
        writeMeaningful(t, c, xh, xl, pt, 64 - pl - pt);
      } else {
        const len = 64 - lead - trail;
        t.write(c, 0b11, 2);
        t.write(c, lead, 5);
        t.write(c, len & 63, 6); // 64 is stored as 0
        writeMeaningful(t, c, xh, xl, trail, len);
        t.lead[c] = lead;
        t.trail[c] = trail;
      }
    }
  }
  t.st0[c] = hi;
  t.st1[c] = lo;
}

function writeMeaningful(t: ChunkTable, c: number, hi: number, lo: number, shift: number, len: number): void {
  let h = hi;
  let l = lo;
  if (shift >= 32) {
    l = h >>> (shift - 32);
    h = 0;
  } else if (shift > 0) {
    l = ((l >>> shift) | (h << (32 - shift))) >>> 0;
    h = h >>> shift;
  }
  if (len > 32) {
    t.write(c, h, len - 32);
    t.write(c, l, 32);
  } else {
    t.write(c, l, len);
  }
}

/** Decode `count` values into `out` from `outOffset` on (or add them, with `cnt`: see `put`). */
export function xorDecode(
  words: Uint32Array,
  count: number,
  out: Float64Array,
  outOffset = 0,
  cnt?: Float64Array
): void {
  if (count === 0) return;
  let hi = readBits(words, 0, 32);
  let lo = readBits(words, 32, 32);
  let pos = 64;
  u32[1] = hi;
  u32[0] = lo;
  let cur = f64[0]!;
  put(out, cnt, outOffset, cur);
  let lead = 0;
  let trail = 0;
  for (let i = 1; i < count; ) {
    if (readBits(words, pos, 1) === 0) {
      // a run of repeated values
      const run = zeroRun(words, pos, count - i);
      putRun(out, cnt, outOffset + i, run, cur);
      i += run;
      pos += run;
      continue;
    }
    if (readBits(words, pos + 1, 1) === 1) {
      lead = readBits(words, pos + 2, 5);
      const len = readBits(words, pos + 7, 6) || 64;
      trail = 64 - lead - len;
      pos += 13;
    } else pos += 2;
    const len = 64 - lead - trail;
    let mh = 0;
    let ml: number;
    if (len > 32) {
      mh = readBits(words, pos, len - 32);
      ml = readBits(words, pos + len - 32, 32);
    } else ml = readBits(words, pos, len);
    pos += len;
    // shift (mh, ml) left by trail
    let xh: number;
    let xl: number;
    if (trail >= 32) {
      xh = (ml << (trail - 32)) >>> 0;
      xl = 0;
    } else if (trail > 0) {
      xh = ((mh << trail) | (ml >>> (32 - trail))) >>> 0;
      xl = (ml << trail) >>> 0;
    } else {
      xh = mh;
      xl = ml;
    }
    hi = (hi ^ xh) >>> 0;
    lo = (lo ^ xl) >>> 0;
    u32[1] = hi;
    u32[0] = lo;
    cur = f64[0]!;
    put(out, cnt, outOffset + i++, cur);
  }
}
