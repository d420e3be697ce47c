// iDRAC System Event Log and Lifecycle Controller messages, in the three shapes they reach us:
//  - remote syslog body: `Severity: Critical, Category: System Health, MessageID: FAN0001, Message: …`
//  - Redfish LogEntry JSON (SEL / Lifecycle log via the API): `{"MessageId": "IDRAC.2.9.FAN0001", …}`
//  - plain text opening with the id: `FAN0001: Fan 1 RPM is less than the lower critical threshold.`
import { fromWord } from '../severity.ts';
import { KNOWN_SEVERITY, RE_MESSAGE_ID, componentOf, severityFromWording } from './idrac-ids.ts';
import type { Parsed } from './types.ts';

const RE_LC = /^Severity: ?([A-Za-z]+), ?Category: ?([^,]+), ?MessageID: ?(\S+?), ?Message: ?(.*)$/s;
const RE_LEADING_ID = /^((?:[A-Za-z]+\.\d+\.\d+\.)?[A-Z]{3,4}\d{4}):? (.*)$/s;

function build(
  messageId: string,
  message: string,
  explicit?: string,
  fields: Record<string, string> = {}
): Parsed | undefined {
  const m = RE_MESSAGE_ID.exec(messageId);
  if (!m) return undefined;
  const id = m[1]!;
  const severity = fromWord(explicit) ?? KNOWN_SEVERITY[id] ?? severityFromWording(message);
  return { format: 'idrac', messageId: id, component: componentOf(id), severity, message, fields };
}

/** A syslog body or plain line in Lifecycle or leading-id form; undefined if neither. */
export function parseIdracText(text: string): Parsed | undefined {
  const lc = RE_LC.exec(text);
  if (lc) return build(lc[3]!, lc[4]!.trim(), lc[1], { category: lc[2]!.trim() });
  const lead = RE_LEADING_ID.exec(text);
  if (lead) return build(lead[1]!, lead[2]!.trim());
  return undefined;
}

/** A Redfish LogEntry object (SEL or Lifecycle log); undefined if it is not one. */
export function parseIdracEntry(o: Record<string, unknown>): Parsed | undefined {
  const id = o.MessageId;
  const message = o.Message;
  if (typeof id !== 'string' || typeof message !== 'string') return undefined;
  const fields: Record<string, string> = {};
  for (const k of ['EntryType', 'SensorType', 'Id', 'EventId', 'EntryCode']) {
    const v = o[k];
    if (typeof v === 'string' || typeof v === 'number') fields[k] = String(v);
  }
  const p = build(id, message, typeof o.Severity === 'string' ? o.Severity : undefined, fields);
  if (!p) return undefined;
  const created =
    typeof o.Created === 'string' && !Number.isNaN(Date.parse(o.Created))
      ? new Date(o.Created).toISOString()
      : undefined;
  return { ...p, ts: created };
}
