// RFC 9162 Merkle hashing (leaf = SHA-256(0x00 || data), node = SHA-256(0x01 || l || r)), as in
// core/ledger/merkle.ts. The global tree is kept as its compact range ("frontier": the roots of
// the complete subtrees, largest first), so appending n leaves costs O(n + log size) and the
// state holds O(log size) hashes, not the whole tree.
import { createHash } from 'crypto';

const sha = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

export const EMPTY_ROOT = sha(Buffer.alloc(0)).toString('hex');

export function leafHash(data: string): string {
  return sha(LEAF, Buffer.from(data, 'utf8')).toString('hex');
}

export function nodeHash(left: string, right: string): string {
  return sha(NODE, Buffer.from(left, 'hex'), Buffer.from(right, 'hex')).toString('hex');
}

/** Appends leaves to the frontier of a tree of `size` leaves; returns the new frontier. */
export function appendLeaves(frontier: readonly string[], size: number, leaves: readonly string[]): string[] {
  const out = [...frontier];
  leaves.forEach((leaf, i) => {
    let cur = leaf;
    for (let idx = size + i; idx % 2 === 1; idx = Math.floor(idx / 2)) {
      const left = out.pop();
      if (left === undefined) throw new Error('corrupt frontier: fewer subtrees than the tree size implies');
      cur = nodeHash(left, cur);
    }
    out.push(cur);
  });
  return out;
}

export function foldFrontier(frontier: readonly string[]): string {
  if (frontier.length === 0) return EMPTY_ROOT;
  let r = frontier[frontier.length - 1] as string;
  for (let i = frontier.length - 2; i >= 0; i--) r = nodeHash(frontier[i] as string, r);
  return r;
}

/** Root of a list of leaf hashes (the batch root). */
export function rootOfLeaves(leaves: readonly string[]): string {
  return foldFrontier(appendLeaves([], 0, leaves));
}
