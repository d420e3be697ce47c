// SQL for Ledger.query over the embedded ledger's indexed columns (target, kind, type, at).
import type { LedgerQuery } from './ledger.ts';

export const DEFAULT_QUERY_LIMIT = 1000;
export const MAX_QUERY_LIMIT = 10000;

export function buildQuery(q: LedgerQuery): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.target !== undefined) {
    where.push('target = ?');
    params.push(q.target);
  }
  if (q.kind !== undefined) {
    where.push('kind = ?');
    params.push(q.kind);
  }
  if (q.type !== undefined) {
    where.push('type = ?');
    params.push(q.type);
  }
  // Times are compared as ISO strings; normalise to UTC milliseconds so offsets compare right.
  if (q.from !== undefined) {
    where.push('at >= ?');
    params.push(normaliseTime(q.from, 'from'));
  }
  if (q.to !== undefined) {
    where.push('at < ?');
    params.push(normaliseTime(q.to, 'to'));
  }
  // With a time bound, order by time so the (…, at) indexes serve the range instead of a scan in
  // leaf order over millions of rows; otherwise ledger order.
  const order = q.from !== undefined || q.to !== undefined ? 'at, idx' : 'idx';
  const limit = Math.min(Math.max(1, Math.floor(q.limit ?? DEFAULT_QUERY_LIMIT)), MAX_QUERY_LIMIT);
  const sql = `SELECT idx, height, json FROM records${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ${limit}`;
  return { sql, params };
}

/** ISO time → canonical UTC form `YYYY-MM-DDTHH:mm:ss.sssZ` (what the `at` column holds). */
export function normaliseTime(t: string, field: string): string {
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) throw new RangeError(`${field}: expected an ISO 8601 time, got ${JSON.stringify(t)}`);
  return new Date(ms).toISOString();
}
