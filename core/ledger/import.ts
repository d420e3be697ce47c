// Reading availability events from JSON lines (`ironthrone ledger import`). One event a line:
// an availability record (`type` may be left out), where `payload` (any JSON) may stand in for
// `payloadDigest` and is replaced by its digest. The whole file is checked before anything is
// written; every bad line is reported with its line number and field.
import { readFileSync } from 'node:fs';
import { digestOf, sha256Hex } from './canonical.ts';
import { LedgerValidationError, validateRecord, type RecordIssue, type ValidatedRecord } from './validate.ts';

export interface ParsedImport {
  records: ValidatedRecord[];
  /** 1-based line number of each record. */
  lines: number[];
  /** SHA-256 of the file: batch ids derive from it, so importing the same file twice is a no-op. */
  fileDigest: string;
}

export class ImportError extends Error {
  constructor(
    readonly file: string,
    readonly issues: (RecordIssue & { line: number })[]
  ) {
    const shown = issues.slice(0, 20).map((i) => `${file}:${i.line}: ${i.field ? `${i.field}: ` : ''}${i.message}`);
    super(`${shown.join('\n')}${issues.length > 20 ? `\n… ${issues.length - 20} more` : ''}\nnothing was imported`);
    this.name = 'ImportError';
  }
}

export function parseEventLines(text: string, file = '<input>'): ParsedImport {
  const records: ValidatedRecord[] = [];
  const lines: number[] = [];
  const issues: (RecordIssue & { line: number })[] = [];
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '' || raw.trimStart().startsWith('//')) return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      issues.push({ line, index: i, field: '', message: `not valid JSON (${(err as Error).message})` });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      issues.push({ line, index: i, field: '', message: 'expected a JSON object (one event a line)' });
      return;
    }
    const obj: Record<string, unknown> = { type: 'availability', ...(value as Record<string, unknown>) };
    if ('payload' in obj) {
      if (obj.payloadDigest === undefined) obj.payloadDigest = digestOf(obj.payload);
      delete obj.payload;
    }
    const r = validateRecord(obj, i);
    if (Array.isArray(r)) {
      issues.push(...r.map((x) => ({ ...x, line })));
      return;
    }
    const prev = seen.get(r.record.id);
    if (prev !== undefined) {
      issues.push({ line, index: i, recordId: r.record.id, field: 'id', message: `duplicate of line ${prev}` });
      return;
    }
    seen.set(r.record.id, line);
    records.push(r);
    lines.push(line);
  });
  if (issues.length) throw new ImportError(file, issues);
  return { records, lines, fileDigest: sha256Hex(text) };
}

export function readEventFile(file: string): ParsedImport {
  return parseEventLines(readFileSync(file, 'utf8'), file);
}

export { LedgerValidationError };
