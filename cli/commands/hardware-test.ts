// Runs a runbook's declared tests (`runbooks/<id>.test.yaml`) against the built-in simulator:
// for each case, a fresh simulator, the fault injected, the runbook compiled and run by the real
// interpreter on Temporal with the project's activities, approvals given as declared, and the
// outcome compared with the expectation. Used by `ironthrone hardware test-runbook` and CI.
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { workflowsPath } from '../../workers/paths.ts';
import { createWorker } from '../../workers/worker.ts';
import { runRunbook } from '../../workflows/runbook.ts';
import { approveUpdate, progressQuery } from '../../workflows/runbook-messages.ts';
import { compileRunbookFile } from '../../core/runbook/compile.ts';
import { startSimulator } from '../../core/hardware/simulator/server.ts';
import { hostState } from '../../core/hardware/simulator/admin.ts';
import { simulatorInventoryYaml, SIM_PASSWORD_ENV } from '../../core/hardware/simulator/inventory-file.ts';
import { checkOutcome, loadRunbookTestSpec, type ObservedOutcome } from '../../core/hardware/runbook-test-spec.ts';

export interface CaseResult {
  name: string;
  passed: boolean;
  problems: string[];
  workflowId: string;
}

export async function runRunbookTests(
  specFile: string,
  deps: {
    client: Client;
    connection: NativeConnection;
    roles: Record<string, string[]>;
    workflowBundle?: WorkflowBundleWithSourceMap;
    timeoutMs?: number;
  }
): Promise<CaseResult[]> {
  const spec = loadRunbookTestSpec(specFile);
  const { plan, diagnostics } = compileRunbookFile(join(dirname(specFile), `${spec.runbook}.md`));
  if (!plan)
    throw new Error(
      `${spec.runbook}.md does not compile:\n${diagnostics.map((d) => `${d.line}:${d.column}: ${d.message}`).join('\n')}`
    );
  const work = mkdtempSync(join(tmpdir(), `ironthrone-rbtest-${spec.runbook}-`));
  const saved = { inv: process.env.IRONTHRONE_INVENTORY, pw: process.env[SIM_PASSWORD_ENV] };
  const results: CaseResult[] = [];
  // One bundle for all cases (bundling takes seconds).
  const bundle =
    deps.workflowBundle ??
    (await bundleWorkflowCode({
      workflowsPath,
      logger: { log() {}, info() {}, warn() {}, error: console.error, debug() {}, trace() {} },
    }));
  try {
    for (const [i, c] of spec.cases.entries()) {
      const sim = await startSimulator({
        hosts: spec.hosts,
        certDir: join(work, 'cert'),
        timings: { bootMs: 1500, idracRestartMs: 1500, taskMs: 200 },
      });
      const taskQueue = `rbtest-${spec.runbook}-${i}-${Date.now()}`;
      const data = join(work, `case-${i}`);
      process.env.IRONTHRONE_INVENTORY = join(work, `inventory-${i}.yaml`);
      process.env[SIM_PASSWORD_ENV] = sim.credentials.password;
      writeFileSync(process.env.IRONTHRONE_INVENTORY, simulatorInventoryYaml(sim));
      const worker = await createWorker({
        connection: deps.connection,
        taskQueue,
        workflowBundle: bundle,
        dataDir: data,
      });
      const running = worker.run();
      const workflowId = `runbook:${plan.id}:${c.host}:rbtest-${i}-${Date.now()}`;
      let status = 'unknown';
      try {
        for (const f of c.faults) sim.host(c.host).inject(f);
        const h = await deps.client.workflow.start(runRunbook, {
          workflowId,
          taskQueue,
          args: [
            {
              plan,
              inputs: { host: c.host, ...c.inputs },
              target: c.host,
              incidentId: `rbtest-${i}`,
              roles: deps.roles,
            },
          ],
        });
        const deadline = Date.now() + (deps.timeoutMs ?? 300_000);
        const answered = new Set<string>();
        for (;;) {
          const d = await h.describe();
          if (d.status.name !== 'RUNNING') break;
          const p = await h.query(progressQuery).catch(() => undefined);
          const pending = p?.pendingApproval?.stepId;
          if (pending && c.approve && !answered.has(pending)) {
            answered.add(pending);
            await h.executeUpdate(approveUpdate, {
              args: [{ user: c.approve.user, decision: c.approve.decision, comment: c.approve.comment }],
            });
          }
          if (Date.now() > deadline) {
            await h.terminate('runbook test timed out');
            break;
          }
          await new Promise((r) => setTimeout(r, 300));
        }
        status = await h
          .query(progressQuery)
          .then((p) => p.status as string)
          .catch(async () => (await h.describe()).status.name.toLowerCase());
        const s = hostState(sim.host(c.host));
        const observed: ObservedOutcome = {
          status,
          host: {
            power: s.power,
            health: s.health,
            faults: s.faults,
            idracResponding: s.idracResponding,
            selEntries: s.selEntries,
            actions: s.actions,
            actionsByKey: s.actionsByKey,
          },
        };
        const problems = checkOutcome(c, observed);
        results.push({ name: c.name, passed: problems.length === 0, problems, workflowId });
      } finally {
        worker.shutdown();
        await running;
        await sim.stop();
      }
    }
  } finally {
    process.env.IRONTHRONE_INVENTORY = saved.inv;
    if (saved.inv === undefined) delete process.env.IRONTHRONE_INVENTORY;
    process.env[SIM_PASSWORD_ENV] = saved.pw;
    if (saved.pw === undefined) delete process.env[SIM_PASSWORD_ENV];
  }
  return results;
}

export { NativeConnection };
