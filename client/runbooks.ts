// Starting and steering runbook workflows from outside (CLI, HTTP API, incident handling).
// Compilation and input validation happen here, before anything starts: a runbook that does
// not compile, or inputs that do not validate, never reach Temporal.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { compileRunbookFile, formatDiagnostic, resolveValue, validateInputs } from '../core/runbook/index.ts';
import type { Plan } from '../core/runbook/plan.ts';
import { runbooksDir, temporalSettings } from '../core/config.ts';
import { runRunbook } from '../workflows/runbook.ts';
import type { RunbookInput } from '../workflows/runbook-types.ts';
import { loadRoles } from './users.ts';

export { SA, RunbookError } from './errors.ts';
import { SA, RunbookError } from './errors.ts';

/** A file path, or a runbook id looked up in the runbooks folder. */
export function resolveRunbookPath(fileOrId: string, dir = runbooksDir()): string {
  if (existsSync(fileOrId)) return fileOrId;
  const byId = join(dir, `${fileOrId}.md`);
  if (existsSync(byId)) return byId;
  throw new RunbookError(`no runbook ${fileOrId}: not a file, and no ${byId}`, 'not-found');
}

export function compileOrThrow(path: string, dir = runbooksDir()): Plan {
  const { plan, diagnostics } = compileRunbookFile(path, { runbooksDir: dir });
  const errors = diagnostics.filter((d) => d.severity !== 'warning');
  if (!plan || errors.length > 0) {
    throw new RunbookError(`${path} does not compile`, 'compile', errors.map(formatDiagnostic));
  }
  return plan;
}

export interface PreparedRun {
  plan: Plan;
  inputs: Record<string, unknown>;
  target: string;
}

export function prepareRun(fileOrId: string, rawInputs: Record<string, unknown>, dir = runbooksDir()): PreparedRun {
  const plan = compileOrThrow(resolveRunbookPath(fileOrId, dir), dir);
  const v = validateInputs(plan, rawInputs);
  if (!v.ok) throw new RunbookError(`invalid inputs for runbook ${plan.id}`, 'input', v.errors);
  const inputs = v.values;
  const declared = plan.target === undefined ? undefined : resolveValue(plan.target, { inputs });
  const named = [declared, inputs.target, inputs.host, inputs.service].find((v) => typeof v === 'string' && v.length > 0);
  const target = typeof named === 'string' ? named : 'fleet';
  return { plan, inputs, target };
}

export function runbookWorkflowId(runbookId: string, target: string, incidentId: string): string {
  return `runbook:${runbookId}:${target}:${incidentId}`;
}

export interface StartOptions {
  incidentId?: string;
  severity?: string;
  dryRun?: boolean;
  record?: boolean;
  taskQueue?: string;
  maxStepsPerRun?: number;
  roles?: Record<string, string[]>;
  carry?: RunbookInput['carry'];
  workflowId?: string;
}

export function runbookInput(p: PreparedRun, o: StartOptions & { incidentId: string }): RunbookInput {
  return {
    plan: p.plan,
    inputs: p.inputs,
    target: p.target,
    incidentId: o.incidentId,
    roles: o.roles ?? loadRoles(),
    dryRun: o.dryRun,
    // Runs are recorded on the ledger unless switched off (IRONTHRONE_RECORD=false).
    record: o.record ?? process.env.IRONTHRONE_RECORD !== 'false',
    maxStepsPerRun: o.maxStepsPerRun,
    carry: o.carry,
  };
}

export async function startRunbook(client: Client, p: PreparedRun, o: StartOptions = {}): Promise<WorkflowHandle<typeof runRunbook>> {
  const incidentId = o.incidentId ?? `manual-${Date.now().toString(36)}`;
  const workflowId = o.workflowId ?? runbookWorkflowId(p.plan.id, p.target, incidentId);
  return client.workflow.start(runRunbook, {
    workflowId,
    taskQueue: o.taskQueue ?? temporalSettings().taskQueue,
    args: [runbookInput(p, { ...o, incidentId })],
    typedSearchAttributes: new TypedSearchAttributes([
      { key: SA.RunbookId, value: p.plan.id },
      { key: SA.Target, value: p.target },
      { key: SA.IncidentId, value: incidentId },
      { key: SA.Severity, value: o.severity ?? 'none' },
      { key: SA.Status, value: 'running' },
    ]),
    memo: { title: p.plan.title, sourceHash: p.plan.sourceHash, sourcePath: p.plan.sourcePath, version: p.plan.version },
    staticSummary: `${p.plan.title} on ${p.target}`,
    workflowExecutionTimeout: p.plan.timeoutMs,
  });
}
