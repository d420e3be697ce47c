// Writes docs/plan.schema.json from the zod schema of the plan (core/runbook/plan-schema.ts).
//   node --import tsx scripts/gen-plan-schema.ts
// A test fails when the committed file is out of date.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../core/config.ts';
import { planJsonSchema } from '../core/runbook/plan-schema.ts';

const out = join(projectRoot, 'docs', 'plan.schema.json');
writeFileSync(out, JSON.stringify(planJsonSchema(), null, 2) + '\n');
console.log(`wrote ${out}`);
