// The availability ledger contract. One append = one block-like entry chained by hash, covering a
// batch whose records are leaves of a global RFC 9162 Merkle tree (the same model as the embedded
// ledger, so proofs and verification are computed client-side with core/ledger/merkle.ts).
// Deterministic: the only clock is the transaction timestamp, and state is canonical JSON.
// Errors start with a code word the client maps to an error class: INVALID, CONFLICT, FORBIDDEN,
// NOT_FOUND.
import { gunzipSync } from 'zlib';
import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { assertWriter } from './access';
import { callerPublicKey, verifyBlockSignature } from './signature';
import { canonicalJson, sha256Hex } from './canonical';
import { appendLeafBytes, EMPTY_ROOT, foldFrontier, leafHashBytes, rootOfLeafBytes } from './merkle';
import { checkStream, keys } from './keys';
import { blockWithRecords, hourIndex, queryRecords, recordAt } from './queries';
import { validateRecord } from './records';
import { type Block, type Head, type HourEntry, blockHashOf, emptyHead, readJson, receiptOf } from './state';

type Validated = ReturnType<typeof validateRecord>;

export const MAX_BATCH_RECORDS = 20_000;
export const EVENT_NAME = 'BatchRecorded';
/** A GetBlocks answer stops after this many bytes of block entries. */
export const MAX_PAGE_BYTES = 8 * 1024 * 1024;
/** How far a block's createdAt may be from the transaction timestamp. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** Gzip is several times smaller on the wire, in the transaction and in state: see keys.ts. */
const MAX_RECORDS_TEXT = 64 * 1024 * 1024;

/**
 * The records argument: a JSON array, or `gzip:` and the base64 of a gzipped JSON array (what
 * FabricLedger sends). Returns the JSON text and, for gzip, the compressed bytes.
 */
function decodeRecords(arg: string): { text: string; stored?: Buffer } {
  if (!arg.startsWith('gzip:')) return { text: arg };
  const stored = Buffer.from(arg.slice(5), 'base64');
  let text: string;
  try {
    text = gunzipSync(stored, { maxOutputLength: MAX_RECORDS_TEXT }).toString('utf8');
  } catch (err) {
    throw new Error(`INVALID: records: not a gzipped JSON array of at most 64 MiB: ${(err as Error).message}`);
  }
  return { text, stored };
}

