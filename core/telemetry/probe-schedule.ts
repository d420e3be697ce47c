// The Temporal Schedule that runs the probe sweep (created by `ironthrone probes schedule`, or by
// the stack at start). Kept out of workflows/: it uses the client.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { ProbeSweepInput } from '../../workflows/probe-sweep.ts';

export const PROBE_SCHEDULE_ID = 'probe-sweep';

/** Create (or replace) the schedule; every `every` (e.g. `60s`) it starts `probeSweep(input)`. */
export async function ensureProbeSchedule(
  client: Client,
  o: { taskQueue: string; every?: string; input?: ProbeSweepInput; scheduleId?: string }
): Promise<string> {
  const scheduleId = o.scheduleId ?? PROBE_SCHEDULE_ID;
  const options = {
    scheduleId,
    spec: { intervals: [{ every: (o.every ?? '60s') as `${number}s` }] },
    // a slow sweep must not pile up behind itself
    policies: { overlap: ScheduleOverlapPolicy.SKIP },
    action: {
      type: 'startWorkflow' as const,
      workflowType: 'probeSweep',
      workflowId: `${scheduleId}:run`,
      taskQueue: o.taskQueue,
      args: [o.input ?? {}],
    },
  };
  try {
    await client.schedule.create(options);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule
      .getHandle(scheduleId)
      .update((prev) => ({
        ...prev,
        spec: options.spec,
        action: options.action,
        policies: { ...prev.policies, overlap: ScheduleOverlapPolicy.SKIP },
      }));
  }
  return scheduleId;
}
