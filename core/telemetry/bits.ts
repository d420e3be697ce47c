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
