// From an event (a health transition, a probe outage, a prediction) to the runbooks whose
// triggers match it. Each start uses a workflow id derived from the event, so delivering the
// same event twice starts nothing new.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { runbooksDir } from '../core/config.ts';
import { compileRunbookFile, validateInputs } from '../core/runbook/index.ts';
import type { Plan } from '../core/runbook/plan.ts';
import { matchingRunbooks, type TriggerEvent } from '../core/runbook/triggers.ts';
import { startRunbook, type StartOptions } from './runbooks.ts';

export interface Dispatched {
  runbookId: string;
  workflowId?: string;
  outcome: 'started' | 'already-running' | 'skipped';
  reason?: string;
}

export function loadPlans(dir = runbooksDir()): Plan[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => compileRunbookFile(join(dir, f), { runbooksDir: dir }).plan)
    .filter((p): p is Plan => p !== undefined);
}

/** Stable incident id for an event: the same event always maps to the same id. */
export function incidentIdFor(e: TriggerEvent): string {
  const key = JSON.stringify([e.kind, e.target, e.observedAt ?? e.at ?? '', e.tags ?? {}]);
  return `inc-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
}

/** Inputs a runbook can take from the event: target/host/service and same-named tags. */
function inputsFromEvent(plan: Plan, e: TriggerEvent): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const i of plan.inputs) {
    if (['target', 'host'].includes(i.name)) raw[i.name] = e.target;
    else if (e.tags?.[i.name] !== undefined) raw[i.name] = e.tags[i.name];
    else if (i.name === 'service' && e.tags?.service) raw[i.name] = e.tags.service;
  }
  return raw;
}

export async function dispatchEvent(client: Client, e: TriggerEvent, opts: StartOptions & { plans?: Plan[] } = {}): Promise<Dispatched[]> {
  const incidentId = opts.incidentId ?? incidentIdFor(e);
  const out: Dispatched[] = [];
  for (const plan of matchingRunbooks(opts.plans ?? loadPlans(), e)) {
    const v = validateInputs(plan, inputsFromEvent(plan, e));
    if (!v.ok) {
      out.push({ runbookId: plan.id, outcome: 'skipped', reason: v.errors.join('; ') });
      continue;
    }
    try {
      const h = await startRunbook(client, { plan, inputs: v.values, target: e.target }, { ...opts, incidentId, severity: e.severity });
      out.push({ runbookId: plan.id, workflowId: h.workflowId, outcome: 'started' });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) out.push({ runbookId: plan.id, outcome: 'already-running' });
      else throw err;
    }
  }
  return out;
}
