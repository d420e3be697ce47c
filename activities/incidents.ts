// Turning events into runbook runs from inside workflows (sweeps, probes, predictions).
import { Context } from '@temporalio/activity';
import { dispatchEvent, type Dispatched } from '../client/incidents.ts';
import type { TriggerEvent } from '../core/runbook/triggers.ts';

export function createIncidentActivities() {
  return {
    /** Start every runbook whose triggers match the event (idempotent per event). */
    async incidentDispatch(event: TriggerEvent): Promise<Dispatched[]> {
      const ctx = Context.current();
      return dispatchEvent(ctx.client, event, { taskQueue: ctx.info.taskQueue, record: true });
    },
  };
}
