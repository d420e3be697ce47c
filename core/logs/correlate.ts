// Incident context: the log lines around an availability event, from the same host or the same
// service, in a window before and after it, most severe first within the window's newest lines.
import { parseDuration } from '../runbook/duration.ts';
import { LogQueryError, type LogStore } from './store.ts';
import { severityRank, type LogDoc, type LogQuery, type Severity } from './types.ts';

export interface CorrelationEvent {
  /** Host (or service name) the event is about. */
  target?: string;
  service?: string;
  /** When it happened (ISO). */
  at: string;
}

export interface CorrelationWindow {
  /** Before and after the event, in ms or as a duration (`15m`). */
  before: number | string;
  after: number | string;
}

export interface CorrelationResult {
  since: string;
  until: string;
  /** Distinct lines found (each host/service query fetches at most `limit`). */
  total: number;
  hits: LogDoc[];
  bySeverity: Partial<Record<Severity, number>>;
}

function ms(v: number | string, field: string): number {
  const n = typeof v === 'number' ? v : parseDuration(v);
  if (n === undefined || !Number.isFinite(n) || n < 0)
    throw new LogQueryError(`${field}: expected a duration such as 15m, got ${JSON.stringify(v)}`);
  return n;
}

export async function correlate(
  store: LogStore,
  event: CorrelationEvent,
  window: CorrelationWindow,
  extra: Pick<LogQuery, 'text' | 'minSeverity' | 'messageId' | 'limit'> = {}
): Promise<CorrelationResult> {
  const at = Date.parse(event.at);
  if (Number.isNaN(at)) throw new LogQueryError(`at: expected an ISO date-time, got ${JSON.stringify(event.at)}`);
  const since = new Date(at - ms(window.before, 'before')).toISOString();
  const until = new Date(at + ms(window.after, 'after') + 1).toISOString();
  const limit = extra.limit ?? 100;
  const base: LogQuery = {
    since,
    until,
    limit,
    text: extra.text,
    minSeverity: extra.minSeverity,
    messageId: extra.messageId,
  };
  const queries: LogQuery[] = [];
  if (event.target) queries.push({ ...base, host: event.target }, { ...base, service: event.target });
  if (event.service && event.service !== event.target) queries.push({ ...base, service: event.service });
  if (queries.length === 0) queries.push(base);
  const seen = new Map<string, LogDoc>();
  for (const q of queries) {
    const r = await store.search(q);
    for (const h of r.hits) seen.set(h.id, h);
  }
  const hits = [...seen.values()]
    .sort(
      (a, b) =>
        severityRank(b.severity) - severityRank(a.severity) || b.ts.localeCompare(a.ts) || a.id.localeCompare(b.id)
    )
    .slice(0, limit);
  const bySeverity: Partial<Record<Severity, number>> = {};
  for (const h of seen.values()) bySeverity[h.severity] = (bySeverity[h.severity] ?? 0) + 1;
  return { since, until, total: seen.size, hits, bySeverity };
}
