// A child runbook call must pass every required input the child declares, and nothing it does not.
import type { ChildRunbookParams } from '../plan.ts';
import type { LintRule } from '../lint.ts';
import { locate } from '../yaml-body.ts';

export const childInputs: LintRule = {
  name: 'child-inputs',
  check({ steps, children, report }) {
    for (const s of steps) {
      if (s.step.kind !== 'runbook' || s.step.params === null || !s.bodyBlock) continue;
      const params = s.step.params as unknown as ChildRunbookParams;
      const child = children[params.runbook];
      if (!child) continue;
      const given = (params.inputs ?? {}) as Record<string, unknown>;
      for (const input of child.inputs) {
        if (input.required && input.default === undefined && !Object.hasOwn(given, input.name)) {
          report.at(
            locate(s.bodyBlock, [], 'inputs'),
            this.name,
            `Unexpected missing input \`${input.name}\` for child runbook \`${child.id}\`, expected every required input`
          );
        }
      }
      const known = child.inputs.map((i) => i.name);
      for (const name of Object.keys(given)) {
        if (!known.includes(name)) {
          report.at(
            locate(s.bodyBlock, ['inputs'], name),
            this.name,
            `Unexpected input \`${name}\` for child runbook \`${child.id}\`, expected one of ${known.join(', ') || '(none)'}`
          );
        }
      }
    }
  },
};
