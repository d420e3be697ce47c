// Lint rules over the compiled model, one per file in ./rules, each reporting in remark-lint's
// "Unexpected X, expected Y" shape. The compiler runs them all after building the steps.
import type { Header } from './compile-front-matter.ts';
import type { StepInfo } from './compile-step.ts';
import type { Reporter } from './diagnostics.ts';
import type { Plan } from './plan.ts';
import { approvalApprovers } from './rules/approval-approvers.ts';
import { childInputs } from './rules/child-inputs.ts';
import { destructiveApproval } from './rules/destructive-approval.ts';
import { uniqueBindings } from './rules/unique-bindings.ts';
import { uniqueStepIds } from './rules/unique-step-ids.ts';

export interface LintModel {
  /** Main steps then rollback steps, in source order. */
  steps: StepInfo[];
  header?: Header;
  /** Compiled child plans by runbook id. */
  children: Record<string, Plan>;
  report: Reporter;
}

export interface LintRule {
  name: string;
  check(model: LintModel): void;
}

export const lintRules: LintRule[] = [
  uniqueStepIds,
  uniqueBindings,
  approvalApprovers,
  destructiveApproval,
  childInputs,
];

export function lint(model: LintModel): void {
  for (const rule of lintRules) rule.check(model);
}
