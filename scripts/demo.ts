// The demo `npm start` runs: a degraded service is diagnosed and restarted by the demo runbook,
// with the approval given through the real CLI, exactly as an operator would.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import pc from 'picocolors';
import { projectRoot } from '../core/config.ts';
import { prepareRun, startRunbook } from '../client/runbooks.ts';
import { progress } from '../client/runs.ts';
import { renderProgress } from '../cli/commands/runs.ts';
import { startDemoService } from './lib/demo-service.ts';

export interface DemoContext {
  client: Client;
  taskQueue: string;
  uiUrl: string;
  log: (s: string) => void;
}

/**
 * Run the `ironthrone` CLI as a separate process (the same path an operator uses). Asynchronous:
 * the worker lives in this process and must keep serving the update the CLI sends.
 */
export function cli(...argv: string[]): Promise<{ status: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(projectRoot, 'bin', 'ironthrone.js'), ...argv], { encoding: 'utf8', env: process.env }, (err, stdout, stderr) => {
      const status = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ status, out: `${stdout}${stderr}`.trim() });
    });
  });
}

export async function runDemo(ctx: DemoContext): Promise<{ ok: boolean; close: () => Promise<void> }> {
  const { client, log } = ctx;
  const svc = await startDemoService();
  log(`demo service "checkout" on ${svc.url} is ${pc.yellow(svc.state().status)}`);
  const prepared = prepareRun('demo-service-recovery', { base_url: svc.url, service: 'checkout' });
  const incident = `demo-${Date.now().toString(36)}`;
  const handle = await startRunbook(client, prepared, { incidentId: incident, severity: 'warning', taskQueue: ctx.taskQueue });
  log(`started runbook ${pc.bold(prepared.plan.id)} as ${handle.workflowId}`);
  const deadline = Date.now() + 120_000;
  let approved = false;
  while (Date.now() < deadline) {
    const p = await progress(client, handle.workflowId).catch(() => undefined);
    if (p?.pendingApproval && !approved) {
      log(`waiting for approval of "${p.pendingApproval.name}"; approving through the CLI:`);
      const r = await cli('approve', handle.workflowId, '--as', 'alice', '--comment', 'demo: restart approved from the CLI');
      console.log(`  $ ironthrone approve ${handle.workflowId} --as alice\n  ${r.out}`);
      approved = r.status === 0;
      if (!approved) break;
    }
    const d = await handle.describe();
    if (d.status.name !== 'RUNNING') break;
    await new Promise((r) => setTimeout(r, 500));
  }
  let ok = false;
  try {
    await handle.result();
    ok = true;
  } catch (err) {
    log(pc.red(`demo runbook failed: ${err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err)}`));
  }
  console.log('\n' + renderProgress(handle.workflowId, await progress(client, handle.workflowId)));
  log(`service is now ${svc.state().status === 'ok' ? pc.green('ok') : pc.red(svc.state().status)} after ${svc.state().restarts} restart(s)`);
  log(`the run in the Temporal Web UI: ${ctx.uiUrl}/namespaces/default/workflows/${encodeURIComponent(handle.workflowId)}`);
  return { ok, close: () => svc.close() };
}
