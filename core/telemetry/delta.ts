// Integer delta coding for chunks whose values are decimals of limited precision (most sensor,
// status and counter series): each value times a scale (1, 2, 4, 10, 100 or 1000) is an int32,
// stored as a prefix-coded delta from the previous one, in the spirit of Gorilla's timestamp
// encoding: `0` same value, `10`+7 bits, `110`+12 bits, `1110`+20 bits (zigzag deltas),
// `1111`+32 bits absolute (0x80000000 marks NaN). A value that does not fit makes the caller
// re-encode the chunk at another scale or with the XOR codec. The encoder's state lives in the
// chunk table's columns (st0 = previous scaled value, st1 = largest |scaled value| so far, lead =
// 1 while the previous value is NaN).
import type { ChunkTable } from './blocks.ts';
import { readBits } from './bits.ts';

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
  if ((x < 0 ? -x : x) > t.st1[c]!) t.st1[c] = x < 0 ? -x : x;
  return true;
}

/** The 32 bits from `pos` on (branch-free: `>>> 1 >>> (31 - used)` is 0 when used is 0). */
function windowAt(words: Uint32Array, pos: number): number {
  const used = pos & 31;
  const w = pos >>> 5;
  return ((words[w]! << used) | ((words[w + 1]! >>> 1) >>> (31 - used))) >>> 0;
}

/**
 * The code at the top of a window that starts with a 1 bit: `(length << 21) | zigzag delta` for
 * the 9, 15 and 24-bit codes, 0 for the 36-bit absolute (or NaN) code, which does not fit.
 */
function codeAt(win: number): number {
  if (win >>> 30 === 0b10) return (9 << 21) | ((win >>> 23) & 0x7f);
  if (win >>> 29 === 0b110) return (15 << 21) | ((win >>> 17) & 0xfff);
  if (win >>> 28 === 0b1110) return (24 << 21) | ((win >>> 8) & 0xfffff);
  return 0;
}

/** Zigzag back to a signed delta. */
const unzigzag = (zz: number) => (zz >>> 1) ^ -(zz & 1);

/**
 * Decode `count` values into `out` from `outOffset` on. Store only, which keeps the hot loop free
 * of an add-or-store choice: a query adding values uses `deltaDiff`, or decodes into scratch first
 * in the rare case it cannot (ChunkTable.decode).
 */
export function deltaDecode(words: Uint32Array, count: number, scale: number, out: Float64Array, outOffset = 0): void {
  let pos = 0;
  let prev = 0;
  let cur = NaN;
  // dividing by a power of two is exactly multiplying by its reciprocal; 10, 100, 1000 must divide
  const inv = scale === 1 || scale === 2 || scale === 4 ? 1 / scale : 0;
  for (let i = 0; i < count;) {
    // the next 32 bits in one window: every code but the absolute one fits, so one fetch per value
    const win = windowAt(words, pos);
    if (win < 0x80000000) {
      // unchanged values: copy the whole run (the common case for sensors and status series)
      let run = Math.clz32(win);
      if (run > count - i) run = count - i;
      for (let j = outOffset + i, end = j + run; j < end; j++) out[j] = cur;
      i += run;
      pos += run;
      continue;
    }
    const code = codeAt(win);
    if (code === 0) {
      const x = readBits(words, pos + 4, 32) | 0;
      pos += 36;
      if (x === NAN_MARK) {
        cur = NaN;
        out[outOffset + i++] = NaN;
        continue;
      }
      prev = x;
    } else {
      pos += code >>> 21;
      prev += unzigzag(code & 0x1fffff);
    }
    cur = inv !== 0 ? prev * inv : prev / scale;
    out[outOffset + i++] = cur;
  }
}

/** Units of a query's integer sums: 1/1000, a multiple of every scale's step. */
export const SUM_UNIT = 1000;

/**
 * Add a delta chunk's first `count` values to a query's sums as integer differences: `di[j]`
 * changes the running sum (in 1/SUM_UNIT) and `dc[j]` the running count of present values from
 * slot j on (slot = chunk index + `offset`, chunk indices below `skip` are outside the window).
 * A value costs work only where it changes, not per slot, and integer sums are exact (the caller
 * keeps their bound under 2^53); the prefix sums are taken once per query.
 */
export function deltaDiff(
  words: Uint32Array,
  count: number,
  scale: number,
  di: Float64Array,
  dc: Float64Array,
  offset: number,
  skip: number
): void {
  const f = SUM_UNIT / scale;
  let pos = 0;
  let prev = 0;
  let nan = true;
  let open = false; // whether the running sums currently include this series
  let eu = 0; // what they include, in units
  for (let i = 0; i < count;) {
    let win = windowAt(words, pos);
    let avail = 32; // bits of `win` still unread
    if (win >= 0x80000000) {
      // a changed value
      const code = codeAt(win);
      const len = code >>> 21; // bits of this code (0: the absolute one, which does not fit the window)
      if (len > 0) prev += unzigzag(code & 0x1fffff);
      else {
        const x = readBits(words, pos + 4, 32) | 0;
        pos += 36;
        if (x === NAN_MARK) {
          nan = true;
          if (open) {
            di[offset + i]! -= eu;
            dc[offset + i]!--;
            open = false;
          }
          i++;
          continue;
        }
        prev = x;
      }
      nan = false;
      if (i >= skip) {
        const u = prev * f;
        if (open) di[offset + i]! += u - eu;
        else {
          di[offset + i]! += u;
          dc[offset + i]!++;
          open = true;
        }
        eu = u;
      }
      i++;
      if (len === 0) continue;
      pos += len;
      win = (win << len) >>> 0;
      avail = 32 - len;
      if (win >= 0x80000000) continue;
    }
    // a run of unchanged values, at the top of the window or right after the change in it
    const run = Math.min(Math.clz32(win), avail, count - i);
    if (!open && !nan && i <= skip && skip < i + run) {
      // the window starts inside this run: the carried value enters the sums there
      eu = prev * f;
      di[offset + skip]! += eu;
      dc[offset + skip]!++;
      open = true;
    }
    i += run;
    pos += run;
  }
  if (open) {
    di[offset + count]! -= eu;
    dc[offset + count]!--;
  }
}
