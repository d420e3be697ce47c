// An approval nobody may give would block forever: demand roles in the step or front matter.
import type { ApprovalParams } from '../plan.ts';
import type { LintRule } from '../lint.ts';

export const approvalApprovers: LintRule = {
  name: 'approval-approvers',
  check({ steps, header, report }) {
    if (!header) return; // the front matter is invalid: its approvers are unknown
    for (const s of steps) {
      if (s.step.kind !== 'approval' || s.step.params === null) continue;
      const params = s.step.params as unknown as ApprovalParams;
      if (params.approvers.length === 0) {
        report.at(
          s.blockOffset,
          this.name,
          'Unexpected approval step without approvers, expected `approvers` in the step or in the front matter'
        );
      }
    }
  },
};
