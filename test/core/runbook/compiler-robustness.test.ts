// The compiler never throws, whatever it is given: every problem is a positioned diagnostic.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRunbook } from '../../../core/runbook/compile.ts';

const dir = join('test', 'fixtures', 'runbooks');
const sources = ['all-constructs.md', 'expressions.md', 'minimal.md'].map((f) => readFileSync(join(dir, f), 'utf8'));

function assertWellFormed(source: string): void {
  const r = compileRunbook(source, { file: 'fuzz.md', runbooksDir: dir });
  const lines = source.split('\n').length;
  for (const d of r.diagnostics) {
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.line).toBeLessThanOrEqual(lines);
    expect(d.column).toBeGreaterThanOrEqual(1);
    expect(d.message).toMatch(/^Unexpected .+, expected /s);
  }
  expect(r.plan === undefined).toBe(r.diagnostics.some((d) => d.severity === 'error'));
}

describe('compiler robustness', () => {
  it('survives random edits of valid runbooks', () => {
    const edit = fc.record({
      doc: fc.integer({ min: 0, max: sources.length - 1 }),
      at: fc.nat(),
      del: fc.integer({ min: 0, max: 8 }),
      ins: fc.oneof(
        fc.string({ maxLength: 6 }),
        fc.constantFrom('${', '}', '```', '\n## X\n', ':', '- ', '"', '=', ' if=${', '\n---\n')
      ),
    });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        let src = sources[edits[0]!.doc]!;
        for (const e of edits) {
          const at = e.at % (src.length + 1);
          src = src.slice(0, at) + e.ins + src.slice(at + e.del);
        }
        assertWellFormed(src);
      }),
      { numRuns: 300 }
    );
  });

  it('survives arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) =>
        assertWellFormed(`---\nid: x\ntitle: t\nversion: 1\n---\n${s}`)
      ),
      { numRuns: 200 }
    );
  });
});
