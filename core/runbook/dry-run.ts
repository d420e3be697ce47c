// A plan as a readable step list: policies, conditions and approval gates, with `${…}` resolved
// where only inputs are needed (step outputs are shown as written). Sends nothing.
import { formatDuration } from './duration.ts';
import { evaluate, stringify, truthy } from './expr/evaluate.ts';
import type {
  ApprovalParams,
  ChildRunbookParams,
  CheckParams,
  ExprNode,
  Plan,
  PlanStep,
  PlanValue,
  WaitParams,
} from './plan.ts';

type Scope = Record<string, unknown> | undefined;

function roots(n: ExprNode, out: Set<string>): Set<string> {
  if (n.t === 'id') out.add(n.name);
  else if (n.t === 'member') {
    roots(n.obj, out);
    if (n.computed) roots(n.prop, out);
  } else if (n.t === 'un') roots(n.arg, out);
  else if (n.t === 'bin') [n.left, n.right].forEach((x) => roots(x, out));
  else if (n.t === 'cond') [n.test, n.then, n.else].forEach((x) => roots(x, out));
  else if (n.t === 'call') n.args.forEach((x) => roots(x, out));
  else if (n.t === 'arr') n.items.forEach((x) => roots(x, out));
  return out;
}

/** Evaluate when the expression only reads inputs we have; otherwise undefined. */
function tryEval(e: { $expr: ExprNode }, scope: Scope): { value: unknown } | undefined {
  if (!scope) return undefined;
  if ([...roots(e.$expr, new Set())].some((r) => !Object.hasOwn(scope, r))) return undefined;
  try {
    return { value: evaluate(e.$expr, scope) };
  } catch {
    return undefined;
  }
}

