// FabricLedger's client-side index of the chain: every block's leaf hashes, record ids and batch
// id, computed once from its records (blocks never change) or added as this client appends them. The
// chaincode stores a batch as a few values rather than a key per record (chaincode/src/keys.ts),
// so the writer answers "is this record id already stored?", "which block holds this record?" and
// every RFC 9162 proof from here, with the same functions as the embedded ledger. Appends stay
// consistent with other writers because a block is built on the head this index has reached: if
// another writer moved the head, the chaincode refuses the block (STALE) and the index syncs first.
import type { ConsistencyProof, InclusionProof } from './ledger.ts';
import { leavesOf, type BlockWithRecords } from './fabric-verify.ts';
import {
  consistencyPath,
  EMPTY_ROOT,
  foldFrontier,
  inclusionPath,
  nodeHash,
  treeRoot,
  type NodeReader,
} from './merkle.ts';
import { GENESIS_PREV_HASH } from './block.ts';

const hex = (b: Buffer) => b.toString('hex');

/** Appends leaves to a compact range (hex hashes of the complete subtrees, largest first). */
export function appendFrontier(frontier: readonly string[], size: number, leaves: readonly Buffer[]): string[] {
  return appendFrontierBytes(
    frontier.map((h) => Buffer.from(h, 'hex')),
    size,
    leaves
  ).map(hex);
}

function appendFrontierBytes(frontier: readonly Buffer[], size: number, leaves: readonly Buffer[]): Buffer[] {
  const out = [...frontier];
  leaves.forEach((leaf, i) => {
    let cur: Buffer = leaf;
    for (let idx = size + i; idx % 2 === 1; idx = Math.floor(idx / 2)) cur = nodeHash(out.pop()!, cur);
    out.push(cur);
  });
  return out;
}

/** What the index keeps of a block: enough for receipts, duplicate checks and proofs. */
export interface IndexedBlock {
  height: number;
  batchId: string;
  batchRoot: string;
  firstIndex: number;
  count: number;
  treeSize: number;
  treeRoot: string;
  blockHash: string;
  bodyHash: string;
  recordIds: string[];
  /** The block's leaf hashes, 32 bytes each, in one buffer (one object per block, not per leaf). */
  leaves: Buffer;
}

/** The head the next block builds on (its frontier: `nextFrontier`). */
export interface IndexHead {
  height: number;
  treeSize: number;
  blockHash: string;
}

export class FabricIndex {
  private readonly blocks: IndexedBlock[] = [];
  private readonly ids = new Map<string, number>();
  private readonly batches = new Map<string, number>();
  private frontier: Buffer[] = [];
  private readonly memo = new Map<number, Buffer>();

  /** `fetch(from, to)` returns blocks with records from `from` on, possibly fewer than asked for. */
  constructor(private readonly fetch: (from: number, to: number) => Promise<BlockWithRecords[]>) {}

  get height(): number {
    return this.blocks.length;
  }

  get size(): number {
    const last = this.blocks[this.blocks.length - 1];
    return last ? last.treeSize : 0;
  }

  head(): IndexHead {
    const last = this.blocks[this.blocks.length - 1];
    return {
      height: this.height,
      treeSize: this.size,
      blockHash: last?.blockHash ?? GENESIS_PREV_HASH,
    };
  }

  /** Frontier after appending `leaves` to the head (for the next block's tree root). */
  nextFrontier(leaves: readonly Buffer[]): Buffer[] {
    return appendFrontierBytes(this.frontier, this.size, leaves);
  }

  static rootOf(frontier: readonly Buffer[]): string {
    return hex(foldFrontier(frontier));
  }

  async syncTo(height: number): Promise<void> {
    while (this.height < height) {
      const entries = await this.fetch(this.height + 1, height);
      if (entries.length === 0) throw new Error(`ledger blocks ${this.height + 1}..${height} are missing`);
      for (const e of entries) {
        if (e.height > height) break;
        const { records, ...fields } = e;
        this.add({ ...fields, recordIds: records.map((r) => r.id), leaves: Buffer.concat(leavesOf(e)) });
      }
    }
  }

  /**
   * Adds the next block (fetched, or just appended by this client, which passes the frontier it
   * computed for the block so the leaves are not hashed again).
   */
  add(b: IndexedBlock, frontier?: Buffer[]): void {
    if (b.height !== this.height + 1 || b.firstIndex !== this.size || b.leaves.length !== b.count * 32) {
      throw new Error(
        `ledger block ${b.height} does not follow block ${this.height} (first leaf ${b.firstIndex}, expected ${this.size})`
      );
    }
    this.frontier =
      frontier ??
      appendFrontierBytes(
        this.frontier,
        this.size,
        Array.from({ length: b.count }, (_, i) => b.leaves.subarray(i * 32, i * 32 + 32))
      );
    this.blocks.push(b);
    b.recordIds.forEach((id, i) => this.ids.set(id, b.firstIndex + i));
    this.batches.set(b.batchId, b.height);
  }

  block(height: number): IndexedBlock | undefined {
    return this.blocks[height - 1];
  }

  batch(batchId: string): IndexedBlock | undefined {
    const h = this.batches.get(batchId);
    return h === undefined ? undefined : this.block(h);
  }

  /** Where a record is: its leaf index, the block holding it and its position there. */
  locate(recordId: string): { leafIndex: number; height: number; position: number } | undefined {
    const leafIndex = this.ids.get(recordId);
    if (leafIndex === undefined) return undefined;
    const b = this.blockOfLeaf(leafIndex);
    return { leafIndex, height: b.height, position: leafIndex - b.firstIndex };
  }

  private blockOfLeaf(leafIndex: number): IndexedBlock {
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.blocks[mid]!.firstIndex <= leafIndex) lo = mid;
      else hi = mid - 1;
    }
    const b = this.blocks[lo];
    if (!b || leafIndex >= b.treeSize) throw new Error(`leaf ${leafIndex} is not in the index`);
    return b;
  }

  leafHash(leafIndex: number): Buffer {
    const b = this.blockOfLeaf(leafIndex);
    const at = (leafIndex - b.firstIndex) * 32;
    return b.leaves.subarray(at, at + 32);
  }

  private readonly node: NodeReader = (level, index) => {
    if (level === 0) return this.leafHash(index);
    // Only nodes of 16 leaves or more are kept (at most one per 16 leaves): the few below are
    // rehashed on demand, so the memo stays a small fraction of the leaves themselves.
    if (level < 4) return nodeHash(this.node(level - 1, 2 * index), this.node(level - 1, 2 * index + 1));
    // Levels are below 53 and indexes below 2^(53-level), so this key is exact and unique.
    const key = index * 64 + level;
    let h = this.memo.get(key);
    if (!h) {
      h = nodeHash(this.node(level - 1, 2 * index), this.node(level - 1, 2 * index + 1));
      this.memo.set(key, h);
    }
    return h;
  };

  root(size: number): string {
    return size === 0 ? hex(EMPTY_ROOT) : hex(treeRoot(this.node, size));
  }

  inclusion(recordId: string, leafIndex: number, size: number): InclusionProof {
    return {
      recordId,
      leafIndex,
      treeSize: size,
      leafHash: hex(this.leafHash(leafIndex)),
      path: inclusionPath(this.node, leafIndex, size).map(hex),
      root: this.root(size),
    };
  }

  consistency(from: number, to: number): ConsistencyProof {
    const path = from === 0 ? [] : consistencyPath(this.node, from, to).map(hex);
    return { fromSize: from, toSize: to, fromRoot: this.root(from), toRoot: this.root(to), path };
  }
}
