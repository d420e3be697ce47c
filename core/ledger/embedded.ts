// EmbeddedLedger: the default Ledger, one SQLite file (WAL) in the data folder. One block per
// batch, written in one IMMEDIATE transaction (a crash leaves the block whole or absent), chained
// by hash and signed with the node's Ed25519 key. The global RFC 9162 tree's compact range
// (frontier) is kept in memory; every completed internal node is persisted for proofs.
import type Database from 'better-sqlite3';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir } from '../config.ts';
import { blockHashOf, GENESIS_PREV_HASH, nodeId } from './block.ts';
import { sha256Hex } from './canonical.ts';
import { blockFieldsOf, MIN_STORED_LEVEL, openDb, statements, type BlockRow, type Statements } from './embedded-db.ts';
import { checkpointFile, unreadable, verifyEmbedded } from './embedded-verify.ts';
import { buildQuery, normaliseTime } from './embedded-query.ts';
import {
  LedgerConflictError,
  LedgerNotFoundError,
  type AppendOptions,
  type AppendReceipt,
  type Batch,
  type ConsistencyProof,
  type InclusionProof,
  type Ledger,
  type LedgerHead,
  type LedgerQuery,
  type StoredRecord,
  type VerifyRange,
  type VerifyReport,
} from './ledger.ts';
import {
  consistencyPath,
  EMPTY_ROOT,
  foldFrontier,
  frontierOf,
  inclusionPath,
  leafHash,
  nodeHash,
  rootOfLeaves,
  treeRoot,
  type NodeReader,
} from './merkle.ts';
import { loadOrCreateNodeKey, signHash, type NodeKey } from './node-key.ts';
import {
  recordIdSchema,
  recordKind,
  recordTarget,
  recordTime,
  type LedgerRecord,
  type LedgerRecordInput,
} from './schema.ts';
import { validateBatch } from './validate.ts';

export interface EmbeddedLedgerOptions {
  /** Folder for ledger.sqlite, the node key and the head checkpoint (default dataDir('ledger')). */
  dir?: string;
  /** 'full' (default) survives power loss; 'normal' survives process crashes only, and is faster. */
  durability?: 'full' | 'normal';
}

interface TreeState {
  height: number;
  size: number;
  lastHash: string;
  frontier: Buffer[];
  /** Set when the stored tree cannot be read: appends are refused, verify still runs. */
  broken?: string;
}

const toHex = (b: Buffer) => b.toString('hex');

export class EmbeddedLedger implements Ledger {
  readonly kind = 'embedded';
  readonly dir: string;
  private readonly db: Database.Database;
  private readonly st: Statements;
  private readonly key: NodeKey;
  private state: TreeState;
  private readonly reader: NodeReader;

  constructor(opts: EmbeddedLedgerOptions = {}) {
    this.dir = opts.dir ?? dataDir('ledger');
    this.key = loadOrCreateNodeKey(this.dir);
    this.db = openDb(join(this.dir, 'ledger.sqlite'), opts.durability ?? 'full');
    this.st = statements(this.db);
    const pub = this.st.getMeta.get('publicKey');
    if (pub === undefined) this.st.setMeta.run('publicKey', this.key.publicKeyPem);
    else if (pub !== this.key.publicKeyPem)
      throw new Error(`${this.dir}: node key does not match the key this ledger was signed with`);
    this.reader = (level, index) => {
      if (level > 0 && level < MIN_STORED_LEVEL) {
        const span = 2 ** level;
        const leaves = this.st.leafRange.all(index * span, (index + 1) * span);
        if (leaves.length !== span)
          throw new Error(`ledger leaves ${index * span}..${(index + 1) * span - 1} are missing`);
        return rootOfLeaves(leaves);
      }
      const h = level === 0 ? this.st.leaf.get(index) : this.st.node.get(nodeId(level, index));
      if (!h) throw new Error(`ledger tree node level ${level} index ${index} is missing`);
      return h;
    };
    this.state = this.loadState();
  }

  static open(opts: EmbeddedLedgerOptions = {}): EmbeddedLedger {
    return new EmbeddedLedger(opts);
  }

  /** State from the last block; cheap, and re-run inside each append in case another process appended. */
  private loadState(): TreeState {
    const last = this.st.lastBlock.get();
    if (!last) return { height: 0, size: 0, lastHash: GENESIS_PREV_HASH, frontier: [] };
    if (this.state && this.state.height === last.height && this.state.lastHash === last.block_hash) return this.state;
    try {
      return {
        height: last.height,
        size: last.tree_size,
        lastHash: last.block_hash,
        frontier: frontierOf(this.reader, last.tree_size),
      };
    } catch (err) {
      return {
        height: last.height,
        size: last.tree_size,
        lastHash: last.block_hash,
        frontier: [],
        broken: (err as Error).message,
      };
    }
  }

