// The durable ledger batcher against the real Temporal dev server: several producers at once
// through the real ledgerSubmit activity (with backpressure and resubmissions), and a chaos test
// that kill -9s the worker process after a block is committed but before the flush activity
// completes, restarts it, and checks that every accepted record is in the ledger exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLedgerActivities } from '../../activities/ledger.ts';
import { EmbeddedLedger } from '../../core/ledger/embedded.ts';
import type { LedgerRecordInput } from '../../core/ledger/schema.ts';
import { validateBatch } from '../../core/ledger/validate.ts';
import {
  ledgerBatcher,
  ledgerFlushUpdate,
  ledgerStatusQuery,
  ledgerSubmitUpdate,
} from '../../workflows/ledger-batcher.ts';
import { nativeConnection, taskQueueFor, testClient, testDataDir, Worker } from '../helpers/temporal.ts';

const fixtures = fileURLToPath(new URL('../fixtures/ledger/', import.meta.url));
const quiet = { log() {}, info() {}, warn() {}, error: console.error, debug() {}, trace() {} };

const ev = (p: number, i: number): LedgerRecordInput => ({
  type: 'availability',
  target: `host-${p}`,
  kind: 'availability.down',
  from: 'up',
  to: 'down',
  severity: 'major',
  observedAt: new Date(Date.UTC(2026, 2, 1, 0, 0, 0, i)).toISOString(),
  source: `producer-${p}`,
  payloadDigest: `sha256:${String(i).padStart(64, '0')}`,
});

let client: Client;
let bundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  client = await testClient();
  bundle = await bundleWorkflowCode({ workflowsPath: join(fixtures, 'workflows.ts'), logger: quiet });
});

async function allRecordIds(ledger: EmbeddedLedger): Promise<string[]> {
  const head = await ledger.head();
  const ids: string[] = [];
  for (let h = 1; h <= head.height; h++) ids.push(...(await ledger.getBlock(h))!.records.map((r) => r.id));
  return ids;
}

