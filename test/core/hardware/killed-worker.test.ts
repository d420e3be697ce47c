// Exactly-once across a killed Temporal worker: the activity worker is SIGKILLed after the BMC
// applied a PowerCycle but before the activity completed; Temporal retries the activity on a new
// worker, which finds the recorded intent, reconciles with the BMC's Lifecycle log and does not
// send the reset again.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Worker } from '@temporalio/worker';
import { runRunbook } from '../../../workflows/runbook.ts';
import type { PlanStep } from '../../../core/runbook/plan.ts';
import { projectRoot } from '../../../core/config.ts';
import { createRedfishActivities } from '../../../activities/redfish.ts';
import type { RunningSimulator } from '../../../core/hardware/simulator/server.ts';
import { simulatorInventoryYaml, SIM_PASSWORD_ENV } from '../../../core/hardware/simulator/inventory-file.ts';
import { nativeConnection, taskQueueFor, testClient, testDataDir, workflowBundle } from '../../helpers/temporal.ts';
import { plan } from '../../helpers/plans.ts';
import { adminState, startTestSimulator, until } from './sim-helpers.ts';

let sim: RunningSimulator;
let data: string;
let inventoryFile: string;
const taskQueue = taskQueueFor('killed-worker');
let workflowWorker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  process.env[SIM_PASSWORD_ENV] = 'calvin';
  sim = await startTestSimulator(2, { bootMs: 1000, idracRestartMs: 1000, taskMs: 200 });
  data = testDataDir('killed-worker');
  inventoryFile = join(data, 'inventory.yaml');
  writeFileSync(inventoryFile, simulatorInventoryYaml(sim));
  // Workflows only: activities run in the child (then in a replacement worker).
  workflowWorker = await Worker.create({
    connection: await nativeConnection(),
    taskQueue,
    workflowBundle: await workflowBundle(),
  });
  running = workflowWorker.run();
});
afterAll(async () => {
  workflowWorker?.shutdown();
  await running;
  await sim?.stop();
});

const cycleStep: PlanStep = {
  id: 'power-cycle',
  name: 'Power cycle',
  kind: 'redfish',
  exec: 'activity',
  activity: 'redfishAction',
  params: { host: 'sim-001', action: 'reset', reset_type: 'PowerCycle' },
  policy: { retries: 3, timeoutMs: 5000, as: 'cycle' },
  doc: '',
  line: 1,
};

describe('exactly-once across a killed worker', () => {
  it('does not power-cycle twice when the worker dies mid-action', async () => {
    // The BMC applies the reset at once but answers 4 s later: the kill lands in that window.
    await fetch(`${sim.adminUrl}/hosts/sim-001/reply-delay/4000`, { method: 'POST' });
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(projectRoot, 'test/core/hardware/fixtures/activity-worker.ts'),
        inject('temporalAddress'),
        taskQueue,
        data,
        inventoryFile,
      ],
      { env: process.env, stdio: ['ignore', 'pipe', 'inherit'] }
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise((r) => child.once('exit', r));
    await until(
      'child worker ready',
      async () => out,
      (o) => o.includes('WORKER READY') || child.exitCode !== null,
      90_000
    );
    expect(child.exitCode).toBeNull();

    const client = await testClient();
    const workflowId = `runbook:killed-worker:sim-001:${Date.now()}`;
    const h = await client.workflow.start(runRunbook, {
      workflowId,
      taskQueue,
      args: [{ plan: plan('killed-worker', [cycleStep]), inputs: {}, target: 'sim-001', incidentId: 'kw', roles: {} }],
    });
    await until(
      'the BMC received the reset',
      () => adminState(sim, 'sim-001'),
      (s) => s.totalActions === 1,
      60_000
    );
    child.kill('SIGKILL');
    await exited;
    await fetch(`${sim.adminUrl}/hosts/sim-001/reply-delay/0`, { method: 'POST' });

    // A replacement worker picks up the retried activity.
    const replacement = await Worker.create({
      connection: await nativeConnection(),
      taskQueue,
      activities: createRedfishActivities({ dataDir: data, inventoryFile }),
    });
    const result = await replacement.runUntil(h.result());
    expect(result.status).toBe('completed');
    expect(result.outputs.cycle).toMatchObject({ replayed: true, reconciled: 'done' });
    const state = await adminState(sim, 'sim-001');
    expect(state.actionsByKey[`${workflowId}:power-cycle`]).toBe(1);
    expect(state.actions).toEqual({ 'ComputerSystem.Reset:PowerCycle': 1 });
  }, 180_000);
});
