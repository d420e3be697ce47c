// FabricLedger on a real native Fabric network (two organisations, one Raft orderer, the chaincode
// as a service): the shared Ledger conformance suite, an outsider identity refused, two writers of
// one stream, the audit of a writer that skipped its record-id check, and a peer stopped mid-run
// without losing a batch. The first run builds Fabric (minutes, cached after).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from 'node:crypto';
import { blockHashOf } from '../../../core/ledger/block.ts';
import { canonicalJson } from '../../../core/ledger/canonical.ts';
import { FabricLedger, type FabricLedgerOptions } from '../../../core/ledger/fabric.ts';
import type { FabricConnection } from '../../../core/ledger/fabric-client.ts';
import { appendFrontier } from '../../../core/ledger/fabric-tree.ts';
import { foldFrontier, leafHash, rootOfLeaves } from '../../../core/ledger/merkle.ts';
import { openLedger } from '../../../core/ledger/index.ts';
import {
  freePortBlock,
  startFabricNetwork,
  type FabricIdentity,
  type FabricNetwork,
} from '../../../scripts/lib/fabric-network.ts';
import { ensureFabricBinaries } from '../../../scripts/lib/fabric-build.ts';
import { testDataDir } from '../../helpers/temporal.ts';
import { event, ledgerConformance } from '../../conformance/ledger.conformance.ts';

let net: FabricNetwork | undefined;
let streams = 0;

function ledger(identity?: FabricIdentity, over: Partial<FabricLedgerOptions> = {}): FabricLedger {
  if (!net) throw new Error('the Fabric network did not start');
  const id = identity ?? net.writer;
  return new FabricLedger({
    peers: net.peers.map((p) => ({ endpoint: p.endpoint, tlsCaCert: p.tlsCaCertPath, hostAlias: p.hostAlias })),
    identity: { mspId: id.mspId, cert: id.certPath, key: id.keyPath },
    // Each conformance test gets a fresh, empty logical ledger in the same channel.
    stream: `t${process.pid}-${++streams}`,
    ...over,
  });
}

beforeAll(async () => {
  await ensureFabricBinaries((s) => console.log(s));
  net = await startFabricNetwork({ dataDir: testDataDir('fabric'), basePort: await freePortBlock(), log: () => {} });
}, 30 * 60_000);

afterAll(async () => {
  await net?.stop();
}, 60_000);

ledgerConformance('fabric', () => Promise.resolve(ledger()), { timeoutMs: 120_000 });

