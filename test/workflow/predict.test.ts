// The prediction sweep and the retraining workflows on the shared Temporal dev server, with the
// real predict activities over a real (memory-only) telemetry store and model registry.
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPredictActivities } from '../../activities/predict.ts';
import { TelemetryStore } from '../../core/telemetry/store.ts';
import { predictSweep } from '../../workflows/predict-sweep.ts';
import { retrainModels } from '../../workflows/retrain.ts';
import { nativeConnection, taskQueueFor, testClient, testDataDir, workflowBundle, Worker } from '../helpers/temporal.ts';

const STEP = 60_000;
let client: Client;
beforeAll(async () => {
  client = await testClient();
});
afterAll(async () => {
  await client.connection.close();
});

describe('predict workflows', () => {
  it('sweeps live series into alert predictions and retrains a model with the promotion rule', { timeout: 300_000 }, async () => {
    const now = Date.now();
    const store = TelemetryStore.open({ stepMs: STEP, clock: () => now, retentionMs: 3 * 86_400_000 });
    const n = 900;
    const points = [];
    for (let i = 0; i < n; i++) {
      for (const host of ['r640-01', 'r640-02']) {
        let v = 9000 + 150 * Math.sin(i / 37) + ((i * 7919) % 13) * 10;
        if (host === 'r640-02' && i >= n - 5) v = 2100;
        points.push({ tags: { name: 'fan.rpm', host }, timestamp: now - (n - i) * STEP, value: v });
      }
    }
    expect(store.ingest(points).errors).toEqual([]);
    const taskQueue = taskQueueFor('predict');
    const worker = await Worker.create({
      connection: await nativeConnection(),
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createPredictActivities({ dataDir: testDataDir('predict'), telemetryStore: store }),
    });
    await worker.runUntil(async () => {
      const sweep = await client.workflow.execute(predictSweep, {
        taskQueue,
        workflowId: `predict-sweep-${taskQueue}`,
        args: [{ query: 'name,fan.rpm,:eq,(,host,),:by', windowMs: n * STEP, threshold: 0.9 }],
      });
      expect(sweep.scored).toBe(2);
      expect(sweep.predictions.filter((p) => p.band === 'alert').map((p) => p.target)).toEqual(['r640-02']);

      const retrain = await client.workflow.execute(retrainModels, {
        taskQueue,
        workflowId: `retrain-${taskQueue}`,
        args: [{ models: [{ model: 'fan-rpm-r640-01', query: 'name,fan.rpm,:eq,host,r640-01,:eq,:and,:sum', windowMs: n * STEP }] }],
      });
      expect(retrain).toEqual([expect.objectContaining({ model: 'fan-rpm-r640-01', promoted: true, version: 1, reason: 'no current model' })]);
    });
    await store.close();
  });
});
