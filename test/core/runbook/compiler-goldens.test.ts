// Compiler goldens: test/fixtures/runbooks/<name>.md compiles, with no diagnostics, to exactly
// <name>.plan.json. A missing golden is written on first run (then reviewed and committed),
// like mdast-util-from-markdown's fixtures. Every golden plan validates against the plan schema.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRunbook, compileRunbookFile } from '../../../core/runbook/compile.ts';
import { planSchema } from '../../../core/runbook/plan-schema.ts';
import type { Plan } from '../../../core/runbook/plan.ts';

const dir = join('test', 'fixtures', 'runbooks');
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.md'))
  .sort();

describe('compiler goldens', () => {
  it('has goldens', () => expect(names.length).toBeGreaterThanOrEqual(4));

  for (const name of names) {
    it(name, () => {
      const r = compileRunbookFile(join(dir, name), { runbooksDir: dir });
      expect(r.diagnostics).toEqual([]);
      const plan = r.plan!;
      const source = readFileSync(join(dir, name), 'utf8');
      expect(plan.sourceHash).toBe(createHash('sha256').update(source).digest('hex'));
      const goldenPath = join(dir, name.replace(/\.md$/, '.plan.json'));
      const text = JSON.stringify(plan, null, 2) + '\n';
      if (!existsSync(goldenPath)) writeFileSync(goldenPath, text);
      expect(text).toBe(readFileSync(goldenPath, 'utf8'));
      const golden = JSON.parse(readFileSync(goldenPath, 'utf8')) as Plan;
      const check = planSchema.safeParse(golden);
      expect(check.success ? [] : check.error.issues).toEqual([]);
    });
  }

  it('is deterministic and JSON-round-trips', () => {
    const source = readFileSync(join(dir, 'all-constructs.md'), 'utf8');
    const a = compileRunbook(source, { file: 'x.md', runbooksDir: dir });
    const b = compileRunbook(source, { file: 'x.md', runbooksDir: dir });
    expect(a).toEqual(b);
    expect(JSON.parse(JSON.stringify(a.plan))).toEqual(a.plan);
  });

  it('embeds child runbooks and normalises workflow kinds', () => {
    const { plan } = compileRunbookFile(join(dir, 'all-constructs.md'), { runbooksDir: dir });
    expect(Object.keys(plan!.children)).toEqual(['child-notify']);
    const steps = plan!.steps.flatMap((n) => (n.type === 'step' ? [n.step] : n.steps));
    const approve = steps.find((s) => s.kind === 'approval')!;
    expect(approve.params).toMatchObject({
      approvers: ['sre-lead'],
      approvals: 2,
      timeoutMs: 1_800_000,
      onTimeout: 'escalate',
    });
    expect(steps.find((s) => s.id === 'pause')!.params).toEqual({ durationMs: 90_000 });
    expect(plan!.steps.find((n) => n.type === 'parallel')).toMatchObject({
      id: 'look-around',
      steps: [{ id: 'info' }, { id: 'log' }],
    });
    expect(plan!.rollback.map((s) => s.id)).toEqual(['undo', 'alert']);
    expect(steps.find((s) => s.id === 'read-health')!.policy).toMatchObject({
      retries: 3,
      timeoutMs: 120_000,
      as: 'health',
      continueOnError: true,
    });
  });

  it('changes the source hash when one byte changes', () => {
    const source = readFileSync(join(dir, 'minimal.md'), 'utf8');
    const a = compileRunbook(source, { file: 'a.md' }).plan!;
    const b = compileRunbook(source + '\n', { file: 'a.md' }).plan!;
    expect(a.sourceHash).not.toBe(b.sourceHash);
  });
});
