// RFC 9162 Merkle hashing (leaf = SHA-256(0x00 || data), node = SHA-256(0x01 || l || r)), as in
// core/ledger/merkle.ts. The global tree is kept as its compact range ("frontier": the roots of
// the complete subtrees, largest first), so appending n leaves costs O(n + log size) and the
// state holds O(log size) hashes, not the whole tree.
import * as crypto from 'crypto';

// crypto.hash (Node >= 20.12) is a one-shot without a Hash object: several times faster on a
// small input, and a batch hashes thousands of leaves and nodes.
const oneShot = (crypto as { hash?: (alg: string, data: string | Uint8Array, enc: 'buffer') => Buffer }).hash;

const sha = (...parts: Uint8Array[]): Buffer => {
  if (oneShot) return oneShot('sha256', parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts), 'buffer');
  const h = crypto.createHash('sha256');
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
  return appendLeafBytes(
    frontier.map((h) => Buffer.from(h, 'hex')),
    size,
    leaves.map((h) => Buffer.from(h, 'hex'))
  ).map((b) => b.toString('hex'));
}

/** appendLeaves on bytes: a batch appends thousands of leaves, so hex conversions add up. */
export function appendLeafBytes(frontier: readonly Buffer[], size: number, leaves: readonly Buffer[]): Buffer[] {
  const out = [...frontier];
  leaves.forEach((leaf, i) => {
    let cur = leaf;
    for (let idx = size + i; idx % 2 === 1; idx = Math.floor(idx / 2)) {
      const left = out.pop();
      if (left === undefined) throw new Error('corrupt frontier: fewer subtrees than the tree size implies');
      cur = sha(NODE, left, cur);
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

/** Leaf hash as bytes: the batch path hashes thousands of leaves, so it skips hex round trips. */
export function leafHashBytes(data: string): Buffer {
  // U+0000 is the single byte 0x00 in UTF-8: the leaf prefix.
  return oneShot ? oneShot('sha256', `\u0000${data}`, 'buffer') : sha(LEAF, Buffer.from(data, 'utf8'));
}

/** Root (hex) of a list of leaf hashes given as bytes: RFC 9162's split at the largest power of 2. */
export function rootOfLeafBytes(leaves: readonly Buffer[]): string {
  if (leaves.length === 0) return EMPTY_ROOT;
  // Bottom-up pairing with the odd node carried up gives the same tree as the recursive split.
  let level: Buffer[] = [...leaves];
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(sha(NODE, level[i] as Buffer, level[i + 1] as Buffer));
    if (level.length % 2 === 1) next.push(level[level.length - 1] as Buffer);
    level = next;
  }
  return (level[0] as Buffer).toString('hex');
}
