// The availability ledger contract. One append = one block-like entry chained by hash, covering a
// batch whose records are leaves of a global RFC 9162 Merkle tree (the same model as the embedded
// ledger, so proofs and verification are computed client-side with core/ledger/merkle.ts).
// Deterministic: the only clock is the transaction timestamp, and state is canonical JSON.
// Errors start with a code word the client maps to an error class: INVALID, CONFLICT, FORBIDDEN,
// NOT_FOUND.
import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { assertWriter } from './access';
import { callerPublicKey, verifyBlockSignature } from './signature';
import { canonicalJson, sha256Hex } from './canonical';
import { appendLeaves, EMPTY_ROOT, foldFrontier, leafHash, rootOfLeaves } from './merkle';
import { checkStream, keys } from './keys';
import { blockWithRecords, queryRecords } from './queries';
import { recordTarget, recordTime, validateRecord, type LedgerRecord } from './records';
import { type Block, type Head, type StoredRecord, blockHashOf, emptyHead, readJson, receiptOf } from './state';

export const MAX_BATCH_RECORDS = 20_000;
export const EVENT_NAME = 'BatchRecorded';
/** How far a block's createdAt may be from the transaction timestamp. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`INVALID: ${what} are not JSON: ${(err as Error).message}`);
  }
}

@Info({ title: 'IronThroneLedger', description: 'Tamper-evident availability ledger: Merkle-rooted batches' })
export class LedgerContract extends Contract {
  constructor() {
    super('ironthrone.ledger');
  }

  /**
   * Appends a batch as the next block. `recordsJson`: JSON array of records (ids derived when
   * absent). `optionsJson`: `{"skipExisting": bool}`. `blockJson`: the block the writer expects
   * (`height`, `createdAt`, `batchRoot`, `blockHash`), computed from the head it read; `signature`:
   * its signature over that block hash. A moved head is refused with STALE (the client re-reads
   * and retries), anything else that differs with INVALID.
   */
  @Transaction()
  @Returns('string')
  public async RecordBatch(
    ctx: Context,
    stream: string,
    batchId: string,
    recordsJson: string,
    optionsJson: string,
    blockJson: string,
    signature: string
  ): Promise<string> {
    assertWriter(ctx);
    checkStream(stream);
    if (!/^[A-Za-z0-9._:@/+=-]{1,256}$/.test(batchId))
      throw new Error(
        `INVALID: batch id ${JSON.stringify(batchId)}: expected 1-256 of letters, digits and . _ : @ / + = -`
      );
    const inputs = parseJson(recordsJson, 'records');
    if (!Array.isArray(inputs)) throw new Error('INVALID: records: expected a JSON array');
    if (inputs.length > MAX_BATCH_RECORDS)
      throw new Error(`INVALID: records: ${inputs.length} records, at most ${MAX_BATCH_RECORDS} per batch`);
    const options = (parseJson(optionsJson || '{}', 'options') ?? {}) as { skipExisting?: boolean };
    const expected = parseJson(blockJson, 'block') as {
      height?: number;
      createdAt?: string;
      batchRoot?: string;
      blockHash?: string;
    } | null;
    if (!expected || typeof expected !== 'object') throw new Error('INVALID: block: expected an object');

    const validated = inputs.map((r, i) => validateRecord(r, i));
    const seen = new Map<string, number>();
    validated.forEach(({ record }, i) => {
      const prev = seen.get(record.id);
      if (prev !== undefined)
        throw new Error(`INVALID: record ${i} (${record.id}): id: duplicate record id (also record ${prev})`);
      seen.set(record.id, i);
    });
    const leaves = validated.map((v) => leafHash(v.canonical));
    const bodyHash = sha256Hex(Buffer.concat(leaves.map((l) => Buffer.from(l, 'hex'))));

    const existing = await readJson<{ height: number; bodyHash: string }>(ctx, keys.batch(stream, batchId));
    if (existing) {
      if (existing.bodyHash !== bodyHash)
        throw new Error(
          `CONFLICT: batch id ${batchId} was already used with a different body (block ${existing.height})`
        );
      const block = await readJson<Block>(ctx, keys.block(stream, existing.height));
      if (!block) throw new Error(`NOT_FOUND: block ${existing.height} of batch ${batchId} is missing`);
      return canonicalJson(receiptOf(block, true));
    }
    const kept: number[] = [];
    const skippedIds: string[] = [];
    for (let i = 0; i < validated.length; i++) {
      const id = (validated[i] as { record: LedgerRecord }).record.id;
      const other = await readJson<StoredRecord>(ctx, keys.record(stream, id));
      if (!other) kept.push(i);
      else if (options.skipExisting && other.leafHash === leaves[i]) skippedIds.push(id);
      else
        throw new Error(
          `CONFLICT: record id ${id} is already in the ledger${other.leafHash === leaves[i] ? '' : ' with a different body'} (batch ${other.batchId})`
        );
    }

    const head = (await readJson<Head>(ctx, keys.head(stream))) ?? emptyHead();
    if (expected.height !== head.height + 1)
      throw new Error(
        `STALE: the writer expected block ${String(expected.height)}, the next block is ${head.height + 1}`
      );
    const keptLeaves = kept.map((i) => leaves[i] as string);
    const root = rootOfLeaves(keptLeaves);
    if (expected.batchRoot !== root)
      throw new Error(
        `INVALID: batch root mismatch: client sent ${String(expected.batchRoot)}, records hash to ${root}`
      );
    const createdAt = String(expected.createdAt);
    const ts = ctx.stub.getTxTimestamp();
    const txMs = Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1e6);
    const at = Date.parse(createdAt);
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(createdAt) || Math.abs(at - txMs) > MAX_CLOCK_SKEW_MS) {
      throw new Error(
        `INVALID: block createdAt ${createdAt} is not a UTC ISO time within ${MAX_CLOCK_SKEW_MS / 1000} s of the transaction time ${new Date(txMs).toISOString()}`
      );
    }
    const frontier = appendLeaves(head.frontier, head.treeSize, keptLeaves);
    const header = {
      height: head.height + 1,
      batchId,
      prevHash: head.blockHash,
      batchRoot: root,
      firstIndex: head.treeSize,
      count: kept.length,
      treeSize: head.treeSize + kept.length,
      treeRoot: foldFrontier(frontier),
      createdAt,
    };
    const blockHash = blockHashOf(header);
    if (expected.blockHash !== blockHash)
      throw new Error(
        `INVALID: block hash mismatch: client sent ${String(expected.blockHash)}, the block hashes to ${blockHash}`
      );
    const publicKey = callerPublicKey(ctx);
    if (!verifyBlockSignature(publicKey, blockHash, signature))
      throw new Error("FORBIDDEN: the block signature does not verify with the submitting identity's certificate");

    const block: Block = {
      ...header,
      blockHash,
      signature,
      publicKey,
      bodyHash,
      recordIds: kept.map((i) => (validated[i] as { record: LedgerRecord }).record.id),
      leafHashes: keptLeaves,
      txId: ctx.stub.getTxID(),
      creator: ctx.clientIdentity.getMSPID(),
    };
    await ctx.stub.putState(keys.block(stream, block.height), Buffer.from(canonicalJson(block)));
    await ctx.stub.putState(
      keys.batch(stream, batchId),
      Buffer.from(canonicalJson({ height: block.height, bodyHash }))
    );
    const newHead: Head = {
      height: block.height,
      treeSize: block.treeSize,
      treeRoot: block.treeRoot,
      blockHash,
      frontier,
    };
    await ctx.stub.putState(keys.head(stream), Buffer.from(canonicalJson(newHead)));
    for (const [n, i] of kept.entries()) {
      const record = (validated[i] as { record: LedgerRecord }).record;
      const stored: StoredRecord = {
        record,
        height: block.height,
        leafIndex: block.firstIndex + n,
        batchId,
        leafHash: leaves[i] as string,
      };
      const time = recordTime(record);
      const idx = Buffer.from(String(stored.leafIndex));
      await ctx.stub.putState(keys.record(stream, record.id), Buffer.from(canonicalJson(stored)));
      await ctx.stub.putState(keys.byTime(stream, time, record.id), idx);
      const target = recordTarget(record);
      if (target !== undefined) await ctx.stub.putState(keys.byTarget(stream, target, time, record.id), idx);
    }
    const receipt = receiptOf(block, false, skippedIds);
    const { recordIds: _ids, ...event } = receipt;
    ctx.stub.setEvent(EVENT_NAME, Buffer.from(canonicalJson({ stream, ...event })));
    return canonicalJson(receipt);
  }

  /**
   * What a writer needs to build the next block: the head (with the tree's compact range), the
   * batch if the id is already used, and the leaf hashes of those of `idsJson` already stored.
   */
  @Transaction(false)
  @Returns('string')
  public async Prepare(ctx: Context, stream: string, batchId: string, idsJson: string): Promise<string> {
    checkStream(stream);
    const head = (await readJson<Head>(ctx, keys.head(stream))) ?? emptyHead();
    const ref = await readJson<{ height: number; bodyHash: string }>(ctx, keys.batch(stream, batchId));
    const block = ref ? await readJson<Block>(ctx, keys.block(stream, ref.height)) : undefined;
    const existing: Record<string, string> = {};
    for (const id of parseJson(idsJson || '[]', 'ids') as string[]) {
      const s = await readJson<StoredRecord>(ctx, keys.record(stream, id));
      if (s) existing[id] = s.leafHash;
    }
    return canonicalJson({
      head,
      batch: block ? { ...receiptOf(block, true), bodyHash: ref?.bodyHash } : null,
      existing,
    });
  }

  /** The batch with its records, or an empty string when there is none. */
  @Transaction(false)
  @Returns('string')
  public async GetBatch(ctx: Context, stream: string, batchId: string): Promise<string> {
    checkStream(stream);
    const ref = await readJson<{ height: number }>(ctx, keys.batch(stream, batchId));
    return ref ? blockWithRecords(ctx, stream, ref.height) : '';
  }

  /** The block at a height with its records, or an empty string when there is none. */
  @Transaction(false)
  @Returns('string')
  public async GetBlock(ctx: Context, stream: string, height: string): Promise<string> {
    checkStream(stream);
    const h = Number(height);
    if (!Number.isInteger(h) || h < 1)
      throw new Error(`INVALID: height ${JSON.stringify(height)}: expected an integer >= 1`);
    return blockWithRecords(ctx, stream, h);
  }

  @Transaction(false)
  @Returns('string')
  public async GetHead(ctx: Context, stream: string): Promise<string> {
    checkStream(stream);
    const head = (await readJson<Head>(ctx, keys.head(stream))) ?? emptyHead();
    const last = head.height > 0 ? await readJson<Block>(ctx, keys.block(stream, head.height)) : undefined;
    return canonicalJson({
      height: head.height,
      treeSize: head.treeSize,
      treeRoot: head.treeRoot,
      blockHash: head.blockHash,
      signature: last?.signature ?? '',
      publicKey: last?.publicKey ?? '',
    });
  }

  /** Block entries (with leaf hashes and record ids, without records) for heights [from, to]. */
  @Transaction(false)
  @Returns('string')
  public async GetBlocks(ctx: Context, stream: string, fromHeight: string, toHeight: string): Promise<string> {
    checkStream(stream);
    const from = Number(fromHeight);
    const to = Number(toHeight);
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < 1 || to < from)
      throw new Error(`INVALID: heights ${fromHeight}..${toHeight}`);
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
    return queryRecords(ctx, stream, queryJson);
  }
}

export { EMPTY_ROOT };
