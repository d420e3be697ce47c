// Markdown runbook → Plan. Collects every diagnostic it can (it does not stop at the first);
// a plan is returned only when there are no errors.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Code } from 'mdast';
import { visit } from 'unist-util-visit';
import { checkExpressions } from './check-expressions.ts';
import { resolveChild, type ChildContext } from './children.ts';
import { compileHeader } from './compile-front-matter.ts';
import { compileStep, slug, type StepEnv, type StepInfo } from './compile-step.ts';
import { byPosition, Reporter, SourceMap, type Diagnostic } from './diagnostics.ts';
import { stepKinds } from './kinds/index.ts';
import { lint } from './lint.ts';
import { parseMarkdown } from './parse.ts';
import { PLAN_SCHEMA_VERSION, type ChildRunbookParams, type Plan, type PlanNode } from './plan.ts';
import { splitSections, type StepSection } from './sections.ts';
import { locate } from './yaml-body.ts';

export interface CompileOptions {
  /** Path shown in diagnostics and stored as `sourcePath`. */
  file: string;
  /** Folder where child runbooks are looked up by id. */
  runbooksDir?: string;
}

export interface CompileResult {
  plan?: Plan;
  diagnostics: Diagnostic[];
}

export function compileRunbook(source: string, opts: CompileOptions): CompileResult {
  const ctx: ChildContext = { stack: [], cache: new Map() };
  if (opts.runbooksDir !== undefined) ctx.runbooksDir = opts.runbooksDir;
  return compileWith(source, opts.file, ctx);
}

export function compileRunbookFile(path: string, opts: Partial<CompileOptions> = {}): CompileResult {
  return compileRunbook(readFileSync(path, 'utf8'), { ...opts, file: opts.file ?? path });
}

const fenceOf = (c: Code) => c.position?.start.offset ?? 0;

