// The stack's periodic work as Temporal Schedules, created (or updated) at `npm start`: the
// Redfish fleet sweep, the service probes, the prediction sweep and model retraining. Each
// skips a run while the previous one is still going, and shows in the Web UI's Schedules page.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { ensureProbeSchedule } from '../../core/telemetry/probe-schedule.ts';

interface PeriodicWork {
  scheduleId: string;
  workflowType: string;
  every: `${number}${'s' | 'm' | 'h'}`;
  args: unknown[];
}

const TEMPERATURES = 'name,hardware.temperature.celsius,:eq,(,host,sensor,),:by';

export const PERIODIC: PeriodicWork[] = [
  { scheduleId: 'fleet-sweep', workflowType: 'fleetSweep', every: '60s', args: [{ handOff: 'ledger', dispatch: true }] },
  {
    scheduleId: 'predict-sweep',
    workflowType: 'predictSweep',
    every: '5m',
    args: [{ query: TEMPERATURES, windowMs: 24 * 3600_000, handOff: 'ledger', dispatch: true }],
  },
  { scheduleId: 'retrain-models', workflowType: 'retrainModels', every: '24h', args: [{ models: [{ model: 'temperatures', query: TEMPERATURES }], handOff: 'ledger' }] },
];

async function upsert(client: Client, w: PeriodicWork, taskQueue: string): Promise<void> {
  const options = {
    scheduleId: w.scheduleId,
    spec: { intervals: [{ every: w.every }] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP },
    action: { type: 'startWorkflow' as const, workflowType: w.workflowType, workflowId: `${w.scheduleId}:run`, taskQueue, args: w.args },
  };
  try {
    await client.schedule.create(options);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(w.scheduleId).update((prev) => ({ ...prev, spec: options.spec, action: options.action, policies: options.policies }));
  }
}

export async function ensureSchedules(client: Client, taskQueue: string): Promise<string[]> {
  for (const w of PERIODIC) await upsert(client, w, taskQueue);
  const probe = await ensureProbeSchedule(client, { taskQueue, every: '60s' });
  return [...PERIODIC.map((w) => w.scheduleId), probe];
}
