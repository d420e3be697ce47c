// An event starts the runbooks whose triggers match it, once: the same event again starts nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchEvent } from '../../client/incidents.ts';
import { approve } from '../../client/runs.ts';
import { startDemoService, type DemoService } from '../../scripts/lib/demo-service.ts';
import { type TestWorker, startTestWorker, testClient, testDataDir } from '../helpers/temporal.ts';

let tw: TestWorker;
let taskQueue: string;
let svc: DemoService;

beforeAll(async () => {
  process.env.IRONTHRONE_DATA_DIR = testDataDir('incidents');
  svc = await startDemoService({ restartDelayMs: 300 });
  tw = await startTestWorker('incidents');
  taskQueue = tw.taskQueue;
});

afterAll(async () => {
  await tw?.stop();
  await svc?.close();
});

describe('dispatchEvent', () => {
  it('starts the matching runbook once per event and it runs to completion', async () => {
    const client = await testClient();
    const event = { kind: 'availability.degraded', target: 'checkout', severity: 'warning', observedAt: new Date().toISOString(), tags: { kind: 'service', service: 'checkout', base_url: svc.url } };
    const first = await dispatchEvent(client, event, { taskQueue });
    const started = first.find((d) => d.runbookId === 'demo-service-recovery');
    expect(started?.outcome).toBe('started');
    const again = await dispatchEvent(client, event, { taskQueue });
    expect(again.find((d) => d.runbookId === 'demo-service-recovery')?.outcome).toBe('already-running');
    const h = client.workflow.getHandle(started!.workflowId!);
    for (let i = 0; i < 100; i++) {
      try {
        await approve(client, h.workflowId, { user: 'alice', decision: 'approve' });
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    expect(await h.result()).toMatchObject({ status: 'completed' });
  });
});
