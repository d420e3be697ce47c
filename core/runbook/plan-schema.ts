// A zod schema of the Plan (plan.ts), the source of docs/plan.schema.json
// (`node --import tsx scripts/gen-plan-schema.ts`). Tests check every golden plan against it.
import { z } from 'zod';
import type { ExprNode, Plan, PlanValue } from './plan.ts';
import { PLAN_SCHEMA_VERSION } from './plan.ts';

export const exprNodeSchema: z.ZodType<ExprNode> = z
  .lazy(() =>
    z.union([
      z.strictObject({ t: z.literal('lit'), v: z.union([z.string(), z.number(), z.boolean(), z.null()]) }),
      z.strictObject({ t: z.literal('id'), name: z.string() }),
      z.strictObject({ t: z.literal('member'), obj: exprNodeSchema, prop: exprNodeSchema, computed: z.boolean() }),
      z.strictObject({ t: z.literal('un'), op: z.enum(['!', '-', '+']), arg: exprNodeSchema }),
      z.strictObject({ t: z.literal('bin'), op: z.string(), left: exprNodeSchema, right: exprNodeSchema }),
      z.strictObject({ t: z.literal('cond'), test: exprNodeSchema, then: exprNodeSchema, else: exprNodeSchema }),
      z.strictObject({ t: z.literal('call'), fn: z.string(), args: z.array(exprNodeSchema) }),
      z.strictObject({ t: z.literal('arr'), items: z.array(exprNodeSchema) }),
    ])
  )
  .meta({ id: 'ExprNode', description: 'Expression AST compiled from `${…}`' });

export const compiledExprSchema = z
  .strictObject({ $expr: exprNodeSchema, src: z.string() })
  .meta({ id: 'CompiledExpr', description: 'One `${…}` expression: keeps its value type' });

const templateSchema = z
  .strictObject({ $tpl: z.array(z.union([z.string(), compiledExprSchema])), src: z.string() })
  .meta({ id: 'Template', description: 'Text mixed with `${…}`: always renders a string' });

export const planValueSchema: z.ZodType<PlanValue> = z
  .lazy(() =>
    z.union([
      z.string(),
      z.number(),
      z.boolean(),
      z.null(),
      z.array(planValueSchema),
      compiledExprSchema,
      templateSchema,
      z.record(z.string().regex(/^[^$]/), planValueSchema),
    ])
  )
  .meta({ id: 'PlanValue', description: 'A step parameter: JSON, with `${…}` compiled' });

const policySchema = z.strictObject({
  retries: z.number().int().min(0),
  timeoutMs: z.number().int().min(0),
  as: z.string().optional(),
  if: compiledExprSchema.optional(),
  continueOnError: z.boolean().optional(),
  destructive: z.boolean().optional(),
});

export const planStepSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    name: z.string(),
    kind: z.string(),
    exec: z.enum(['activity', 'workflow']),
    activity: z.string().optional(),
    params: planValueSchema,
    policy: policySchema,
    doc: z.string(),
    line: z.number().int().min(1),
  })
  .meta({ id: 'PlanStep' });

const planNodeSchema = z.union([
  z.strictObject({ type: z.literal('step'), step: planStepSchema }),
  z.strictObject({
    type: z.literal('parallel'),
    id: z.string(),
    name: z.string(),
    line: z.number().int().min(1),
    steps: z.array(planStepSchema),
  }),
]);

const inputSpecSchema = z.strictObject({
  name: z.string(),
  type: z.enum(['string', 'number', 'boolean', 'duration', 'host', 'url', 'json']),
  required: z.boolean(),
  default: z
    .union([z.string(), z.number(), z.boolean(), z.null(), z.record(z.string(), z.unknown()), z.array(z.unknown())])
    .optional(),
  description: z.string().optional(),
});

const triggerSchema = z.strictObject({
  event: z.string(),
  match: z.record(z.string(), z.string()).optional(),
  threshold: z.number().optional(),
  when: compiledExprSchema.optional(),
});

export const planSchema: z.ZodType<Plan> = z
  .lazy(() =>
    z.strictObject({
      schemaVersion: z.literal(PLAN_SCHEMA_VERSION),
      id: z.string(),
      title: z.string(),
      version: z.string(),
      sourceHash: z.string().regex(/^[0-9a-f]{64}$/),
      sourcePath: z.string(),
      description: z.string(),
      inputs: z.array(inputSpecSchema),
      approvers: z.array(z.string()),
      timeoutMs: z.number().int().min(0).optional(),
      schedule: z.string().optional(),
      triggers: z.array(triggerSchema),
      target: planValueSchema.optional(),
      steps: z.array(planNodeSchema),
      rollback: z.array(planStepSchema),
      children: z.record(z.string(), planSchema),
    })
  )
  .meta({ id: 'Plan', title: 'Iron Throne runbook plan', description: 'A compiled runbook (core/runbook/plan.ts)' });

/** The JSON Schema committed as docs/plan.schema.json. */
export function planJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(planSchema, { target: 'draft-2020-12', unrepresentable: 'any' });
}
