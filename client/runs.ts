// Steering runs that already exist: approvals, progress, pause/resume, re-run from failure.
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { runRunbook } from '../workflows/runbook.ts';
import { approveUpdate, pauseSignal, progressQuery, resumeSignal } from '../workflows/runbook-messages.ts';
import type { ApprovalRequest, Decision, Progress, RunbookInput } from '../workflows/runbook-types.ts';
import { RunbookError } from './errors.ts';

function notFound(err: unknown, workflowId: string): never {
  if (err instanceof WorkflowNotFoundError) throw new RunbookError(`no workflow ${workflowId}`, 'not-found');
  throw err;
}

export async function approve(client: Client, workflowId: string, req: ApprovalRequest): Promise<Decision> {
  const handle = client.workflow.getHandle(workflowId);
  try {
    const desc = await handle.describe();
    if (desc.status.name !== 'RUNNING') {
      throw new RunbookError(`workflow ${workflowId} is ${desc.status.name.toLowerCase()}: nothing to approve`, 'state');
    }
    return await handle.executeUpdate(approveUpdate, { args: [req] });
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      const cause = err.cause instanceof Error ? err.cause.message : err.message;
      throw new RunbookError(`refused: ${cause}`, 'refused');
    }
    return notFound(err, workflowId);
  }
}

export async function progress(client: Client, workflowId: string): Promise<Progress> {
  try {
    return await client.workflow.getHandle(workflowId).query(progressQuery);
  } catch (err) {
    return notFound(err, workflowId);
  }
}

export async function pause(client: Client, workflowId: string, paused: boolean): Promise<void> {
  try {
    await client.workflow.getHandle(workflowId).signal(paused ? pauseSignal : resumeSignal);
  } catch (err) {
    notFound(err, workflowId);
  }
}

/** The input a workflow was started with, read back from its history. */
export async function startedInput(client: Client, workflowId: string): Promise<RunbookInput> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  if (!payload) throw new RunbookError(`workflow ${workflowId} has no start input`, 'state');
  return defaultPayloadConverter.fromPayload<RunbookInput>(payload);
}

/**
 * Re-run a failed run from the step that failed: a new run (same business id) that skips the
 * steps already done, keeping their outputs and the decisions on gates already passed (a gate
 * that was rejected or timed out asks again).
 */
export async function rerunFromFailure(client: Client, workflowId: string, taskQueue?: string): Promise<WorkflowHandle<typeof runRunbook>> {
  const handle = client.workflow.getHandle(workflowId);
  let desc;
  try {
    desc = await handle.describe();
  } catch (err) {
    return notFound(err, workflowId);
  }
  if (!['FAILED', 'TERMINATED', 'TIMED_OUT', 'CANCELLED'].includes(desc.status.name)) {
    throw new RunbookError(`workflow ${workflowId} is ${desc.status.name.toLowerCase()}: only a failed run can be re-run`, 'state');
  }
  const input = await startedInput(client, workflowId);
  const prog = await handle.query(progressQuery);
  const done = Object.fromEntries(
    prog.steps.filter((s) => s.status === 'succeeded' || s.status === 'skipped').map((s) => [s.id, { id: s.id, status: s.status, output: s.output, startedAt: s.startedAt, endedAt: s.endedAt }])
  );
  return client.workflow.start(runRunbook, {
    workflowId,
    taskQueue: taskQueue ?? desc.taskQueue,
    args: [{ ...input, carry: { completed: done, bindings: prog.outputs, decisions: prog.decisions.filter((d) => d.stepId in done), refusals: prog.refusals, generation: 0, rerunOf: `${workflowId}/${desc.runId}` } }],
    typedSearchAttributes: desc.typedSearchAttributes,
    memo: desc.memo,
    staticSummary: `re-run of ${workflowId}`,
  });
}
