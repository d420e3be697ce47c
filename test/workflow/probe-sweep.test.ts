// The probe sweep on a real Temporal Schedule (shared dev server): each triggered run probes a
// local HTTP server we toggle, damping turns two consecutive results into a state change, the
// events land in a real embedded ledger, and an availability report over them verifies.
import { createServer, type Server } from 'node:http';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProbesActivities } from '../../activities/probes.ts';
import { buildReport, verifyReport } from '../../core/availability/report.ts';
import { EmbeddedLedger } from '../../core/ledger/embedded.ts';
import { ensureProbeSchedule } from '../../core/telemetry/probe-schedule.ts';
import { TelemetryStore } from '../../core/telemetry/store.ts';
import { freePort } from '../../scripts/lib/procs.ts';
import {
  nativeConnection,
  taskQueueFor,
  testClient,
  testDataDir,
  workflowBundle,
  Worker,
} from '../helpers/temporal.ts';

let healthy = true;
let http: Server;
let port: number;
let client: Client;

beforeAll(async () => {
  port = await freePort();
  http = createServer((_q, s) => {
    s.statusCode = healthy ? 200 : 500;
    s.end();
  });
  await new Promise<void>((r) => http.listen(port, '127.0.0.1', () => r()));
  client = await testClient();
});
afterAll(async () => {
  await new Promise<void>((r) => http.close(() => r()));
  await client.connection.close();
});

describe('probeSweep on a Temporal Schedule', () => {
  it('turns damped state changes into verified ledger events', { timeout: 240_000 }, async () => {
    const dir = testDataDir('probe-sweep');
    const ledger = new EmbeddedLedger({ dir, durability: 'normal' });
    const store = TelemetryStore.open({});
    const taskQueue = taskQueueFor('probes');
    const worker = await Worker.create({
      connection: await nativeConnection(),
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createProbesActivities({ dataDir: dir, telemetryStore: store, ledger }),
    });
    const running = worker.run();
    const scheduleId = `probe-sweep-test-${taskQueue}`;
    try {
      const spec = {
        target: 'web-1',
        kind: 'http',
        url: `http://127.0.0.1:${port}/`,
        confirm: 2,
        tags: { service: 'web' },
      };
      await ensureProbeSchedule(client, {
        taskQueue,
        every: '3600s',
        scheduleId,
        input: { specs: [spec], sweepId: scheduleId, handOff: 'probes' },
      });
      const handle = client.schedule.getHandle(scheduleId);
      const runOnce = async (n: number) => {
        await handle.trigger();
        let id: string | undefined;
        for (let i = 0; i < 240 && !id; i++) {
          const d = await handle.describe();
          const a = d.info.recentActions[n - 1]?.action;
          id = a && 'workflow' in a ? a.workflow.workflowId : undefined;
          if (!id) await new Promise((r) => setTimeout(r, 250));
        }
        if (!id) throw new Error(`schedule run ${n} did not start`);
        return (await client.workflow.getHandle(id).result()) as { probed: number; down: string[]; events: number };
      };
      const results = [];
      for (const [i, up] of [true, true, false, false, true, true].entries()) {
        healthy = up;
        results.push(await runOnce(i + 1));
      }
      expect(results.map((r) => r.events)).toEqual([0, 1, 0, 1, 0, 1]); // unknown→up, up→down, down→up
      expect(results[2]!.down).toEqual(['web-1']); // a failing result, not yet a state change
      const events = await ledger.query({ type: 'availability' });
      expect(events.map((e) => e.record.type === 'availability' && e.record.to)).toEqual(['up', 'down', 'up']);
      const now = Date.now();
      const report = await buildReport(ledger, { from: now - 3_600_000, to: now + 60_000, groupBy: 'service' });
      expect(report.figures[0]!.incidents).toBe(1);
      expect(report.figures[0]!.downMs).toBeGreaterThan(0);
      expect((await verifyReport(ledger, report)).ok).toBe(true);
      expect(store.index.eq('name', 'ironthrone.probe.latency').length).toBe(1);
    } finally {
      await client.schedule
        .getHandle(scheduleId)
        .delete()
        .catch(() => {});
      worker.shutdown();
      await running;
      await ledger.close();
    }
  });
});
