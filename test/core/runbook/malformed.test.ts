// The catalogue of malformed runbooks: each bad/<name>.md has a sibling <name>.expected.txt with
// the exact `line:col: message` lines the compiler must produce (and no plan). `{kinds}` in an
// expected file stands for the registered kinds list, which grows as capabilities add kinds.
// Files starting with `_` are valid helpers (child runbooks the bad cases call).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRunbookFile } from '../../../core/runbook/compile.ts';
import { stepKinds } from '../../../core/runbook/kinds/index.ts';

const dir = join('test', 'fixtures', 'runbooks', 'bad');
const kinds = [...stepKinds.keys()].join(', ');
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.md') && !f.startsWith('_'))
  .sort();

describe('malformed runbooks', () => {
  it('has a catalogue of at least 25 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  for (const name of cases) {
    it(name, () => {
      const r = compileRunbookFile(join(dir, name), { runbooksDir: dir });
      expect(r.plan).toBeUndefined();
      expect(r.diagnostics.every((d) => d.file === join(dir, name))).toBe(true);
      const actual = r.diagnostics.map((d) => `${d.line}:${d.column}: ${d.message}`).join('\n') + '\n';
      const expectedPath = join(dir, name.replace(/\.md$/, '.expected.txt'));
      if (!existsSync(expectedPath)) writeFileSync(expectedPath, actual.split(kinds).join('{kinds}'));
      const expected = readFileSync(expectedPath, 'utf8').split('{kinds}').join(kinds);
      expect(actual).toBe(expected);
      expect(actual.trim()).not.toBe('');
    });
  }

  it('the helpers are valid runbooks', () => {
    for (const f of readdirSync(dir).filter((f) => f.startsWith('_') && f.endsWith('.md'))) {
      expect(compileRunbookFile(join(dir, f), { runbooksDir: dir }).diagnostics).toEqual([]);
    }
  });
});
