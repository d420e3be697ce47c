// One contract, every LogStore: the SQLite FTS5 default and Elasticsearch run these same cases
// (test/core/logs/sqlite-store.test.ts, es-store.test.ts). A case that only one store passes is a
// bug in that store or in the contract, never a reason to skip.
import { describe, expect, it } from 'vitest';
import { LogQueryError, type BatchDigest, type LogStore } from '../../core/logs/store.ts';
import type { LogDoc } from '../../core/logs/types.ts';

export type OpenStore = () => Promise<LogStore>;

let seq = 0;
export function mkDoc(p: Partial<LogDoc> & { ts: string; message: string }): LogDoc {
  seq++;
  return {
    id: p.id ?? `doc-${seq.toString().padStart(6, '0')}`,
    received: p.received ?? p.ts,
    raw: p.raw ?? p.message,
    severity: 'info',
    format: 'kv',
    source: 'test',
    tags: [],
    fields: {},
    ...p,
  };
}

const day = (d: number, time = '10:00:00') => `2026-11-${String(d).padStart(2, '0')}T${time}.000Z`;

function corpus(): LogDoc[] {
  return [
    mkDoc({
      ts: day(24, '09:00:00'),
      message: 'Fan 1A RPM is less than the lower critical threshold.',
      host: 'r740-01',
      service: 'checkout',
      severity: 'critical',
      messageId: 'FAN0001',
      component: 'fan',
      format: 'idrac',
    }),
    mkDoc({
      ts: day(24, '09:05:00'),
      message: 'payment gateway timeout',
      raw: 'level=error msg="payment gateway timeout" request_id=7f3c1a9e',
      host: 'r740-01',
      service: 'checkout',
      severity: 'error',
      correlationIds: ['7f3c1a9e'],
      fields: { request_id: '7f3c1a9e' },
    }),
    mkDoc({
      ts: day(25, '10:00:00'),
      message: 'GET /health 200',
      host: 'r740-02',
      service: 'storefront',
      format: 'nginx',
    }),
    mkDoc({
      ts: day(25, '10:00:01'),
      message: 'slow query on inventory',
      host: 'r740-03',
      service: 'inventory',
      severity: 'warning',
    }),
    mkDoc({ ts: day(25, '10:00:02'), message: 'unparsed gibberish ∆ line', tags: ['parse_error'], format: 'raw' }),
    mkDoc({
      ts: day(26, '00:00:00'),
      message: 'The power input for power supply 2 is lost.',
      host: 'r740-01',
      service: 'checkout',
      severity: 'critical',
      messageId: 'PSU0003',
      format: 'idrac',
    }),
  ];
}