describe('FabricLedger on the native network', () => {
  it('refuses writes from an identity outside the writer role, and lets it read', { timeout: 120_000 }, async () => {
    const w = ledger();
    const stream = w.stream;
    const o = ledger(net!.outsider, { stream });
    try {
      const r = await w.appendBatch(`ok-${process.pid}`, [event(1)]);
      const err = (await o.appendBatch(`out-${process.pid}`, [event(2)]).catch((e: unknown) => e)) as Error & {
        retryable?: boolean;
      };
      expect(err).toMatchObject({ name: 'LedgerAccessError', retryable: false });
      expect(err.message).toMatch(
        /identity of Org2MSP .* may not write; writers are Org1MSP identities with role client/
      );
      expect(await o.head()).toMatchObject({ height: 1, root: r.treeRoot });
      expect((await o.getBatch(r.batchId))?.records).toHaveLength(1);
      expect((await w.head()).height).toBe(1);
    } finally {
      await w.close();
      await o.close();
    }
  });

  it("is what openLedger('fabric') opens from the IRONTHRONE_FABRIC_* settings", { timeout: 120_000 }, async () => {
    const saved = { ...process.env };
    process.env.IRONTHRONE_FABRIC_NETWORK = net!.dataDir;
    process.env.IRONTHRONE_FABRIC_STREAM = `env-${process.pid}`;
    try {
      const l = await openLedger('fabric');
      try {
        expect(l.kind).toBe('fabric');
        const r = await l.appendBatch(`env-${process.pid}`, [event(7)]);
        expect(r).toMatchObject({ height: 1, count: 1 });
        expect((await l.getRecord(r.recordIds[0]!))?.record).toMatchObject({ type: 'availability' });
      } finally {
        await l.close();
      }
    } finally {
      process.env = saved;
    }
  });

  it(
    'keeps two writers of one stream consistent: each sees the other, a record id is refused once taken',
    { timeout: 120_000 },
    async () => {
      const a = ledger();
      const b = ledger(undefined, { stream: a.stream });
      try {
        const ra = await a.appendBatch(`wa-${process.pid}`, [event(400), event(401)]);
        // b's index starts empty: it syncs to a's block before it builds its own.
        const rb = await b.appendBatch(`wb-${process.pid}`, [event(402)]);
        expect(rb).toMatchObject({ height: 2, firstIndex: 2 });
        // a's known head is stale now: the chaincode says STALE, a syncs and appends on top.
        const ra2 = await a.appendBatch(`wa2-${process.pid}`, [event(403)]);
        expect(ra2).toMatchObject({ height: 3, firstIndex: 3 });
        await expect(b.appendBatch(`wb2-${process.pid}`, [event(403)])).rejects.toMatchObject({
          name: 'LedgerConflictError',
        });
        const skip = await b.appendBatch(`wb3-${process.pid}`, [event(401), event(404)], { skipExisting: true });
        expect(skip).toMatchObject({ height: 4, count: 1, skippedIds: [ra.recordIds[1]] });
        // The same batch again from the other writer is the first receipt.
        expect(
          await a.appendBatch(`wb3-${process.pid}`, [event(401), event(404)], { skipExisting: true })
        ).toMatchObject({
          height: 4,
          duplicate: true,
          recordIds: skip.recordIds,
        });
        expect((await a.getRecord(rb.recordIds[0]!))?.leafIndex).toBe(2);
        expect(await b.verify()).toMatchObject({ ok: true, checked: 4, records: 5 });
      } finally {
        await a.close();
        await b.close();
      }
    }
  );

  it(
    'verify names a block that repeats a record id (a writer that skipped its index check)',
    { timeout: 120_000 },
    async () => {
      const l = ledger();
      try {
        const first = await l.appendBatch(`dup-a-${process.pid}`, [event(500)]);
        // Build and sign the next block by hand, as a writer without an index would, and submit it
        // straight to the chaincode: it cannot see record ids across batches, the audit can.
        const conn = (l as unknown as { conn: FabricConnection }).conn;
        const rec = canonicalJson({ ...event(500), id: first.recordIds[0] });
        const leaf = leafHash(rec);
        const head = JSON.parse(await conn.evaluate('Prepare', l.stream)) as { head: { frontier: string[] } };
        const frontier = appendFrontier(head.head.frontier, 1, [leaf]);
        const fields = {
          height: 2,
          batchId: `dup-b-${process.pid}`,
          prevHash: first.blockHash,
          batchRoot: rootOfLeaves([leaf]).toString('hex'),
          firstIndex: 1,
          count: 1,
          treeSize: 2,
          treeRoot: foldFrontier(frontier.map((h) => Buffer.from(h, 'hex'))).toString('hex'),
          createdAt: new Date().toISOString(),
        };
        const blockHash = blockHashOf(fields);
        const signature = sign('sha256', Buffer.from(blockHash, 'hex'), conn.privateKey).toString('base64');
        await conn.submit(
          'RecordBatch',
          l.stream,
          fields.batchId,
          `[${rec}]`,
          '{}',
          JSON.stringify({ height: 2, createdAt: fields.createdAt, batchRoot: fields.batchRoot, blockHash }),
          signature
        );
        expect(await l.verify()).toMatchObject({
          ok: false,
          firstBad: { height: 2, reason: `record id ${first.recordIds[0]} is already in an earlier block` },
        });
      } finally {
        await l.close();
      }
    }
  );

  it('loses no batch when a peer stops mid-run and comes back', { timeout: 300_000 }, async () => {
    const l = ledger(undefined, { unavailableRetryMs: 180_000 });
    try {
      const ids: string[] = [];
      for (let b = 0; b < 3; b++) ids.push((await l.appendBatch(`before-${b}`, [event(100 + b)])).batchId);
      await net!.stopPeer('org2');
      // Endorsement needs both organisations: these appends wait (retrying) until org2 is back.
      const pending = Promise.all([0, 1, 2].map((b) => l.appendBatch(`during-${b}`, [event(200 + b), event(300 + b)])));
      await new Promise((r) => setTimeout(r, 5000));
      await net!.startPeer('org2');
      const receipts = await pending;
      ids.push(...receipts.map((r) => r.batchId));
      const head = await l.head();
      expect(head).toMatchObject({ height: 6, treeSize: 9 });
      // Read through org2's peer first: it caught up with every block while it was down.
      const viaOrg2 = ledger(undefined, {
        stream: l.stream,
        peers: [...net!.peers]
          .reverse()
          .map((p) => ({ endpoint: p.endpoint, tlsCaCert: p.tlsCaCertPath, hostAlias: p.hostAlias })),
      });
      try {
        for (const id of ids) expect((await viaOrg2.getBatch(id))?.batchId).toBe(id);
        expect(await viaOrg2.verify()).toMatchObject({ ok: true, checked: 6, records: 9 });
      } finally {
        await viaOrg2.close();
      }
    } finally {
      await l.close();
    }
  });
});
