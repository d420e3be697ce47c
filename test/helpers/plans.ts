// Hand-built plans for interpreter tests, so they exercise the workflow independently of the
// Markdown compiler (which has its own golden tests).
import { parseExpression, parseTemplate } from '../../core/runbook/expr/parse.ts';
import type { ExprNode, Plan, PlanNode, PlanStep, PlanValue, StepPolicy } from '../../core/runbook/plan.ts';

export function expr(src: string): { $expr: ExprNode; src: string } {
  const r = parseExpression(src);
  if ('problem' in r) throw new Error(`bad test expression ${src}: ${r.problem.message}`);
  return r.expr;
}

/** Turn `${…}` strings inside a JSON value into plan templates, like the compiler does. */
export function tpl(v: unknown): PlanValue {
  if (typeof v === 'string') return parseTemplate(v).value;
  if (Array.isArray(v)) return v.map(tpl);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, tpl(x)]));
  return v as PlanValue;
}

const ACTIVITY: Record<string, string> = { http: 'httpRequest', notify: 'notifySend' };

export function step(id: string, kind: string, params: unknown, policy: Partial<Omit<StepPolicy, 'if'>> & { if?: string } = {}): PlanStep {
  const { if: cond, ...rest } = policy;
  return {
    id,
    name: id.replace(/-/g, ' '),
    kind,
    exec: ACTIVITY[kind] ? 'activity' : 'workflow',
    activity: ACTIVITY[kind],
    params: ['approval', 'wait', 'check'].includes(kind) ? (params as PlanValue) : tpl(params),
    policy: { retries: 0, timeoutMs: 10_000, ...rest, ...(cond ? { if: expr(cond) } : {}) },
    doc: '',
    line: 1,
  };
}

export function approvalStep(id: string, o: { approvers?: string[]; approvals?: number; timeoutMs?: number; onTimeout?: 'abort' | 'escalate' | 'reject'; escalation?: { notify: unknown; timeoutMs: number } } = {}): PlanStep {
  return step(id, 'approval', {
    approvers: o.approvers ?? [],
    approvals: o.approvals ?? 1,
    timeoutMs: o.timeoutMs ?? 600_000,
    onTimeout: o.onTimeout ?? 'abort',
    ...(o.escalation ? { escalation: { notify: tpl(o.escalation.notify), timeoutMs: o.escalation.timeoutMs } } : {}),
  });
}

export function plan(id: string, nodes: (PlanStep | PlanNode)[], extra: Partial<Plan> = {}): Plan {
  return {
    schemaVersion: 1,
    id,
    title: `Test ${id}`,
    version: '1',
    sourceHash: '0'.repeat(64),
    sourcePath: `test/${id}.md`,
    description: '',
    inputs: [],
    approvers: ['sre'],
    triggers: [],
    steps: nodes.map((n) => ('type' in n ? n : { type: 'step', step: n })),
    rollback: [],
    children: {},
    ...extra,
  };
}

export const ROLES: Record<string, string[]> = {
  alice: ['sre'],
  bob: ['sre'],
  carol: ['dc-ops'],
  dave: ['dc-ops', 'sre-lead'],
};