export function logStoreConformance(name: string, open: OpenStore): void {
  describe(`LogStore conformance: ${name}`, () => {
    async function loaded(): Promise<{ store: LogStore; docs: LogDoc[] }> {
      const store = await open();
      const docs = corpus();
      await store.write(docs);
      await store.refresh();
      return { store, docs };
    }

    it('stores docs and returns them unchanged by id', async () => {
      const { store, docs } = await loaded();
      expect(await store.ping()).toBe(true);
      for (const d of docs) expect(await store.get(d.id)).toEqual(d);
      expect(await store.get('no-such-id')).toBeUndefined();
    });

    it('writes are idempotent by id: a replay adds nothing and changes nothing', async () => {
      const { store, docs } = await loaded();
      const changed = docs.map((d) => ({ ...d, message: 'replayed' }));
      expect(await store.write(changed)).toEqual({ written: 0, existing: docs.length });
      await store.refresh();
      expect((await store.search({})).total).toBe(docs.length);
      expect((await store.get(docs[0]!.id))?.message).toBe(docs[0]!.message);
    });

    it('orders newest first, limits, and counts every match', async () => {
      const { store, docs } = await loaded();
      const r = await store.search({ limit: 2 });
      expect(r.total).toBe(docs.length);
      expect(r.hits.map((h) => h.ts)).toEqual([day(26, '00:00:00'), day(25, '10:00:02')]);
    });

    it('full text: every word must match, in message or raw, case-insensitively', async () => {
      const { store } = await loaded();
      expect((await store.search({ text: 'FAN critical' })).hits.map((h) => h.messageId)).toEqual(['FAN0001']);
      expect((await store.search({ text: 'power supply' })).total).toBe(1);
      expect((await store.search({ text: 'request_id' })).total).toBe(1); // only in raw
      expect((await store.search({ text: 'PAYMENT Gateway' })).total).toBe(1);
      expect((await store.search({ text: 'fan gateway' })).total).toBe(0);
      expect((await store.search({ text: 'gibberish' })).hits[0]?.tags).toEqual(['parse_error']);
    });

    it('query syntax in the text is taken literally, never as an error', async () => {
      const { store } = await loaded();
      for (const text of ['"unbalanced', 'NEAR(fan', 'fan OR', '* -x', 'a:b', '()']) {
        await expect(store.search({ text })).resolves.toBeDefined();
      }
    });

    it('filters by host, service, severity, min severity, message id, correlation id and tag', async () => {
      const { store } = await loaded();
      expect((await store.search({ host: 'r740-01' })).total).toBe(3);
      expect((await store.search({ service: 'storefront' })).total).toBe(1);
      expect((await store.search({ severity: 'critical' })).total).toBe(2);
      expect((await store.search({ minSeverity: 'warning' })).total).toBe(4);
      expect((await store.search({ minSeverity: 'error', host: 'r740-01', text: 'power' })).total).toBe(1);
      expect((await store.search({ messageId: 'PSU0003' })).hits[0]?.host).toBe('r740-01');
      expect((await store.search({ correlationId: '7f3c1a9e' })).total).toBe(1);
      expect((await store.search({ tag: 'parse_error' })).total).toBe(1);
    });

    it('time window: since inclusive, until exclusive', async () => {
      const { store } = await loaded();
      const r = await store.search({ since: day(25, '10:00:00'), until: day(25, '10:00:02') });
      expect(r.hits.map((h) => h.ts)).toEqual([day(25, '10:00:01'), day(25, '10:00:00')]);
      expect((await store.search({ since: day(26, '00:00:00') })).total).toBe(1);
    });

    it('refuses bad queries with a specific error', async () => {
      const store = await open();
      await expect(store.search({ since: 'yesterday' })).rejects.toThrow(LogQueryError);
      await expect(store.search({ since: 'yesterday' })).rejects.toThrow(/since: expected an ISO date-time/);
      await expect(store.search({ limit: 0 })).rejects.toThrow(/limit: expected an integer/);
    });

    it('keeps batch digests by id', async () => {
      const store = await open();
      const b: BatchDigest = {
        id: 'b1',
        root: 'ab'.repeat(32),
        count: 2,
        store: store.location,
        start: day(25),
        end: day(25),
        leaves: ['cd'.repeat(32), 'ef'.repeat(32)],
        docIds: ['x', 'y'],
      };
      await store.putBatch(b);
      expect(await store.getBatch('b1')).toEqual(b);
      await store.putBatch({ ...b, ledgerRecordId: 'log-digest:b1' });
      expect((await store.getBatch('b1'))?.ledgerRecordId).toBe('log-digest:b1');
      expect(await store.getBatch('nope')).toBeUndefined();
    });

    it('retention drops whole UTC days before the cut-off day', async () => {
      const { store } = await loaded();
      expect(await store.deleteBefore(day(25, '18:00:00'))).toBe(2);
      await store.refresh();
      const left = await store.search({});
      expect(left.total).toBe(4);
      expect(left.hits.every((h) => h.ts >= day(25, '00:00:00'))).toBe(true);
      expect(await store.deleteBefore(day(25, '18:00:00'))).toBe(0);
    });
  });
}
