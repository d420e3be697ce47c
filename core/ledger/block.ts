// The block header and its hash: what the node key signs. Shared by writers and verifiers.
import { canonicalJson, sha256Hex } from './canonical.ts';

export const GENESIS_PREV_HASH = '0'.repeat(64);
export const BLOCK_VERSION = 1;

export interface BlockFields {
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

/** SHA-256 (hex) of the canonical JSON of the header fields (with a version tag). */
export function blockHashOf(b: BlockFields): string {
  return sha256Hex(
    canonicalJson({
      v: BLOCK_VERSION,
      height: b.height,
      batchId: b.batchId,
      prevHash: b.prevHash,
      batchRoot: b.batchRoot,
      firstIndex: b.firstIndex,
      count: b.count,
      treeSize: b.treeSize,
      treeRoot: b.treeRoot,
      createdAt: b.createdAt,
    })
  );
}

/** In-order ("flat tree") id of the complete node at level ≥ 1 and index: unique across levels. */
export function nodeId(level: number, index: number): number {
  return index * 2 ** (level + 1) + 2 ** level - 1;
}
