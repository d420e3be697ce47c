// The fleet-sweep workflow on the shared Temporal dev server, with the real redfish activities
// against the simulator: injected faults become availability events, repairs close them.
/* eslint-disable @typescript-eslint/no-explicit-any -- Redfish JSON documents inspected ad hoc */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../core/hardware/simulator/server.ts';
import { simulatorInventoryYaml, SIM_PASSWORD_ENV } from '../../../core/hardware/simulator/inventory-file.ts';
import { createRedfishActivities } from '../../../activities/redfish.ts';
import { fleetSweep } from '../../../workflows/fleet-sweep.ts';
import {
  nativeConnection,
  taskQueueFor,
  testClient,
  testDataDir,
  workflowBundle,
  Worker,
} from '../../helpers/temporal.ts';
import { injectFault, startTestSimulator } from './sim-helpers.ts';

let sim: RunningSimulator;
let worker: Worker;
let running: Promise<void>;
const taskQueue = taskQueueFor('fleet-sweep');
const points: unknown[] = [];

beforeAll(async () => {
  process.env[SIM_PASSWORD_ENV] = 'calvin';
  sim = await startTestSimulator(4);
  const data = testDataDir('fleet-sweep');
  const inventoryFile = join(data, 'inventory.yaml');
  writeFileSync(inventoryFile, simulatorInventoryYaml(sim));
  const activities = createRedfishActivities({
    dataDir: data,
    inventoryFile,
    redfishTimeoutMs: 1000,
    telemetrySink: (p) => points.push(...p),
  });
  worker = await Worker.create({
    connection: await nativeConnection(),
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities,
  });
  running = worker.run();
});
afterAll(async () => {
  worker?.shutdown();
  await running;
  await sim?.stop();
});

const sweep = async (n: number) =>
  (await testClient()).workflow.execute(fleetSweep, {
    taskQueue,
    workflowId: `sweep-test-${n}-${Date.now()}`,
    args: [{ concurrency: 2 }],
  });

describe('fleetSweep', () => {
  it('turns injected faults into availability events and back', async () => {
    const first = await sweep(1);
    expect(first.polled).toBe(4);
    expect(first.events).toEqual([]);
    expect(Object.values(first.states)).toEqual(['OK', 'OK', 'OK', 'OK']);
    expect(points.some((p: any) => p.tags.name === 'hardware.fan.rpm' && p.tags.host === 'sim-001')).toBe(true);

    await injectFault(sim, 'sim-002', 'fan-failure');
    await injectFault(sim, 'sim-003', 'overheating');
    await injectFault(sim, 'sim-004', 'idrac-unresponsive');
    const second = await sweep(2);
    const byHost = Object.fromEntries(second.events.map((e) => [e.target, e]));
    expect(byHost['sim-002']).toMatchObject({
      type: 'availability',
      kind: 'hardware.fan',
      from: 'OK',
      to: 'Critical',
      severity: 'critical',
      source: 'redfish-sweep',
    });
    expect(byHost['sim-002']!.payloadDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(byHost['sim-002']!.tags).toMatchObject({ host: 'sim-002', service: 'db' });
    expect(byHost['sim-003']).toMatchObject({ kind: 'hardware.thermal', from: 'OK', to: 'Warning' });
    expect(byHost['sim-004']).toMatchObject({ kind: 'hardware.bmc-unreachable', to: 'Unreachable' });
    expect(byHost['sim-001']).toBeUndefined();

    // Same state again: no new events.
    expect((await sweep(3)).events.filter((e) => e.target !== 'sim-004')).toEqual([]);

    await fetch(`${sim.adminUrl}/hosts/sim-002/faults/fan-failure`, { method: 'DELETE' });
    const fourth = await sweep(4);
    expect(fourth.events.find((e) => e.target === 'sim-002')).toMatchObject({
      kind: 'hardware.fan',
      from: 'Critical',
      to: 'OK',
      severity: 'info',
    });
  });

  it('fails fast for a host missing from the inventory', async () => {
    const c = await testClient();
    const err: any = await c.workflow
      .execute(fleetSweep, { taskQueue, workflowId: `sweep-bad-${Date.now()}`, args: [{ hosts: ['ghost-01'] }] })
      .catch((e: unknown) => e);
    // WorkflowFailedError -> ActivityFailure -> ApplicationFailure(UnknownHostError), not retried.
    expect(err?.cause?.cause?.type).toBe('UnknownHostError');
    expect(err.cause.cause.message).toMatch(/unknown host 'ghost-01'/);
  });
});
