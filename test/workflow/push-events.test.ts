// Redfish push end to end: a BMC subscribed at start pushes an alert when a fault appears; the
// alert starts an immediate sweep of that host, which records the health transition.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { startDemoHardware, type DemoHardware } from '../../core/hardware/simulator/demo.ts';
import type { EventListener } from '../../core/hardware/events.ts';
import { startPushEvents } from '../../scripts/lib/push-events.ts';
import { type TestWorker, startTestWorker, testClient, testDataDir } from '../helpers/temporal.ts';

let client: Client;
let tw: TestWorker;
let taskQueue: string;
let hw: DemoHardware;
let listener: EventListener;
const logs: string[] = [];

beforeAll(async () => {
  const dir = testDataDir('push');
  process.env.IRONTHRONE_DATA_DIR = dir;
  hw = await startDemoHardware({ dir: join(dir, 'sim'), hosts: 2 });
  client = await testClient();
  tw = await startTestWorker('push');
  taskQueue = tw.taskQueue;
  listener = await startPushEvents(client, taskQueue, (s) => logs.push(s));
});

afterAll(async () => {
  await listener?.stop();
  await tw?.stop();
  await hw?.sim.stop();
});

describe('Redfish push events', () => {
  it('turn a pushed fault into an immediate sweep that records the transition', async () => {
    expect(logs.join('\n')).toMatch(/2 BMC\(s\) subscribed/);
    hw.sim.host('sim-002').inject('psu-loss');
    let sweepId: string | undefined;
    for (let i = 0; i < 100 && !sweepId; i++) {
      for await (const w of client.workflow.list({ query: `WorkflowType='fleetSweep' AND WorkflowId STARTS_WITH 'fleet-sweep:push:sim-002'` })) sweepId = w.workflowId;
      if (!sweepId) await new Promise((r) => setTimeout(r, 300));
    }
    expect(sweepId).toBeDefined();
    const result = await client.workflow.getHandle(sweepId!).result();
    expect(result.events).toEqual([expect.objectContaining({ target: 'sim-002', kind: 'hardware.psu', to: 'Critical' })]);
    expect(logs.join('\n')).toMatch(/push alert from sim-002: PSU0003/);
  });
});