  async appendBatch(batchId: string, inputs: LedgerRecordInput[], options: AppendOptions = {}): Promise<AppendReceipt> {
    const idCheck = recordIdSchema.safeParse(batchId);
    if (!idCheck.success)
      throw new LedgerConflictError(`bad batch id ${JSON.stringify(batchId)}: ${idCheck.error.issues[0]?.message}`);
    const valid = validateBatch(inputs, `batch ${batchId}`);
    const leaves = valid.map((v) => leafHash(v.canonical));
    const bodyDigest = sha256Hex(Buffer.concat(leaves));
    const run = this.db.transaction((): { receipt: AppendReceipt; state?: TreeState } => {
      const existing = this.st.blockByBatch.get(batchId);
      if (existing) {
        if (existing.body_digest !== bodyDigest)
          throw new LedgerConflictError(
            `batch id ${batchId} was already used with a different body (block ${existing.height})`
          );
        return { receipt: this.receiptOf(existing, true) };
      }
      const s = this.loadState();
      if (s.broken) throw new Error(`ledger in ${this.dir} is damaged (${s.broken}): run \`ironthrone ledger verify\``);
      const kept: string[] = [];
      const skippedIds: string[] = [];
      const height = s.height + 1;
      const frontier = s.frontier.slice();
      const batchLeaves: Buffer[] = [];
      let idx = s.size;
      for (let i = 0; i < valid.length; i++) {
        const { record, canonical } = valid[i]!;
        const leaf = leaves[i]!;
        try {
          // The UNIQUE index on rid finds an existing id: no separate lookup per record.
          this.st.insertRecord.run(
            idx,
            record.id,
            height,
            record.type,
            recordTarget(record) ?? null,
            recordKind(record) ?? null,
            normaliseTime(recordTime(record), 'time'),
            canonical,
            leaf
          );
        } catch (err) {
          if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw err;
          const have = this.st.leafById.get(record.id);
          if (!have) throw err;
          if (options.skipExisting && have.equals(leaf)) {
            skippedIds.push(record.id);
            continue;
          }
          throw new LedgerConflictError(
            `record id ${record.id} is already in the ledger${have.equals(leaf) ? '' : ' with a different body'}`
          );
        }
        kept.push(record.id);
        let cur = leaf;
        let level = 0;
        for (let n = idx; n % 2 === 1; n = Math.floor(n / 2)) {
          cur = nodeHash(frontier.pop()!, cur);
          level++;
          if (level >= MIN_STORED_LEVEL) this.st.insertNode.run(nodeId(level, Math.floor(idx / 2 ** level)), cur);
        }
        frontier.push(cur);
        batchLeaves.push(leaf);
        idx++;
      }
      const fields = {
        height,
        batchId,
        prevHash: s.lastHash,
        batchRoot: toHex(rootOfLeaves(batchLeaves)),
        firstIndex: s.size,
        count: batchLeaves.length,
        treeSize: idx,
        treeRoot: toHex(foldFrontier(frontier)),
        createdAt: new Date().toISOString(),
      };
      const blockHash = blockHashOf(fields);
      const row: BlockRow = {
        height,
        batch_id: batchId,
        prev_hash: fields.prevHash,
        batch_root: fields.batchRoot,
        first_index: fields.firstIndex,
        count: fields.count,
        tree_size: fields.treeSize,
        tree_root: fields.treeRoot,
        created_at: fields.createdAt,
        block_hash: blockHash,
        signature: signHash(this.key.privateKey, blockHash),
        body_digest: bodyDigest,
      };
      this.st.insertBlock.run(row);
      const receipt = { ...this.receiptOf(row, false, kept), skippedIds };
      return { receipt, state: { height, size: idx, lastHash: blockHash, frontier } };
    });
    const { receipt, state } = run.immediate();
    if (state) {
      this.state = state;
      this.writeCheckpoint(receipt);
    }
    return receipt;
  }

