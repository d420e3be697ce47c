// Act 2: a Dell server hangs. The fleet sweep sees its health go Critical over Redfish, records
// the transition on the ledger and dispatches the matching runbook (hw-hung-host), which
// power-cycles the host through Redfish after a dc-ops engineer approves from the CLI.
import pc from 'picocolors';
import { progress } from '../../client/runs.ts';
import { renderProgress } from '../../cli/commands/runs.ts';
import type { DemoHardware } from '../../core/hardware/simulator/demo.ts';
import { fleetSweep } from '../../workflows/fleet-sweep.ts';
import { cli, until } from './cli.ts';
import type { DemoContext } from './index.ts';

export async function hardwareAct(ctx: DemoContext, hw: DemoHardware): Promise<boolean> {
  const { client, log, taskQueue } = ctx;
  const sweep = (dispatch: boolean) =>
    client.workflow.execute(fleetSweep, { taskQueue, workflowId: `fleet-sweep:demo:${Date.now()}`, args: [{ handOff: 'ledger', dispatch }] });
  const hosts = hw.sim.hosts.map((h) => h.name);
  log(pc.bold('2. hardware remediation') + ` — simulated iDRACs for ${hosts.join(', ')} (HTTPS, pinned certificate)`);
  const base = await sweep(false);
  log(`fleet sweep: ${Object.entries(base.states).map(([h, s]) => `${h} ${s}`).join(', ')}`);
  const host = hosts[0]!;
  hw.sim.host(host).inject('hung-host');
  log(`injected fault ${pc.yellow('hung-host')} into ${host} (the OS watchdog logs ASR0000)`);
  const found = await sweep(true);
  for (const e of found.events) log(`sweep event: ${e.target} ${e.kind} ${e.from} → ${pc.red(e.to)} (${e.severity}), recorded on the ledger`);
  const wid = await until(async () => {
    for await (const w of client.workflow.list({ query: `RunbookId='hw-hung-host' AND Target='${host}' AND ExecutionStatus='Running'` })) return w.workflowId;
    return undefined;
  }, 60_000);
  if (!wid) {
    log(pc.red('no runbook was dispatched for the hung host'));
    return false;
  }
  log(`the trigger started runbook ${pc.bold('hw-hung-host')} as ${wid}`);
  const pending = await until(async () => (await progress(client, wid)).pendingApproval);
  if (pending) {
    log(`"${pending.name}" needs a role in [${pending.roles.join(', ')}]; approving as carol (dc-ops) through the CLI:`);
    const r = await cli('approve', wid, '--as', 'carol', '--comment', 'demo: power cycle approved');
    console.log(`  $ ironthrone approve ${wid} --as carol\n  ${r.out}`);
  }
  let ok = false;
  try {
    await client.workflow.getHandle(wid).result();
    ok = true;
  } catch (err) {
    log(pc.red(`hw-hung-host failed: ${err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err)}`));
  }
  const done = await progress(client, wid);
  console.log('\n' + renderProgress(wid, done));
  const hits = (done.outputs.logs as { hits?: { ts: string; severity: string; message: string; messageId?: string }[] } | undefined)?.hits ?? [];
  log(`incident context: ${hits.length} correlated log lines for ${host} (the runbook's logs step), most severe first:`);
  for (const h of hits.slice(0, 4)) console.log(`  ${h.ts}  ${h.severity.padEnd(8)} ${h.messageId ?? ''} ${h.message}`);
  const after = await sweep(false);
  log(`fleet sweep after the fix: ${host} is ${after.states[host] === 'OK' ? pc.green('OK') : pc.red(String(after.states[host]))}; Redfish actions received by ${host}: ${JSON.stringify(Object.fromEntries(hw.sim.host(host).actionCounts))}`);
  // Let the batcher flush the recovery event (age-based, 2 s) before the availability report.
  await new Promise((r) => setTimeout(r, 2500));
  return ok && after.states[host] === 'OK';
}
