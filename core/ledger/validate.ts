// Validation of a batch before anything is written: every failing field of every record is
// reported (record position, record id when known, field path, what was expected), and a batch
// with any failure is refused whole.
import { canonicalJson, canonicalWithDerivedId } from './canonical.ts';
import { ledgerRecordSchema, MAX_RECORD_BYTES, type LedgerRecord } from './schema.ts';

export interface RecordIssue {
  /** 0-based position of the record in the batch (or line number − 1 for imports). */
  index: number;
  recordId?: string;
  /** Dotted field path, e.g. `observedAt` or `tags.region`. */
  field: string;
  message: string;
}

export class LedgerValidationError extends Error {
  constructor(
    readonly issues: RecordIssue[],
    context = 'batch'
  ) {
    const shown = issues
      .slice(0, 10)
      .map((i) => `record ${i.index}${i.recordId ? ` (${i.recordId})` : ''}: ${i.field || '(record)'}: ${i.message}`);
    super(
      `${context} refused, nothing written: ${shown.join('; ')}${issues.length > 10 ? `; … ${issues.length - 10} more` : ''}`
    );
    this.name = 'LedgerValidationError';
  }
}

export interface ValidatedRecord {
  record: LedgerRecord;
  /** Canonical JSON of the record (with id): the leaf data. */
  canonical: string;
}

/** Validates one record; returns it with its id and canonical form, or its issues. */
export function validateRecord(input: unknown, index: number): ValidatedRecord | RecordIssue[] {
  const parsed = ledgerRecordSchema.safeParse(input);
  const rawId =
    typeof input === 'object' && input && typeof (input as { id?: unknown }).id === 'string'
      ? (input as { id: string }).id
      : undefined;
  if (!parsed.success) {
    return parsed.error.issues.map((i) => ({
      index,
      recordId: rawId,
      field: i.path.map(String).join('.'),
      message: i.message,
    }));
  }
  const data = parsed.data as Record<string, unknown>;
  let record: LedgerRecord;
  let canonical: string;
  try {
    if (typeof data.id === 'string') {
      record = data as LedgerRecord;
      canonical = canonicalJson(record);
    } else {
      // Canonicalise once: the id is the hash of the members without it, then spliced in at its
      // sorted place (same bytes as canonicalJson of the record with its id, tested).
      const derived = canonicalWithDerivedId(data);
      record = { ...data, id: derived.id } as LedgerRecord;
      canonical = derived.canonical;
    }
  } catch (err) {
    return [{ index, recordId: rawId, field: (err as { path?: string }).path ?? '', message: (err as Error).message }];
  }
  if (canonical.length > MAX_RECORD_BYTES) {
    return [
      {
        index,
        recordId: record.id,
        field: '',
        message: `record is ${canonical.length} bytes, at most ${MAX_RECORD_BYTES}`,
      },
    ];
  }
  return { record, canonical };
}

/** Validates a whole batch; throws LedgerValidationError listing every issue. */
export function validateBatch(inputs: readonly unknown[], context = 'batch'): ValidatedRecord[] {
  const out: ValidatedRecord[] = [];
  const issues: RecordIssue[] = [];
  const seen = new Map<string, number>();
  inputs.forEach((input, index) => {
    const r = validateRecord(input, index);
    if (Array.isArray(r)) {
      issues.push(...r);
      return;
    }
    const prev = seen.get(r.record.id);
    if (prev !== undefined) {
      issues.push({ index, recordId: r.record.id, field: 'id', message: `duplicate record id (also record ${prev})` });
      return;
    }
    seen.set(r.record.id, index);
    out.push(r);
  });
  if (issues.length) throw new LedgerValidationError(issues, context);
  return out;
}
