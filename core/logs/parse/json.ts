// JSON lines: systemd journal export (`journalctl -o json`), Redfish LogEntry objects (iDRAC), and
// any other flat JSON object (the HTTP ingest's JSON lines), in that order of recognition.
import { fromSyslogSeverity } from '../severity.ts';
import { parseIdracEntry } from './idrac.ts';
import { fromRecord } from './kv.ts';
import type { Parsed } from './types.ts';

/** Journal fields may be strings, numbers, byte arrays (non-UTF-8 values) or arrays (repeated fields). */
function journalValue(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v) && v.every((b) => typeof b === 'number' && b >= 0 && b < 256)) {
    return new TextDecoder('utf-8', { fatal: false }).decode(Uint8Array.from(v as number[]));
  }
  if (Array.isArray(v))
    return v
      .map(journalValue)
      .filter((x) => x !== undefined)
      .join('\n');
  return undefined;
}

/** Out-of-range times (a corrupt journal field) are dropped, never thrown. */
function isoOrUndefined(ms: number): string | undefined {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function parseJournal(o: Record<string, unknown>): Parsed {
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) {
    const s = journalValue(v);
    if (s !== undefined && k !== 'MESSAGE') fields[k] = s;
  }
  const us = fields.__REALTIME_TIMESTAMP ?? fields._SOURCE_REALTIME_TIMESTAMP;
  const prio = fields.PRIORITY;
  let tags: Parsed['tags'];
  if (Array.isArray(o.MESSAGE) && o.MESSAGE.every((b) => typeof b === 'number')) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(o.MESSAGE));
    } catch {
      tags = ['invalid_utf8'];
    }
  }
  return {
    tags,
    format: 'journal',
    ts: us && /^\d{1,17}$/.test(us) ? isoOrUndefined(Number(BigInt(us) / 1000n)) : undefined,
    host: fields._HOSTNAME,
    app: fields.SYSLOG_IDENTIFIER ?? fields._SYSTEMD_UNIT ?? fields._COMM,
    severity: prio && /^[0-7]$/.test(prio) ? fromSyslogSeverity(Number(prio)) : undefined,
    message: journalValue(o.MESSAGE) ?? '',
    fields,
  };
}

function flatten(o: Record<string, unknown>, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  for (const [k, v] of Object.entries(o)) {
    const key = prefix + k;
    if (v === null || v === undefined) continue;
    if (typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, `${key}.`, out);
    else out[key] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

/** Undefined when the text is not a JSON object (callers tag it malformed). */
export function parseJsonLine(text: string): Parsed | undefined {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return undefined;
  const rec = o as Record<string, unknown>;
  if ('__REALTIME_TIMESTAMP' in rec || ('MESSAGE' in rec && ('_HOSTNAME' in rec || 'PRIORITY' in rec)))
    return parseJournal(rec);
  const idrac = parseIdracEntry(rec);
  if (idrac) return idrac;
  return fromRecord('json', flatten(rec), text);
}
