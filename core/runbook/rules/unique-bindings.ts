// Each `as=` name binds one step's output; a second binding of the same name is a mistake.
import type { LintRule } from '../lint.ts';

export const uniqueBindings: LintRule = {
  name: 'unique-bindings',
  check({ steps, report }) {
    const seen = new Map<string, string>();
    for (const s of steps) {
      const name = s.step.policy.as;
      if (name === undefined) continue;
      const first = seen.get(name);
      if (first !== undefined) {
        report.at(
          s.flagOffsets.as ?? s.blockOffset,
          this.name,
          `Unexpected second \`as=${name}\` (first in step \`${first}\`), expected unique names`
        );
      } else seen.set(name, s.step.id);
    }
  },
};
