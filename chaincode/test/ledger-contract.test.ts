// Unit tests of the ledger contract on its tsc output (dist/), over an in-memory stub.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { FakeWorld, makeCaller, signHash, type Caller } from './fake-context';
import type * as ContractModule from '../src/ledger-contract';
import type * as MerkleModule from '../src/merkle';
import type * as StateModule from '../src/state';
import type * as RecordsModule from '../src/records';

process.env.CORE_CHAINCODE_LOGGING_LEVEL = 'error';
/* eslint-disable @typescript-eslint/no-require-imports */
const { LedgerContract } = require('../../dist/ledger-contract') as typeof ContractModule;
const merkle = require('../../dist/merkle') as typeof MerkleModule;
const st = require('../../dist/state') as typeof StateModule;
const records = require('../../dist/records') as typeof RecordsModule;

const writer = makeCaller('Org1MSP', ['client']);
const admin = makeCaller('Org1MSP', ['admin']);
const outsider = makeCaller('Org2MSP', ['client']);

const ev = (n: number, over: Record<string, unknown> = {}) => ({
  type: 'availability',
  target: `host-${n % 3}`,
  kind: n % 2 ? 'availability.down' : 'availability.up',
  from: 'up',
  to: 'down',
  severity: 'major',
  observedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  source: 'unit',
  payloadDigest: `sha256:${String(n).padStart(64, '0')}`,
  ...over,
});

/** What a client does: read the head, build the block it expects, sign its hash. */
async function expectedBlock(
  world: FakeWorld,
  c: InstanceType<typeof LedgerContract>,
  stream: string,
  batchId: string,
  recs: unknown[],
  skip: string[] = []
) {
  const prep = JSON.parse(await world.call(writer, (ctx) => c.Prepare(ctx, stream))) as {
    head: StateModule.Head;
  };
  // Invalid records get a placeholder leaf: the contract must refuse them before it gets that far.
  const canon = (r: unknown, i: number) => {
    try {
      return records.validateRecord(r, i).canonical;
    } catch {
      return JSON.stringify(r);
    }
  };
  const leaves = recs.map((r, i) => merkle.leafHash(canon(r, i))).filter((_, i) => !skip.includes(String(i)));
  const frontier = merkle.appendLeaves(prep.head.frontier, prep.head.treeSize, leaves);
  const header = {
    height: prep.head.height + 1,
    batchId,
    prevHash: prep.head.blockHash,
    batchRoot: merkle.rootOfLeaves(leaves),
    firstIndex: prep.head.treeSize,
    count: leaves.length,
    treeSize: prep.head.treeSize + leaves.length,
    treeRoot: merkle.foldFrontier(frontier),
    createdAt: new Date(world.txTime).toISOString(),
  };
  const blockHash = st.blockHashOf(header);
  return {
    header,
    block: { height: header.height, createdAt: header.createdAt, batchRoot: header.batchRoot, blockHash },
  };
}

async function record(
  world: FakeWorld,
  c: InstanceType<typeof LedgerContract>,
  stream: string,
  batchId: string,
  recs: unknown[],
  opts: {
    as?: Caller;
    skip?: string[];
    tamper?: (b: Record<string, unknown>) => void;
    options?: object;
    encode?: () => string;
  } = {}
) {
  const { block } = await expectedBlock(world, c, stream, batchId, recs, opts.skip);
  const b = { ...block } as Record<string, unknown>;
  opts.tamper?.(b);
  const who = opts.as ?? writer;
  const sig = signHash(who, String(b.blockHash));
  const out = await world.call(who, (ctx) =>
    c.RecordBatch(
      ctx,
      stream,
      batchId,
      opts.encode ? opts.encode() : JSON.stringify(recs),
      JSON.stringify(opts.options ?? { skip: (opts.skip ?? []).map(Number) }),
      JSON.stringify(b),
      sig
    )
  );
  return JSON.parse(out) as StateModule.Receipt;
}

const idOf = (r: unknown) => records.validateRecord(r, 0).record.id;
const snapshot = (w: FakeWorld) => JSON.stringify([...w.state.entries()].map(([k, v]) => [k, v.toString()]));

