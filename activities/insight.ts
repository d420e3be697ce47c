// Insight activity: the LLM (or offline) incident summary. The key stays in the worker's
// environment: it is never part of the activity input, output or error.
import { summarizeIncident } from '../core/insight/client.ts';
import { insightParams } from '../core/runbook/kinds/insight.ts';
import type { StepContext } from '../core/runbook/plan.ts';
import { parseOrFail } from './steps.ts';

export function createInsightActivities() {
  return {
    async insightSummarize(params: unknown, ctx: StepContext) {
      const p = parseOrFail(insightParams, params, `insight step ${ctx.stepId}`);
      const arr = (v: unknown): unknown[] => (Array.isArray(v) ? (v as unknown[]) : []);
      return summarizeIncident({
        incidentId: p.incident ?? ctx.incidentId,
        target: ctx.target,
        events: arr(p.events),
        metrics: arr(p.metrics),
        logs: arr(p.logs),
        runbooks: arr(p.runbooks),
      });
    },
  };
}