/** The positions a writer skips, checked: distinct integers inside the batch. */
function parseSkip(options: unknown, n: number): Set<number> {
  const skip = (options as { skip?: unknown } | null)?.skip ?? [];
  if (!Array.isArray(skip) || !skip.every((i) => Number.isInteger(i) && (i as number) >= 0 && (i as number) < n))
    throw new Error(`INVALID: options.skip: expected positions of records in the batch (0..${n - 1})`);
  const set = new Set(skip as number[]);
  if (set.size !== skip.length) throw new Error('INVALID: options.skip: a position is listed twice');
  return set;
}

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
   * absent), or `gzip:` and the base64 of one (what FabricLedger sends). `optionsJson`:
   * `{"skip": [positions]}`, the records the writer leaves out because they are already stored
   * (`skipExisting`; the writer holds the record index, see core/ledger/fabric-tree.ts).
   * `blockJson`: the block the writer expects (`height`,
   * `createdAt`, `batchRoot`, `blockHash`), computed from the head it read; `signature`: its
   * signature over that block hash. A moved head is refused with STALE (the client re-reads and
   * retries), anything else that differs with INVALID. The batch costs a fixed handful of state
   * reads and writes whatever its size (see keys.ts for why).
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
    const { text: recordsText, stored } = decodeRecords(recordsJson);
    const inputs = parseJson(recordsText, 'records');
    if (!Array.isArray(inputs)) throw new Error('INVALID: records: expected a JSON array');
    if (inputs.length > MAX_BATCH_RECORDS)
      throw new Error(`INVALID: records: ${inputs.length} records, at most ${MAX_BATCH_RECORDS} per batch`);
    const skip = parseSkip(parseJson(optionsJson || '{}', 'options'), inputs.length);
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
    const leaves = validated.map((v) => leafHashBytes(v.canonical));
    const bodyHash = sha256Hex(Buffer.concat(leaves));

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
    const kept = validated.flatMap((_, i) => (skip.has(i) ? [] : [i]));
    const skippedIds = [...skip].sort((a, b) => a - b).map((i) => (validated[i] as Validated).record.id);

    const head = (await readJson<Head>(ctx, keys.head(stream))) ?? emptyHead();
    if (expected.height !== head.height + 1)
      throw new Error(
        `STALE: the writer expected block ${String(expected.height)}, the next block is ${head.height + 1}`
      );
    const keptLeaves = kept.map((i) => leaves[i] as Buffer);
    const root = rootOfLeafBytes(keptLeaves);
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
    const frontier = appendLeafBytes(
      head.frontier.map((h) => Buffer.from(h, 'hex')),
      head.treeSize,
      keptLeaves
    ).map((b) => b.toString('hex'));
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
      txId: ctx.stub.getTxID(),
      creator: ctx.clientIdentity.getMSPID(),
    };
    const put = (key: string, text: string) => ctx.stub.putState(key, Buffer.from(text, 'utf8'));
    await put(keys.block(stream, block.height), canonicalJson(block));
    const canonicalRecords = `[${kept.map((i) => (validated[i] as Validated).canonical).join(',')}]`;
    // A compressed batch is stored as the writer sent it (every endorser stores the same bytes),
    // once its content is known to be exactly the canonical records.
    if (stored && skip.size === 0 && recordsText === canonicalRecords)
      await ctx.stub.putState(keys.records(stream, block.height), stored);
    else await put(keys.records(stream, block.height), canonicalRecords);
    await put(keys.batch(stream, batchId), canonicalJson({ height: block.height, bodyHash }));
    const newHead: Head = {
      height: block.height,
      treeSize: block.treeSize,
      treeRoot: block.treeRoot,
      blockHash,
      frontier,
    };
    await put(keys.head(stream), canonicalJson(newHead));
    for (const [hour, targets] of hourIndex(kept.map((i) => (validated[i] as Validated).record))) {
      const entry: HourEntry = { firstIndex: block.firstIndex, targets };
      await put(keys.hour(stream, hour, block.height), canonicalJson(entry));
    }
    const receipt = receiptOf(block, false, skippedIds);
    ctx.stub.setEvent(EVENT_NAME, Buffer.from(canonicalJson({ stream, ...receipt })));
    return canonicalJson(receipt);
  }

  /** What a writer needs to build the next block: the head (with the tree's compact range). */
  @Transaction(false)
  @Returns('string')
  public async Prepare(ctx: Context, stream: string): Promise<string> {
    checkStream(stream);
    const head = (await readJson<Head>(ctx, keys.head(stream))) ?? emptyHead();
    return canonicalJson({ head });
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

  /**
   * Block entries for heights [from, to], with their records when `withRecords` is `true`, cut
   * after about 8 MB (at least one block): the caller asks again from where the answer ends.
   */
  @Transaction(false)
  @Returns('string')
  public async GetBlocks(
    ctx: Context,
    stream: string,
    fromHeight: string,
    toHeight: string,
    withRecords: string
  ): Promise<string> {
    checkStream(stream);
    const from = Number(fromHeight);
    const to = Number(toHeight);
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < 1 || to < from)
      throw new Error(`INVALID: heights ${fromHeight}..${toHeight}`);
    const out: string[] = [];
    let bytes = 0;
    const it = await ctx.stub.getStateByRange(keys.block(stream, from), keys.block(stream, to + 1));
    try {
      for (let r = await it.next(); !r.done && bytes < MAX_PAGE_BYTES; r = await it.next()) {
        const entry = Buffer.from(r.value.value).toString('utf8');
        const text =
          withRecords === 'true'
            ? await blockWithRecords(ctx, stream, Number(r.value.key.slice(r.value.key.lastIndexOf('|') + 1)))
            : entry;
        out.push(text);
        bytes += text.length;
      }
    } finally {
      await it.close();
    }
    return `[${out.join(',')}]`;
  }

  /** The record at a position of a block (`{record, height, leafIndex}`), or '' when there is none. */
  @Transaction(false)
  @Returns('string')
  public async GetRecordAt(ctx: Context, stream: string, height: string, position: string): Promise<string> {
    checkStream(stream);
    const h = Number(height);
    const p = Number(position);
    if (!Number.isInteger(h) || h < 1 || !Number.isInteger(p) || p < 0)
      throw new Error(`INVALID: record position ${height}/${position}: expected integers, height >= 1`);
    return recordAt(ctx, stream, h, p);
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
