// One step section → PlanStep: info-string policy, YAML body validated by the kind's schema,
// `${…}` compiled, and every expression recorded (with its position) for the type checker.
import type { Code } from 'mdast';
import type { Reporter } from './diagnostics.ts';
import { parseExpression, parseTemplate, hasTemplate, type CompiledExpr } from './expr/parse.ts';
import { parsePolicy, tokenize } from './info-string.ts';
import type { BodyPath, BuildContext, OutputShape, StepKind } from './kinds/types.ts';
import type { PlanStep, PlanValue } from './plan.ts';
import type { StepSection } from './sections.ts';
import { locate, parseYaml, reportIssues, scalarTextOffset, type YamlBlock } from './yaml-body.ts';

/** An expression found in the runbook, kept for the type-check pass. */
export interface ExprSite {
  expr: CompiledExpr;
  /** Source offset of the expression text. */
  offset: number;
  /** Extra names visible only here (a wait's `probe`). */
  scope?: Record<string, OutputShape>;
}

/** What the compiler knows about a step beyond the plan: positions and expression sites. */
export interface StepInfo {
  step: PlanStep;
  kind: StepKind;
  headingOffset: number;
  blockOffset: number;
  /** Offsets of the info-string tokens by name (`as`, `destructive`, …). */
  flagOffsets: Record<string, number>;
  sites: ExprSite[];
  /** Raw (validated) body, e.g. for child-runbook checks. */
  body: unknown;
  bodyBlock?: YamlBlock;
  /** Set by the compiler: main order, parallel group, or rollback. */
  order: number;
  group?: string;
  phase: 'main' | 'rollback';
}

export interface StepEnv {
  report: Reporter;
  source: string;
  kinds: ReadonlyMap<string, StepKind>;
  approvers: string[];
}

export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Compile `${…}` inside a raw YAML value, recording sites; problems are reported. */
function templateValue(raw: unknown, path: BodyPath, block: YamlBlock, env: StepEnv, sites: ExprSite[]): PlanValue {
  if (typeof raw === 'string') {
    if (!hasTemplate(raw)) return raw;
    const base = scalarTextOffset(block, path, raw);
    const r = parseTemplate(raw);
    for (const p of r.problems) env.report.at(base + p.offset, 'expression', p.message);
    for (const s of r.sites) sites.push({ expr: s.expr, offset: base + s.offset });
    return r.value;
  }
  if (Array.isArray(raw)) return raw.map((x, i) => templateValue(x, [...path, i], block, env, sites));
  if (raw !== null && typeof raw === 'object') {
    const out: Record<string, PlanValue> = {};
    for (const [k, v] of Object.entries(raw)) {
      if (k.startsWith('$'))
        env.report.at(
          locate(block, path, k),
          'step-body',
          `Unexpected key \`${k}\`, expected keys not starting with \`$\``
        );
      out[k] = templateValue(v, [...path, k], block, env, sites);
    }
    return out;
  }
  return raw === undefined ? null : (raw as PlanValue);
}

function bareExpr(src: string, base: number, env: StepEnv, sites: ExprSite[], scope?: Record<string, OutputShape>) {
  const trimmed = src.trim();
  const wrapped = /^\$\{[\s\S]*\}$/.test(trimmed);
  const text = wrapped ? trimmed.slice(2, -1) : src;
  const at = base + (wrapped ? src.indexOf('${') + 2 : 0);
  if (!wrapped && trimmed.includes('${')) {
    env.report.at(
      base + src.indexOf('${'),
      'expression',
      'Unexpected `${` inside an expression, expected a bare expression or one `${…}`'
    );
    return undefined;
  }
  const r = parseExpression(text);
  if ('problem' in r) {
    env.report.at(at + r.problem.offset, 'expression', r.problem.message);
    return undefined;
  }
  sites.push(
    scope
      ? { expr: r.expr, offset: at + (text.length - text.trimStart().length), scope }
      : { expr: r.expr, offset: at + (text.length - text.trimStart().length) }
  );
  return r.expr;
}

