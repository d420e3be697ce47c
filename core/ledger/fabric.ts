// FabricLedger: the Ledger contract over a Hyperledger Fabric channel (chaincode in chaincode/).
// The chaincode validates, chains and stores the blocks; this client validates first (same
// errors as the embedded ledger), signs each block hash with the writer's Fabric identity, and
// computes proofs and verification from the leaf hashes and roots the chaincode stores, with the
// same RFC 9162 code as the embedded ledger. Appends from one instance are serialised (each block
// extends the head); MVCC conflicts and a head moved by another writer are retried.
import { createPublicKey, sign } from 'node:crypto';
import { blockHashOf } from './block.ts';
import {
  FabricConnection,
  LedgerUnavailableError,
  RetryableConflict,
  type FabricConnectionOptions,
} from './fabric-client.ts';
import { verifyFabricLedger, type BlockEntry } from './fabric-verify.ts';
import { LedgerConflictError, LedgerNotFoundError } from './ledger.ts';
import type {
  AppendOptions,
  AppendReceipt,
  Batch,
  ConsistencyProof,
  InclusionProof,
  Ledger,
  LedgerHead,
  LedgerQuery,
  StoredRecord,
  VerifyRange,
  VerifyReport,
} from './ledger.ts';
import { appendFrontier, LeafCache } from './fabric-tree.ts';
import { foldFrontier, leafHash, rootOfLeaves } from './merkle.ts';
import { recordIdSchema, type LedgerRecordInput } from './schema.ts';
import { sha256Hex } from './canonical.ts';
import { validateBatch } from './validate.ts';

export interface FabricLedgerOptions extends FabricConnectionOptions {
  /** Logical ledger inside the channel (key prefix); default `main`. */
  stream?: string;
  /** How long an append keeps retrying while the network is unreachable; default 20 s. */
  unavailableRetryMs?: number;
}

const hex = (b: Buffer) => b.toString('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface PrepareResult {
  head: { height: number; treeSize: number; treeRoot: string; blockHash: string; frontier: string[] };
  batch: (AppendReceipt & { bodyHash: string }) | null;
  existing: Record<string, string>;
}

export class FabricLedger implements Ledger {
  readonly kind = 'fabric';
  readonly stream: string;
  private readonly conn: FabricConnection;
  private readonly publicKeyPem: string;
  private readonly unavailableRetryMs: number;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly leaves: LeafCache;

  constructor(opts: FabricLedgerOptions) {
    this.stream = opts.stream ?? 'main';
    this.conn = new FabricConnection(opts);
    this.publicKeyPem = createPublicKey(this.conn.certPem).export({ type: 'spki', format: 'pem' }).toString();
    this.unavailableRetryMs = opts.unavailableRetryMs ?? 20_000;
    this.leaves = new LeafCache((from, to) => this.blocks(from, to));
  }

