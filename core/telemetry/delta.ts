// Integer delta coding for chunks whose values are decimals of limited precision (most sensor,
// status and counter series): each value times a scale (1, 2, 4, 10, 100 or 1000) is an int32,
// stored as a prefix-coded delta from the previous one, in the spirit of Gorilla's timestamp
// encoding: `0` same value, `10`+7 bits, `110`+12 bits, `1110`+20 bits (zigzag deltas),
// `1111`+32 bits absolute (0x80000000 marks NaN). A value that does not fit makes the caller
// re-encode the chunk at another scale or with the XOR codec. The encoder's state lives in the
// chunk table's columns (st0 = previous scaled value, lead = 1 while the previous value is NaN).
import type { ChunkTable } from './blocks.ts';
import { readBits, zeroRun } from './bits.ts';

export const SCALES = [1, 2, 4, 10, 100, 1000];
const NAN_MARK = 0x80000000 | 0;
const LIMIT = 0x7fffffff;

/** The smallest scale at which `v` is an exact int32 (NaN fits any scale), or undefined. */
export function scaleFor(v: number): number | undefined {
  if (v !== v) return 1;
  for (const s of SCALES) if (fits(v, s)) return s;
  return undefined;
}

export function fits(v: number, scale: number): boolean {
  if (v !== v) return true;
  const x = Math.round(v * scale);
  return x / scale === v && Math.abs(x) <= LIMIT - 1 && !Object.is(v, -0);
}

/** Append `v` to delta chunk `c`; returns false (and writes nothing) when it does not fit `scale`. */
export function deltaAppend(t: ChunkTable, c: number, v: number, scale: number): boolean {
  if (!fits(v, scale)) return false;
  if (v !== v) {
    t.write(c, 0b1111, 4);
    t.write(c, NAN_MARK, 32);
    t.lead[c] = 1;
    return true;
  }
  const x = Math.round(v * scale);
  const d = x - t.st0[c]!;
  const zz = d >= 0 ? d * 2 : -d * 2 - 1;
  if (t.lead[c] === 1 || zz >= 1 << 20) {
    t.write(c, 0b1111, 4);
    t.write(c, x, 32);
  } else if (d === 0) t.write(c, 0, 1);
  else if (zz < 128) t.write(c, (0b10 << 7) | zz, 9);
  else if (zz < 4096) t.write(c, (0b110 << 12) | zz, 15);
  else t.write(c, (0b1110 << 20) | zz, 24);
  t.st0[c] = x;
  t.lead[c] = 0;
  return true;
}

export function deltaDecode(words: Uint32Array, count: number, scale: number, out: Float64Array, outOffset = 0): void {
  let pos = 0;
  let prev = 0;
  let cur = NaN;
  for (let i = 0; i < count; ) {
    if (readBits(words, pos, 1) === 0) {
      // unchanged values: copy the whole run (the common case for sensors and status series)
      const run = zeroRun(words, pos, count - i);
      for (let j = outOffset + i, end = j + run; j < end; j++) out[j] = cur;
      i += run;
      pos += run;
      continue;
    }
    const p4 = readBits(words, pos, 4);
    let zz: number;
    if (p4 >>> 2 === 0b10) {
      zz = readBits(words, pos + 2, 7);
      pos += 9;
    } else if (p4 >>> 1 === 0b110) {
      zz = readBits(words, pos + 3, 12);
      pos += 15;
    } else if (p4 === 0b1110) {
      zz = readBits(words, pos + 4, 20);
      pos += 24;
    } else {
      const x = readBits(words, pos + 4, 32) | 0;
      pos += 36;
      if (x === NAN_MARK) {
        out[outOffset + i++] = NaN;
        continue;
      }
      prev = x;
      cur = prev / scale;
      out[outOffset + i++] = cur;
      continue;
    }
    prev += zz & 1 ? -(zz + 1) / 2 : zz / 2;
    cur = prev / scale;
    out[outOffset + i++] = cur;
  }
}
