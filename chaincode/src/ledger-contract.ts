// The availability ledger contract. One append = one block-like entry chained by hash, covering a
// batch whose records are leaves of a global RFC 9162 Merkle tree (the same model as the embedded
// ledger, so proofs and verification are computed client-side with core/ledger/merkle.ts).
// Deterministic: the only clock is the transaction timestamp, and state is canonical JSON.
// Errors start with a code word the client maps to an error class: INVALID, CONFLICT, FORBIDDEN,
// NOT_FOUND.
import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { assertWriter } from './access';
import { canonicalJson, sha256Hex } from './canonical';
import { appendLeaves, EMPTY_ROOT, foldFrontier, leafHash, rootOfLeaves } from './merkle';
import { checkStream, keys } from './keys';
import { recordKind, recordTarget, recordTime, validateRecord, type LedgerRecord } from './records';
import { type Block, type Head, type Receipt, type StoredRecord, blockHashOf, emptyHead, readJson, receiptOf } from './state';

export const MAX_BATCH_RECORDS = 10_000;
export const EVENT_NAME = 'BatchRecorded';

@Info({ title: 'IronThroneLedger', description: 'Tamper-evident availability ledger: Merkle-rooted batches' })
export class LedgerContract extends Contract {
  constructor() {
    super('ironthrone.ledger');
  }

