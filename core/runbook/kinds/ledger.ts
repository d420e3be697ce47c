// `ledger`: record a fact of the runbook's own on the tamper-evident ledger (activity
// `ledgerRecordFact`). The record is a `fact` with the step's idempotency key as its id, so a
// retried step records it once.
import { z } from 'zod';
import type { StepKind } from './types.ts';

export const ledgerFactParams = z.strictObject({
  kind: z.string().min(1, 'expected a fact kind, e.g. remediation.verified').max(128),
  /** Host or service the fact is about (default: the run's target). */
  target: z.string().min(1).max(256).optional(),
  /** Any JSON: the fact's content. */
  data: z.unknown().optional(),
  /** ISO time the fact is about (default: when the step was first scheduled). */
  at: z.iso.datetime({ offset: true }).optional(),
});

export const ledgerKind: StepKind = {
  kind: 'ledger',
  exec: 'activity',
  activity: 'ledgerRecordFact',
  params: ledgerFactParams,
  output: { object: { recordId: 'string', accepted: 'boolean' } },
  defaults: { retries: 5, timeoutMs: 60_000 },
  mutating: false,
  doc: {
    summary: 'Records a fact on the tamper-evident ledger (through the durable batcher).',
    example: [
      '```ledger',
      'kind: remediation.verified',
      'data:',
      '  host: ${inputs.host}',
      '  health: ${check.health}',
      '```',
    ].join('\n'),
  },
};