function compileWith(source: string, file: string, ctx: ChildContext): CompileResult {
  const report = new Reporter(file, new SourceMap(source));
  const root = parseMarkdown(source);
  const header = compileHeader(root, source, report);
  const kindNames = new Set(stepKinds.keys());
  const kindList = [...kindNames].join(', ');
  const env: StepEnv = { report, source, kinds: stepKinds, approvers: header?.fm.approvers ?? [] };
  const infos: StepInfo[] = [];
  const nodes: PlanNode[] = [];
  const docs: string[] = [];
  let order = 0;
  let rollbackSeen = false;

  const stepOf = (sec: StepSection, where: string): StepInfo | undefined => {
    for (const stray of sec.strays) {
      const lang = stray.lang ?? '';
      report.at(
        fenceOf(stray) + source.slice(fenceOf(stray)).indexOf(lang),
        'step-kind',
        `Unexpected step kind \`${lang}\`, expected one of ${kindList}`
      );
    }
    if (sec.blocks.length === 0) {
      if (sec.strays.length === 0) {
        report.at(
          sec.heading.position?.start.offset ?? 0,
          'step-block',
          `Unexpected ${where} \`${sec.name}\` without a step block, expected one fenced block such as \`\`\`http`
        );
      }
      return undefined;
    }
    for (const extra of sec.blocks.slice(1)) {
      report.at(
        fenceOf(extra),
        'step-block',
        `Unexpected second step block \`${extra.lang ?? ''}\` in step \`${sec.name}\`, expected one step block per section`
      );
    }
    const first = sec.blocks[0];
    return first ? compileStep(sec, first, env) : undefined;
  };
  const looseBlocks = (loose: Code[], what: string) => {
    for (const c of loose)
      report.at(
        fenceOf(c),
        'step-block',
        `Unexpected step block directly under \`## ${what}\`, expected it inside a \`###\` subsection`
      );
  };

  for (const section of splitSections(root, kindNames, source)) {
    if (section.type === 'doc') {
      for (const n of section.nodes) {
        visit(n, 'code', (c: Code) => {
          if (kindNames.has(c.lang ?? ''))
            report.at(
              fenceOf(c),
              'step-block',
              'Unexpected step block outside a `##` section, expected it under a `##` step heading'
            );
        });
      }
      if (docs.length === 0 && infos.length === 0) {
        docs.push(
          section.nodes
            .filter((n) => n.type !== 'heading')
            .map((n) => source.slice(n.position?.start.offset ?? 0, n.position?.end.offset ?? 0))
            .join('\n\n')
        );
      }
    } else if (section.type === 'step') {
      const info = stepOf(section.section, 'step');
      if (info) {
        info.order = ++order;
        infos.push(info);
        nodes.push({ type: 'step', step: info.step });
      }
    } else if (section.type === 'parallel') {
      const group = slug(section.name);
      const heading = section.heading.position?.start.offset ?? 0;
      looseBlocks(section.loose, `Parallel: ${section.name}`);
      if (section.steps.length < 2) {
        report.at(
          heading,
          'parallel',
          `Unexpected parallel group \`${section.name}\` with ${section.steps.length} step(s), expected at least two \`###\` steps`
        );
      }
      order++;
      const steps = section.steps.flatMap((s) => {
        const info = stepOf(s, 'parallel step');
        if (!info) return [];
        Object.assign(info, { order, group });
        infos.push(info);
        return [info.step];
      });
      nodes.push({
        type: 'parallel',
        id: group,
        name: section.name,
        line: section.heading.position?.start.line ?? 1,
        steps,
      });
    } else {
      if (rollbackSeen)
        report.at(
          section.heading.position?.start.offset ?? 0,
          'rollback',
          'Unexpected second `## Rollback` section, expected one'
        );
      rollbackSeen = true;
      looseBlocks(section.loose, 'Rollback');
      for (const s of section.steps) {
        const info = stepOf(s, 'rollback step');
        if (info) Object.assign(info, { order: 100_000 + ++order, phase: 'rollback' });
        if (info) infos.push(info);
      }
    }
  }

  // Child runbooks, compiled with this runbook on the stack so cycles are found.
  const children: Record<string, Plan> = {};
  if (header) {
    const childCtx: ChildContext = { ...ctx, stack: ctx.stack.length > 0 ? ctx.stack : [header.fm.id] };
    for (const info of infos) {
      if (info.step.kind !== 'runbook' || info.step.params === null || !info.bodyBlock) continue;
      const id = (info.step.params as unknown as ChildRunbookParams).runbook;
      const r = resolveChild(id, childCtx, compileWith);
      if (r.ok) children[id] = r.plan;
      else report.at(locate(info.bodyBlock, ['runbook']), r.rule, r.message);
    }
    ctx.index = childCtx.index;
    checkExpressions(infos, header, source, report);
  }
  if (infos.length === 0 && !report.hasErrors) {
    report.at(0, 'no-steps', 'Unexpected runbook without steps, expected at least one `##` section with a step block');
  }
  lint(header ? { steps: infos, header, children, report } : { steps: infos, children, report });

  const diagnostics = report.diagnostics.sort(byPosition);
  if (!header || report.hasErrors) return { diagnostics };
  const plan: Plan = {
    schemaVersion: PLAN_SCHEMA_VERSION,
    id: header.fm.id,
    title: header.fm.title,
    version: header.fm.version,
    sourceHash: createHash('sha256').update(source).digest('hex'),
    sourcePath: file,
    description: header.fm.description ?? docs.join('\n\n').trim(),
    inputs: header.inputs,
    approvers: header.fm.approvers,
    triggers: header.triggers,
    steps: nodes,
    rollback: infos.filter((i) => i.phase === 'rollback').map((i) => i.step),
    children,
  };
  if (header.timeoutMs !== undefined) plan.timeoutMs = header.timeoutMs;
  if (header.fm.schedule !== undefined) plan.schedule = header.fm.schedule;
  if (header.target !== undefined) plan.target = header.target;
  return { plan, diagnostics };
}
