// Generic key=value lines (logfmt and friends): `ts=… level=warn msg="disk almost full" host=db1`.
// Well-known keys become the doc's time, level, message and host; the rest stay as fields.
import { fromWord } from '../severity.ts';
import type { Parsed } from './types.ts';

const PAIR = /([A-Za-z_][\w.-]{0,63})=("(?:[^"\\]|\\.)*"|'[^']*'|[^\s"']*)/g;

/** All pairs of a line, or undefined when the line is not mostly pairs (prose with one `a=b`). */
export function parseKvPairs(line: string, minPairs = 1): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  let covered = 0;
  let count = 0;
  for (const m of line.matchAll(PAIR)) {
    let v = m[2]!;
    if (v.startsWith('"')) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    else if (v.startsWith("'")) v = v.slice(1, -1);
    out[m[1]!] = v;
    covered += m[0].length;
    count++;
  }
  const nonSpace = line.replace(/\s+/g, '').length;
  if (count < minPairs || covered < nonSpace * 0.6) return undefined;
  return out;
}

const pick = (o: Record<string, string>, keys: string[]): string | undefined => {
  for (const k of keys) if (o[k] !== undefined && o[k] !== '') return o[k];
  return undefined;
};

export const TIME_KEYS = ['ts', 'time', 'timestamp', '@timestamp', 't'];
export const LEVEL_KEYS = ['level', 'lvl', 'severity', 'loglevel', 'priority'];
export const MESSAGE_KEYS = ['msg', 'message', 'text'];
export const HOST_KEYS = ['host', 'hostname', 'node'];
export const APP_KEYS = ['app', 'application', 'program', 'service_name', 'logger', 'component'];

function isoTime(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  // Epoch seconds or millis, or something that starts like a date; Date.parse alone takes "1" as 2001.
  const t = /^\d{10}(\.\d+)?$/.test(v)
    ? n * 1000
    : /^\d{13}$/.test(v)
      ? n
      : /^\d{4}-\d{2}-\d{2}/.test(v)
        ? Date.parse(v)
        : NaN;
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** Map well-known keys of a flat record (kv line or JSON object) onto Parsed. */
export function fromRecord(format: Parsed['format'], o: Record<string, string>, fallbackMessage: string): Parsed {
  return {
    format,
    ts: isoTime(pick(o, TIME_KEYS)),
    severity: fromWord(pick(o, LEVEL_KEYS)),
    message: pick(o, MESSAGE_KEYS) ?? fallbackMessage,
    host: pick(o, HOST_KEYS),
    app: pick(o, APP_KEYS),
    fields: o,
  };
}

export function parseKv(line: string): Parsed | undefined {
  const pairs = parseKvPairs(line, 2);
  return pairs ? fromRecord('kv', pairs, line) : undefined;
}
