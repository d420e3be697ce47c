// `check`: assertions over inputs and earlier outputs; the step fails if any is false.
import { z } from 'zod';
import type { CheckParams } from '../plan.ts';
import { expression } from './schema-helpers.ts';
import type { StepKind } from './types.ts';

export const checkParams = z.strictObject({
  /** One expression or a list; each must be truthy. */
  assert: z.union([expression, z.array(expression).min(1, 'expected at least one assertion')]),
  message: z.string().optional(),
});

export const checkKind: StepKind = {
  kind: 'check',
  exec: 'workflow',
  params: checkParams,
  output: { object: { passed: 'number' } },
  defaults: { retries: 0, timeoutMs: 0 },
  mutating: false,
  doc: {
    summary: 'Asserts conditions over inputs and earlier outputs; fails the step (with `message`) if one is false.',
    example: [
      '```check',
      'assert:',
      '  - health.status == 200',
      '  - len(health.json.errors) == 0',
      'message: Service still unhealthy',
      '```',
    ].join('\n'),
  },
  build(body: z.output<typeof checkParams>, ctx) {
    const list = Array.isArray(body.assert) ? body.assert : [body.assert];
    const path = (i: number) => (Array.isArray(body.assert) ? ['assert', i] : ['assert']);
    const assert = list.flatMap((src, i) => ctx.expr(src, path(i)) ?? []);
    const out: CheckParams = { assert };
    if (body.message !== undefined) out.message = ctx.value(body.message, ['message']);
    return out;
  },
};
