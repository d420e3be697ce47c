// Shapes of what the contract stores, and small helpers around them.
import type { Context } from 'fabric-contract-api';
import { canonicalJson, sha256Hex } from './canonical';
import { EMPTY_ROOT } from './merkle';
import type { LedgerRecord } from './records';

export const GENESIS_PREV_HASH = '0'.repeat(64);

export interface Head {
  height: number;
  treeSize: number;
  treeRoot: string;
  blockHash: string;
  /** Compact range of the global tree: roots of its complete subtrees, largest first. */
  frontier: string[];
}

export interface BlockHeader {
  height: number;
  batchId: string;
  prevHash: string;
  batchRoot: string;
  firstIndex: number;
  count: number;
  treeSize: number;
  treeRoot: string;
  createdAt: string;
}

export interface Block extends BlockHeader {
  blockHash: string;
  /** Base64 ECDSA (SHA-256) signature over the block hash by the writer's Fabric identity. */
  signature: string;
  /** SPKI PEM public key of the signer (from its X.509 certificate). */
  publicKey: string;
  /** SHA-256 of the concatenated leaf hashes of the batch as submitted: a retry's "same body". */
  bodyHash: string;
  txId: string;
  creator: string;
}

/** Index entry of one block in one hour: where its leaves start and the targets it names then. */
export interface HourEntry {
  firstIndex: number;
  targets: string[];
}

/** A record as queries return it. */
export interface StoredRecord {
  record: LedgerRecord;
  height: number;
  leafIndex: number;
}

export interface Receipt {
  batchId: string;
  height: number;
  batchRoot: string;
  firstIndex: number;
  count: number;
  treeSize: number;
  treeRoot: string;
  blockHash: string;
  skippedIds: string[];
  duplicate: boolean;
}

export function emptyHead(): Head {
  return { height: 0, treeSize: 0, treeRoot: EMPTY_ROOT, blockHash: GENESIS_PREV_HASH, frontier: [] };
}

export const BLOCK_VERSION = 1;

/** Block hash, as core/ledger/block.ts: SHA-256 of the canonical header fields with a version tag. */
export function blockHashOf(h: BlockHeader): string {
  const { height, batchId, prevHash, batchRoot, firstIndex, count, treeSize, treeRoot, createdAt } = h;
  return sha256Hex(
    canonicalJson({
      v: BLOCK_VERSION,
      height,
      batchId,
      prevHash,
      batchRoot,
      firstIndex,
      count,
      treeSize,
      treeRoot,
      createdAt,
    })
  );
}

export function receiptOf(b: Block, duplicate: boolean, skippedIds: string[] = []): Receipt {
  const { batchId, height, batchRoot, firstIndex, count, treeSize, treeRoot, blockHash } = b;
  return {
    batchId,
    height,
    batchRoot,
    firstIndex,
    count,
    treeSize,
    treeRoot,
    blockHash,
    skippedIds,
    duplicate,
  };
}

export async function readJson<T>(ctx: Context, key: string): Promise<T | undefined> {
  const bytes = await ctx.stub.getState(key);
  if (!bytes || bytes.length === 0) return undefined;
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as T;
}
