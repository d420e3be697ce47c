// The pipeline on the SQLite store with the embedded ledger: lines in, searchable docs out, each
// batch's root on the ledger, `verifyLine` proving a stored line and catching a tampered one, and
// bad input (invalid UTF-8, oversize, malformed, a UDP-style flood past the memory bound) kept.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedLedger } from '../../../core/ledger/embedded.ts';
import { ledgerDigestSink } from '../../../core/logs/digest.ts';
import { LogPipeline } from '../../../core/logs/pipeline.ts';
import { SqliteLogStore } from '../../../core/logs/sqlite-store.ts';
import { verifyLine } from '../../../core/logs/verify.ts';
import { testDataDir } from '../../helpers/temporal.ts';

let dir: string;
let store: SqliteLogStore;
let ledger: EmbeddedLedger;
const received = new Date('2026-11-25T12:00:00Z');
const meta = (key: number, source = 'test') => ({ source, key: String(key), received });

beforeAll(() => {
  dir = testDataDir('logs-pipeline');
  store = new SqliteLogStore({ file: join(dir, 'logs.db') });
  ledger = new EmbeddedLedger({ dir: join(dir, 'ledger'), durability: 'normal' });
});
afterAll(async () => {
  await store.close();
  await ledger.close();
});

describe('log pipeline (SQLite FTS + embedded ledger)', () => {
  it('indexes lines in batches, anchors each batch root on the ledger, and proves a line', async () => {
    const p = new LogPipeline({
      store,
      spoolDir: join(dir, 'spool-a'),
      digestSink: ledgerDigestSink(ledger),
      batchSize: 4,
      flushMs: 50,
    });
    for (let i = 0; i < 10; i++)
      await p.submit(`<11>1 2026-11-25T10:00:0${i}Z r740-01 api - - - request ${i} failed`, meta(i, 'a'));
    await p.close();
    expect(p.stats).toMatchObject({ received: 10, indexed: 10, batches: 3 });
    const r = await store.search({ text: 'request failed', host: 'r740-01' });
    expect(r.total).toBe(10);
    const digests = await ledger.query({ type: 'log-digest' });
    expect(digests.map((d) => d.record.type === 'log-digest' && d.record.count).sort()).toEqual([2, 4, 4]);
    const v = await verifyLine(store, ledger, r.hits[3]!.id);
    expect(v.reason).toBeUndefined();
    expect(v.ok).toBe(true);
    expect(v.ledgerRoot).toBe((await store.getBatch(v.batchId!))!.root);
  });

  it('detects a line changed in the store after indexing', async () => {
    const hit = (await store.search({ text: 'request 7' })).hits[0]!;
    const db = new Database(join(dir, 'logs.db'));
    const tampered = { ...hit, message: 'request 7 succeeded' };
    db.prepare('UPDATE logs SET doc = ? WHERE id = ?').run(JSON.stringify(tampered), hit.id);
    db.close();
    const v = await verifyLine(store, ledger, hit.id);
    expect(v.ok).toBe(false);
    expect(v.reason).toMatch(/does not hash to the leaf/);
  });

  it('detects a rewritten batch (leaves and root changed to fit the tampered line)', async () => {
    const hit = (await store.search({ text: 'request 7' })).hits[0]!;
    const { buildBatch } = await import('../../../core/logs/digest.ts');
    const batch = (await store.getBatch(hit.batch!.id))!;
    const docs = await Promise.all(batch.docIds.map(async (id) => (await store.get(id))!));
    const forged = buildBatch(docs, store.location).digest;
    await store.putBatch({ ...forged, id: batch.id });
    const v = await verifyLine(store, ledger, hit.id);
    expect(v.ok).toBe(false);
    expect(v.reason).toMatch(/does not lead to the root on the ledger/);
  });

  it('reports an unknown id clearly', async () => {
    expect(await verifyLine(store, ledger, 'nope')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/no log line with id nope/),
    });
  });

  it('keeps invalid UTF-8, oversize and malformed lines, tagged', async () => {
    const p = new LogPipeline({
      store,
      spoolDir: join(dir, 'spool-b'),
      batchSize: 10,
      flushMs: 50,
      maxLineBytes: 1024,
    });
    await p.submit(Buffer.from([0x62, 0x61, 0x64, 0x20, 0xff, 0xfe, 0x20, 0x75, 0x74, 0x66]), meta(1, 'b'));
    await p.submit('x'.repeat(5000) + ' oversize', meta(2, 'b'));
    await p.submit('{"not": json', meta(3, 'b'));
    await p.submit('<999>Nov 25 10:00:00 host bad priority', meta(4, 'b'));
    await p.close();
    const tags = async (tag: 'invalid_utf8' | 'truncated' | 'malformed') =>
      (await store.search({ tag })).hits.filter((h) => h.source === 'b');
    expect((await tags('invalid_utf8'))[0]?.raw).toBe('bad \uFFFD\uFFFD utf');
    const big = (await tags('truncated'))[0]!;
    expect(big.raw).toMatch(/^x{1024} …\[truncated 3985 bytes\]$/);
    expect((await tags('malformed')).length).toBe(2);
    expect((await store.search({ tag: 'parse_error' })).hits.filter((h) => h.source === 'b').length).toBe(4);
  });

  it('a flood past the memory bound overflows to the spool and loses nothing', async () => {
    const p = new LogPipeline({
      store,
      spoolDir: join(dir, 'spool-c'),
      batchSize: 50,
      maxQueued: 100,
      flushMs: 20,
      retryMs: 20,
    });
    const n = 5000;
    for (let i = 0; i < n; i++) p.offer(`<14>Nov 25 10:00:00 r740-02 flood[1]: flood line ${i}`, meta(i, 'c'));
    expect(p.stats.overflowed).toBeGreaterThan(0);
    await p.close();
    expect(p.spooledSegments()).toBe(0);
    expect((await store.search({ text: 'flood line', host: 'r740-02' })).total).toBe(n);
    expect(p.stats.indexed).toBe(n);
  });
});
