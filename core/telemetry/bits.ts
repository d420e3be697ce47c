// Bit reading shared by the chunk decoders: MSB-first bitstreams in 32-bit words, so the hot
// loops use only int32 arithmetic. A plain function (no closure over the position) so V8 inlines it.

/** The `n` (1..32) bits at bit position `pos`. */
export function readBits(words: Uint32Array, pos: number, n: number): number {
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

/**
 * Length of the run of 0 bits starting at `pos`, within its word and at most `max`: both codecs
 * encode "same value as before" as a single 0 bit, so readers copy a whole run at once.
 */
export function zeroRun(words: Uint32Array, pos: number, max: number): number {
  const used = pos & 31;
  const run = Math.min(Math.clz32(words[pos >>> 5]! << used), 32 - used);
  return run < max ? run : max;
}

/**
 * Emit one decoded value: stored into `out[j]`, or, when `cnt` is given (a query accumulator),
 * added to `out[j]` and counted if present. Decoders write straight into a query's sums this way,
 * without an intermediate array.
 */
export function put(out: Float64Array, cnt: Float64Array | undefined, j: number, v: number): void {
  if (cnt === undefined) out[j] = v;
  else if (v === v) {
    out[j]! += v;
    cnt[j]!++;
  }
}

/** `put` for a run of `n` copies of `v` from `j` on. */
export function putRun(out: Float64Array, cnt: Float64Array | undefined, j: number, n: number, v: number): void {
  const end = j + n;
  if (cnt === undefined) for (let i = j; i < end; i++) out[i] = v;
  else if (v === v)
    for (let i = j; i < end; i++) {
      out[i]! += v;
      cnt[i]!++;
    }
}
