// The records the ledger holds. One zod schema, from which docs/ledger-record.schema.json is
// generated (scripts/gen-ledger-schema.ts) so the Fabric chaincode validates exactly the same thing.
// Records are strict (unknown keys refused): a stored record is hashed in canonical form, so every
// byte of it must be meaningful. Every record carries an `id`: supplied by the caller (a business
// key, e.g. `<workflowId>:<stepId>`) or derived from the canonical hash of the rest of the record,
// which makes re-submitting the same fact idempotent.
import { z } from 'zod';
import { canonicalJson, sha256Hex } from './canonical.ts';

export const LEDGER_SCHEMA_VERSION = 1 as const;
/** Largest canonical record accepted, in bytes (a record is a fact, not a payload). */
export const MAX_RECORD_BYTES = 16 * 1024;

const isoTime = z.iso.datetime({ offset: true }).describe('ISO 8601 date-time with Z or offset');
const digest = z
  .string()
  .regex(/^sha256:[0-9a-f]{64}$/, 'expected sha256:<64 lowercase hex>')
  .describe('sha256:<hex> of the canonical JSON (or raw bytes) of what it digests');
const name = (max = 256) => z.string().min(1).max(max);
export const recordIdSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[A-Za-z0-9._:@/+=-]+$/, 'expected letters, digits and . _ : @ / + = -');
const tags = z
  .record(z.string().min(1).max(64), z.string().max(256))
  .describe('dimensional tags (service, region, host…)');
const severity = z.enum(['info', 'warning', 'minor', 'major', 'critical']);
const duration = z.string().regex(/^\d+(ms|s|m|h|d)$/, 'expected a duration such as 30s, 15m, 2h, 1d');

const base = { id: recordIdSchema.optional() };

export const availabilityEventSchema = z
  .object({
    ...base,
    type: z.literal('availability'),
    target: name().describe('host or service'),
    kind: name(128).describe('event kind, e.g. availability.down, hardware.fan'),
    from: name(64).describe('previous state'),
    to: name(64).describe('new state'),
    severity,
    observedAt: isoTime,
    source: name().describe('collector, probe or importer that observed it'),
    payloadDigest: digest,
    tags: tags.optional(),
  })
  .strict();

export const telemetrySummarySchema = z
  .object({
    ...base,
    type: z.literal('telemetry'),
    batchId: name(),
    source: name(),
    seriesCount: z.int().nonnegative(),
    pointCount: z.int().nonnegative(),
    start: isoTime,
    end: isoTime,
    digest,
    tags: tags.optional(),
  })
  .strict();

export const logDigestSchema = z
  .object({
    ...base,
    type: z.literal('log-digest'),
    batchId: name(),
    merkleRoot: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex'),
    count: z.int().nonnegative(),
    store: name(128).describe('index or store name, e.g. elasticsearch:logs-2026.11'),
    start: isoTime,
    end: isoTime,
  })
  .strict();

const runbookRef = {
  workflowId: name(512),
  runbookId: name(),
  target: name().optional(),
  incidentId: name().optional(),
};

export const runbookStartSchema = z
  .object({
    ...base,
    type: z.literal('runbook-start'),
    ...runbookRef,
    planHash: digest,
    inputsDigest: digest,
    at: isoTime,
  })
  .strict();

export const runbookStepSchema = z
  .object({
    ...base,
    type: z.literal('runbook-step'),
    ...runbookRef,
    stepId: name(),
    kind: name(64),
    outcome: z.enum(['ok', 'failed', 'skipped', 'compensated', 'cancelled']),
    attempts: z.int().positive().optional(),
    outputDigest: digest.optional(),
    error: z.string().max(2000).optional(),
    at: isoTime,
  })
  .strict();

export const runbookEndSchema = z
  .object({
    ...base,
    type: z.literal('runbook-end'),
    ...runbookRef,
    status: z.enum(['completed', 'failed', 'cancelled', 'rolled-back', 'timed-out']),
    at: isoTime,
  })
  .strict();

export const approvalSchema = z
  .object({
    ...base,
    type: z.literal('approval'),
    workflowId: name(512),
    stepId: name(),
    who: name(),
    role: name(128),
    decision: z.enum(['approve', 'reject', 'refused']),
    at: isoTime,
    comment: z.string().max(4000).optional(),
  })
  .strict();

export const predictionSchema = z
  .object({
    ...base,
    type: z.literal('prediction'),
    target: name(),
    probability: z.number().min(0).max(1),
    horizon: duration,
    explanation: z.string().max(4000),
    modelId: name().optional(),
    at: isoTime,
  })
  .strict();

export const modelRegistrationSchema = z
  .object({
    ...base,
    type: z.literal('model'),
    modelId: name(),
    version: name(64),
    weightsDigest: digest,
    dataDigest: digest.optional(),
    metrics: z.record(z.string().min(1).max(64), z.number()),
    trainedAt: isoTime,
  })
  .strict();

/** A fact recorded by a runbook's `ledger` step or by an operator. */
export const factSchema = z
  .object({
    ...base,
    type: z.literal('fact'),
    kind: name(128),
    target: name().optional(),
    workflowId: name(512).optional(),
    runbookId: name().optional(),
    stepId: name().optional(),
    data: z.json(),
    at: isoTime,
  })
  .strict();

export const ledgerRecordSchema = z.discriminatedUnion('type', [
  availabilityEventSchema,
  telemetrySummarySchema,
  logDigestSchema,
  runbookStartSchema,
  runbookStepSchema,
  runbookEndSchema,
  approvalSchema,
  predictionSchema,
  modelRegistrationSchema,
  factSchema,
]);

/** A record as submitted (id optional). */
export type LedgerRecordInput = z.input<typeof ledgerRecordSchema>;
/** A record as stored: always with its id. */
export type LedgerRecord = z.output<typeof ledgerRecordSchema> & { id: string };
export type LedgerRecordType = LedgerRecord['type'];
export type AvailabilityEvent = z.output<typeof availabilityEventSchema> & { id: string };
export const recordTypes: LedgerRecordType[] = ledgerRecordSchema.options.map<LedgerRecordType>(
  (o) => o.shape.type.value
);

/** The id a record gets when the caller gives none: SHA-256 of the canonical record without `id`. */
export function deriveRecordId(record: Record<string, unknown>): string {
  const { id: _omit, ...rest } = record;
  return sha256Hex(canonicalJson(rest));
}

/** The time a record is about (for range queries). */
export function recordTime(r: LedgerRecordInput): string {
  switch (r.type) {
    case 'availability':
      return r.observedAt;
    case 'telemetry':
    case 'log-digest':
      return r.end;
    case 'model':
      return r.trainedAt;
    default:
      return r.at;
  }
}

/** The host or service a record is about, when it has one (for queries). */
export function recordTarget(r: LedgerRecordInput): string | undefined {
  return 'target' in r ? r.target : r.type === 'telemetry' ? r.source : undefined;
}

/** The record's kind (event kind, step kind, fact kind), when it has one (for queries). */
export function recordKind(r: LedgerRecordInput): string | undefined {
  return 'kind' in r ? r.kind : undefined;
}
