// Step ids (slugs of headings) are part of idempotency keys and re-run bookkeeping: unique.
import type { LintRule } from '../lint.ts';

export const uniqueStepIds: LintRule = {
  name: 'unique-step-ids',
  check({ steps, report }) {
    const seen = new Map<string, number>();
    for (const s of steps) {
      const first = seen.get(s.step.id);
      if (s.step.id === '') {
        report.at(s.headingOffset, this.name, 'Unexpected heading without letters or digits, expected a step name');
      } else if (first !== undefined) {
        report.at(
          s.headingOffset,
          this.name,
          `Unexpected duplicate step \`${s.step.id}\` (first at line ${first}), expected unique step headings`
        );
      } else seen.set(s.step.id, s.step.line);
    }
  },
};
