// Every runbook in runbooks/ (the wiki) compiles with no diagnostics, and renders a dry-run.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runbooksDir } from '../../../core/config.ts';
import { compileRunbookFile } from '../../../core/runbook/compile.ts';
import { formatDiagnostic } from '../../../core/runbook/diagnostics.ts';
import { renderDryRun } from '../../../core/runbook/dry-run.ts';
import { validateInputs } from '../../../core/runbook/inputs.ts';

const dir = runbooksDir();
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.md'))
  .sort();

describe('runbooks/', () => {
  it('holds the example runbooks, the demo and a child runbook', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
    expect(files).toContain('demo-service-recovery.md');
  });

  for (const file of files) {
    it(`${file} compiles cleanly and its id matches its file name`, () => {
      const r = compileRunbookFile(join(dir, file), { runbooksDir: dir });
      expect(r.diagnostics.map(formatDiagnostic)).toEqual([]);
      expect(r.plan!.id).toBe(file.replace(/\.md$/, ''));
      const sample: Record<string, unknown> = {};
      for (const i of r.plan!.inputs.filter((i) => i.required)) {
        sample[i.name] = {
          url: 'http://127.0.0.1:9',
          host: 'web-1',
          number: 1,
          boolean: true,
          duration: '1m',
          json: {},
          string: 'x',
        }[i.type];
      }
      const v = validateInputs(r.plan!, sample);
      expect(v.ok && renderDryRun(r.plan!, v.values)).toContain(r.plan!.title);
    });
  }

  it('at least one runbook calls a child runbook, which is embedded', () => {
    const plans = files.map((f) => compileRunbookFile(join(dir, f), { runbooksDir: dir }).plan!);
    expect(plans.some((p) => Object.keys(p.children).length > 0)).toBe(true);
  });

  it('the demo has a parallel group, an sre approval, a probed wait, a check, a notify and a rollback', () => {
    const plan = compileRunbookFile(join(dir, 'demo-service-recovery.md'), { runbooksDir: dir }).plan!;
    const steps = plan.steps.flatMap((n) => (n.type === 'step' ? [n.step] : n.steps));
    expect(plan.steps.some((n) => n.type === 'parallel')).toBe(true);
    expect(steps.find((s) => s.kind === 'approval')!.params).toMatchObject({ approvers: ['sre'], approvals: 1 });
    expect(steps.find((s) => s.kind === 'wait')!.params).toHaveProperty('probe.kind', 'http');
    expect(steps.map((s) => s.kind)).toEqual(expect.arrayContaining(['http', 'check', 'notify']));
    expect(plan.rollback.length).toBeGreaterThan(0);
    expect(plan.inputs.find((i) => i.name === 'base_url')).toMatchObject({ type: 'url', required: true });
  });
});
