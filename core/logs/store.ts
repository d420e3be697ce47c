// The LogStore contract, shared by the embedded SQLite FTS5 store (the default on one machine) and
// the Elasticsearch store, and checked by test/conformance/logstore.conformance.ts on both.
import type { LogDoc, LogQuery, LogSearchResult } from './types.ts';

/** One indexed batch: its RFC 9162 Merkle root over the docs' leaf hashes, as sent to the ledger. */
export interface BatchDigest {
  /** Derived from the root, so re-indexing the same batch yields the same id. */
  id: string;
  /** Hex RFC 9162 root over `leaves`. */
  root: string;
  count: number;
  /** Where the docs went, e.g. `sqlite:/path/logs.db`, `elasticsearch:ironthrone-logs-*`. */
  store: string;
  /** Earliest and latest doc `ts` in the batch. */
  start: string;
  end: string;
  /** Hex leaf hashes, in leaf order (doc i has `batch.index === i`). */
  leaves: string[];
  docIds: string[];
  /** Ledger record id once the digest is on the ledger. */
  ledgerRecordId?: string;
}

export interface WriteResult {
  /** Docs newly stored. */
  written: number;
  /** Docs whose id was already stored (left as they were: writes are idempotent). */
  existing: number;
}

export interface LogStore {
  readonly kind: 'sqlite' | 'elasticsearch';
  /** Human-readable location for digests and errors. */
  readonly location: string;
  /** Stores docs; an id already present is left alone, so replays never duplicate. */
  write(docs: LogDoc[]): Promise<WriteResult>;
  /** By id; like `search`, sees writes once `refresh()` ran (or ES's 1 s refresh passed). */
  get(id: string): Promise<LogDoc | undefined>;
  search(q: LogQuery): Promise<LogSearchResult>;
  putBatch(batch: BatchDigest): Promise<void>;
  getBatch(id: string): Promise<BatchDigest | undefined>;
  /**
   * Retention by whole UTC days (Elasticsearch drops daily indices, and this distribution has no
   * delete-by-query): removes every doc whose `ts` falls before the UTC day of `time`.
   * Returns how many docs went.
   */
  deleteBefore(time: string): Promise<number>;
  /** Cheap liveness check used by the pipeline to decide between writing and spooling. */
  ping(): Promise<boolean>;
  /** Makes every write so far visible to search (ES refresh; no-op for SQLite). */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

/** A query the caller got wrong (bad time, unknown severity…): never retried. */
export class LogQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogQueryError';
  }
}

/** The store refused these docs for good (a mapping error): retrying cannot help; they are dead-lettered. */
export class LogStoreRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogStoreRejectedError';
  }
}

/** The store refused or could not be reached: the pipeline spools and retries. */
export class LogStoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LogStoreUnavailableError';
  }
}

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;

/** Checks shared by both stores so they reject the same bad queries with the same words. */
export function checkQuery(q: LogQuery): { limit: number } {
  for (const k of ['since', 'until'] as const) {
    const v = q[k];
    if (v !== undefined && Number.isNaN(Date.parse(v)))
      throw new LogQueryError(`${k}: expected an ISO date-time, got ${JSON.stringify(v)}`);
  }
  const limit = q.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw new LogQueryError(`limit: expected an integer 1..${MAX_LIMIT}, got ${String(q.limit)}`);
  return { limit };
}

/** Whitespace-separated words of a free-text query; each store tokenises them its own way. */
export function textWords(text: string | undefined): string[] {
  return (text ?? '').split(/\s+/).filter((t) => t.length > 0);
}

/** Start of the UTC day holding `time` (retention cut-off). */
export function utcDayStart(time: string): Date {
  const t = new Date(time);
  if (Number.isNaN(t.getTime()))
    throw new LogQueryError(`retention: expected an ISO date-time, got ${JSON.stringify(time)}`);
  return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()));
}
