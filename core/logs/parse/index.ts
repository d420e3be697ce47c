// One entry point: recognise the format of a decoded line and parse it. Never throws and never
// drops: a line nothing recognises comes back as `raw` with the `parse_error` tag.
import { parseIdracText } from './idrac.ts';
import { parseJsonLine } from './json.ts';
import { parseKv, parseKvPairs } from './kv.ts';
import { parseNginx } from './nginx.ts';
import { parse3164Body, parseRfc3164, parseRfc5424 } from './syslog.ts';
import type { ParseContext, Parsed } from './types.ts';

export type { Parsed, ParseContext } from './types.ts';

/** A syslog message body may itself be an iDRAC message or key=value pairs. */
function refineBody(p: Parsed): Parsed {
  // `Severity: Critical, …` and `FAN0001: …` look like an RFC 3164 TAG to the header parser.
  const asTag =
    p.app !== undefined && p.fields.pid === undefined && p.format === 'rfc3164'
      ? parseIdracText(`${p.app}: ${p.message}`)
      : undefined;
  if (asTag) p = { ...p, app: undefined };
  const idrac = asTag ?? parseIdracText(p.message);
  if (idrac) {
    return {
      ...p,
      messageId: idrac.messageId,
      component: idrac.component,
      severity: idrac.severity ?? p.severity,
      message: idrac.message,
      fields: { ...p.fields, ...idrac.fields },
    };
  }
  const kv = parseKvPairs(p.message, 2);
  if (kv) return { ...p, fields: { ...kv, ...p.fields } };
  return p;
}

function raw(text: string, malformed = false): Parsed {
  return { format: 'raw', message: text, fields: {}, tags: malformed ? ['parse_error', 'malformed'] : ['parse_error'] };
}

export function parseLine(text: string, ctx: ParseContext): Parsed {
  if (text.trim() === '') return { ...raw(text), tags: ['parse_error', 'empty'] };
  const c = text.charCodeAt(0);
  if (c === 0x3c /* < */) {
    const p = parseRfc5424(text) ?? parseRfc3164(text, ctx);
    return p ? refineBody(p) : raw(text, true);
  }
  if (c === 0x7b /* { */) {
    const p = parseJsonLine(text);
    if (!p) return raw(text, true);
    return p.format === 'journal' ? refineBody(p) : p;
  }
  const p = parseNginx(text) ?? parseIdracText(text) ?? parse3164OrUndefined(text, ctx) ?? parseKv(text);
  return p ?? raw(text);
}

function parse3164OrUndefined(text: string, ctx: ParseContext): Parsed | undefined {
  const p = parse3164Body(text, ctx);
  return p ? refineBody(p) : undefined;
}
