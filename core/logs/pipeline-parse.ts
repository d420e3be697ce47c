// Bytes in, LogDoc out: decode (UTF-8 repair, truncation), parse, enrich. Pure and synchronous, so
// the bench can measure it alone and every ingest path shares it.
import { enrich, type LineMeta } from './enrich.ts';
import type { Inventory } from './inventory.ts';
import { decodeLine, MAX_LINE_BYTES } from './parse/decode.ts';
import { parseLine } from './parse/index.ts';
import type { LogDoc } from './types.ts';

export interface ProcessOptions {
  inventory?: Inventory;
  maxLineBytes?: number;
}

export function processLine(line: Uint8Array | string, meta: LineMeta, opts: ProcessOptions = {}): LogDoc {
  const { text, tags } = decodeLine(line, opts.maxLineBytes ?? MAX_LINE_BYTES, meta.dropped);
  const parsed = parseLine(text, { received: meta.received });
  return enrich(parsed, text, meta, opts.inventory, tags);
}
