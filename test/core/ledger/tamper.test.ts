// The tamper catalogue: each way of quietly editing the SQLite file is caught by verify(), which
// names the first bad block and why. Each case works on its own copy of a freshly built ledger.
import Database from 'better-sqlite3';
import { cpSync, mkdtempSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { EmbeddedLedger } from '../../../core/ledger/embedded.ts';
import { leafHash } from '../../../core/ledger/merkle.ts';
import type { LedgerRecordInput } from '../../../core/ledger/schema.ts';

const ev = (n: number): LedgerRecordInput => ({
  type: 'availability',
  target: `host-${n % 3}`,
  kind: 'availability.down',
  from: 'up',
  to: 'down',
  severity: 'critical',
  observedAt: new Date(Date.UTC(2026, 1, 1, 0, 0, n)).toISOString(),
  source: 'tamper-test',
  payloadDigest: `sha256:${'ab'.repeat(32)}`,
});

let pristine: string;
const BLOCKS = 8;
const PER_BLOCK = 5;

beforeAll(async () => {
  pristine = mkdtempSync(join(inject('testDataRoot'), 'tamper-src-'));
  const l = new EmbeddedLedger({ dir: pristine });
  for (let b = 0; b < BLOCKS; b++)
    await l.appendBatch(
      `blk-${b}`,
      Array.from({ length: PER_BLOCK }, (_, i) => ev(b * 10 + i))
    );
  expect(await l.verify()).toMatchObject({ ok: true, checked: BLOCKS });
  await l.close();
});

/** Copies the ledger, applies `edit` to the raw SQLite file, then verifies through the ledger. */
async function tamper(edit: (db: Database.Database, dir: string) => void) {
  const dir = mkdtempSync(join(inject('testDataRoot'), 'tamper-'));
  cpSync(pristine, dir, { recursive: true });
  const db = new Database(join(dir, 'ledger.sqlite'));
  edit(db, dir);
  db.close();
  return EmbeddedLedger.verifyDir(dir);
}

describe('tamper catalogue', () => {
  it('an untouched copy verifies', async () => {
    expect(await tamper(() => {})).toMatchObject({ ok: true, checked: BLOCKS, records: BLOCKS * PER_BLOCK });
  });

  it('edit a field of a stored record', async () => {
    const r = await tamper((db) =>
      db.prepare(`UPDATE records SET json = replace(json, '"to":"down"', '"to":"up"') WHERE idx = 12`).run()
    );
    expect(r.ok).toBe(false);
    expect(r.firstBad).toEqual({
      height: 3,
      reason: expect.stringMatching(/leaf 12: stored JSON does not hash to its leaf/),
    });
  });

  it('edit a record and recompute its leaf hash', async () => {
    const r = await tamper((db) => {
      const row = db.prepare<[], { json: string }>('SELECT json FROM records WHERE idx = 21').get()!;
      const json = row.json.replace('"severity":"critical"', '"severity":"info"');
      const leaf = leafHash(json);
      db.prepare('UPDATE records SET json = ?, leaf = ? WHERE idx = 21').run(json, leaf);
    });
    expect(r.firstBad).toEqual({
      height: 5,
      reason: expect.stringMatching(/stored Merkle node|batch root recomputed/),
    });
  });

  it('edit an indexed column only (hides a record from queries)', async () => {
    const r = await tamper((db) => db.prepare(`UPDATE records SET target = 'host-x' WHERE idx = 7`).run());
    expect(r.firstBad).toEqual({ height: 2, reason: expect.stringMatching(/indexed columns/) });
  });

  it('edit a block header field', async () => {
    const r = await tamper((db) =>
      db.prepare(`UPDATE blocks SET created_at = '2020-01-01T00:00:00.000Z' WHERE height = 4`).run()
    );
    expect(r.firstBad).toEqual({ height: 4, reason: expect.stringMatching(/header does not hash/) });
  });

  it('delete a record row', async () => {
    const r = await tamper((db) => db.prepare('DELETE FROM records WHERE idx = 33').run());
    expect(r.firstBad).toEqual({ height: 7, reason: expect.stringMatching(/leaf 33 is missing/) });
  });

  it('delete a block in the middle', async () => {
    const r = await tamper((db) => db.prepare('DELETE FROM blocks WHERE height = 6').run());
    expect(r.firstBad).toEqual({ height: 6, reason: expect.stringMatching(/block 6 is missing/) });
  });

  it('delete the last blocks with their records (tail truncation)', async () => {
    const r = await tamper((db) => {
      db.prepare('DELETE FROM records WHERE height >= 7').run();
      db.prepare('DELETE FROM blocks WHERE height >= 7').run();
    });
    // The database alone is consistent again; the head checkpoint outside it remembers.
    expect(r.firstBad).toEqual({ height: 7, reason: expect.stringMatching(/blocks 7\.\.8 are missing/) });
  });

  it('reorder two blocks', async () => {
    const r = await tamper((db) => {
      db.prepare('UPDATE blocks SET height = -1 WHERE height = 3').run();
      db.prepare('UPDATE blocks SET height = 3 WHERE height = 4').run();
      db.prepare('UPDATE blocks SET height = 4 WHERE height = -1').run();
    });
    expect(r.firstBad).toEqual({ height: 3, reason: expect.stringMatching(/header does not hash/) });
  });

  it('replace a signature with another block’s', async () => {
    const r = await tamper((db) =>
      db.prepare('UPDATE blocks SET signature = (SELECT signature FROM blocks WHERE height = 1) WHERE height = 2').run()
    );
    expect(r.firstBad).toEqual({ height: 2, reason: expect.stringMatching(/signature does not verify/) });
  });

  it('rewrite a stored Merkle node (would forge proofs)', async () => {
    // Node over leaves 16..31 (level 4, index 1: in-order id 1·32 + 15), completed in block 7.
    const r = await tamper((db) => db.prepare('UPDATE nodes SET hash = zeroblob(32) WHERE id = 47').run());
    expect(r.firstBad).toEqual({
      height: 7,
      reason: expect.stringMatching(/stored Merkle node \(level 4, over leaf 31\)/),
    });
    const gone = await tamper((db) => db.prepare('DELETE FROM nodes WHERE id = 31').run());
    expect(gone.ok).toBe(false);
  });

  it('truncate the file', async () => {
    const r = await tamper((db, dir) => {
      db.pragma('wal_checkpoint(TRUNCATE)');
      const file = join(dir, 'ledger.sqlite');
      truncateSync(file, Math.floor(statSync(file).size / 2));
    });
    expect(r.ok).toBe(false);
    expect(r.firstBad?.reason).toMatch(/unreadable|missing|malformed|corrupt/i);
  });
});
