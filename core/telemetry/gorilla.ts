// Gorilla-style XOR compression of float64 values (Pelkonen et al., VLDB 2015, §4.1.2).
// Timestamps are implicit (fixed step: a chunk is a run of consecutive step slots), so only the
// values are encoded. A repeated value costs 1 bit, a value sharing the previous XOR window costs
// 2 bits + the window, otherwise 13 bits + the meaningful bits. Bits are kept in 32-bit words so
// the hot loops use only int32 arithmetic.

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

/** Append-only encoder; `words` grows by 25 % so an open chunk wastes little. */
export class XorEncoder {
  words: Uint32Array;
  bitLen = 0;
  count = 0;
  private prevHi = 0;
  private prevLo = 0;
  private lead = -1;
  private trail = 0;

  constructor(initialWords = 8) {
    this.words = new Uint32Array(initialWords);
  }

  private write(value: number, n: number): void {
    // n in 1..32; value holds its bits in the low n bits.
    if (n === 0) return;
    const need = (this.bitLen + n + 31) >>> 5;
    if (need > this.words.length) {
      const next = new Uint32Array(Math.max(need, Math.ceil(this.words.length * 1.25) + 1));
      next.set(this.words);
      this.words = next;
    }
    const v = n === 32 ? value >>> 0 : (value & ((1 << n) - 1)) >>> 0;
    const w = this.bitLen >>> 5;
    const used = this.bitLen & 31;
    const free = 32 - used;
    if (n <= free) {
      this.words[w] = (this.words[w]! | (n === 32 ? v : v << (free - n))) >>> 0;
    } else {
      const over = n - free;
      this.words[w] = (this.words[w]! | (v >>> over)) >>> 0;
      this.words[w + 1] = (v << (32 - over)) >>> 0;
    }
    this.bitLen += n;
  }

  append(value: number): void {
    f64[0] = value;
    const hi = u32[1]!;
    const lo = u32[0]!;
    if (this.count++ === 0) {
      this.write(hi, 32);
      this.write(lo, 32);
    } else {
      const xh = (hi ^ this.prevHi) >>> 0;
      const xl = (lo ^ this.prevLo) >>> 0;
      if (xh === 0 && xl === 0) {
        this.write(0, 1);
      } else {
        const lead = Math.min(31, clz64(xh, xl));
        const trail = ctz64(xh, xl);
        if (this.lead >= 0 && lead >= this.lead && trail >= this.trail) {
          this.write(0b10, 2);
          this.writeMeaningful(xh, xl, this.trail, 64 - this.lead - this.trail);
        } else {
          const len = 64 - lead - trail;
          this.write(0b11, 2);
          this.write(lead, 5);
          this.write(len & 63, 6); // 64 is stored as 0
          this.writeMeaningful(xh, xl, trail, len);
          this.lead = lead;
          this.trail = trail;
        }
      }
    }
    this.prevHi = hi;
    this.prevLo = lo;
  }

  private writeMeaningful(hi: number, lo: number, shift: number, len: number): void {
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
      this.write(h, len - 32);
      this.write(l, 32);
    } else {
      this.write(l, len);
    }
  }

  /** The encoded bytes trimmed to size (for a sealed chunk or a snapshot). */
  trimmed(): Uint32Array {
    return this.words.slice(0, (this.bitLen + 31) >>> 5);
  }

  /** Encoder state, so a snapshot can resume an open chunk exactly. */
  state(): [number, number, number, number, number, number] {
    return [this.bitLen, this.count, this.prevHi, this.prevLo, this.lead, this.trail];
  }

  static resume(words: Uint32Array, s: readonly number[]): XorEncoder {
    const e = new XorEncoder(0);
    e.words = words;
    [e.bitLen, e.count, e.prevHi, e.prevLo, e.lead, e.trail] = s as [number, number, number, number, number, number];
    return e;
  }
}

/** Decode `count` values from `words` into `out` starting at `outOffset`. */
export function xorDecode(words: Uint32Array, count: number, out: Float64Array, outOffset = 0): void {
  let pos = 0;
  const read = (n: number): number => {
    const w = pos >>> 5;
    const used = pos & 31;
    const free = 32 - used;
    pos += n;
    if (n <= free) {
      const x = (words[w]! << used) >>> 0;
      return n === 32 ? x : x >>> (32 - n);
    }
    const over = n - free;
    const a = ((words[w]! << used) >>> 0) >>> (32 - n);
    return (a | (words[w + 1]! >>> (32 - over))) >>> 0;
  };
  if (count === 0) return;
  let hi = read(32);
  let lo = read(32);
  u32[1] = hi;
  u32[0] = lo;
  out[outOffset] = f64[0]!;
  let lead = 0;
  let trail = 0;
  for (let i = 1; i < count; i++) {
    if (read(1) === 1) {
      if (read(1) === 1) {
        lead = read(5);
        const len = read(6) || 64;
        trail = 64 - lead - len;
      }
      const len = 64 - lead - trail;
      let mh = 0;
      let ml: number;
      if (len > 32) {
        mh = read(len - 32);
        ml = read(32);
      } else {
        ml = read(len);
      }
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
    }
    out[outOffset + i] = f64[0]!;
  }
}
