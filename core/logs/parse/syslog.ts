// RFC 5424 and RFC 3164 syslog. 5424: `<PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] MSG`; 3164:
// `<PRI>Mmm dd hh:mm:ss HOST TAG[pid]: MSG` (no year, no zone: we take the receive year and UTC,
// going back a year when that would put the line more than a day in the future). The 3164 form
// without `<PRI>` is what /var/log/syslog holds, so the file follower reuses it.
import { fromSyslogSeverity } from '../severity.ts';
import type { ParseContext, Parsed } from './types.ts';

const FACILITIES = [
  'kern',
  'user',
  'mail',
  'daemon',
  'auth',
  'syslog',
  'lpr',
  'news',
  'uucp',
  'cron',
  'authpriv',
  'ftp',
  'ntp',
  'audit',
  'alert',
  'clock',
];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const RE_PRI = /^<(\d{1,3})>/;
const RE_5424 = /^1 (\S+) (\S+) (\S+) (\S+) (\S+) /;
const RE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;
const RE_3164_TS = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) /;
const RE_TAG = /^([^\s:[\]]{1,64})(?:\[([^\]\s]{1,32})\])?: ?/;

function facilityName(n: number): string {
  return FACILITIES[n] ?? `local${n - 16}`;
}

function priFields(pri: number, fields: Record<string, string>): ReturnType<typeof fromSyslogSeverity> {
  fields.facility = facilityName(pri >> 3);
  return fromSyslogSeverity(pri & 7);
}

const nil = (s: string | undefined): string | undefined => (s === undefined || s === '-' ? undefined : s);

/** RFC 5424 §6.3 structured data: `-` or `[id k="v" …]…`, with `\"`, `\\`, `\]` escapes. */
export function parseStructuredData(s: string, fields: Record<string, string>): { rest: string } | undefined {
  if (s.startsWith('- ') || s === '-') return { rest: s.slice(2) };
  let i = 0;
  if (s[0] !== '[') return undefined;
  while (s[i] === '[') {
    const idEnd = s.slice(i + 1).search(/[ \]]/);
    if (idEnd <= 0) return undefined;
    const sdId = s.slice(i + 1, i + 1 + idEnd);
    i += 1 + idEnd;
    while (s[i] === ' ') {
      const m = /^ ([^= \]"]{1,32})="/.exec(s.slice(i));
      if (!m) return undefined;
      i += m[0].length;
      let v = '';
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\' && i + 1 < s.length && '"\\]'.includes(s[i + 1]!)) i++;
        v += s[i++];
      }
      if (s[i] !== '"') return undefined;
      i++;
      fields[`${sdId}.${m[1]}`] = v;
    }
    if (s[i] !== ']') return undefined;
    i++;
  }
  if (i < s.length && s[i] !== ' ') return undefined;
  return { rest: s.slice(i + 1) };
}

export function parseRfc5424(line: string): Parsed | undefined {
  const pri = RE_PRI.exec(line);
  if (!pri) return undefined;
  const n = Number(pri[1]);
  if (n > 191) return undefined;
  const rest = line.slice(pri[0].length);
  const m = RE_5424.exec(rest);
  if (!m) return undefined;
  const fields: Record<string, string> = {};
  const severity = priFields(n, fields);
  const ts = nil(m[1]);
  // RFC 5424 §6.2.3 TIMESTAMP (RFC 3339 with a mandatory zone); Date.parse alone would take "1" as 2001.
  if (ts !== undefined && (!RE_TIME.test(ts) || Number.isNaN(Date.parse(ts)))) return undefined;
  const procid = nil(m[4]);
  const msgid = nil(m[5]);
  if (procid) fields.procid = procid;
  if (msgid) fields.msgid = msgid;
  const sd = parseStructuredData(rest.slice(m[0].length), fields);
  if (!sd) return undefined;
  // A UTF-8 BOM may open MSG (§6.4).
  const message = sd.rest.replace(/^\uFEFF/, '');
  return {
    format: 'rfc5424',
    ts: ts ? new Date(ts).toISOString() : undefined,
    host: nil(m[2]),
    app: nil(m[3]),
    severity,
    message,
    fields,
  };
}

function time3164(m: RegExpExecArray, received: Date): string | undefined {
  const month = MONTHS.indexOf(m[1]!);
  if (month < 0) return undefined;
  const [d, hh, mm, ss] = [m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number];
  if (d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60) return undefined;
  let year = received.getUTCFullYear();
  let t = Date.UTC(year, month, d, hh, mm, ss);
  if (t - received.getTime() > 86_400_000) t = Date.UTC(--year, month, d, hh, mm, ss);
  return new Date(t).toISOString();
}

/** The part after PRI (or a whole /var/log/syslog line): `Mmm dd hh:mm:ss HOST TAG: MSG`. */
export function parse3164Body(
  body: string,
  ctx: ParseContext,
  fields: Record<string, string> = {}
): Parsed | undefined {
  const m = RE_3164_TS.exec(body);
  if (!m) return undefined;
  const ts = time3164(m, ctx.received);
  if (!ts) return undefined;
  let rest = body.slice(m[0].length);
  const hostM = /^(\S+) /.exec(rest);
  let host: string | undefined;
  // A host is a word without ':'; if the first word ends in ':' it is the tag (host omitted).
  if (hostM && !hostM[1]!.endsWith(':') && !hostM[1]!.includes('[')) {
    host = hostM[1];
    rest = rest.slice(hostM[0].length);
  }
  let app: string | undefined;
  const tag = RE_TAG.exec(rest);
  if (tag) {
    app = tag[1];
    if (tag[2]) fields.pid = tag[2];
    rest = rest.slice(tag[0].length);
  }
  return { format: 'rfc3164', ts, host, app, message: rest, fields };
}

export function parseRfc3164(line: string, ctx: ParseContext): Parsed | undefined {
  const pri = RE_PRI.exec(line);
  if (!pri) return undefined;
  const n = Number(pri[1]);
  if (n > 191) return undefined;
  const fields: Record<string, string> = {};
  const severity = priFields(n, fields);
  const body = line.slice(pri[0].length);
  const p = parse3164Body(body, ctx, fields);
  // RFC 3164 §4.3.3: a PRI without a valid header is still a message; the relay keeps it whole.
  return p ? { ...p, severity } : { format: 'rfc3164', severity, message: body, fields };
}