  appendBatch(batchId: string, inputs: LedgerRecordInput[], options: AppendOptions = {}): Promise<AppendReceipt> {
    const run = this.queue.then(() => this.append(batchId, inputs, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async append(batchId: string, inputs: LedgerRecordInput[], options: AppendOptions): Promise<AppendReceipt> {
    const idCheck = recordIdSchema.safeParse(batchId);
    if (!idCheck.success)
      throw new LedgerConflictError(`bad batch id ${JSON.stringify(batchId)}: ${idCheck.error.issues[0]?.message}`);
    const valid = validateBatch(inputs, `batch ${batchId}`);
    const leaves = valid.map((v) => leafHash(v.canonical));
    const bodyHash = sha256Hex(Buffer.concat(leaves));
    const ids = valid.map((v) => v.record.id);
    const recordsJson = JSON.stringify(valid.map((v) => v.record));
    const deadline = Date.now() + this.unavailableRetryMs;
    for (let attempt = 1; ; attempt++) {
      try {
        const prep = JSON.parse(
          await this.conn.evaluate('Prepare', this.stream, batchId, JSON.stringify(ids))
        ) as PrepareResult;
        if (prep.batch) {
          if (prep.batch.bodyHash !== bodyHash)
            throw new LedgerConflictError(
              `batch id ${batchId} was already used with a different body (block ${prep.batch.height})`
            );
          const { bodyHash: _b, ...receipt } = prep.batch;
          return { ...receipt, skippedIds: [], duplicate: true };
        }
        const kept: number[] = [];
        valid.forEach((v, i) => {
          const have = prep.existing[v.record.id];
          if (have === undefined) kept.push(i);
          else if (!(options.skipExisting && have === hex(leaves[i]!)))
            throw new LedgerConflictError(
              `record id ${v.record.id} is already in the ledger${have === hex(leaves[i]!) ? '' : ' with a different body'}`
            );
        });
        const keptLeaves = kept.map((i) => leaves[i]!);
        const frontier = appendFrontier(prep.head.frontier, prep.head.treeSize, keptLeaves);
        const fields = {
          height: prep.head.height + 1,
          batchId,
          prevHash: prep.head.blockHash,
          batchRoot: hex(rootOfLeaves(keptLeaves)),
          firstIndex: prep.head.treeSize,
          count: kept.length,
          treeSize: prep.head.treeSize + kept.length,
          treeRoot: hex(foldFrontier(frontier.map((h) => Buffer.from(h, 'hex')))),
          createdAt: new Date().toISOString(),
        };
        const blockHash = blockHashOf(fields);
        const signature = sign('sha256', Buffer.from(blockHash, 'hex'), this.conn.privateKey).toString('base64');
        const block = { height: fields.height, createdAt: fields.createdAt, batchRoot: fields.batchRoot, blockHash };
        const out = await this.conn.submit(
          'RecordBatch',
          this.stream,
          batchId,
          recordsJson,
          JSON.stringify({ skipExisting: !!options.skipExisting }),
          JSON.stringify(block),
          signature
        );
        const receipt = JSON.parse(out) as AppendReceipt;
        return { ...receipt, skippedIds: receipt.skippedIds ?? [] };
      } catch (err) {
        if (err instanceof RetryableConflict && attempt < 50) {
          await sleep(Math.min(20 * attempt, 500) * (0.5 + Math.random()));
          continue;
        }
        if (err instanceof LedgerUnavailableError && Date.now() < deadline) {
          await sleep(1000);
          continue;
        }
        if (err instanceof RetryableConflict)
          throw new LedgerUnavailableError(`gave up after ${attempt} conflicting attempts: ${err.message}`);
        throw err;
      }
    }
  }

  private async blocks(from: number, to: number): Promise<BlockEntry[]> {
    return JSON.parse(await this.conn.evaluate('GetBlocks', this.stream, String(from), String(to))) as BlockEntry[];
  }

  private toBatch(json: string): Batch | undefined {
    if (!json) return undefined;
    const b = JSON.parse(json) as Batch & BlockEntry;
    const {
      height,
      batchId,
      prevHash,
      batchRoot,
      firstIndex,
      count,
      treeSize,
      treeRoot,
      createdAt,
      blockHash,
      signature,
      records,
    } = b;
    return {
      height,
      batchId,
      prevHash,
      batchRoot,
      firstIndex,
      count,
      treeSize,
      treeRoot,
      createdAt,
      blockHash,
      signature,
      records,
    };
  }

  async getBatch(batchId: string): Promise<Batch | undefined> {
    return this.toBatch(await this.conn.evaluate('GetBatch', this.stream, batchId));
  }

  async getBlock(height: number): Promise<Batch | undefined> {
    if (!Number.isInteger(height) || height < 1) return undefined;
    return this.toBatch(await this.conn.evaluate('GetBlock', this.stream, String(height)));
  }

  async head(): Promise<LedgerHead> {
    const h = JSON.parse(await this.conn.evaluate('GetHead', this.stream)) as {
      height: number;
      treeSize: number;
      treeRoot: string;
      blockHash: string;
      signature: string;
      publicKey: string;
    };
    return {
      height: h.height,
      root: h.treeRoot,
      treeSize: h.treeSize,
      blockHash: h.blockHash,
      signature: h.signature,
      publicKey: h.publicKey || this.publicKeyPem,
    };
  }

  async query(q: LedgerQuery): Promise<StoredRecord[]> {
    return JSON.parse(await this.conn.evaluate('QueryRecords', this.stream, JSON.stringify(q))) as StoredRecord[];
  }

  async getRecord(recordId: string): Promise<StoredRecord | undefined> {
    const json = await this.conn.evaluate('GetRecord', this.stream, recordId);
    if (!json) return undefined;
    const { record, height, leafIndex } = JSON.parse(json) as StoredRecord;
    return { record, height, leafIndex };
  }

  private async sizeAtMost(treeSize: number | undefined): Promise<number> {
    const head = await this.head();
    const size = treeSize ?? head.treeSize;
    if (!Number.isInteger(size) || size < 0 || size > head.treeSize)
      throw new LedgerNotFoundError(`no tree of size ${size}: the head's tree has ${head.treeSize} leaves`);
    await this.leaves.syncTo(head.height);
    return size;
  }

  async proveInclusion(recordId: string, treeSize?: number): Promise<InclusionProof> {
    const stored = await this.getRecord(recordId);
    if (!stored) throw new LedgerNotFoundError(`record ${recordId} is not in the ledger`);
    const size = await this.sizeAtMost(treeSize);
    if (stored.leafIndex >= size)
      throw new LedgerNotFoundError(`record ${recordId} (leaf ${stored.leafIndex}) is not in the tree of size ${size}`);
    return this.leaves.inclusion(recordId, stored.leafIndex, size);
  }

  async rootAt(treeSize: number): Promise<string> {
    return this.leaves.root(await this.sizeAtMost(treeSize));
  }

  async proveConsistency(fromSize: number, toSize?: number): Promise<ConsistencyProof> {
    const to = await this.sizeAtMost(toSize);
    if (!Number.isInteger(fromSize) || fromSize < 0 || fromSize > to)
      throw new LedgerNotFoundError(`no consistency proof from ${fromSize} to ${to}`);
    return this.leaves.consistency(fromSize, to);
  }

  async verify(range: VerifyRange = {}): Promise<VerifyReport> {
    const head = await this.head();
    return verifyFabricLedger(
      head.height,
      range,
      (from, to) => this.blocks(from, to),
      (h) => this.getBlock(h)
    );
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    this.conn.close();
  }
}

/** Factory for openLedger('fabric', …): options, or the IRONTHRONE_FABRIC_* settings. */
export async function openFabricLedger(opts: Record<string, unknown> = {}): Promise<Ledger> {
  const { fabricOptionsFromEnv } = await import('./fabric-settings.ts');
  return new FabricLedger({
    ...fabricOptionsFromEnv(),
    ...(opts as Partial<FabricLedgerOptions>),
  } as FabricLedgerOptions);
}
