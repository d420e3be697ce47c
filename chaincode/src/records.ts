// Record validation against the shared JSON Schema (docs/ledger-record.schema.json, generated from
// core/ledger/schema.ts and copied next to the compiled chaincode at build time). The schema is a
// oneOf over record types; each branch is compiled on its own and picked by `type`, so errors name
// the field that is wrong rather than listing every branch that did not match.
import { readFileSync } from 'fs';
import { join } from 'path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { canonicalJson, sha256Hex } from './canonical';

export const MAX_RECORD_BYTES = 16 * 1024;

export type LedgerRecord = Record<string, unknown> & { id: string; type: string };

interface Branch {
  properties?: { type?: { const?: string } };
}

let validators: Map<string, ValidateFunction> | undefined;

function load(): Map<string, ValidateFunction> {
  if (validators) return validators;
  const schema = JSON.parse(readFileSync(join(__dirname, 'ledger-record.schema.json'), 'utf8')) as {
    oneOf?: Branch[];
    $defs?: Record<string, unknown>;
  };
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const map = new Map<string, ValidateFunction>();
  for (const branch of schema.oneOf ?? []) {
    const type = branch.properties?.type?.const;
    if (!type) throw new Error('ledger-record.schema.json: a oneOf branch has no type constant');
    map.set(type, ajv.compile({ ...branch, $defs: schema.$defs }));
  }
  validators = map;
  return map;
}

export function recordTypes(): string[] {
  return [...load().keys()];
}

/** Validates one record; returns it with its id (derived when absent) and canonical form. */
export function validateRecord(input: unknown, index: number): { record: LedgerRecord; canonical: string } {
  const where = `record ${index}`;
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new Error(`INVALID: ${where}: expected an object`);
  const obj = input as Record<string, unknown>;
  const v = load().get(String(obj.type));
  if (!v)
    throw new Error(
      `INVALID: ${where}: type: expected one of ${recordTypes().join(', ')}, got ${JSON.stringify(obj.type)}`
    );
  const rawId = typeof obj.id === 'string' ? ` (${obj.id})` : '';
  if (!v(obj)) {
    const issues = (v.errors ?? []).slice(0, 5).map((e) => {
      const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
      const missing = e.keyword === 'required' ? String(e.params.missingProperty) : '';
      const field = [path, missing].filter(Boolean).join('.') || '(record)';
      const extra = e.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : '';
      return `${field}: ${e.message ?? 'invalid'}${extra}`;
    });
    throw new Error(`INVALID: ${where}${rawId}: ${issues.join('; ')}`);
  }
  let id = obj.id;
  if (id === undefined) {
    const { id: _omit, ...rest } = obj;
    id = sha256Hex(canonicalJson(rest));
  }
  const record = { ...obj, id } as LedgerRecord;
  const canonical = canonicalJson(record);
  if (canonical.length > MAX_RECORD_BYTES) {
    throw new Error(
      `INVALID: ${where} (${record.id}): record is ${canonical.length} bytes, at most ${MAX_RECORD_BYTES}`
    );
  }
  return { record, canonical };
}

const UTC_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** The time a record is about, normalised to UTC ISO so index keys sort by time. */
export function recordTime(r: LedgerRecord): string {
  const t =
    r.type === 'availability'
      ? r.observedAt
      : r.type === 'telemetry' || r.type === 'log-digest'
        ? r.end
        : r.type === 'model'
          ? r.trainedAt
          : r.at;
  const text = String(t);
  // Already UTC with milliseconds (what clients send): skip a Date round trip per record.
  return UTC_MS.test(text) ? text : new Date(text).toISOString();
}

export function recordTarget(r: LedgerRecord): string | undefined {
  if (typeof r.target === 'string') return r.target;
  return r.type === 'telemetry' && typeof r.source === 'string' ? r.source : undefined;
}

export function recordKind(r: LedgerRecord): string | undefined {
  return typeof r.kind === 'string' ? r.kind : undefined;
}
