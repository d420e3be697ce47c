// Activities of the general-purpose step kinds (http, notify). Thin: validate, call core,
// map errors to retryable or non-retryable failures with stable types.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { z } from 'zod';
import { httpCall, HttpCallError, type HttpCallParams } from '../core/actions/http-call.ts';
import { notify, type NotifyParams } from '../core/actions/notify.ts';
import type { StepContext } from '../core/runbook/plan.ts';

const httpParams = z.object({
  method: z.string().optional(),
  url: z.string(),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.string().optional(),
  json: z.unknown().optional(),
  bearerTokenEnv: z.string().optional(),
  expect: z.object({ status: z.union([z.number(), z.array(z.number())]).optional(), json: z.record(z.string(), z.unknown()).optional() }).optional(),
  timeoutMs: z.number().optional(),
});

const notifyParams = z.object({
  channel: z.enum(['log', 'webhook']).optional(),
  url: z.string().optional(),
  message: z.string(),
  severity: z.enum(['info', 'warning', 'critical']).optional(),
});

export function parseOrFail<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`).join('; ');
    throw ApplicationFailure.nonRetryable(`${what}: invalid params: ${issues}`, 'BadInput');
  }
  return r.data;
}

export function createStepActivities() {
  return {
    async httpRequest(params: unknown, ctx: StepContext) {
      const p: HttpCallParams = parseOrFail(httpParams, params, `http step ${ctx.stepId}`);
      if (ctx.dryRun) return { dryRun: true, request: { method: p.method ?? 'GET', url: p.url } };
      try {
        return await httpCall(p, Context.current().cancellationSignal);
      } catch (err) {
        if (err instanceof HttpCallError && err.permanent) throw ApplicationFailure.nonRetryable(err.message, 'BadInput');
        throw err;
      }
    },
    async notifySend(params: unknown, ctx: StepContext) {
      const p: NotifyParams = parseOrFail(notifyParams, params, `notify step ${ctx.stepId}`);
      if (ctx.dryRun) return { dryRun: true, channel: p.channel ?? 'log' };
      return notify(p, { runbookId: ctx.runbookId, workflowId: ctx.workflowId, stepId: ctx.stepId });
    },
  };
}
