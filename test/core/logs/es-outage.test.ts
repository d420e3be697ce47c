// Elasticsearch stopped mid-stream: lines keep coming, batches go to the disk spool, and when the
// node is back every line is indexed exactly once (content-derived ids make replays harmless), and
// each batch root is on the ledger so lines indexed after the outage still verify (and a line
// rewritten inside Elasticsearch afterwards does not).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedLedger } from '../../../core/ledger/embedded.ts';
import { ledgerDigestSink } from '../../../core/logs/digest.ts';
import { createEsClient } from '../../../core/logs/es-client.ts';
import { dailyIndex } from '../../../core/logs/es-mapping.ts';
import { EsLogStore } from '../../../core/logs/es-store.ts';
import { LogPipeline } from '../../../core/logs/pipeline.ts';
import { verifyLine } from '../../../core/logs/verify.ts';
import { startTestElasticsearch, type TestEs } from '../../helpers/elasticsearch.ts';
import { testDataDir } from '../../helpers/temporal.ts';

let node: TestEs;
let store: EsLogStore;
let ledger: EmbeddedLedger;
let dir: string;

beforeAll(async () => {
  dir = testDataDir('logs-outage');
  node = await startTestElasticsearch('outage');
  store = new EsLogStore({ nodes: [node.es.url], indexPrefix: 'outage-logs' });
  ledger = new EmbeddedLedger({ dir: join(dir, 'ledger'), durability: 'normal' });
}, 600_000);

afterAll(async () => {
  await store?.close();
  await ledger?.close();
  await node?.stop();
}, 120_000);

const line = (i: number) =>
  `<13>1 2026-11-25T10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z r740-01 checkout-api - - - order ${i} processed`;
const meta = (i: number) => ({
  source: 'syslog-tcp:127.0.0.1',
  key: String(i),
  received: new Date('2026-11-25T12:00:00Z'),
});

describe('Elasticsearch outage', () => {
  it('spools while the node is down and indexes every line exactly once when it returns', async () => {
    const p = new LogPipeline({
      store,
      spoolDir: join(dir, 'spool'),
      digestSink: ledgerDigestSink(ledger),
      batchSize: 100,
      maxQueued: 300,
      flushMs: 50,
      retryMs: 300,
    });
    for (let i = 0; i < 1000; i++) await p.submit(line(i), meta(i));
    await p.flush();
    await store.refresh();
    expect((await store.search({ text: 'processed' })).total).toBe(1000);

    await node.es.stop();
    for (let i = 1000; i < 3000; i++) await p.submit(line(i), meta(i));
    // The same lines again (a shipper resending after a reconnect): same ids, so no duplicates.
    for (let i = 900; i < 1100; i++) await p.submit(line(i), meta(i));
    await p.flush();
    expect(p.stats.storeDown).toBe(true);
    expect(p.spooledSegments()).toBeGreaterThan(0);
    expect(p.stats.spooledBatches).toBeGreaterThanOrEqual(22);

    await node.restart();
    const deadline = Date.now() + 120_000;
    while (p.spooledSegments() > 0 || p.stats.storeDown) {
      if (Date.now() > deadline) throw new Error(`spool not drained: ${JSON.stringify(p.stats)}`);
      await p.flush();
      await new Promise((r) => setTimeout(r, 300));
    }
    await p.close();
    await store.refresh();
    const all = await store.search({ text: 'processed', limit: 10_000 });
    expect(all.total).toBe(3000);
    expect(new Set(all.hits.map((h) => h.id)).size).toBe(3000);
    expect(new Set(all.hits.map((h) => h.message))).toEqual(
      new Set(Array.from({ length: 3000 }, (_, i) => `order ${i} processed`))
    );
    expect(p.stats.indexed).toBe(3000);
    expect(p.stats.existing).toBeGreaterThanOrEqual(100);

    const late = (await store.search({ text: 'order 2500' })).hits[0]!;
    const v = await verifyLine(store, ledger, late.id);
    expect(v.reason).toBeUndefined();
    expect(v.ok).toBe(true);

    // Rewrite that line inside Elasticsearch, behind the pipeline's back: verification must fail.
    const es = createEsClient({ nodes: [node.es.url] });
    await es.index({
      index: dailyIndex('outage-logs', late.ts),
      id: late.id,
      document: { ...late, severity: 'critical' },
      refresh: true,
    });
    await es.close();
    const tampered = await verifyLine(store, ledger, late.id);
    expect(tampered.ok).toBe(false);
    expect(tampered.reason).toMatch(/does not hash to the leaf/);
  }, 600_000);
});
