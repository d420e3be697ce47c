// Bench bundle: the interpreter plus a hand-written workflow calling the same five activities,
// so the interpreter's overhead is measured against a baseline in the same run.
import { proxyActivities } from '@temporalio/workflow';
import type { StepContext } from '../../core/runbook/plan.ts';

export { runRunbook } from '../../workflows/runbook.ts';

const { httpRequest } = proxyActivities<{ httpRequest(p: unknown, ctx: StepContext): Promise<{ status: number }> }>({
  startToCloseTimeout: '10s',
  retry: { maximumAttempts: 1 },
});

export async function handWritten5(url: string, ctx: StepContext): Promise<{ latencies: number[] }> {
  const latencies: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = Date.now();
    await httpRequest({ url: `${url}/step${i}` }, { ...ctx, stepId: `s${i}`, idempotencyKey: `${ctx.workflowId}:s${i}` });
    latencies.push(Date.now() - t);
  }
  return { latencies };
}
