// A step marked `destructive` must come after a human approval (in an earlier step, not a
// concurrent one). Rollback steps count approvals anywhere in the main steps.
import type { LintRule } from '../lint.ts';

export const destructiveApproval: LintRule = {
  name: 'destructive-approval',
  check({ steps, report }) {
    const approvals = steps.filter((s) => s.step.kind === 'approval' && s.phase === 'main');
    for (const s of steps) {
      if (!s.step.policy.destructive) continue;
      const gated = approvals.some((a) => (s.phase === 'rollback' ? true : a.order < s.order));
      if (!gated) {
        report.at(
          s.flagOffsets.destructive ?? s.blockOffset,
          this.name,
          `Unexpected destructive step \`${s.step.id}\` without an earlier approval, expected an \`approval\` step before it`
        );
      }
    }
  },
};
