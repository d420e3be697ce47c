// Turning user-facing arguments (CLI flags, HTTP query strings) into a LogQuery, with errors that
// name the argument: `--since 2h` (relative), `--since 2026-11-25T10:00Z` (absolute).
import { parseDuration } from '../runbook/duration.ts';
import { LogQueryError } from './store.ts';
import { SEVERITIES, type LogQuery, type LogTag, type Severity } from './types.ts';

export interface QueryArgs {
  text?: string;
  host?: string;
  service?: string;
  since?: string;
  until?: string;
  severity?: string;
  minSeverity?: string;
  messageId?: string;
  correlationId?: string;
  tag?: string;
  limit?: string | number;
}

/** A relative duration back from `now`, or an absolute ISO time. */
export function timeArg(v: string, name: string, now = Date.now()): string {
  const d = parseDuration(v);
  if (d !== undefined) return new Date(now - d).toISOString();
  const t = Date.parse(v);
  if (Number.isNaN(t))
    throw new LogQueryError(
      `${name}: expected a duration back from now (15m, 2h, 7d) or an ISO date-time, got ${JSON.stringify(v)}`
    );
  return new Date(t).toISOString();
}

function severityArg(v: string | undefined, name: string): Severity | undefined {
  if (v === undefined || v === '') return undefined;
  if (!(SEVERITIES as readonly string[]).includes(v))
    throw new LogQueryError(`${name}: expected one of ${SEVERITIES.join(', ')}, got ${JSON.stringify(v)}`);
  return v as Severity;
}

export function toLogQuery(a: QueryArgs, now = Date.now()): LogQuery {
  const q: LogQuery = {};
  if (a.text?.trim()) q.text = a.text.trim();
  if (a.host) q.host = a.host;
  if (a.service) q.service = a.service;
  if (a.since) q.since = timeArg(a.since, 'since', now);
  if (a.until) q.until = timeArg(a.until, 'until', now);
  q.severity = severityArg(a.severity, 'severity');
  q.minSeverity = severityArg(a.minSeverity, 'min-severity');
  if (a.messageId) q.messageId = a.messageId;
  if (a.correlationId) q.correlationId = a.correlationId;
  if (a.tag) q.tag = a.tag as LogTag;
  if (a.limit !== undefined && a.limit !== '') {
    const n = Number(a.limit);
    if (!Number.isInteger(n)) throw new LogQueryError(`limit: expected an integer, got ${JSON.stringify(a.limit)}`);
    q.limit = n;
  }
  for (const k of Object.keys(q) as (keyof LogQuery)[]) if (q[k] === undefined) delete q[k];
  return q;
}
