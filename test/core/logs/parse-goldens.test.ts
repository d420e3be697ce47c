// Parser goldens: every line of the real-format samples in test/fixtures/logs/ is decoded, parsed
// and enriched with a fixed receive time and the fixture inventory, and compared with the reviewed
// `<sample>.golden.json`. `UPDATE_GOLDENS=1` rewrites them (review the diff before committing).
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../../core/logs/inventory.ts';
import { processLine } from '../../../core/logs/pipeline-parse.ts';

const dir = join(import.meta.dirname, '../../fixtures/logs');
const inventory = loadInventory(join(dir, 'inventory.yaml'));
const received = new Date('2026-11-25T12:00:00.000Z');
const samples = readdirSync(dir).filter((f) => /\.(log|jsonl)$/.test(f));

describe('parser goldens', () => {
  it('has samples of every format', () => {
    expect(samples.length).toBeGreaterThanOrEqual(7);
  });
  for (const name of samples) {
    it(name, () => {
      const lines = readFileSync(join(dir, name))
        .toString('binary')
        .split('\n')
        .filter((l) => l !== '');
      const docs = lines.map((l, i) =>
        processLine(
          Buffer.from(l, 'binary'),
          { source: `fixture:${name}`, key: String(i + 1), received },
          { inventory }
        )
      );
      const golden = join(dir, name.replace(/\.(log|jsonl)$/, '.golden.json'));
      if (process.env.UPDATE_GOLDENS || !existsSync(golden))
        writeFileSync(golden, JSON.stringify(docs, null, 2) + '\n');
      expect(docs).toEqual(JSON.parse(readFileSync(golden, 'utf8')));
    });
  }
});
