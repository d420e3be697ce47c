import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../core/ledger/canonical.ts';
import { deriveRecordId, recordTypes } from '../../../core/ledger/schema.ts';
import { LedgerValidationError, validateBatch, validateRecord } from '../../../core/ledger/validate.ts';

const samples: Record<string, unknown>[] = [
  {
    type: 'availability',
    target: 'idrac-01',
    kind: 'availability.down',
    from: 'up',
    to: 'down',
    severity: 'critical',
    observedAt: '2026-03-01T10:00:00+01:00',
    source: 'probe',
    payloadDigest: `sha256:${'1'.repeat(64)}`,
    tags: { region: 'eu' },
  },
  {
    type: 'telemetry',
    batchId: 't1',
    source: 'redfish',
    seriesCount: 3,
    pointCount: 300,
    start: '2026-03-01T10:00:00Z',
    end: '2026-03-01T10:01:00Z',
    digest: `sha256:${'2'.repeat(64)}`,
  },
  {
    type: 'log-digest',
    batchId: 'l1',
    merkleRoot: '3'.repeat(64),
    count: 10,
    store: 'sqlite-fts',
    start: '2026-03-01T10:00:00Z',
    end: '2026-03-01T10:01:00Z',
  },
  {
    type: 'runbook-start',
    workflowId: 'runbook:r:h:i',
    runbookId: 'r',
    planHash: `sha256:${'4'.repeat(64)}`,
    inputsDigest: `sha256:${'5'.repeat(64)}`,
    at: '2026-03-01T10:00:00Z',
  },
  {
    type: 'runbook-step',
    workflowId: 'runbook:r:h:i',
    runbookId: 'r',
    stepId: 'reset',
    kind: 'redfish',
    outcome: 'ok',
    attempts: 1,
    at: '2026-03-01T10:00:00Z',
  },
  { type: 'runbook-end', workflowId: 'runbook:r:h:i', runbookId: 'r', status: 'completed', at: '2026-03-01T10:00:00Z' },
  {
    type: 'approval',
    workflowId: 'runbook:r:h:i',
    stepId: 'gate',
    who: 'alice',
    role: 'sre',
    decision: 'approve',
    at: '2026-03-01T10:00:00Z',
    comment: 'ok',
  },
  {
    type: 'prediction',
    target: 'idrac-01',
    probability: 0.93,
    horizon: '30m',
    explanation: 'fan rpm trend',
    at: '2026-03-01T10:00:00Z',
  },
  {
    type: 'model',
    modelId: 'lstm',
    version: '3',
    weightsDigest: `sha256:${'6'.repeat(64)}`,
    metrics: { auc: 0.91 },
    trainedAt: '2026-03-01T10:00:00Z',
  },
  { type: 'fact', kind: 'note', data: { a: [1, { b: null }] }, at: '2026-03-01T10:00:00Z' },
];

describe('record validation', () => {
  it('has a valid sample of every record type', () => {
    expect(new Set(samples.map((s) => s.type))).toEqual(new Set(recordTypes));
  });

  it('derives the id from the canonical record and emits the same bytes as canonicalJson', () => {
    for (const s of samples) {
      const v = validateRecord(s, 0);
      if (Array.isArray(v)) throw new Error(JSON.stringify(v));
      expect(v.record.id).toBe(deriveRecordId(s));
      expect(v.canonical).toBe(canonicalJson(v.record));
      const withId = validateRecord({ ...s, id: 'given:1' }, 0);
      if (Array.isArray(withId)) throw new Error(JSON.stringify(withId));
      expect(withId.record.id).toBe('given:1');
      expect(withId.canonical).toBe(canonicalJson({ ...s, id: 'given:1' }));
    }
  });

  it('reports every bad field of every record, and nothing passes', () => {
    const bad = [
      samples[0],
      { ...samples[0], payloadDigest: 'md5:abc', tags: { region: 7 } },
      { ...samples[7], probability: 1.5, horizon: 'soon' },
      { ...samples[6], decision: 'maybe', extra: true },
      { ...samples[9], data: { n: NaN } },
      { ...samples[0], id: 'has spaces' },
    ];
    let err: LedgerValidationError | undefined;
    try {
      validateBatch(bad, 'events.jsonl batch 1');
    } catch (e) {
      err = e as LedgerValidationError;
    }
    expect(err).toBeInstanceOf(LedgerValidationError);
    const got = err!.issues.map((i) => `${i.index}:${i.field}`);
    expect(got).toEqual(
      expect.arrayContaining([
        '1:payloadDigest',
        '1:tags.region',
        '2:probability',
        '2:horizon',
        '3:decision',
        '3:',
        '4:data',
        '5:id',
      ])
    );
    expect(got.some((g) => g.startsWith('0:'))).toBe(false);
    expect(err!.message).toMatch(/^events\.jsonl batch 1 refused, nothing written: record 1/);
  });
});
