// A recorded run leaves its start, every step outcome, the approval decisions (refusals too)
// and its end on the ledger, through the durable batcher, each exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { openLedger } from '../../core/ledger/index.ts';
import { runRunbook } from '../../workflows/runbook.ts';
import { approveSignal, approveUpdate, progressQuery } from '../../workflows/runbook-messages.ts';
import { type TestWorker, startTestWorker, testClient, testDataDir } from '../helpers/temporal.ts';
import { ROLES, approvalStep, plan, step } from '../helpers/plans.ts';

let client: Client;
let tw: TestWorker;
let taskQueue: string;
let dir: string;

beforeAll(async () => {
  dir = testDataDir('runbook-ledger');
  process.env.IRONTHRONE_DATA_DIR = dir;
  client = await testClient();
  tw = await startTestWorker('runbook-ledger');
  taskQueue = tw.taskQueue;
});

afterAll(async () => {
  await tw?.stop();
});

describe('runbook executions on the ledger', () => {
  it('records start, steps, approvals, refusals and end once each', async () => {
    const p = plan('recorded', [step('hello', 'notify', { message: 'hi' }), approvalStep('gate'), step('bye', 'notify', { message: 'bye' })]);
    const h = await client.workflow.start(runRunbook, {
      workflowId: `runbook:recorded:ledger-test:${Date.now()}`,
      taskQueue,
      args: [{ plan: p, inputs: { a: 1 }, target: 'ledger-test', incidentId: 'i-1', roles: ROLES, record: true }],
    });
    for (let i = 0; i < 100 && !(await h.query(progressQuery)).pendingApproval; i++) await new Promise((r) => setTimeout(r, 200));
    await h.signal(approveSignal, { user: 'carol', decision: 'approve' });
    await h.executeUpdate(approveUpdate, { args: [{ user: 'alice', decision: 'approve', comment: 'ok' }] });
    await h.result();
    const ledger = await openLedger('embedded', { dir: join(dir, 'ledger') });
    try {
      let records: Awaited<ReturnType<typeof ledger.query>> = [];
      for (let i = 0; i < 100; i++) {
        records = (await ledger.query({ limit: 1000 })).filter((r) => JSON.stringify(r).includes(h.workflowId));
        if (records.some((r) => r.record.type === 'runbook-end')) break;
        await new Promise((r) => setTimeout(r, 300));
      }
      const types = records.map((r) => r.record.type);
      expect(types.filter((t) => t === 'runbook-start')).toHaveLength(1);
      expect(types.filter((t) => t === 'runbook-step')).toHaveLength(3);
      expect(types.filter((t) => t === 'runbook-end')).toHaveLength(1);
      const approvals = records.filter((r) => r.record.type === 'approval').map((r) => r.record as { who: string; decision: string });
      expect(approvals).toEqual(expect.arrayContaining([expect.objectContaining({ who: 'carol', decision: 'refused' }), expect.objectContaining({ who: 'alice', decision: 'approve' })]));
      expect((await ledger.verify({})).ok).toBe(true);
    } finally {
      await ledger.close();
    }
  });
});
