// The demo `npm start` runs, act by act, against the real stack: a degraded service restarted
// by a runbook, a hung Dell server found by the Redfish sweep and power-cycled by the runbook its
// trigger selects, telemetry and an availability report from the ledger, and the ledger verified.
// Approvals go through the real CLI, as an operator would give them.
import type { Client } from '@temporalio/client';
import pc from 'picocolors';
import { dataDir } from '../../core/config.ts';
import { startDemoHardware, type DemoHardware } from '../../core/hardware/simulator/demo.ts';
import { startDemoService, type DemoService } from '../lib/demo-service.ts';
import { hardwareAct } from './hardware.ts';
import { ledgerAct, ledgerHead } from './ledger.ts';
import { serviceAct } from './service.ts';
import { telemetryAct } from './telemetry.ts';
import { predictAct } from './predict.ts';

export interface DemoContext {
  client: Client;
  taskQueue: string;
  uiUrl: string;
  apiBase: string;
  log: (s: string) => void;
}

export interface DemoWorld {
  svc: DemoService;
  hw: DemoHardware;
  close(): Promise<void>;
}

/** What the demo acts on; started before the worker so its activities see the simulated fleet. */
export async function prepareDemo(log: (s: string) => void): Promise<DemoWorld> {
  const svc = await startDemoService();
  const hw = await startDemoHardware({ dir: dataDir('hardware', 'demo') });
  log(`demo world: service "checkout" on ${svc.url}, ${hw.sim.hosts.length} simulated Dell iDRACs (inventory ${hw.inventoryFile})`);
  return { svc, hw, close: async () => (await svc.close(), await hw.sim.stop()) };
}

export async function runDemo(ctx: DemoContext, world: DemoWorld): Promise<boolean> {
  const before = await ledgerHead();
  const results: [string, boolean][] = [];
  results.push(['service recovery', await serviceAct(ctx, world.svc)]);
  results.push(['hardware remediation', await hardwareAct(ctx, world.hw)]);
  results.push(['telemetry and availability', await telemetryAct(ctx, `${world.svc.url}/health`)]);
  results.push(['prediction before an outage', await predictAct(ctx)]);
  results.push(['ledger verified', await ledgerAct(ctx, before)]);
  ctx.log(`demo: ${results.map(([n, ok]) => `${ok ? pc.green('✓') : pc.red('✗')} ${n}`).join('  ')}`);
  return results.every(([, ok]) => ok);
}
