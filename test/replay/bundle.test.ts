// Workflow code is replayed from history, so it may import only deterministic modules. The
// bundler refuses Node built-ins; this test also pins the whole import graph of workflows/.
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../core/config.ts';
import { workflowBundle } from '../helpers/temporal.ts';

const ALLOWED_PACKAGES = new Set(['@temporalio/workflow', '@temporalio/common']);
const ALLOWED_OUTSIDE = [/^workflows\//, /^core\/runbook\/plan\.ts$/, /^core\/runbook\/expr\/evaluate\.ts$/, /^core\/[a-z-]+\/types\.ts$/];

/** Value imports (not `import type`) of a file. */
function valueImports(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of src.matchAll(/^\s*(import|export)\s+(?!type\b)([^'";]*?)\s*from\s*'([^']+)'/gm)) out.push(m[3]!);
  for (const m of src.matchAll(/^\s*import\s+'([^']+)'/gm)) out.push(m[1]!);
  return out;
}

describe('workflow bundle', () => {
  it('imports only @temporalio/workflow, its own files and pure plan/expression modules', () => {
    const seen = new Set<string>();
    const bad: string[] = [];
    const visit = (file: string) => {
      const rel = relative(projectRoot, file);
      if (seen.has(rel)) return;
      seen.add(rel);
      if (!ALLOWED_OUTSIDE.some((r) => r.test(rel))) bad.push(`${rel} (not a workflow-safe module)`);
      for (const spec of valueImports(file)) {
        if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
        else if (!ALLOWED_PACKAGES.has(spec)) bad.push(`${rel} imports ${spec}`);
      }
    };
    visit(join(projectRoot, 'workflows', 'index.ts'));
    expect(bad).toEqual([]);
    expect(seen.has('core/runbook/expr/evaluate.ts')).toBe(true);
  });

  it('bundles with the Temporal bundler (which refuses Node built-ins)', async () => {
    const bundle = await workflowBundle();
    expect(bundle.code).toContain('runRunbook');
    expect(bundle.code).not.toMatch(/require\(["']node:(fs|net|child_process)["']\)/);
  });
});