  private writeCheckpoint(r: AppendReceipt): void {
    // A signed head outside the database: deleting trailing blocks from the file is then detectable.
    const file = checkpointFile(this.dir);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ height: r.height, treeSize: r.treeSize, blockHash: r.blockHash }) + '\n');
    renameSync(tmp, file);
  }

  private receiptOf(b: BlockRow, duplicate: boolean, recordIds?: string[]): AppendReceipt {
    const ids =
      recordIds ??
      this.st.recordsOfRange.all(b.first_index, b.tree_size).map((r) => (JSON.parse(r.json) as LedgerRecord).id);
    return {
      batchId: b.batch_id,
      height: b.height,
      batchRoot: b.batch_root,
      firstIndex: b.first_index,
      count: b.count,
      treeSize: b.tree_size,
      treeRoot: b.tree_root,
      blockHash: b.block_hash,
      recordIds: ids,
      skippedIds: [],
      duplicate,
    };
  }

  private batchOf(b: BlockRow | undefined): Batch | undefined {
    if (!b) return undefined;
    const records = this.st.recordsOfRange
      .all(b.first_index, b.tree_size)
      .map((r) => JSON.parse(r.json) as LedgerRecord);
    return {
      ...blockFieldsOf(b),
      blockHash: b.block_hash,
      signature: b.signature,
      records,
    };
  }

  async getBatch(batchId: string): Promise<Batch | undefined> {
    return this.batchOf(this.st.blockByBatch.get(batchId));
  }

  async getBlock(height: number): Promise<Batch | undefined> {
    return this.batchOf(this.st.blockByHeight.get(height));
  }

  async head(): Promise<LedgerHead> {
    this.state = this.loadState();
    const last = this.st.lastBlock.get();
    return {
      height: last?.height ?? 0,
      root: last?.tree_root ?? toHex(EMPTY_ROOT),
      treeSize: last?.tree_size ?? 0,
      blockHash: last?.block_hash ?? GENESIS_PREV_HASH,
      signature: last?.signature ?? '',
      publicKey: this.key.publicKeyPem,
    };
  }

  async query(q: LedgerQuery): Promise<StoredRecord[]> {
    const { sql, params } = buildQuery(q);
    const rows = this.db.prepare<unknown[], { idx: number; height: number; json: string }>(sql).all(...params);
    return rows.map((r) => ({ record: JSON.parse(r.json) as LedgerRecord, height: r.height, leafIndex: r.idx }));
  }

  async getRecord(recordId: string): Promise<StoredRecord | undefined> {
    const r = this.st.recordById.get(recordId);
    return r && { record: JSON.parse(r.json) as LedgerRecord, height: r.height, leafIndex: r.idx };
  }

  private checkSize(treeSize: number | undefined): number {
    this.state = this.loadState();
    const size = treeSize ?? this.state.size;
    if (!Number.isSafeInteger(size) || size < 0 || size > this.state.size) {
      throw new LedgerNotFoundError(`tree size ${size} is not between 0 and the head's ${this.state.size}`);
    }
    return size;
  }

  async proveInclusion(recordId: string, treeSize?: number): Promise<InclusionProof> {
    const size = this.checkSize(treeSize);
    const r = this.st.recordById.get(recordId);
    if (!r) throw new LedgerNotFoundError(`record ${recordId} is not in the ledger`);
    if (r.idx >= size)
      throw new LedgerNotFoundError(`record ${recordId} (leaf ${r.idx}) is not in the tree of size ${size}`);
    const read = this.db.transaction(() => ({
      path: inclusionPath(this.reader, r.idx, size).map(toHex),
      root:
        size === this.state.size && !this.state.broken
          ? toHex(foldFrontier(this.state.frontier))
          : toHex(treeRoot(this.reader, size)),
    }));
    const { path, root } = read();
    return { recordId, leafIndex: r.idx, treeSize: size, leafHash: toHex(r.leaf), path, root };
  }

  async rootAt(treeSize: number): Promise<string> {
    const size = this.checkSize(treeSize);
    return toHex(treeRoot(this.reader, size));
  }

  async proveConsistency(fromSize: number, toSize?: number): Promise<ConsistencyProof> {
    const to = this.checkSize(toSize);
    const from = this.checkSize(fromSize);
    if (from > to) throw new LedgerNotFoundError(`cannot prove consistency from ${from} to the smaller ${to}`);
    const read = this.db.transaction(() => ({
      fromRoot: toHex(treeRoot(this.reader, from)),
      toRoot: toHex(treeRoot(this.reader, to)),
      path: from === 0 ? [] : consistencyPath(this.reader, from, to).map(toHex),
    }));
    return { fromSize: from, toSize: to, ...read() };
  }

  async verify(range: VerifyRange = {}): Promise<VerifyReport> {
    return verifyEmbedded(
      { db: this.db, st: this.st, dir: this.dir, publicKey: this.key.publicKey, reader: this.reader },
      range
    );
  }

  /** Opens and verifies a ledger folder; a file too damaged to open is a failed verification. */
  static async verifyDir(dir: string, range: VerifyRange = {}): Promise<VerifyReport> {
    let ledger: EmbeddedLedger;
    try {
      ledger = new EmbeddedLedger({ dir });
    } catch (err) {
      return unreadable(err);
    }
    try {
      return await ledger.verify(range);
    } finally {
      await ledger.close();
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
