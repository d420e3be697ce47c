// nginx `combined` access log (also Apache's): `addr - user [time] "request" status bytes "referer"
// "agent"`, optionally followed by extra `"quoted"` or key=value fields (e.g. `$request_id`).
import { fromHttpStatus } from '../severity.ts';
import { parseKvPairs } from './kv.ts';
import type { Parsed } from './types.ts';

const RE =
  /^(\S+) \S+ (\S+) \[([^\]]+)\] "((?:[^"\\]|\\.)*)" (\d{3}) (\d+|-)(?: "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)")?(.*)$/;
const MONTHS: Record<string, number> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

/** `25/Nov/2026:10:00:00 +0100` → ISO UTC. */
export function nginxTime(s: string): string | undefined {
  const m = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(s);
  if (!m || MONTHS[m[2]!] === undefined) return undefined;
  const offset = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9])) * 60_000;
  const t = Date.UTC(Number(m[3]), MONTHS[m[2]!], Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) - offset;
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

export function parseNginx(line: string): Parsed | undefined {
  const m = RE.exec(line);
  if (!m) return undefined;
  const ts = nginxTime(m[3]!);
  if (!ts) return undefined;
  const status = Number(m[5]);
  const fields: Record<string, string> = { client: m[1]!, request: m[4]!, status: m[5]!, bytes: m[6]! };
  if (m[2] !== '-') fields.user = m[2]!;
  const req = /^([A-Z]+) (\S+)(?: (HTTP\/[\d.]+))?$/.exec(m[4]!);
  if (req) {
    fields.method = req[1]!;
    fields.path = req[2]!;
    if (req[3]) fields.protocol = req[3];
  }
  if (m[7] !== undefined && m[7] !== '-') fields.referer = m[7];
  if (m[8] !== undefined && m[8] !== '-') fields.user_agent = m[8];
  const extra = m[9]!.trim();
  if (extra) {
    // Extra quoted values without names (e.g. "$http_x_forwarded_for" "$request_id") keep their position.
    let i = 0;
    const rest = extra.replace(/"((?:[^"\\]|\\.)*)"/g, (_all, v: string) => {
      if (v !== '-') fields[`extra${i}`] = v;
      i++;
      return '';
    });
    Object.assign(fields, parseKvPairs(rest.trim()) ?? {});
  }
  return { format: 'nginx', ts, message: `${m[4]} ${status}`, severity: fromHttpStatus(status), fields };
}
