// Records one real history per runbook in runbooks/ (test/replay/histories/<id>.json), which CI
// replays against the current bundle. Run after an intentional workflow change:
//   node --import tsx scripts/record-histories.ts [runbook-id …]
// It starts its own in-memory dev server, the real worker and the demo service; runs every
// runbook with inputs pointing at that service (dry-run for hardware kinds), approving gates
// as a user with the right role, and stops after a bounded time (a partial history replays too).
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { execFileSync } from 'node:child_process';
import { projectRoot, runbooksDir } from '../core/config.ts';
import { compileOrThrow, startRunbook } from '../client/runbooks.ts';
import { approve, progress } from '../client/runs.ts';
import { loadRoles } from '../client/users.ts';
import { validateInputs } from '../core/runbook/index.ts';
import { createWorker } from '../workers/worker.ts';
import { freePort } from './lib/procs.ts';
import { ensureTemporalCli, startDevServer, waitForTemporal } from './lib/temporal-server.ts';
import { startDemoService } from './lib/demo-service.ts';
import { startDemoHardware } from '../core/hardware/simulator/demo.ts';

const only = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), 'ironthrone-record-'));
process.env.IRONTHRONE_DATA_DIR = dir;
const server = await startDevServer({ port: await freePort(), logFile: join(dir, 'temporal.log'), headless: true });
const svc = await startDemoService({ restartDelayMs: 500 });
// Hardware runbooks act on the built-in iDRAC simulator (started before the worker reads the inventory).
const hw = await startDemoHardware({ dir: join(dir, 'hardware'), timings: { bootMs: 500, idracRestartMs: 500 } });
try {
  await waitForTemporal(server.address);
  const taskQueue = 'record-histories';
  const worker = await createWorker({ connection: await NativeConnection.connect({ address: server.address }), taskQueue });
  const running = worker.run();
  const client = new Client({ connection: await Connection.connect({ address: server.address }) });
  const roles = loadRoles();
  for (const file of readdirSync(runbooksDir()).filter((f) => f.endsWith('.md'))) {
    const id = basename(file, '.md');
    if (only.length && !only.includes(id)) continue;
    svc.degrade();
    const plan = compileOrThrow(join(runbooksDir(), file));
    // Inputs: URLs point at the demo service, everything else takes its default or a sample.
    const raw: Record<string, unknown> = {};
    for (const i of plan.inputs) {
      if (i.type === 'url' || /url$/.test(i.name)) raw[i.name] = svc.url;
      else if (i.type === 'host' || i.name === 'host' || i.name === 'target') raw[i.name] = hw.sim.hosts[0]!.name;
      else if (i.default === undefined) raw[i.name] = i.type === 'number' ? 1 : i.type === 'boolean' ? true : i.type === 'duration' ? '1s' : i.type === 'json' ? {} : 'sample';
    }
    const v = validateInputs(plan, raw);
    if (!v.ok) throw new Error(`${id}: ${v.errors.join('; ')}`);
    const target = [v.values.host, v.values.service].find((x): x is string => typeof x === 'string') ?? 'sample';
    const h = await startRunbook(client, { plan, inputs: v.values, target }, { incidentId: 'record', taskQueue, roles, workflowId: `record:${id}` });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && (await h.describe()).status.name === 'RUNNING') {
      const p = await progress(client, h.workflowId).catch(() => undefined);
      const a = p?.pendingApproval;
      if (a && a.approvedBy.length < a.needed) {
        const user = Object.keys(roles).find((u) => roles[u]!.some((r) => a.roles.includes(r)) && !a.approvedBy.includes(u));
        if (user) await approve(client, h.workflowId, { user, decision: 'approve', stepId: a.stepId, comment: 'recorded' }).catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    if ((await h.describe()).status.name === 'RUNNING') await h.terminate('recording time limit');
    const status = (await h.describe()).status.name;
    // The CLI writes the proto3 JSON form that Worker.runReplayHistory reads back.
    const json = execFileSync(ensureTemporalCli(), ['workflow', 'show', '--address', server.address, '-w', h.workflowId, '--output', 'json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    writeFileSync(join(projectRoot, 'test', 'replay', 'histories', `${id}.json`), json);
    console.log(`${id}: ${status}, ${(JSON.parse(json) as { events: unknown[] }).events.length} events`);
  }
  worker.shutdown();
  await running;
} finally {
  await svc.close();
  await hw.sim.stop();
  await server.stop();
}
