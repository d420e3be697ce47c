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
  /** SHA-256 of the canonical record array: what makes a retry "the same body". */
  bodyHash: string;
  recordIds: string[];
  leafHashes: string[];
  txId: string;
  creator: string;
}

export interface StoredRecord {
  record: LedgerRecord;
  height: number;
  leafIndex: number;
  batchId: string;
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
  recordIds: string[];
  duplicate: boolean;
}

export function emptyHead(): Head {
  return { height: 0, treeSize: 0, treeRoot: EMPTY_ROOT, blockHash: GENESIS_PREV_HASH, frontier: [] };
}

/** Block hash: SHA-256 of the canonical header (every field but the hash itself). */
export function blockHashOf(h: BlockHeader): string {
  const { height, batchId, prevHash, batchRoot, firstIndex, count, treeSize, treeRoot, createdAt } = h;
  return sha256Hex(canonicalJson({ height, batchId, prevHash, batchRoot, firstIndex, count, treeSize, treeRoot, createdAt }));
}

export function receiptOf(b: Block): Omit<Receipt, 'duplicate'> {
  const { batchId, height, batchRoot, firstIndex, count, treeSize, treeRoot, blockHash, recordIds } = b;
  return { batchId, height, batchRoot, firstIndex, count, treeSize, treeRoot, blockHash, recordIds };
}

export async function readJson<T>(ctx: Context, key: string): Promise<T | undefined> {
  const bytes = await ctx.stub.getState(key);
  if (!bytes || bytes.length === 0) return undefined;
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as T;
}