/** Render a plan value, resolving what can be resolved now. */
export function show(v: PlanValue | undefined, scope: Scope): string {
  if (v === undefined) return '';
  if (v === null || typeof v !== 'object') return stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => show(x, scope)).join(', ')}]`;
  if ('$expr' in v && typeof v.src === 'string') {
    const r = tryEval(v as { $expr: ExprNode }, scope);
    return r ? stringify(r.value) : `\${${v.src}}`;
  }
  if ('$tpl' in v && Array.isArray(v.$tpl)) {
    return (v.$tpl as (string | { $expr: ExprNode; src: string })[])
      .map((p) => (typeof p === 'string' ? p : show(p as PlanValue, scope)))
      .join('');
  }
  return `{ ${Object.entries(v)
    .map(([k, x]) => `${k}: ${show(x, scope)}`)
    .join(', ')} }`;
}

const ms = (n: number | undefined) => (n ? formatDuration(n) : 'none');

function summary(step: PlanStep, scope: Scope, plan: Plan): string[] {
  const p = step.params as Record<string, PlanValue> | null;
  if (p === null) return [];
  switch (step.kind) {
    case 'http': {
      const status = (p.expect as Record<string, PlanValue> | undefined)?.status;
      return [
        `${show(p.method ?? 'GET', scope)} ${show(p.url, scope)}${status !== undefined ? `  expect status ${show(status, scope)}` : ''}`,
      ];
    }
    case 'notify':
      return [
        `${show(p.channel ?? 'log', scope)}${p.url ? ` ${show(p.url, scope)}` : ''} [${show(p.severity ?? 'info', scope)}]: ${show(p.message, scope)}`,
      ];
    case 'wait': {
      const w = p as unknown as WaitParams;
      if (w.durationMs !== undefined) return [`sleep ${ms(w.durationMs)}`];
      const probe = w.probe ? `${w.probe.kind} ${show((w.probe.params as Record<string, PlanValue>).url, scope)}` : '';
      return [`until ${w.until?.src ?? '?'}: probe ${probe} every ${ms(w.everyMs)}, give up after ${ms(w.timeoutMs)}`];
    }
    case 'check': {
      const c = p as unknown as CheckParams;
      return c.assert
        .map((a) => `assert ${a.src}`)
        .concat(c.message !== undefined ? [`else fail: ${show(c.message, scope)}`] : []);
    }
    case 'approval': {
      const a = p as unknown as ApprovalParams;
      const roles = a.approvers.length > 0 ? a.approvers : plan.approvers;
      const esc = a.escalation
        ? ` (notify "${show(a.escalation.notify, scope)}", then wait ${ms(a.escalation.timeoutMs)})`
        : '';
      return [
        `APPROVAL GATE: ${a.approvals} approval(s) from role(s) ${roles.join(', ')}; timeout ${ms(a.timeoutMs)}, then ${a.onTimeout}${esc}`,
        ...(a.message !== undefined ? [`asks: ${show(a.message, scope)}`] : []),
      ];
    }
    case 'runbook': {
      const c = p as unknown as ChildRunbookParams;
      const child = plan.children[c.runbook];
      return [
        `child runbook ${c.runbook}${child ? ` (${child.title}, ${countSteps(child)} steps)` : ''} with inputs ${show(c.inputs, scope)}`,
      ];
    }
    default:
      return [JSON.stringify(step.params)];
  }
}

const countSteps = (plan: Plan) => plan.steps.reduce((n, s) => n + (s.type === 'step' ? 1 : s.steps.length), 0);

function policy(step: PlanStep, scope: Scope): string {
  const parts: string[] = [];
  if (step.exec === 'activity') parts.push(`retries ${step.policy.retries}`, `timeout ${ms(step.policy.timeoutMs)}`);
  if (step.policy.as) parts.push(`as ${step.policy.as}`);
  if (step.policy.continueOnError) parts.push('continue-on-error');
  if (step.policy.destructive) parts.push('DESTRUCTIVE');
  if (step.policy.if) {
    const r = tryEval(step.policy.if, scope);
    parts.push(`if ${step.policy.if.src}${r ? (truthy(r.value) ? ' (true now)' : ' (false now: skipped)') : ''}`);
  }
  return parts.join(', ');
}

function stepLines(label: string, step: PlanStep, scope: Scope, plan: Plan, indent: string): string[] {
  const kind = step.activity ? `${step.kind} → ${step.activity}` : step.kind;
  const pol = policy(step, scope);
  return [
    `${indent}${label} ${step.name} [${kind}]${pol ? `  (${pol})` : ''}`,
    ...summary(step, scope, plan).map((l) => `${indent}${' '.repeat(label.length + 1)}${l}`),
  ];
}

/** The dry-run text for a plan and (optionally) validated inputs. */
export function renderDryRun(plan: Plan, inputs?: Record<string, unknown>): string {
  const scope: Scope = inputs
    ? { inputs, run: { runbookId: plan.id, workflowId: '(dry-run)', target: '', incidentId: '' } }
    : undefined;
  const target = plan.target !== undefined ? show(plan.target, scope) : '(none)';
  if (scope) (scope.run as Record<string, unknown>).target = target;
  const out = [
    `${plan.title} (${plan.id} v${plan.version}, sha256 ${plan.sourceHash.slice(0, 12)})`,
    `target: ${target}   approvers: ${plan.approvers.join(', ') || '(none)'}   timeout: ${ms(plan.timeoutMs)}${plan.schedule ? `   schedule: ${plan.schedule}` : ''}`,
    `inputs: ${plan.inputs.map((i) => `${i.name}=${inputs ? stringify(inputs[i.name]) : i.default !== undefined ? stringify(i.default) : '?'} (${i.type}${i.required ? ', required' : ''})`).join(', ') || '(none)'}`,
    '',
  ];
  plan.steps.forEach((node, i) => {
    if (node.type === 'step') out.push(...stepLines(`${i + 1}.`, node.step, scope, plan, ''));
    else {
      out.push(`${i + 1}. in parallel: ${node.name}`);
      node.steps.forEach((s, j) =>
        out.push(...stepLines(`${i + 1}${String.fromCharCode(97 + j)}.`, s, scope, plan, '   '))
      );
    }
  });
  if (plan.rollback.length > 0) {
    out.push('', 'on failure, roll back:');
    plan.rollback.forEach((s, i) => out.push(...stepLines(`R${i + 1}.`, s, scope, plan, '')));
  }
  return out.join('\n');
}
