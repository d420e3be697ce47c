// Child runbooks: find them by id in the runbooks folder, compile them (once per compile),
// and refuse cycles. The compiled child plans are embedded in the parent plan.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from './diagnostics.ts';
import type { Plan } from './plan.ts';

/** Shared by one top-level compile and all the child compiles it triggers. */
export interface ChildContext {
  runbooksDir?: string;
  /** Runbook ids being compiled, outermost first (for cycle detection). */
  stack: string[];
  index?: Map<string, string>;
  cache: Map<string, { plan?: Plan; diagnostics: Diagnostic[] }>;
}

/** id → file path, read from each `*.md` file's front matter `id:` line. */
export function runbookIndex(ctx: ChildContext): Map<string, string> {
  if (ctx.index) return ctx.index;
  const index = new Map<string, string>();
  if (ctx.runbooksDir) {
    let names: string[] = [];
    try {
      names = readdirSync(ctx.runbooksDir)
        .filter((n) => n.endsWith('.md'))
        .sort();
    } catch {
      names = [];
    }
    for (const name of names) {
      const path = join(ctx.runbooksDir, name);
      const text = readFileSync(path, 'utf8');
      const fm = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
      const id = fm ? /^id:\s*["']?([a-z0-9][a-z0-9-]*)["']?\s*$/m.exec(fm[1] ?? '') : null;
      if (id?.[1] && !index.has(id[1])) index.set(id[1], path);
    }
  }
  ctx.index = index;
  return index;
}

export type ChildResult = { ok: true; plan: Plan } | { ok: false; message: string; rule: string };

/**
 * Compile child `id` with `compile` (the compiler itself, passed in to avoid an import cycle).
 * Messages are in the "Unexpected X, expected Y" shape, to be reported at the calling step.
 */
export function resolveChild(
  id: string,
  ctx: ChildContext,
  compile: (source: string, file: string, ctx: ChildContext) => { plan?: Plan; diagnostics: Diagnostic[] }
): ChildResult {
  if (ctx.stack.includes(id)) {
    const cycle = [...ctx.stack.slice(ctx.stack.indexOf(id)), id].join(' -> ');
    return {
      ok: false,
      rule: 'child-cycle',
      message: `Unexpected cycle in child runbooks \`${cycle}\`, expected no cycles`,
    };
  }
  const index = runbookIndex(ctx);
  const path = index.get(id);
  if (!path) {
    const where = ctx.runbooksDir ? `a runbook in ${ctx.runbooksDir}` : 'a runbook (no runbooks folder was given)';
    return {
      ok: false,
      rule: 'child-runbook',
      message: `Unexpected unknown child runbook \`${id}\`, expected the id of ${where}`,
    };
  }
  let result = ctx.cache.get(id);
  if (!result) {
    result = compile(readFileSync(path, 'utf8'), path, { ...ctx, stack: [...ctx.stack, id] });
    ctx.cache.set(id, result);
  }
  if (result.plan) return { ok: true, plan: result.plan };
  const cycle = result.diagnostics.find((d) => d.rule === 'child-cycle');
  if (cycle) return { ok: false, rule: 'child-cycle', message: cycle.message };
  const first = result.diagnostics[0];
  const detail = first ? `${first.file}:${first.line}:${first.column}: ${first.message}` : 'no plan';
  return {
    ok: false,
    rule: 'child-runbook',
    message: `Unexpected invalid child runbook \`${id}\` (${detail}), expected a runbook that compiles`,
  };
}
