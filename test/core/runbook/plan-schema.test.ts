// docs/plan.schema.json is generated from core/runbook/plan-schema.ts and must be up to date.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../core/config.ts';
import { planJsonSchema, planSchema } from '../../../core/runbook/plan-schema.ts';

describe('plan JSON Schema', () => {
  it('the committed docs/plan.schema.json is up to date (node --import tsx scripts/gen-plan-schema.ts)', () => {
    const committed = JSON.parse(readFileSync(join(projectRoot, 'docs', 'plan.schema.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(planJsonSchema())));
  });

  it('rejects a plan with a wrong schema version or a broken expression', () => {
    const base = JSON.parse(
      readFileSync(join(projectRoot, 'test', 'fixtures', 'runbooks', 'minimal.plan.json'), 'utf8')
    );
    expect(planSchema.safeParse(base).success).toBe(true);
    expect(planSchema.safeParse({ ...base, schemaVersion: 2 }).success).toBe(false);
    const broken = structuredClone(base);
    broken.steps[0].step.params.url.$tpl[0].$expr = { t: 'nope' };
    expect(planSchema.safeParse(broken).success).toBe(false);
  });
});