describe('ledger batcher', () => {
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  afterAll(async () => {
    worker?.shutdown();
    await running;
  });

  it(
    'keeps every record of several concurrent producers exactly once, under backpressure',
    { timeout: 240_000 },
    async () => {
      const dir = testDataDir('ledger-batcher');
      const ledger = new EmbeddedLedger({ dir, durability: 'normal' });
      const taskQueue = taskQueueFor('ledger-batcher');
      const batcherId = `ledger-batcher-${taskQueue}`;
      worker = await Worker.create({
        connection: await nativeConnection(),
        taskQueue,
        workflowBundle: bundle,
        // Small buffer and runs: backpressure refusals and continue-as-new both happen.
        activities: createLedgerActivities({
          ledger,
          batcherWorkflowId: batcherId,
          batcherConfig: { maxBatch: 40, maxAgeMs: 200, maxBuffer: 120, flushesPerRun: 4 },
        }),
      });
      running = worker.run();

      const producers = 5;
      const per = 120;
      const sets = Array.from({ length: producers }, (_, p) => Array.from({ length: per }, (_, i) => ev(p, i)));
      // Producer p also resubmits the first 20 records of producer p-1: duplicates across producers.
      const submissions = sets.map((s, p) => [...s, ...sets[(p + producers - 1) % producers]!.slice(0, 20)]);
      await Promise.all(
        submissions.map((records, p) =>
          client.workflow.execute('ledgerProducer', {
            workflowId: `${batcherId}-producer-${p}`,
            taskQueue,
            args: [records, 30],
          })
        )
      );
      const handle = client.workflow.getHandle(batcherId);
      const status = await handle.executeUpdate(ledgerFlushUpdate);
      expect(status.buffered).toBe(0);
      expect(status.rejected).toEqual([]);

      const ids = await allRecordIds(ledger);
      const expected = validateBatch(sets.flat()).map((v) => v.record.id);
      expect(ids).toHaveLength(producers * per);
      expect(new Set(ids)).toEqual(new Set(expected));
      expect(await ledger.verify()).toMatchObject({ ok: true, records: producers * per });
      // It continued-as-new at least once (4 flushes a run, ≥ 15 flushes needed).
      const history = await handle.fetchHistory();
      expect(history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId).toBeTruthy();
      expect(status.seq).toBeGreaterThanOrEqual(15);
      worker.shutdown();
      await running;
      worker = undefined;
      await handle.terminate('test over');
      await ledger.close();
    }
  );

  it('refuses an update over the buffer limit without losing what it holds', { timeout: 120_000 }, async () => {
    const taskQueue = taskQueueFor('ledger-bp');
    const batcherId = `ledger-batcher-${taskQueue}`;
    const dir = testDataDir('ledger-bp');
    const ledger = new EmbeddedLedger({ dir, durability: 'normal' });
    const w = await Worker.create({
      connection: await nativeConnection(),
      taskQueue,
      workflowBundle: bundle,
      activities: createLedgerActivities({ ledger, batcherWorkflowId: batcherId }),
    });
    await w.runUntil(async () => {
      const recs = validateBatch(Array.from({ length: 30 }, (_, i) => ev(9, i))).map((v) => v.record);
      const start = () =>
        new WithStartWorkflowOperation(ledgerBatcher, {
          workflowId: batcherId,
          taskQueue,
          args: [{ config: { maxBatch: 1000, maxAgeMs: 60_000, maxBuffer: 20 } }],
          workflowIdConflictPolicy: 'USE_EXISTING',
        });
      const first = await client.workflow.executeUpdateWithStart(ledgerSubmitUpdate, {
        args: [recs.slice(0, 15)],
        startWorkflowOperation: start(),
      });
      expect(first).toMatchObject({ accepted: 15, duplicates: 0 });
      const refused = await client.workflow
        .executeUpdateWithStart(ledgerSubmitUpdate, { args: [recs.slice(15)], startWorkflowOperation: start() })
        .then(
          () => undefined,
          (e: unknown) => e as Error
        );
      expect((refused?.cause as Error | undefined)?.message).toMatch(/buffer full \(15\/20\), retry/);
      const handle = client.workflow.getHandle(batcherId);
      expect(await handle.executeUpdate(ledgerSubmitUpdate, { args: [recs.slice(0, 5)] })).toMatchObject({
        accepted: 0,
        duplicates: 5,
      });
      expect((await handle.query(ledgerStatusQuery)).buffered).toBe(15);
      await handle.executeUpdate(ledgerFlushUpdate);
      expect(await handle.executeUpdate(ledgerSubmitUpdate, { args: [recs.slice(15)] })).toMatchObject({
        accepted: 15,
      });
      await handle.executeUpdate(ledgerFlushUpdate);
      expect((await ledger.head()).treeSize).toBe(30);
      await handle.terminate('test over');
    });
    await ledger.close();
  });

  it('the ledger step kind records a fact once under the step idempotency key', { timeout: 120_000 }, async () => {
    const taskQueue = taskQueueFor('ledger-fact');
    const batcherId = `ledger-batcher-${taskQueue}`;
    const ledger = new EmbeddedLedger({ dir: testDataDir('ledger-fact'), durability: 'normal' });
    const w = await Worker.create({
      connection: await nativeConnection(),
      taskQueue,
      workflowBundle: bundle,
      activities: createLedgerActivities({ ledger, batcherWorkflowId: batcherId, batcherConfig: { maxAgeMs: 100 } }),
    });
    await w.runUntil(async () => {
      const ctx = {
        workflowId: 'runbook:r1:h1:i1',
        runId: 'x',
        runbookId: 'r1',
        stepId: 'record',
        idempotencyKey: 'runbook:r1:h1:i1:record',
        target: 'h1',
        incidentId: 'i1',
        dryRun: false,
      };
      const out = await client.workflow.execute('ledgerFactStep', {
        workflowId: `${batcherId}-fact`,
        taskQueue,
        args: [{ kind: 'remediation.verified', data: { health: 'OK' } }, ctx],
      });
      expect(out).toEqual([
        { recordId: 'runbook:r1:h1:i1:record', accepted: true },
        { recordId: 'runbook:r1:h1:i1:record', accepted: false },
      ]);
      const bad = await client.workflow
        .execute('ledgerFactStep', { workflowId: `${batcherId}-bad`, taskQueue, args: [{ kind: '' }, ctx] })
        .then(
          () => undefined,
          (e: unknown) => e as Error
        );
      expect(String(((bad?.cause as Error | undefined)?.cause as Error | undefined)?.message)).toMatch(
        /ledger step record: invalid params: kind/
      );
      const handle = client.workflow.getHandle(batcherId);
      await handle.executeUpdate(ledgerFlushUpdate);
      expect((await ledger.getRecord('runbook:r1:h1:i1:record'))?.record).toMatchObject({
        type: 'fact',
        kind: 'remediation.verified',
        target: 'h1',
        runbookId: 'r1',
        data: { health: 'OK' },
      });
      expect((await ledger.head()).treeSize).toBe(1);
      await handle.terminate('test over');
    });
    await ledger.close();
  });
});