test('records a batch as a chained, signed block with sorted-key JSON state and an event', async () => {
  const world = new FakeWorld();
  const c = new LedgerContract();
  const r1 = await record(world, c, 's', 'b1', [ev(1), ev(2), ev(3)]);
  assert.equal(r1.height, 1);
  assert.equal(r1.count, 3);
  assert.equal(r1.duplicate, false);
  const r2 = await record(world, c, 's', 'b2', [ev(4)]);
  assert.equal(r2.firstIndex, 3);
  const blocks = JSON.parse(
    await world.call(writer, (ctx) => c.GetBlocks(ctx, 's', '1', '2', 'true'))
  ) as (StateModule.Block & {
    records: unknown[];
  })[];
  const leafHashes = (b: { records: unknown[] }) =>
    b.records.map((r, i) => merkle.leafHash(records.validateRecord(r, i).canonical));
  assert.equal(blocks[1]?.prevHash, blocks[0]?.blockHash);
  assert.equal(
    blocks[0]?.createdAt,
    new Date(world.txTime).toISOString(),
    'createdAt is the transaction time, not the clock'
  );
  assert.equal(merkle.rootOfLeaves([...leafHashes(blocks[0]!), ...leafHashes(blocks[1]!)]), r2.treeRoot);
  const entries = JSON.parse(await world.call(writer, (ctx) => c.GetBlocks(ctx, 's', '2', '9', ''))) as object[];
  assert.deepEqual(
    entries.map((e) => ('records' in e ? 'with records' : (e as { height: number }).height)),
    [2]
  );
  // The batch path's byte-level root agrees with the hex one at every size up to 70 leaves.
  for (let n = 0; n <= 70; n++) {
    const leaves = Array.from({ length: n }, (_, i) => merkle.leafHashBytes(String(i)));
    assert.equal(merkle.rootOfLeafBytes(leaves), merkle.rootOfLeaves(leaves.map((l) => l.toString('hex'))), `n=${n}`);
  }
  const one = JSON.parse(await world.call(outsider, (ctx) => c.GetRecordAt(ctx, 's', '1', '2'))) as {
    record: { id: string };
    leafIndex: number;
  };
  assert.deepEqual([one.record.id, one.leafIndex], [idOf(ev(3)), 2]);
  assert.equal(await world.call(outsider, (ctx) => c.GetRecordAt(ctx, 's', '1', '3')), '');
  for (const v of world.state.values()) {
    const text = v.toString();
    if (!text.startsWith('{')) continue;
    const obj = JSON.parse(text) as Record<string, unknown>;
    assert.deepEqual(Object.keys(obj), Object.keys(obj).sort(), 'state JSON has sorted keys');
  }
  assert.equal(world.events.length, 2);
  assert.equal(world.events[0]?.name, 'BatchRecorded');
  assert.match(world.events[0]!.payload, /"height":1/);
  const head = JSON.parse(await world.call(outsider, (ctx) => c.GetHead(ctx, 's'))) as Record<string, unknown>;
  assert.equal(head.height, 2);
  assert.match(String(head.publicKey), /BEGIN PUBLIC KEY/);
  const batch = JSON.parse(await world.call(outsider, (ctx) => c.GetBatch(ctx, 's', 'b1'))) as {
    records: { id: string }[];
  };
  assert.deepEqual(
    batch.records.map((r) => r.id),
    [ev(1), ev(2), ev(3)].map(idOf)
  );
  assert.equal(await world.call(outsider, (ctx) => c.GetBatch(ctx, 's', 'nope')), '');
});

test('a retry of the same batch is a no-op; a reused id with another body is refused', async () => {
  const world = new FakeWorld();
  const c = new LedgerContract();
  const r1 = await record(world, c, 's', 'b1', [ev(1), ev(2)]);
  const before = snapshot(world);
  const again = await record(world, c, 's', 'b1', [ev(1), ev(2)]);
  assert.deepEqual({ ...again, duplicate: false }, r1);
  assert.equal(again.duplicate, true);
  assert.equal(snapshot(world), before);
  await assert.rejects(
    record(world, c, 's', 'b1', [ev(1), ev(3)]),
    /CONFLICT: batch id b1 was already used with a different body/
  );
  // Record ids across batches are the writer's check (it holds the index); the contract leaves out
  // the positions it names and reports them.
  const skipped = await record(world, c, 's', 'b3', [ev(2), ev(5)], { skip: ['0'] });
  assert.equal(skipped.count, 1);
  assert.deepEqual(skipped.skippedIds, [idOf(ev(2))]);
  assert.equal(world.events.length, 2);
  await assert.rejects(
    record(world, c, 's', 'b4', [ev(6)], { options: { skip: [1] } }),
    /INVALID: options.skip: expected positions of records in the batch \(0..0\)/
  );
});