  /**
   * Appends a batch. `recordsJson` is a JSON array of records; `batchRoot` is the RFC 9162 root the
   * client computed over their canonical forms, which must match the chaincode's own computation.
   */
  @Transaction()
  @Returns('string')
  public async RecordBatch(ctx: Context, stream: string, batchId: string, recordsJson: string, batchRoot: string): Promise<string> {
    assertWriter(ctx);
    checkStream(stream);
    if (!/^[\x21-\x7e]{1,256}$/.test(batchId)) throw new Error(`INVALID: batch id ${JSON.stringify(batchId)}: expected 1-256 printable ASCII characters`);
    let inputs: unknown;
    try {
      inputs = JSON.parse(recordsJson);
    } catch (err) {
      throw new Error(`INVALID: records are not JSON: ${(err as Error).message}`);
    }
    if (!Array.isArray(inputs) || inputs.length === 0) throw new Error('INVALID: records: expected a non-empty JSON array');
    if (inputs.length > MAX_BATCH_RECORDS) throw new Error(`INVALID: records: ${inputs.length} records, at most ${MAX_BATCH_RECORDS} per batch`);

    const validated = inputs.map((r, i) => validateRecord(r, i));
    const seen = new Map<string, number>();
    validated.forEach(({ record }, i) => {
      const prev = seen.get(record.id);
      if (prev !== undefined) throw new Error(`INVALID: record ${i} (${record.id}): id: duplicate record id (also record ${prev})`);
      seen.set(record.id, i);
    });
    const leaves = validated.map((v) => leafHash(v.canonical));
    const root = rootOfLeaves(leaves);
    if (batchRoot !== root) throw new Error(`INVALID: batch root mismatch: client sent ${batchRoot}, records hash to ${root}`);
    const bodyHash = sha256Hex(canonicalJson(validated.map((v) => v.record)));

    const existing = await readJson<{ height: number; bodyHash: string }>(ctx, keys.batch(stream, batchId));
    if (existing) {
      if (existing.bodyHash !== bodyHash) throw new Error(`CONFLICT: batch ${batchId} was already recorded with a different body`);
      const block = await readJson<Block>(ctx, keys.block(stream, existing.height));
      if (!block) throw new Error(`NOT_FOUND: block ${existing.height} of batch ${batchId} is missing`);
      return canonicalJson({ ...receiptOf(block), duplicate: true });
    }
    for (const { record } of validated) {
      const other = await readJson<StoredRecord>(ctx, keys.record(stream, record.id));
      if (other) throw new Error(`CONFLICT: record ${record.id} is already in the ledger (batch ${other.batchId})`);
    }

    const head = (await readJson<Head>(ctx, keys.head(stream))) ?? emptyHead();
    const frontier = appendLeaves(head.frontier, head.treeSize, leaves);
    const ts = ctx.stub.getTxTimestamp();
    const createdAt = new Date(Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1e6)).toISOString();
    const header = {
      height: head.height + 1,
      batchId,
      prevHash: head.blockHash,
      batchRoot: root,
      firstIndex: head.treeSize,
      count: validated.length,
      treeSize: head.treeSize + validated.length,
      treeRoot: foldFrontier(frontier),
      createdAt,
    };
    const block: Block = {
      ...header,
      blockHash: blockHashOf(header),
      bodyHash,
      recordIds: validated.map((v) => v.record.id),
      leafHashes: leaves,
      txId: ctx.stub.getTxID(),
      creator: ctx.clientIdentity.getMSPID(),
    };
    await ctx.stub.putState(keys.block(stream, block.height), Buffer.from(canonicalJson(block)));
    await ctx.stub.putState(keys.batch(stream, batchId), Buffer.from(canonicalJson({ height: block.height, bodyHash })));
    const newHead: Head = { height: block.height, treeSize: block.treeSize, treeRoot: block.treeRoot, blockHash: block.blockHash, frontier };
    await ctx.stub.putState(keys.head(stream), Buffer.from(canonicalJson(newHead)));
    for (let i = 0; i < validated.length; i++) {
      const record = (validated[i] as { record: LedgerRecord }).record;
      const stored: StoredRecord = { record, height: block.height, leafIndex: block.firstIndex + i, batchId };
      const time = recordTime(record);
      const idx = Buffer.from(String(stored.leafIndex));
      await ctx.stub.putState(keys.record(stream, record.id), Buffer.from(canonicalJson(stored)));
      await ctx.stub.putState(keys.byTime(stream, time, record.id), idx);
      const target = recordTarget(record);
      if (target !== undefined) await ctx.stub.putState(keys.byTarget(stream, target, time, record.id), idx);
    }
    const receipt: Receipt = { ...receiptOf(block), duplicate: false };
    ctx.stub.setEvent(EVENT_NAME, Buffer.from(canonicalJson({ stream, ...receipt, recordIds: undefined })));
    return canonicalJson(receipt);
  }

  /** The batch with its records, or an empty string when there is none. */
  @Transaction(false)
  @Returns('string')
  public async GetBatch(ctx: Context, stream: string, batchId: string): Promise<string> {
    checkStream(stream);
    const ref = await readJson<{ height: number }>(ctx, keys.batch(stream, batchId));
    if (!ref) return '';
    const block = await readJson<Block>(ctx, keys.block(stream, ref.height));
    if (!block) throw new Error(`NOT_FOUND: block ${ref.height} of batch ${batchId} is missing`);
    const records: LedgerRecord[] = [];
    for (const id of block.recordIds) {
      const s = await readJson<StoredRecord>(ctx, keys.record(stream, id));
      if (!s) throw new Error(`NOT_FOUND: record ${id} of batch ${batchId} is missing`);
      records.push(s.record);
    }
    return canonicalJson({ ...block, records });
  }

  @Transaction(false)
  @Returns('string')
  public async GetHead(ctx: Context, stream: string): Promise<string> {
    checkStream(stream);
    const head = (await readJson<Head>(ctx, keys.head(stream))) ?? emptyHead();
    return canonicalJson({ height: head.height, treeSize: head.treeSize, treeRoot: head.treeRoot, blockHash: head.blockHash });
  }

  /** Block entries (with leaf hashes and record ids, without records) for heights [from, to]. */
  @Transaction(false)
  @Returns('string')
  public async GetBlocks(ctx: Context, stream: string, fromHeight: string, toHeight: string): Promise<string> {
    checkStream(stream);
    const from = Number(fromHeight);
    const to = Number(toHeight);
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < 1 || to < from) throw new Error(`INVALID: heights ${fromHeight}..${toHeight}`);
    const out: string[] = [];
    const it = await ctx.stub.getStateByRange(keys.block(stream, from), keys.block(stream, to + 1));
    try {
      for (let r = await it.next(); !r.done; r = await it.next()) out.push(Buffer.from(r.value.value).toString('utf8'));
    } finally {
      await it.close();
    }
    return `[${out.join(',')}]`;
  }

  @Transaction(false)
  @Returns('string')
  public async GetRecord(ctx: Context, stream: string, recordId: string): Promise<string> {
    checkStream(stream);
    const s = await ctx.stub.getState(keys.record(stream, recordId));
    return s && s.length > 0 ? Buffer.from(s).toString('utf8') : '';
  }

  /**
   * Records by target and/or time (UTC ISO, `from` inclusive, `to` exclusive), filtered by kind
   * and type, ordered by time then id, at most `limit` (default 1000, at most 10000).
   */
  @Transaction(false)
  @Returns('string')
  public async QueryRecords(ctx: Context, stream: string, queryJson: string): Promise<string> {
    checkStream(stream);
    const q = JSON.parse(queryJson || '{}') as { target?: string; kind?: string; type?: string; from?: string; to?: string; limit?: number };
    const limit = Math.min(Math.max(1, q.limit ?? 1000), 10_000);
    const iso = (t: string | undefined, name: string) => {
      if (t === undefined) return undefined;
      const d = new Date(t);
      if (Number.isNaN(d.getTime())) throw new Error(`INVALID: query ${name}: expected an ISO date-time, got ${JSON.stringify(t)}`);
      return d.toISOString();
    };
    const from = iso(q.from, 'from');
    const to = iso(q.to, 'to');
    const [start, end] = q.target !== undefined ? keys.targetRange(stream, q.target, from, to) : keys.timeRange(stream, from, to);
    const out: StoredRecord[] = [];
    const it = await ctx.stub.getStateByRange(start, end);
    try {
      for (let r = await it.next(); !r.done && out.length < limit; r = await it.next()) {
        const id = decodeURIComponent(r.value.key.slice(r.value.key.lastIndexOf('|') + 1));
        const s = await readJson<StoredRecord>(ctx, keys.record(stream, id));
        if (!s) continue;
        if (q.type !== undefined && s.record.type !== q.type) continue;
        if (q.kind !== undefined && recordKind(s.record) !== q.kind) continue;
        out.push(s);
      }
    } finally {
      await it.close();
    }
    return canonicalJson(out.map(({ record, height, leafIndex }) => ({ record, height, leafIndex })));
  }
}

export { EMPTY_ROOT };
