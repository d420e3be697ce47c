// Integer delta coding for chunks whose values are decimals of limited precision (most sensor,
// status and counter series): each value times a scale (1, 2, 4, 10, 100 or 1000) is an int32,
// stored as a prefix-coded delta from the previous one, in the spirit of Gorilla's timestamp
// encoding: `0` same value, `10`+7 bits, `110`+12 bits, `1110`+20 bits (zigzag deltas),
// `1111`+32 bits absolute (0x80000000 marks NaN). A value that does not fit makes the caller
// re-encode the chunk with the XOR codec.

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

export class DeltaEncoder {
  words: Uint32Array;
  bitLen = 0;
  count = 0;
  private prev = 0;
  private prevNaN = true;

  constructor(
    readonly scale: number,
    initialWords = 4
  ) {
    this.words = new Uint32Array(initialWords);
  }

  private write(value: number, n: number): void {
    const need = (this.bitLen + n + 31) >>> 5;
    if (need > this.words.length) {
      const next = new Uint32Array(Math.max(need, Math.ceil(this.words.length * 1.25) + 1));
      next.set(this.words);
      this.words = next;
    }
    const v = n === 32 ? value >>> 0 : (value & ((1 << n) - 1)) >>> 0;
    const w = this.bitLen >>> 5;
    const free = 32 - (this.bitLen & 31);
    if (n <= free) this.words[w] = (this.words[w]! | (v << (free - n))) >>> 0;
    else {
      const over = n - free;
      this.words[w] = (this.words[w]! | (v >>> over)) >>> 0;
      this.words[w + 1] = (v << (32 - over)) >>> 0;
    }
    this.bitLen += n;
  }

  /** Append; returns false (and writes nothing) when the value does not fit this chunk's scale. */
  append(v: number): boolean {
    if (!fits(v, this.scale)) return false;
    if (v !== v) {
      this.write(0b1111, 4);
      this.write(NAN_MARK, 32);
      this.prevNaN = true;
    } else {
      const x = Math.round(v * this.scale);
      const d = x - this.prev;
      const zz = d >= 0 ? d * 2 : -d * 2 - 1;
      if (this.prevNaN || zz >= 1 << 20) {
        this.write(0b1111, 4);
        this.write(x, 32);
      } else if (d === 0) this.write(0, 1);
      else if (zz < 128) this.write((0b10 << 7) | zz, 9);
      else if (zz < 4096) this.write((0b110 << 12) | zz, 15);
      else this.write((0b1110 << 20) | zz, 24);
      this.prev = x;
      this.prevNaN = false;
    }
    this.count++;
    return true;
  }

  trimmed(): Uint32Array {
    return this.words.slice(0, (this.bitLen + 31) >>> 5);
  }

  state(): number[] {
    return [this.bitLen, this.count, this.prev, this.prevNaN ? 1 : 0];
  }

  static resume(scale: number, words: Uint32Array, s: readonly number[]): DeltaEncoder {
    const e = new DeltaEncoder(scale, 0);
    e.words = words;
    [e.bitLen, e.count, e.prev] = s as [number, number, number];
    e.prevNaN = s[3] === 1;
    return e;
  }
}

function bits(words: Uint32Array, pos: number, n: number): number {
  const w = pos >>> 5;
  const used = pos & 31;
  const free = 32 - used;
  if (n <= free) {
    const x = (words[w]! << used) >>> 0;
    return n === 32 ? x : x >>> (32 - n);
  }
  const over = n - free;
  return ((((words[w]! << used) >>> 0) >>> (32 - n)) | (words[w + 1]! >>> (32 - over))) >>> 0;
}

export function deltaDecode(words: Uint32Array, count: number, scale: number, out: Float64Array, outOffset = 0): void {
  let pos = 0;
  let prev = 0;
  for (let i = 0; i < count; i++) {
    const w = words[pos >>> 5]!;
    if (((w >>> (31 - (pos & 31))) & 1) === 0) {
      pos++;
      out[outOffset + i] = prev / scale;
      continue;
    }
    const p4 = bits(words, pos, 4);
    let zz: number;
    if (p4 >>> 2 === 0b10) {
      zz = bits(words, pos + 2, 7);
      pos += 9;
    } else if (p4 >>> 1 === 0b110) {
      zz = bits(words, pos + 3, 12);
      pos += 15;
    } else if (p4 === 0b1110) {
      zz = bits(words, pos + 4, 20);
      pos += 24;
    } else {
      const x = bits(words, pos + 4, 32) | 0;
      pos += 36;
      if (x === NAN_MARK) {
        out[outOffset + i] = NaN;
        continue;
      }
      prev = x;
      out[outOffset + i] = prev / scale;
      continue;
    }
    prev += zz & 1 ? -(zz + 1) / 2 : zz / 2;
    out[outOffset + i] = prev / scale;
  }
}
