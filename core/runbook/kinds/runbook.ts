// `runbook`: run another runbook (by id) as a child workflow. The compiler embeds its plan.
import { z } from 'zod';
import type { ChildRunbookParams } from '../plan.ts';
import type { StepKind } from './types.ts';

export const runbookParams = z.strictObject({
  runbook: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a runbook id (a slug)'),
  inputs: z.record(z.string(), z.unknown()).default({}),
  target: z.string().optional(),
});

export const runbookKind: StepKind = {
  kind: 'runbook',
  exec: 'workflow',
  params: runbookParams,
  output: { object: { status: 'string', outputs: 'any' } },
  defaults: { retries: 0, timeoutMs: 0 },
  mutating: true,
  doc: {
    summary: 'Runs a child runbook with the given inputs; its plan is compiled and embedded (no cycles).',
    example: ['```runbook as=drain', 'runbook: drain-node', 'inputs:', '  host: ${inputs.host}', '```'].join('\n'),
  },
  build(body: z.output<typeof runbookParams>, ctx) {
    const out: ChildRunbookParams = { runbook: body.runbook, inputs: ctx.value(body.inputs, ['inputs']) };
    if (body.target !== undefined) out.target = ctx.value(body.target, ['target']);
    return out;
  },
};