/** Compile one step section that has exactly one step block. */
export function compileStep(section: StepSection, code: Code, env: StepEnv): StepInfo | undefined {
  const { report, source } = env;
  const start = code.position?.start.offset ?? 0;
  const lineEnd = source.indexOf('\n', start);
  const fenceLine = source.slice(start, lineEnd < 0 ? source.length : lineEnd);
  const fence = /^\s*([`~]{3,})\s*/.exec(fenceLine);
  const infoStart = start + (fence?.[0].length ?? 3);
  const tokens = tokenize(fenceLine.slice(infoStart - start));
  const kindName = tokens[0]?.text ?? '';
  const kind = env.kinds.get(kindName);
  if (!kind) return undefined;

  const sites: ExprSite[] = [];
  const { policy, problems } = parsePolicy(tokens.slice(1));
  for (const p of problems) report.at(infoStart + p.offset, 'info-string', p.message);
  const flagOffsets: Record<string, number> = {};
  for (const t of tokens.slice(1))
    flagOffsets[t.text.split('=')[0] ?? t.text] =
      infoStart + t.offset + (t.text.includes('=') ? t.text.indexOf('=') + 1 : 0);

  let ifExpr: CompiledExpr | undefined;
  if (policy.if) ifExpr = bareExpr(policy.if.text, infoStart + policy.if.offset, env, sites);

  // The body starts on the line after the fence.
  const bodyBase = lineEnd < 0 ? source.length : lineEnd + 1;
  const bodyText = code.value;
  const block = parseYaml(bodyText, bodyBase, report, 'step-body');
  let params: PlanValue = null;
  let body: unknown;
  if (block) {
    const parsed = kind.params.safeParse(block.value);
    if (!parsed.success) {
      if (block.value === null || block.value === undefined) {
        report.at(
          start,
          'step-body',
          `Unexpected empty \`${kind.kind}\` block, expected a YAML mapping of its parameters`
        );
      } else reportIssues(parsed.error.issues, block, kind.params, report, 'step-body');
    } else {
      body = block.value;
      const ctx: BuildContext = {
        value: (raw, path) => templateValue(raw, path, block, env, sites),
        expr: (src, path, scope) => bareExpr(src, scalarTextOffset(block, path, src), env, sites, scope),
        error: (path, message) => report.at(locate(block, path), 'step-body', message),
        approvers: env.approvers,
        kind: (name) => env.kinds.get(name),
        nested: (k, raw, path) => {
          const r = k.params.safeParse(raw);
          if (r.success) return r.data;
          reportIssues(r.error.issues, block, k.params, report, 'step-body', path);
          return undefined;
        },
      };
      params = kind.build ? (kind.build(parsed.data, ctx) as PlanValue) : ctx.value(block.value, []);
    }
  }

  const step: PlanStep = {
    id: slug(section.name),
    name: section.name,
    kind: kind.kind,
    exec: kind.exec,
    ...(kind.activity ? { activity: kind.activity } : {}),
    params,
    policy: {
      retries: policy.retries ?? kind.defaults.retries,
      timeoutMs: policy.timeoutMs ?? kind.defaults.timeoutMs,
    },
    doc: section.doc,
    line: section.heading.position?.start.line ?? 1,
  };
  if (policy.as) step.policy.as = policy.as;
  if (ifExpr) step.policy.if = ifExpr;
  if (policy.continueOnError) step.policy.continueOnError = true;
  if (policy.destructive) step.policy.destructive = true;
  const info: StepInfo = {
    step,
    kind,
    headingOffset: section.heading.position?.start.offset ?? 0,
    blockOffset: start,
    flagOffsets,
    sites,
    body,
    order: 0,
    phase: 'main',
  };
  if (block) info.bodyBlock = block;
  return info;
}
