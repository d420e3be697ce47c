// Front matter → the plan's header (id, inputs, approvers, triggers, target, timeout, schedule).
import type { Root } from 'mdast';
import type { ExprSite } from './compile-step.ts';
import type { Reporter } from './diagnostics.ts';
import { parseDuration } from './duration.ts';
import { parseExpression, parseTemplate } from './expr/parse.ts';
import { fitsType, frontMatterSchema, type FrontMatter } from './front-matter.ts';
import type { OutputShape } from './kinds/types.ts';
import type { InputSpec, InputType, PlanValue, Trigger } from './plan.ts';
import { describe, locate, parseYaml, reportIssues, scalarTextOffset, type YamlBlock } from './yaml-body.ts';

export interface Header {
  fm: FrontMatter;
  inputs: InputSpec[];
  triggers: Trigger[];
  target?: PlanValue;
  timeoutMs?: number;
  /** Expressions with the only names they may use. */
  sites: (ExprSite & { scope: Record<string, OutputShape> })[];
}

const EXPECTED: Record<InputType, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  duration: 'a duration such as 30s, 5m or 2h',
  host: 'a host name',
  url: 'an absolute URL',
  json: 'any JSON value',
};

/** The static shape of `inputs` for the type checker. */
export function inputsShape(inputs: InputSpec[]): OutputShape {
  const shape = (t: InputType): OutputShape =>
    t === 'number' ? 'number' : t === 'boolean' ? 'boolean' : t === 'json' ? 'any' : 'string';
  return { object: Object.fromEntries(inputs.map((i) => [i.name, shape(i.type)])) };
}

function checkInputs(fm: FrontMatter, block: YamlBlock, report: Reporter): InputSpec[] {
  const specs: InputSpec[] = [];
  for (const [name, raw] of Object.entries(fm.inputs)) {
    const body = raw ?? { type: 'string' as const, required: false };
    const spec: InputSpec = { name, type: body.type, required: body.required };
    if (body.description !== undefined) spec.description = body.description;
    if (body.default !== undefined) {
      const at = locate(block, ['inputs', name, 'default']);
      if (body.required) {
        report.at(
          locate(block, ['inputs', name], 'default'),
          'front-matter',
          `Unexpected \`default\` on required input \`${name}\`, expected either \`required: true\` or a \`default\``
        );
      } else if (!fitsType(body.type, body.default)) {
        report.at(
          at,
          'front-matter',
          `Unexpected default ${describe(body.default)} for ${body.type} input \`${name}\`, expected ${EXPECTED[body.type]}`
        );
      } else spec.default = body.default as InputSpec['default'];
    }
    specs.push(spec);
  }
  return specs;
}

/** Parse and validate the front matter; undefined (with diagnostics) if it is missing or invalid. */
export function compileHeader(root: Root, source: string, report: Reporter): Header | undefined {
  const node = root.children[0];
  if (node?.type !== 'yaml') {
    report.at(
      0,
      'front-matter',
      'Unexpected missing front matter, expected a YAML block between `---` lines with id, title and version'
    );
    return undefined;
  }
  const start = node.position?.start.offset ?? 0;
  const base = source.indexOf('\n', start) + 1;
  const block = parseYaml(node.value, base, report, 'front-matter');
  if (!block) return undefined;
  if (block.value === null || typeof block.value !== 'object' || Array.isArray(block.value)) {
    report.at(
      start,
      'front-matter',
      `Unexpected ${describe(block.value)} front matter, expected a mapping with id, title and version`
    );
    return undefined;
  }
  const parsed = frontMatterSchema.safeParse(block.value);
  if (!parsed.success) {
    reportIssues(parsed.error.issues, block, frontMatterSchema, report, 'front-matter');
    return undefined;
  }
  const fm = parsed.data;
  const inputs = checkInputs(fm, block, report);
  const sites: Header['sites'] = [];
  const triggers: Trigger[] = fm.triggers.map((t, i) => {
    const trigger: Trigger = { event: t.event };
    if (t.match) trigger.match = t.match;
    if (t.threshold !== undefined) trigger.threshold = t.threshold;
    if (t.when !== undefined) {
      const at = scalarTextOffset(block, ['triggers', i, 'when'], t.when);
      const text = /^\$\{[\s\S]*\}$/.test(t.when.trim()) ? t.when.trim().slice(2, -1) : t.when;
      const r = parseExpression(text);
      if ('problem' in r) report.at(at + r.problem.offset, 'expression', r.problem.message);
      else {
        trigger.when = r.expr;
        sites.push({ expr: r.expr, offset: at, scope: { event: 'any' } });
      }
    }
    return trigger;
  });

  const header: Header = { fm, inputs, triggers, sites };
  const targetText =
    fm.target ??
    (inputs.some((i) => i.name === 'host')
      ? '${inputs.host}'
      : inputs.some((i) => i.name === 'target')
        ? '${inputs.target}'
        : undefined);
  if (targetText !== undefined) {
    const at = fm.target !== undefined ? scalarTextOffset(block, ['target'], fm.target) : start;
    const r = parseTemplate(targetText);
    for (const p of r.problems) report.at(at + p.offset, 'expression', p.message);
    for (const s of r.sites)
      sites.push({ expr: s.expr, offset: at + s.offset, scope: { inputs: inputsShape(inputs) } });
    header.target = r.value;
  }
  if (fm.timeout !== undefined) header.timeoutMs = parseDuration(fm.timeout);
  return header;
}
