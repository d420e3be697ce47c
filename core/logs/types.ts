// The log capability's data model: one parsed, enriched line (`LogDoc`) as every store keeps it,
// and the query both stores answer. Plain JSON, so a doc hashes the same wherever it is stored.

/** Normalised severity, syslog's eight levels collapsed to five (RFC 5424 §6.2.1 order). */
export const SEVERITIES = ['debug', 'info', 'warning', 'error', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type LogFormat = 'rfc5424' | 'rfc3164' | 'idrac' | 'nginx' | 'journal' | 'json' | 'kv' | 'raw';

/** Tags the pipeline sets on lines it had to change or could not understand. */
export type LogTag = 'parse_error' | 'truncated' | 'invalid_utf8' | 'malformed' | 'empty';

export interface LogDoc {
  /** Idempotent id: the same ingested line always gets the same id (no duplicates on replay). */
  id: string;
  /** Event time (ISO, UTC): from the line when it has one, else the receive time. */
  ts: string;
  /** Receive time (ISO, UTC). */
  received: string;
  /** The line as ingested (after UTF-8 repair and truncation, both tagged). */
  raw: string;
  message: string;
  severity: Severity;
  format: LogFormat;
  host?: string;
  app?: string;
  service?: string;
  region?: string;
  rack?: string;
  /** Where the line came from, e.g. `syslog-udp:127.0.0.1`, `file:/var/log/nginx/access.log`, `http`. */
  source: string;
  /** Dell event message id (FAN0001…) and the component it names. */
  messageId?: string;
  component?: string;
  /** Correlation ids found in the line (request id, trace id…), kept for joins across systems. */
  correlationIds?: string[];
  tags: LogTag[];
  /** Parsed fields (string values), format-specific. */
  fields: Record<string, string>;
  /** Set when the doc was indexed: its digest batch and leaf position. */
  batch?: { id: string; index: number };
}

export interface LogQuery {
  /** Full-text terms (all must match, on message and raw). */
  text?: string;
  host?: string;
  service?: string;
  severity?: Severity;
  /** Lowest severity to include (e.g. `warning` includes error and critical). */
  minSeverity?: Severity;
  messageId?: string;
  correlationId?: string;
  tag?: LogTag;
  /** Inclusive lower bound on `ts` (ISO). */
  since?: string;
  /** Exclusive upper bound on `ts` (ISO). */
  until?: string;
  /** Default 100, at most 10 000. */
  limit?: number;
}

export interface LogSearchResult {
  /** Total matches (may exceed `hits.length`). */
  total: number;
  /** Newest first, then by id. */
  hits: LogDoc[];
}

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}
