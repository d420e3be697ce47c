// Client-side Merkle tree for FabricLedger: the chaincode stores each block's leaf hashes; this
// cache fetches them once (blocks never change) and answers roots and RFC 9162 proofs with the
// same functions as the embedded ledger, memoising inner nodes.
import type { ConsistencyProof, InclusionProof } from './ledger.ts';
import { consistencyPath, EMPTY_ROOT, inclusionPath, nodeHash, treeRoot, type NodeReader } from './merkle.ts';

const hex = (b: Buffer) => b.toString('hex');

/** Appends leaves to a compact range (hex hashes of the complete subtrees, largest first). */
export function appendFrontier(frontier: readonly string[], size: number, leaves: readonly Buffer[]): string[] {
  const out: Buffer[] = frontier.map((h) => Buffer.from(h, 'hex'));
  leaves.forEach((leaf, i) => {
    let cur: Buffer = leaf;
    for (let idx = size + i; idx % 2 === 1; idx = Math.floor(idx / 2)) cur = nodeHash(out.pop()!, cur);
    out.push(cur);
  });
  return out.map(hex);
}

export interface LeafBlock {
  height: number;
  firstIndex: number;
  leafHashes: string[];
}

const PAGE = 200;

export class LeafCache {
  private readonly leaves: Buffer[] = [];
  private height = 0;
  private readonly memo = new Map<number, Buffer>();

  constructor(private readonly fetch: (from: number, to: number) => Promise<LeafBlock[]>) {}

  async syncTo(height: number): Promise<void> {
    while (this.height < height) {
      const to = Math.min(height, this.height + PAGE);
      const blocks = await this.fetch(this.height + 1, to);
      for (const b of blocks) {
        if (b.height !== this.height + 1 || b.firstIndex !== this.leaves.length) {
          throw new Error(
            `ledger block ${b.height} does not follow block ${this.height} (first leaf ${b.firstIndex}, expected ${this.leaves.length})`
          );
        }
        for (const h of b.leafHashes) this.leaves.push(Buffer.from(h, 'hex'));
        this.height = b.height;
      }
      if (blocks.length === 0) throw new Error(`ledger blocks ${this.height + 1}..${to} are missing`);
    }
  }

  private readonly node: NodeReader = (level, index) => {
    if (level === 0) {
      const l = this.leaves[index];
      if (!l) throw new Error(`leaf ${index} is not cached`);
      return l;
    }
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
      leafHash: hex(this.node(0, leafIndex)),
      path: inclusionPath(this.node, leafIndex, size).map(hex),
      root: this.root(size),
    };
  }

  consistency(from: number, to: number): ConsistencyProof {
    const path = from === 0 ? [] : consistencyPath(this.node, from, to).map(hex);
    return { fromSize: from, toSize: to, fromRoot: this.root(from), toRoot: this.root(to), path };
  }
}
