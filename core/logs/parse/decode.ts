// Bytes to one line of text, never throwing: invalid UTF-8 is repaired (U+FFFD) and tagged, an
// oversize line is cut on a character boundary with a visible marker and tagged, trailing CR/LF
// are dropped. Everything after this point can assume a bounded, valid string.
import type { LogTag } from '../types.ts';

/** Default cap on one line: longer ones are truncated (kept, tagged), not dropped. */
export const MAX_LINE_BYTES = 64 * 1024;

export interface DecodedLine {
  text: string;
  tags: LogTag[];
}

const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8', { fatal: false });

export function truncationMarker(droppedBytes: number): string {
  return ` …[truncated ${droppedBytes} bytes]`;
}

/** `alreadyDropped`: bytes an earlier layer (TCP framing) cut off; they count in the marker. */
export function decodeLine(input: Uint8Array | string, maxBytes = MAX_LINE_BYTES, alreadyDropped = 0): DecodedLine {
  const tags: LogTag[] = [];
  let bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d)) end--;
  let dropped = alreadyDropped;
  if (dropped > 0) {
    tags.push('truncated');
    // The framing layer cut on a byte count: drop a character it split, rather than call it invalid.
    let i = end - 1;
    while (i > 0 && (bytes[i]! & 0xc0) === 0x80) i--;
    const lead = bytes[i] ?? 0;
    const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    if (i >= 0 && i + need > end) {
      dropped += end - i;
      end = i;
    }
  }
  if (end > maxBytes) {
    // Back up to a UTF-8 lead byte so the cut never splits a character.
    let cut = maxBytes;
    while (cut > 0 && (bytes[cut]! & 0xc0) === 0x80) cut--;
    dropped += end - cut;
    end = cut;
    if (!tags.includes('truncated')) tags.push('truncated');
  }
  bytes = bytes.subarray(0, end);
  let text: string;
  const wf = input as unknown as { isWellFormed?: () => boolean };
  if (typeof input === 'string' && dropped === 0 && wf.isWellFormed?.() !== false) {
    text = input.replace(/[\r\n]+$/, '');
  } else {
    // A string with lone surrogates took the Buffer route above, which made them U+FFFD.
    try {
      text = strict.decode(bytes);
      if (typeof input === 'string' && wf.isWellFormed?.() === false) tags.push('invalid_utf8');
    } catch {
      text = lenient.decode(bytes);
      tags.push('invalid_utf8');
    }
  }
  if (dropped > 0) text += truncationMarker(dropped);
  return { text, tags };
}