describe('ledger batcher chaos', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });

  function startWorker(
    env: Record<string, string>,
    log: string
  ): { child: ChildProcess; waitFor: (re: RegExp, ms: number) => Promise<string> } {
    const fd = openSync(log, 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', join(fixtures, 'worker.ts')], {
      env: { ...process.env, ...env },
      stdio: ['ignore', fd, fd],
    });
    children.push(child);
    const waitFor = async (re: RegExp, ms: number) => {
      const deadline = Date.now() + ms;
      for (;;) {
        const m = readFileSync(log, 'utf8').match(re);
        if (m) return m[0];
        if (child.exitCode !== null) throw new Error(`worker exited early:\n${readFileSync(log, 'utf8')}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${re}:\n${readFileSync(log, 'utf8')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    return { child, waitFor };
  }

  it('kill -9 of the worker mid-flush loses and duplicates nothing', { timeout: 300_000 }, async () => {
    const dir = testDataDir('ledger-chaos');
    const taskQueue = taskQueueFor('ledger-chaos');
    const batcherId = `ledger-batcher-${taskQueue}`;
    const env = {
      LEDGER_DIR: join(dir, 'ledger'),
      BATCHER_ID: batcherId,
      TASK_QUEUE: taskQueue,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      BATCHER_CONFIG: JSON.stringify({ maxBatch: 100, maxAgeMs: 500 }),
    };
    const first = startWorker({ ...env, CHAOS_HOLD_MS: '600000' }, join(dir, 'worker-1.log'));
    await first.waitFor(/WORKER READY/, 120_000);

    const records = validateBatch(Array.from({ length: 250 }, (_, i) => ev(7, i))).map((v) => v.record);
    const start = new WithStartWorkflowOperation(ledgerBatcher, {
      workflowId: batcherId,
      taskQueue,
      args: [{ config: { maxBatch: 100, maxAgeMs: 500 } }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    const accepted = await client.workflow.executeUpdateWithStart(ledgerSubmitUpdate, {
      args: [records],
      startWorkflowOperation: start,
    });
    expect(accepted.accepted).toBe(250);

    // The first flush's block is committed; the activity has not reported back. Kill now.
    await first.waitFor(/COMMITTED \S+:0 100/, 120_000);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const second = startWorker(env, join(dir, 'worker-2.log'));
    await second.waitFor(/WORKER READY/, 120_000);
    const handle = client.workflow.getHandle(batcherId);
    const status = await handle.executeUpdate(ledgerFlushUpdate);
    expect(status).toMatchObject({ buffered: 0, flushedRecords: 250, rejected: [] });
    // The retried flush found its batch already written.
    await second.waitFor(/DUPLICATE \S+:0 100/, 10_000);

    const ledger = new EmbeddedLedger({ dir: env.LEDGER_DIR });
    try {
      const ids = await allRecordIds(ledger);
      expect(ids).toHaveLength(250);
      expect(new Set(ids)).toEqual(new Set(records.map((r) => r.id)));
      expect((await ledger.head()).height).toBe(3);
      expect(await ledger.verify()).toMatchObject({ ok: true, records: 250 });
    } finally {
      await ledger.close();
      await handle.terminate('test over');
      second.child.kill('SIGTERM');
    }
  });
});