test('stores a gzipped batch as sent when it is exactly the canonical records', async () => {
  const world = new FakeWorld();
  const c = new LedgerContract();
  const recs = [ev(1), ev(2)].map((r, i) => records.validateRecord(r, i));
  const text = `[${recs.map((r) => r.canonical).join(',')}]`;
  const gz = gzipSync(text);
  const r1 = await record(world, c, 's', 'b1', [ev(1), ev(2)], { encode: () => `gzip:${gz.toString('base64')}` });
  assert.equal(r1.count, 2);
  assert.ok(world.state.get('recs|s|000000000001')?.equals(gz), 'the stored value is the bytes sent');
  const back = JSON.parse(await world.call(outsider, (ctx) => c.GetBatch(ctx, 's', 'b1'))) as { records: unknown[] };
  assert.equal(back.records.length, 2);
  // Same records, other key order inside the gzip: accepted, but stored as canonical JSON.
  await record(world, c, 's', 'b2', [ev(3)], {
    encode: () =>
      `gzip:${gzipSync(JSON.stringify([{ ...ev(3) }].map((r) => ({ z: undefined, ...r })))).toString('base64')}`,
  });
  assert.equal(world.state.get('recs|s|000000000002')?.toString()[0], '[');
  const before = snapshot(world);
  await assert.rejects(
    record(world, c, 's', 'b3', [ev(4)], { encode: () => 'gzip:bm90IGd6aXA=' }),
    /INVALID: records: not a gzipped JSON array/
  );
  assert.equal(snapshot(world), before);
});

test('refuses bad records, a wrong root, a stale head, a bad signature or time, writing nothing', async () => {
  const world = new FakeWorld();
  const c = new LedgerContract();
  await record(world, c, 's', 'b0', [ev(0)]);
  const before = snapshot(world);
  await assert.rejects(
    record(world, c, 's', 'b1', [ev(1), ev(2, { severity: 'apocalyptic' })]),
    /INVALID: record 1.*severity: must be equal to one of the allowed values/
  );
  await assert.rejects(
    record(world, c, 's', 'b1', [ev(1), { ...ev(2), extra: 1 }]),
    /INVALID: record 1.*additional properties \(extra\)/
  );
  await assert.rejects(
    record(world, c, 's', 'b1', [ev(1), { type: 'nonsense' }]),
    /INVALID: record 1: type: expected one of availability/
  );
  await assert.rejects(record(world, c, 's', 'b1', [ev(1), ev(1)]), /duplicate record id/);
  await assert.rejects(
    record(world, c, 's', 'b1', [ev(1)], { tamper: (b) => (b.batchRoot = '0'.repeat(64)) }),
    /INVALID: batch root mismatch/
  );
  await assert.rejects(
    record(world, c, 's', 'b1', [ev(1)], { tamper: (b) => (b.height = 1) }),
    /STALE: the writer expected block 1, the next block is 2/
  );
  await assert.rejects(
    record(world, c, 's', 'b1', [ev(1)], { tamper: (b) => (b.blockHash = 'ab'.repeat(32)) }),
    /INVALID: block hash mismatch/
  );
  await assert.rejects(
    record(world, c, 's', 'b1', [ev(1)], { tamper: (b) => (b.createdAt = '2020-01-01T00:00:00.000Z') }),
    /INVALID: block createdAt/
  );
  const { block } = await expectedBlock(world, c, 's', 'b1', [ev(1)]);
  const forged = signHash(outsider, block.blockHash);
  await assert.rejects(
    world.call(writer, (ctx) =>
      c.RecordBatch(ctx, 's', 'b1', JSON.stringify([ev(1)]), '{}', JSON.stringify(block), forged)
    ),
    /FORBIDDEN: the block signature does not verify/
  );
  await assert.rejects(
    world.call(writer, (ctx) => c.RecordBatch(ctx, 's', 'b1', '[{', '{}', '{}', '')),
    /INVALID: records are not JSON/
  );
  await assert.rejects(
    world.call(writer, (ctx) => c.GetHead(ctx, 'bad stream!')),
    /INVALID: stream/
  );
  assert.equal(snapshot(world), before);
});

