// The hardware runbooks in runbooks/ run for real: compiled, interpreted by runRunbook on the
// shared Temporal dev server, acting through the redfish activities on the simulator, with a
// declared fault and an expected outcome each.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { createWorker } from '../../../workers/worker.ts';
import { runRunbook } from '../../../workflows/runbook.ts';
import { approveUpdate, progressQuery } from '../../../workflows/runbook-messages.ts';
import { compileRunbookFile } from '../../../core/runbook/compile.ts';
import { projectRoot } from '../../../core/config.ts';
import type { RunningSimulator } from '../../../core/hardware/simulator/server.ts';
import { simulatorInventoryYaml, SIM_PASSWORD_ENV } from '../../../core/hardware/simulator/inventory-file.ts';
import { nativeConnection, taskQueueFor, testClient, testDataDir, workflowBundle } from '../../helpers/temporal.ts';
import { adminState, injectFault, startTestSimulator, until } from './sim-helpers.ts';

let sim: RunningSimulator;
let client: Client;
let worker: Worker;
let running: Promise<void>;
const taskQueue = taskQueueFor('hw-runbooks');
const ROLES = { carol: ['dc-ops'], alice: ['sre'] };

beforeAll(async () => {
  const data = testDataDir('hw-runbooks');
  process.env.IRONTHRONE_DATA_DIR = data;
  process.env[SIM_PASSWORD_ENV] = 'calvin';
  sim = await startTestSimulator(4, { bootMs: 1500, idracRestartMs: 1500, taskMs: 200 });
  process.env.IRONTHRONE_INVENTORY = join(data, 'inventory.yaml');
  writeFileSync(process.env.IRONTHRONE_INVENTORY, simulatorInventoryYaml(sim));
  client = await testClient();
  worker = await createWorker({
    connection: await nativeConnection(),
    taskQueue,
    workflowBundle: await workflowBundle(),
  });
  running = worker.run();
});
afterAll(async () => {
  worker?.shutdown();
  await running;
  await sim?.stop();
});

function start(runbook: string, host: string) {
  const { plan, diagnostics } = compileRunbookFile(join(projectRoot, 'runbooks', `${runbook}.md`));
  if (!plan) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  const workflowId = `runbook:${plan.id}:${host}:test-${Date.now()}`;
  return client.workflow.start(runRunbook, {
    workflowId,
    taskQueue,
    args: [{ plan, inputs: { host }, target: host, incidentId: 'hw-test', roles: ROLES }],
  });
}

describe('hardware runbooks against the simulator', () => {
  it('hw-hung-host: power-cycles after approval, exactly once, and the host recovers', async () => {
    await injectFault(sim, 'sim-001', 'hung-host');
    const h = await start('hw-hung-host', 'sim-001');
    await until(
      'approval pending',
      () => h.query(progressQuery),
      (p) => p.pendingApproval?.stepId === 'approve-the-power-cycle',
      60_000
    );
    expect((await adminState(sim, 'sim-001')).totalActions).toBe(0);
    await h.executeUpdate(approveUpdate, { args: [{ user: 'carol', decision: 'approve', comment: 'cycle it' }] });
    const result = await h.result();
    expect(result.status).toBe('completed');
    const state = await adminState(sim, 'sim-001');
    expect(state).toMatchObject({ power: 'On', health: 'OK', faults: [] });
    expect(state.actionsByKey[`${h.workflowId}:power-cycle`]).toBe(1);
    expect(state.actions).toEqual({ 'ComputerSystem.Reset:PowerCycle': 1 });
  }, 180_000);

  it('hw-hung-host: refuses to act on a healthy host (check fails, nothing sent)', async () => {
    const h = await start('hw-hung-host', 'sim-004');
    await expect(h.result()).rejects.toThrow();
    expect((await adminState(sim, 'sim-004')).totalActions).toBe(0);
  }, 120_000);

  it('hw-idrac-unresponsive: Manager.Reset brings the iDRAC back', async () => {
    await injectFault(sim, 'sim-002', 'idrac-unresponsive');
    const h = await start('hw-idrac-unresponsive', 'sim-002');
    const result = await h.result();
    expect(result.status).toBe('completed');
    const state = await adminState(sim, 'sim-002');
    expect(state.idracResponding).toBe(true);
    expect(state.actions).toEqual({ 'Manager.Reset': 1 });
    expect(JSON.stringify(result.outputs.lclog)).toContain('RAC0182');
  }, 180_000);

  it('hw-sel-full: archives the SEL in the run output, then clears it', async () => {
    await injectFault(sim, 'sim-003', 'overheating');
    await injectFault(sim, 'sim-003', 'memory-ecc');
    const h = await start('hw-sel-full', 'sim-003');
    const result = await h.result();
    expect(result.status).toBe('completed');
    expect((result.outputs.archive as { messageId: string }[]).map((e) => e.messageId)).toEqual(['MEM0701', 'TMP0120']);
    expect((await adminState(sim, 'sim-003')).selEntries).toBe(0);
  }, 120_000);
});
