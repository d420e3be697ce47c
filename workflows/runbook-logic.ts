// Pure functions over (plan, state) used by the runbook interpreter: which steps exist,
// who may approve what, and how decisions tally. No side effects, so they are unit-testable
// without a server and safe in the workflow sandbox.
import type { ApprovalParams, Plan, PlanStep } from '../core/runbook/plan.ts';
import type { ApprovalRequest, Decision, PendingApproval } from './runbook-types.ts';

export function allSteps(plan: Plan): PlanStep[] {
  return plan.steps.flatMap((n) => (n.type === 'step' ? [n.step] : n.steps));
}

export function approvalSteps(plan: Plan): PlanStep[] {
  return allSteps(plan).filter((s) => s.kind === 'approval');
}

export function approvalParams(step: PlanStep): ApprovalParams {
  return step.params as unknown as ApprovalParams;
}

export function allowedRoles(plan: Plan, step: PlanStep): string[] {
  const p = approvalParams(step);
  return p.approvers.length > 0 ? p.approvers : plan.approvers;
}

export type Tally = 'approved' | 'rejected' | 'pending';

export function tally(decisions: Decision[], stepId: string, needed: number): { state: Tally; approvedBy: string[] } {
  const mine = decisions.filter((d) => d.stepId === stepId);
  const approvedBy = [...new Set(mine.filter((d) => d.decision === 'approve').map((d) => d.user))];
  if (mine.some((d) => d.decision === 'reject')) return { state: 'rejected', approvedBy };
  return { state: approvedBy.length >= needed ? 'approved' : 'pending', approvedBy };
}

export interface ApprovalCheck {
  ok: boolean;
  reason?: string;
  step?: PlanStep;
  role?: string;
}

/**
 * Decide whether `req` may be applied. The target step is the one named, else the pending
 * one, else the next approval step not yet decided (an early approval is kept for later).
 */
export function checkApproval(
  plan: Plan,
  roles: Record<string, string[]>,
  req: ApprovalRequest,
  pending: PendingApproval | undefined,
  decisions: Decision[],
  finished: ReadonlySet<string>
): ApprovalCheck {
  if (!req || typeof req.user !== 'string' || req.user.length === 0) return { ok: false, reason: 'missing user' };
  if (req.decision !== 'approve' && req.decision !== 'reject') {
    return { ok: false, reason: `unexpected decision ${JSON.stringify(req.decision)}, expected approve or reject` };
  }
  const candidates = approvalSteps(plan);
  if (candidates.length === 0) return { ok: false, reason: `runbook ${plan.id} has no approval step` };
  let step: PlanStep | undefined;
  if (req.stepId) {
    step = candidates.find((s) => s.id === req.stepId);
    if (!step) {
      return { ok: false, reason: `unknown approval step ${req.stepId}, expected one of ${candidates.map((s) => s.id).join(', ')}` };
    }
  } else if (pending) {
    step = candidates.find((s) => s.id === pending.stepId);
  } else {
    step = candidates.find((s) => !finished.has(s.id) && tally(decisions, s.id, approvalParams(s).approvals).state === 'pending');
  }
  if (!step) return { ok: false, reason: 'no approval is pending or still to come' };
  if (finished.has(step.id)) return { ok: false, reason: `approval step ${step.id} is already decided` };
  const userRoles = roles[req.user];
  if (!userRoles) return { ok: false, reason: `unknown user ${req.user}` };
  const allowed = allowedRoles(plan, step);
  const role = userRoles.find((r) => allowed.includes(r));
  if (!role) {
    return {
      ok: false,
      reason: `user ${req.user} (roles: ${userRoles.join(', ') || 'none'}) may not decide step ${step.id}, expected a role in ${allowed.join(', ')}`,
    };
  }
  if (decisions.some((d) => d.stepId === step.id && d.user === req.user && d.decision === req.decision)) {
    return { ok: false, reason: `user ${req.user} already gave this decision on step ${step.id}` };
  }
  return { ok: true, step, role };
}
