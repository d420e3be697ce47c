// Severity normalisation: syslog numbers and words, Dell's OK/Warning/Critical and HTTP status all
// map onto the five levels in ./types.ts, so one query (`minSeverity: warning`) spans every format.
import type { Severity } from './types.ts';

/** RFC 5424 §6.2.1 numerical severities 0–7. */
const SYSLOG: Severity[] = ['critical', 'critical', 'critical', 'error', 'warning', 'info', 'info', 'debug'];

export function fromSyslogSeverity(n: number): Severity {
  return SYSLOG[n] ?? 'info';
}

const WORDS: Record<string, Severity> = {
  emerg: 'critical',
  emergency: 'critical',
  panic: 'critical',
  alert: 'critical',
  crit: 'critical',
  critical: 'critical',
  fatal: 'critical',
  err: 'error',
  error: 'error',
  severe: 'error',
  failure: 'error',
  warn: 'warning',
  warning: 'warning',
  notice: 'info',
  info: 'info',
  information: 'info',
  informational: 'info',
  ok: 'info',
  normal: 'info',
  debug: 'debug',
  trace: 'debug',
  verbose: 'debug',
};

/** A level word in any case (`WARN`, `Critical`, `err`) or a syslog number as text; undefined if unknown. */
export function fromWord(word: string | undefined): Severity | undefined {
  if (word === undefined) return undefined;
  const w = word.trim().toLowerCase();
  if (/^[0-7]$/.test(w)) return fromSyslogSeverity(Number(w));
  return WORDS[w];
}

/** Access logs: server errors are errors, client errors warnings, the rest info. */
export function fromHttpStatus(status: number): Severity {
  if (status >= 500) return 'error';
  if (status >= 400) return 'warning';
  return 'info';
}
