// The Ledger contract, run over every implementation (embedded here; Fabric runs the same file).
// Usage: ledgerConformance('embedded', () => open a fresh, empty ledger).
import { describe, expect, it } from 'vitest';
import {
  deriveRecordId,
  EMPTY_HEX,
  verifyConsistency,
  verifyInclusion,
  type Ledger,
  type LedgerRecordInput,
} from './ledger-conformance-support.ts';

export interface ConformanceOptions {
  /** Per-test timeout (a Fabric network needs more). */
  timeoutMs?: number;
}

let seq = 0;
/** A valid availability event; `n` makes it unique. */
export function event(n: number, over: Partial<Record<string, unknown>> = {}): LedgerRecordInput {
  return {
    type: 'availability',
    target: `host-${n % 5}`,
    kind: n % 2 ? 'availability.down' : 'availability.up',
    from: n % 2 ? 'up' : 'down',
    to: n % 2 ? 'down' : 'up',
    severity: 'major',
    observedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    source: 'conformance',
    payloadDigest: `sha256:${String(n).padStart(64, '0')}`,
    ...over,
  };
}
const uniq = (p: string) => `${p}-${process.pid}-${++seq}`;

export function ledgerConformance(name: string, open: () => Promise<Ledger>, opts: ConformanceOptions = {}): void {
  const t = opts.timeoutMs ?? 60_000;
  describe(`Ledger conformance: ${name}`, () => {
    it('starts empty and grows by one block per batch', { timeout: t }, async () => {
      const l = await open();
      try {
        const h0 = await l.head();
        expect(h0).toMatchObject({ height: 0, treeSize: 0, root: EMPTY_HEX });
        const r1 = await l.appendBatch(uniq('b'), [event(1), event(2), event(3)]);
        expect(r1).toMatchObject({ height: 1, firstIndex: 0, count: 3, treeSize: 3, duplicate: false });
        expect(r1.recordIds).toHaveLength(3);
        const r2 = await l.appendBatch(uniq('b'), [event(4)]);
        expect(r2).toMatchObject({ height: 2, firstIndex: 3, count: 1, treeSize: 4 });
        const h = await l.head();
        expect(h).toMatchObject({ height: 2, treeSize: 4, root: r2.treeRoot, blockHash: r2.blockHash });
        expect(h.signature).not.toBe('');
        expect(h.publicKey).toContain('PUBLIC KEY');
        const b = await l.getBatch(r1.batchId);
        expect(b?.records.map((r) => r.id)).toEqual(r1.recordIds);
        expect(b?.records[0]).toMatchObject({ type: 'availability', target: 'host-1' });
        expect((await l.getBlock(2))?.batchId).toBe(r2.batchId);
        expect(await l.getBatch('no-such-batch')).toBeUndefined();
        expect(await l.verify()).toMatchObject({ ok: true, checked: 2, records: 4 });
      } finally {
        await l.close();
      }
    });

    it('is idempotent by batch id and refuses a different body under a used id', { timeout: t }, async () => {
      const l = await open();
      try {
        const id = uniq('idem');
        const first = await l.appendBatch(id, [event(10), event(11)]);
        const again = await l.appendBatch(id, [event(10), event(11)]);
        expect(again).toMatchObject({ ...first, duplicate: true, skippedIds: [] });
        expect((await l.head()).height).toBe(first.height);
        await expect(l.appendBatch(id, [event(10), event(12)])).rejects.toMatchObject({ name: 'LedgerConflictError' });
        // A record id already stored is refused, or skipped when identical and asked to.
        await expect(l.appendBatch(uniq('b'), [event(11)])).rejects.toMatchObject({ name: 'LedgerConflictError' });
        const skip = await l.appendBatch(uniq('b'), [event(11), event(13)], { skipExisting: true });
        expect(skip.count).toBe(1);
        expect(skip.skippedIds).toEqual([first.recordIds[1]]);
        await expect(
          l.appendBatch(uniq('b'), [event(99, { id: first.recordIds[0] })], { skipExisting: true })
        ).rejects.toMatchObject({
          name: 'LedgerConflictError',
        });
      } finally {
        await l.close();
      }
    });

    it('refuses a batch with a bad record, naming record and field, and writes nothing', { timeout: t }, async () => {
      const l = await open();
      try {
        const before = await l.head();
        const bad = [
          event(20),
          event(21, { observedAt: 'yesterday' }),
          event(22, { severity: 'apocalyptic', extra: 1 }),
        ];
        const err = (await l.appendBatch(uniq('bad'), bad).then(
          () => undefined,
          (e: unknown) => e
        )) as Error & { issues?: unknown[] };
        expect(err).toMatchObject({ name: 'LedgerValidationError' });
        expect(err.message).toMatch(/record 1.*observedAt/);
        expect(err.message).toMatch(/record 2.*severity/);
        expect(err.issues).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ index: 1, field: 'observedAt' }),
            expect.objectContaining({ index: 2, field: 'severity' }),
          ])
        );
        await expect(l.appendBatch(uniq('bad'), [event(23), event(23)])).rejects.toThrow(/duplicate record id/);
        await expect(
          l.appendBatch(uniq('bad'), [{ type: 'nonsense' } as unknown as LedgerRecordInput])
        ).rejects.toThrow(/type/);
        expect(await l.head()).toEqual(before);
        expect(await l.query({})).toHaveLength(0);
      } finally {
        await l.close();
      }
    });

    it('derives deterministic ids and keeps caller ids', { timeout: t }, async () => {
      const l = await open();
      try {
        const e = event(30);
        const fact = {
          type: 'fact',
          id: 'wf-1:step-a',
          kind: 'note',
          data: { ok: true, n: [1, 2] },
          at: '2026-01-01T00:00:00Z',
        } as LedgerRecordInput;
        const r = await l.appendBatch(uniq('ids'), [e, fact]);
        expect(r.recordIds).toEqual([deriveRecordId(e as Record<string, unknown>), 'wf-1:step-a']);
        expect((await l.getRecord('wf-1:step-a'))?.record).toMatchObject({
          kind: 'note',
          data: { ok: true, n: [1, 2] },
        });
      } finally {
        await l.close();
      }
    });

    it('answers queries by target, kind, type and time range', { timeout: t }, async () => {
      const l = await open();
      try {
        await l.appendBatch(
          uniq('q'),
          Array.from({ length: 20 }, (_, i) => event(100 + i))
        );
        const byTarget = await l.query({ target: 'host-2' });
        expect(byTarget.map((s) => (s.record as { target?: string }).target)).toEqual(Array(4).fill('host-2'));
        const down = await l.query({ kind: 'availability.down', target: 'host-1' });
        expect(
          down.every(
            (s) =>
              s.record.type === 'availability' && s.record.kind === 'availability.down' && s.record.target === 'host-1'
          )
        ).toBe(true);
        expect(down).toHaveLength(2);
        const range = await l.query({ type: 'availability', from: '2026-01-01T00:01:45Z', to: '2026-01-01T00:01:50Z' });
        expect(range.map((s) => (s.record as { observedAt: string }).observedAt)).toEqual(
          [105, 106, 107, 108, 109].map((n) => new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString())
        );
        expect(await l.query({ type: 'availability', limit: 3 })).toHaveLength(3);
        expect(await l.query({ target: 'nobody' })).toEqual([]);
        const first = byTarget[0]!;
        expect(first.leafIndex).toBeGreaterThanOrEqual(0);
        expect(first.height).toBe(1);
      } finally {
        await l.close();
      }
    });

    it('proves inclusion against the signed head and at an older tree size', { timeout: t }, async () => {
      const l = await open();
      try {
        const a = await l.appendBatch(
          uniq('p'),
          Array.from({ length: 7 }, (_, i) => event(200 + i))
        );
        await l.appendBatch(
          uniq('p'),
          Array.from({ length: 6 }, (_, i) => event(300 + i))
        );
        const head = await l.head();
        for (const id of a.recordIds) {
          const rec = (await l.getRecord(id))!.record;
          const proof = await l.proveInclusion(id);
          expect(proof.treeSize).toBe(head.treeSize);
          expect(verifyInclusion(proof, rec, head.root)).toEqual({ ok: true });
          const forged = { ...rec, target: 'host-forged' } as typeof rec;
          expect(verifyInclusion(proof, forged, head.root).ok).toBe(false);
          const old = await l.proveInclusion(id, a.treeSize);
          expect(verifyInclusion(old, rec, a.treeRoot)).toEqual({ ok: true });
        }
        expect(await l.rootAt(a.treeSize)).toBe(a.treeRoot);
        await expect(l.proveInclusion('no-such-record')).rejects.toMatchObject({ name: 'LedgerNotFoundError' });
        await expect(l.proveInclusion(a.recordIds[0]!, head.treeSize + 1)).rejects.toMatchObject({
          name: 'LedgerNotFoundError',
        });
      } finally {
        await l.close();
      }
    });

    it('proves consistency between two heads', { timeout: t }, async () => {
      const l = await open();
      try {
        const sizes: { size: number; root: string }[] = [];
        for (let b = 0; b < 5; b++) {
          const r = await l.appendBatch(
            uniq('c'),
            Array.from({ length: b + 2 }, (_, i) => event(400 + b * 10 + i))
          );
          sizes.push({ size: r.treeSize, root: r.treeRoot });
        }
        for (const from of sizes) {
          for (const to of sizes.filter((s) => s.size >= from.size)) {
            const p = await l.proveConsistency(from.size, to.size);
            expect(verifyConsistency(p, { fromRoot: from.root, toRoot: to.root })).toEqual({ ok: true });
          }
        }
        const p = await l.proveConsistency(sizes[1]!.size);
        expect(verifyConsistency(p, { fromRoot: sizes[0]!.root, toRoot: sizes[4]!.root }).ok).toBe(false);
      } finally {
        await l.close();
      }
    });

    it('keeps every record of several concurrent producers exactly once', { timeout: t * 2 }, async () => {
      const l = await open();
      try {
        const producers = 6;
        const perProducer = 5;
        await Promise.all(
          Array.from({ length: producers }, async (_, p) => {
            for (let b = 0; b < perProducer; b++) {
              const batch = Array.from({ length: 3 }, (_, i) => event(1000 + p * 100 + b * 10 + i));
              const id = `prod-${p}-${b}-${process.pid}`;
              await l.appendBatch(id, batch);
              await l.appendBatch(id, batch); // a retry
            }
          })
        );
        const head = await l.head();
        expect(head.height).toBe(producers * perProducer);
        expect(head.treeSize).toBe(producers * perProducer * 3);
        const all = await l.query({ type: 'availability', limit: 10000 });
        expect(new Set(all.map((s) => s.record.id)).size).toBe(all.length);
        expect(all).toHaveLength(producers * perProducer * 3);
        expect(await l.verify()).toMatchObject({ ok: true, checked: producers * perProducer });
        expect(await l.verify({ fromHeight: 10, toHeight: 12 })).toMatchObject({ ok: true, checked: 3 });
      } finally {
        await l.close();
      }
    });
  });
}
