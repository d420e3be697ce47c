// The type-check pass: every `${…}` is checked against the names visible at its step:
// `inputs`, `run`, and the `as=` names of steps that finish before it starts.
import type { Header } from './compile-front-matter.ts';
import { inputsShape } from './compile-front-matter.ts';
import type { ExprSite, StepInfo } from './compile-step.ts';
import type { Reporter } from './diagnostics.ts';
import { typecheck, type Binding, type TypeEnv } from './expr/typecheck.ts';
import type { OutputShape } from './kinds/types.ts';

const RUN_SHAPE: OutputShape = {
  object: { workflowId: 'string', runbookId: 'string', target: 'string', incidentId: 'string' },
};

function report(site: ExprSite, source: string, r: Reporter, problems: { message: string; near?: string }[]): void {
  for (const p of problems) {
    let at = site.offset;
    if (p.near !== undefined) {
      const window = source.slice(site.offset, site.offset + site.expr.src.length + 16);
      const m = new RegExp(`(?<![\\w$])${p.near.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).exec(window);
      if (m) at += m.index;
    }
    r.at(at, 'expression', p.message);
  }
}

export function checkExpressions(steps: StepInfo[], header: Header, source: string, r: Reporter): void {
  const inputs = inputsShape(header.inputs);
  const base: Record<string, OutputShape> = { inputs, run: RUN_SHAPE };
  const nouns = { inputs: 'input' };

  for (const site of header.sites) {
    const env: TypeEnv = {
      lookup: (name) => (Object.hasOwn(site.scope, name) ? { shape: site.scope[name] ?? 'any' } : undefined),
      visible: Object.keys(site.scope),
      propertyNoun: nouns,
    };
    report(site, source, r, typecheck(site.expr.$expr, env).problems);
  }

  const binders = steps.filter((s) => s.step.policy.as !== undefined);
  for (const s of steps) {
    const lookup = (name: string, extra: Record<string, OutputShape> | undefined): Binding | undefined => {
      if (extra && Object.hasOwn(extra, name)) return { shape: extra[name] ?? 'any' };
      if (Object.hasOwn(base, name)) return { shape: base[name] ?? 'any' };
      const b = binders.find((x) => x.step.policy.as === name);
      if (!b) return undefined;
      if (b === s)
        return {
          problem: `Unexpected reference to \`${name}\` in the step that binds it, expected a name bound by an earlier step`,
        };
      if (b.order < s.order) return { shape: b.kind.output };
      if (b.group !== undefined && b.group === s.group) {
        return {
          problem: `Unexpected reference to \`${name}\` bound by concurrent step \`${b.step.id}\`, expected a name bound before the parallel group`,
        };
      }
      return {
        problem: `Unexpected reference to \`${name}\` before step \`${b.step.id}\` binds it, expected a name bound by an earlier step`,
      };
    };
    const visible = (extra: Record<string, OutputShape> | undefined) => [
      ...Object.keys(base),
      ...Object.keys(extra ?? {}),
      ...binders.filter((b) => b.order < s.order).map((b) => b.step.policy.as ?? ''),
    ];
    for (const site of s.sites) {
      const env: TypeEnv = { lookup: (n) => lookup(n, site.scope), visible: visible(site.scope), propertyNoun: nouns };
      report(site, source, r, typecheck(site.expr.$expr, env).problems);
    }
  }
}