test('only the writer organisation and role may write; any member may read', async () => {
  const world = new FakeWorld();
  const c = new LedgerContract();
  await assert.rejects(
    record(world, c, 's', 'b1', [ev(1)], { as: outsider }),
    /FORBIDDEN: identity of Org2MSP .* may not write; writers are Org1MSP identities with role client/
  );
  await assert.rejects(
    record(world, c, 's', 'b1', [ev(1)], { as: admin }),
    /FORBIDDEN: identity of Org1MSP with roles \[admin\]/
  );
  assert.equal(world.state.size, 0);
  await record(world, c, 's', 'b1', [ev(1)]);
  const q = JSON.parse(await world.call(outsider, (ctx) => c.QueryRecords(ctx, 's', '{}'))) as unknown[];
  assert.equal(q.length, 1);
});

test('queries by target and time through the hour index, filtered by kind and type', async () => {
  const world = new FakeWorld();
  const c = new LedgerContract();
  await record(
    world,
    c,
    's',
    'b1',
    Array.from({ length: 12 }, (_, i) => ev(10 + i))
  );
  await record(world, c, 'other', 'b1', [ev(10)]);
  const q = async (query: object) =>
    (
      JSON.parse(await world.call(outsider, (ctx) => c.QueryRecords(ctx, 's', JSON.stringify(query)))) as {
        record: Record<string, string>;
        leafIndex: number;
      }[]
    ).map((s) => s.record);
  assert.deepEqual(
    (await q({ target: 'host-1' })).map((r) => r.observedAt),
    [10, 13, 16, 19].map((n) => new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString())
  );
  assert.equal((await q({ target: 'host-1', kind: 'availability.down' })).length, 2);
  const range = await q({ from: '2026-01-01T00:00:12Z', to: '2026-01-01T01:00:15+01:00' });
  assert.deepEqual(
    range.map((r) => String(r.observedAt).slice(17, 19)),
    ['12', '13', '14']
  );
  assert.equal((await q({ type: 'fact' })).length, 0);
  assert.equal((await q({ limit: 5 })).length, 5);
  assert.equal((await q({})).length, 12, 'streams are separate ledgers');
  // A later block with records in two hours, one of them earlier than the first block's: results
  // stay in time order across blocks and hours, and the limit cuts in time order.
  const late = (n: number, h: number) => ev(n, { observedAt: new Date(Date.UTC(2026, 0, 1, h, 0, n)).toISOString() });
  await record(world, c, 's', 'b2', [late(40, 2), late(1, 0), late(42, 2)]);
  const all = await q({});
  const times = all.map((r) => String(r.observedAt));
  assert.equal(all.length, 15);
  assert.deepEqual(times, [...times].sort());
  assert.equal(times[0], new Date(Date.UTC(2026, 0, 1, 0, 0, 1)).toISOString());
  assert.deepEqual(
    (await q({ from: '2026-01-01T01:00:00Z' })).map((r) => r.observedAt),
    [40, 42].map((n) => new Date(Date.UTC(2026, 0, 1, 2, 0, n)).toISOString())
  );
  assert.equal((await q({ target: 'host-1', limit: 2 })).length, 2);
  assert.equal((await q({ target: 'host-0', from: '2026-01-01T02:00:00Z' }))[0]?.observedAt, times[14]);
});

test('is deterministic: the same calls give byte-identical state', async () => {
  const run = async () => {
    const world = new FakeWorld();
    const c = new LedgerContract();
    // Same key for both runs, so signatures are the only non-deterministic input: compare without them.
    await record(world, c, 's', 'b1', [
      ev(1),
      ev(2),
      { type: 'fact', kind: 'k', data: { z: 1, a: [2, 1] }, at: '2026-01-01T00:00:00Z' },
    ]);
    return [...world.state.entries()].map(([k, v]) => [k, v.toString().replace(/"signature":"[^"]*"/, '')]);
  };
  assert.deepEqual(await run(), await run());
});
