// Act 1: a degraded service is diagnosed and restarted by the demo runbook, with the approval
// given through the real CLI.
import pc from 'picocolors';
import { prepareRun, startRunbook } from '../../client/runbooks.ts';
import { progress } from '../../client/runs.ts';
import { renderProgress } from '../../cli/commands/runs.ts';
import type { DemoService } from '../lib/demo-service.ts';
import { cli, until } from './cli.ts';
import type { DemoContext } from './index.ts';

export async function serviceAct(ctx: DemoContext, svc: DemoService): Promise<boolean> {
  const { client, log } = ctx;
  log(pc.bold('1. service recovery') + ` — demo service "checkout" on ${svc.url} is ${pc.yellow(svc.state().status)}`);
  const prepared = prepareRun('demo-service-recovery', { base_url: svc.url, service: 'checkout' });
  const handle = await startRunbook(client, prepared, { incidentId: `demo-${Date.now().toString(36)}`, severity: 'warning', taskQueue: ctx.taskQueue });
  log(`started runbook ${pc.bold(prepared.plan.id)} as ${handle.workflowId}`);
  const pending = await until(async () => (await progress(client, handle.workflowId)).pendingApproval);
  if (pending) {
    log(`waiting for approval of "${pending.name}"; approving through the CLI:`);
    const r = await cli('approve', handle.workflowId, '--as', 'alice', '--comment', 'demo: restart approved from the CLI');
    console.log(`  $ ironthrone approve ${handle.workflowId} --as alice\n  ${r.out}`);
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
  return ok;
}
