// Temporal Schedules for runbooks that declare `schedule:` (cron) in their front matter.
import { ScheduleNotFoundError, type Client, type ScheduleSummary } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { temporalSettings } from '../core/config.ts';
import { runRunbook } from '../workflows/runbook.ts';
import { RunbookError, SA, runbookInput, type PreparedRun } from './runbooks.ts';

export const scheduleIdFor = (runbookId: string, target: string) => `runbook:${runbookId}:${target}`;

export async function createSchedule(
  client: Client,
  p: PreparedRun,
  o: { cron?: string; every?: string; taskQueue?: string; roles?: Record<string, string[]>; record?: boolean } = {}
): Promise<string> {
  const cron = o.cron ?? p.plan.schedule;
  if (!cron && !o.every) throw new RunbookError(`runbook ${p.plan.id} declares no schedule: and no --cron was given`, 'input');
  const scheduleId = scheduleIdFor(p.plan.id, p.target);
  await client.schedule.create({
    scheduleId,
    spec: o.every ? { intervals: [{ every: o.every as `${number}s` }] } : { cronExpressions: [cron!] },
    action: {
      type: 'startWorkflow',
      workflowType: runRunbook,
      workflowId: `runbook:${p.plan.id}:${p.target}:scheduled`,
      taskQueue: o.taskQueue ?? temporalSettings().taskQueue,
      args: [runbookInput(p, { incidentId: 'scheduled', roles: o.roles, record: o.record })],
      typedSearchAttributes: new TypedSearchAttributes([
        { key: SA.RunbookId, value: p.plan.id },
        { key: SA.Target, value: p.target },
        { key: SA.IncidentId, value: 'scheduled' },
        { key: SA.Status, value: 'running' },
      ]),
      memo: { title: p.plan.title, sourceHash: p.plan.sourceHash },
    },
    memo: { title: p.plan.title, sourceHash: p.plan.sourceHash },
  });
  return scheduleId;
}

export async function listSchedules(client: Client): Promise<ScheduleSummary[]> {
  const out: ScheduleSummary[] = [];
  for await (const s of client.schedule.list()) if (s.scheduleId.startsWith('runbook:')) out.push(s);
  return out;
}

export async function deleteSchedule(client: Client, scheduleId: string): Promise<void> {
  try {
    await client.schedule.getHandle(scheduleId).delete();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) throw new RunbookError(`no schedule ${scheduleId}`, 'not-found');
    throw err;
  }
}
