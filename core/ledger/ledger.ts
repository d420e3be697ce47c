// The Ledger contract, shared by the embedded Merkle ledger and the Fabric ledger and checked by
// test/conformance/ledger.conformance.ts. Implementation-neutral: hashes are lowercase hex, the
// global log is an RFC 9162 Merkle tree over every record ever appended (leaf = canonical JSON of
// the record), and one appended batch is one block.
import type { LedgerRecord, LedgerRecordInput, LedgerRecordType } from './schema.ts';
import type { BlockFields } from './block.ts';

export interface AppendOptions {
  /**
   * Leave out records whose id is already in the ledger with the identical body (used by the
   * batcher, whose producers may resubmit). A record id present with a different body is still
   * refused. Without this option any record id already present refuses the batch.
   */
  skipExisting?: boolean;
}

/** What an append returns. Appending the same batch id and body again returns the first receipt. */
export interface AppendReceipt {
  batchId: string;
  /** Block height (1-based: the first batch is height 1). */
  height: number;
  /** RFC 9162 root over this batch's leaves. */
  batchRoot: string;
  /** Global leaf index of the batch's first record. */
  firstIndex: number;
  count: number;
  /** Global tree size and root after this block. */
  treeSize: number;
  treeRoot: string;
  blockHash: string;
  /** Ids of the batch's records, in leaf order. */
  recordIds: string[];
  /** Ids left out because already present (with `skipExisting`). */
  skippedIds: string[];
  /** True when this call found the batch already appended (idempotent retry). */
  duplicate: boolean;
}

export interface BlockHeader extends BlockFields {
  blockHash: string;
  /** Base64 signature over the block hash by the node key (Ed25519 for the embedded ledger). */
  signature: string;
}

export interface Batch extends BlockHeader {
  records: LedgerRecord[];
}

export interface LedgerHead {
  height: number;
  /** Global tree root (hex); the empty tree's root is SHA-256 of the empty string. */
  root: string;
  treeSize: number;
  blockHash: string;
  signature: string;
  /** PEM (SPKI) public key that verifies `signature`. */
  publicKey: string;
}

export interface LedgerQuery {
  target?: string;
  kind?: string;
  type?: LedgerRecordType;
  /** Inclusive lower bound on the record's time (ISO). */
  from?: string;
  /** Exclusive upper bound on the record's time (ISO). */
  to?: string;
  /** Default 1000, at most 10000. Results are in ledger order, or in time order when from/to is given. */
  limit?: number;
}

export interface StoredRecord {
  record: LedgerRecord;
  height: number;
  leafIndex: number;
}

export interface InclusionProof {
  recordId: string;
  leafIndex: number;
  treeSize: number;
  /** Hex of the leaf hash SHA-256(0x00 || canonical record). */
  leafHash: string;
  /** Audit path, bottom-up (RFC 9162 §2.1.3). */
  path: string[];
  /** Root of the tree of `treeSize` the path leads to. */
  root: string;
}

export interface ConsistencyProof {
  fromSize: number;
  toSize: number;
  fromRoot: string;
  toRoot: string;
  /** RFC 9162 §2.1.4 consistency path. */
  path: string[];
}

export interface VerifyRange {
  fromHeight?: number;
  toHeight?: number;
}

export interface VerifyReport {
  ok: boolean;
  /** Blocks checked. */
  checked: number;
  /** Records checked. */
  records: number;
  firstBad?: { height: number; reason: string };
}

export interface Ledger {
  readonly kind: string;
  /**
   * Validates every record, then appends them as one block, atomically. Idempotent by batch id:
   * the same id with the same records returns the first receipt (`duplicate: true`); the same id
   * with a different body is refused (LedgerConflictError). A record id already in the ledger
   * under another batch is refused too.
   */
  appendBatch(batchId: string, records: LedgerRecordInput[], options?: AppendOptions): Promise<AppendReceipt>;
  getBatch(batchId: string): Promise<Batch | undefined>;
  /** The block at a height (1-based), with its records; for export and audits. */
  getBlock(height: number): Promise<Batch | undefined>;
  head(): Promise<LedgerHead>;
  query(q: LedgerQuery): Promise<StoredRecord[]>;
  getRecord(recordId: string): Promise<StoredRecord | undefined>;
  /** Proof against the current head (or `treeSize` when given, which must be ≤ the head's). */
  proveInclusion(recordId: string, treeSize?: number): Promise<InclusionProof>;
  /** Root of the global tree at an earlier size (what an old head signed). */
  rootAt(treeSize: number): Promise<string>;
  proveConsistency(fromSize: number, toSize?: number): Promise<ConsistencyProof>;
  verify(range?: VerifyRange): Promise<VerifyReport>;
  close(): Promise<void>;
}

/** A batch id already used with a different body, or a record id already in another batch. */
export class LedgerConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LedgerConflictError';
  }
}

export class LedgerNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LedgerNotFoundError';
  }
}

export { verifyInclusion, verifyConsistency } from './proofs.ts';
