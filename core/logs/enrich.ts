// Parsed → LogDoc: time defaulted to receive time, severity normalised, host looked up in the
// inventory (service, region, rack), correlation ids collected, tags merged. Deterministic: the
// same line and metadata always give the same doc (so its digest is stable).
import { sha256Raw } from '../ledger/merkle.ts';
import type { Inventory } from './inventory.ts';
import type { Parsed } from './parse/types.ts';
import type { LogDoc, LogTag } from './types.ts';

export interface LineMeta {
  /** Where the line came from (`syslog-udp:10.0.0.5`, `file:/var/log/x.log`, `http`). */
  source: string;
  /** Unique within the source: a byte offset, a sequence number, a client-given id. */
  key: string;
  received: Date;
  /** Sender address, used as host when the line names none. */
  peer?: string;
  /** Bytes the framing layer already cut from this line (oversize frame). */
  dropped?: number;
}

/** Content-bound idempotent id: replaying a spooled or re-read line yields the same id. */
export function docId(source: string, key: string, raw: string): string {
  return sha256Raw(`${source}\n${key}\n${raw}`).toString('hex', 0, 16);
}

const CORRELATION_KEY =
  /^(x[-_])?(request|req|correlation|corr|trace|span|transaction|incident)[-_.]?id$|^(traceparent|requestid|rid)$/i;
const ID_LIKE = /^[0-9a-f]{16,64}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const IN_TEXT = /\b(?:x[-_])?(?:request|req|correlation|trace|transaction)[-_]?id[=:] ?"?([\w.:-]{8,128})/gi;

export function correlationIds(fields: Record<string, string>, message = ''): string[] {
  const out = new Set<string>();
  // Cheap pre-check: the regex scan only runs on messages that can hold `…id=` or `…id:`.
  if (/id[=:]/i.test(message)) for (const m of message.matchAll(IN_TEXT)) out.add(m[1]!);
  for (const [k, v] of Object.entries(fields)) {
    if (!v || v === '-') continue;
    const base = k.split('.').pop()!;
    if (CORRELATION_KEY.test(base) || (/^extra\d+$/.test(k) && ID_LIKE.test(v))) out.add(v);
  }
  return [...out].sort();
}

export function enrich(
  p: Parsed,
  raw: string,
  meta: LineMeta,
  inventory: Inventory | undefined,
  extraTags: LogTag[] = []
): LogDoc {
  const host = p.host ?? meta.peer;
  const inv = inventory?.lookup(host);
  const tags = [...new Set<LogTag>([...extraTags, ...(p.tags ?? [])])].sort();
  const received = meta.received.toISOString();
  const doc: LogDoc = {
    id: docId(meta.source, meta.key, raw),
    ts: p.ts ?? received,
    received,
    raw,
    message: p.message,
    severity: p.severity ?? 'info',
    format: p.format,
    source: meta.source,
    tags,
    fields: p.fields,
  };
  if (host) doc.host = host;
  if (p.app) doc.app = p.app;
  const service = p.fields.service ?? inv?.service;
  if (service) doc.service = service;
  if (inv?.region) doc.region = inv.region;
  if (inv?.rack) doc.rack = inv.rack;
  if (p.messageId) doc.messageId = p.messageId;
  if (p.component) doc.component = p.component;
  const corr = correlationIds(p.fields, p.message);
  if (corr.length) doc.correlationIds = corr;
  return doc;
}
