// RFC 9162 tree hashing and proofs, checked three ways: against the Certificate Transparency
// reference vectors (as published by transparency-dev/merkle, used as data), against a naive
// recursive implementation written straight from the RFC's definitions, and by mangling proofs.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  consistencyPath,
  EMPTY_ROOT,
  inclusionPath,
  leafHash,
  rootOfLeaves,
  treeRoot,
  verifyConsistencyPath,
  verifyInclusionPath,
  type NodeReader,
} from '../../../core/ledger/merkle.ts';

const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const hex = (b: Buffer) => b.toString('hex');
const unhex = (s: string) => Buffer.from(s, 'hex');

// ---- naive RFC 9162 §2.1 definitions (recursive, no shortcuts) ----
const k = (n: number) => {
  let p = 1;
  while (p * 2 < n) p *= 2;
  return p;
};
const mth = (d: Buffer[]): Buffer =>
  d.length === 0
    ? sha()
    : d.length === 1
      ? sha(Buffer.from([0]), d[0]!)
      : sha(Buffer.from([1]), mth(d.slice(0, k(d.length))), mth(d.slice(k(d.length))));
const path = (m: number, d: Buffer[]): Buffer[] => {
  if (d.length <= 1) return [];
  const s = k(d.length);
  return m < s ? [...path(m, d.slice(0, s)), mth(d.slice(s))] : [...path(m - s, d.slice(s)), mth(d.slice(0, s))];
};
const subproof = (m: number, d: Buffer[], b: boolean): Buffer[] => {
  if (m === d.length) return b ? [] : [mth(d)];
  const s = k(d.length);
  return m <= s
    ? [...subproof(m, d.slice(0, s), b), mth(d.slice(s))]
    : [...subproof(m - s, d.slice(s), false), mth(d.slice(0, s))];
};

/** A NodeReader over raw entries, computing complete subtrees with the naive MTH. */
const readerOf =
  (entries: Buffer[]): NodeReader =>
  (level, index) =>
    mth(entries.slice(index * 2 ** level, (index + 1) * 2 ** level));

const CT = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(
  unhex
);
const CT_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

describe('RFC 9162 Merkle tree', () => {
  it('matches the Certificate Transparency reference roots for sizes 0..8', () => {
    expect(hex(EMPTY_ROOT)).toBe(CT_ROOTS[0]);
    for (let n = 0; n <= 8; n++) {
      expect(hex(treeRoot(readerOf(CT), n)), `size ${n}`).toBe(CT_ROOTS[n]);
      expect(hex(rootOfLeaves(CT.slice(0, n).map((e) => leafHash(e)))), `size ${n}`).toBe(CT_ROOTS[n]);
      expect(hex(mth(CT.slice(0, n)))).toBe(CT_ROOTS[n]);
    }
  });

  it('gives the reference inclusion and consistency proofs', () => {
    const r = readerOf(CT);
    expect(inclusionPath(r, 0, 8).map(hex)).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(inclusionPath(r, 5, 8).map(hex)).toEqual([
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
    expect(consistencyPath(r, 2, 8).map(hex)).toEqual([
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(consistencyPath(r, 6, 8).map(hex)).toEqual([
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
    expect(consistencyPath(r, 2, 5).map(hex)).toEqual([
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ]);
  });

  // Every shape of the recursion up to 40 leaves: proofs equal the naive ones and verify.
  const entries = Array.from({ length: 40 }, (_, i) => Buffer.from(`entry-${i}`));
  const roots = Array.from({ length: entries.length + 1 }, (_, n) => mth(entries.slice(0, n)));
  const reader = readerOf(entries);

  it('inclusion proofs equal the naive PATH and verify, for every leaf of every size', () => {
    for (let n = 1; n <= entries.length; n++) {
      for (let m = 0; m < n; m++) {
        const p = inclusionPath(reader, m, n);
        expect(p.map(hex)).toEqual(path(m, entries.slice(0, n)).map(hex));
        expect(verifyInclusionPath(leafHash(entries[m]!), m, n, p, roots[n]!)).toBe(true);
      }
    }
  });

  it('consistency proofs equal the naive PROOF and verify, for every pair of sizes', () => {
    for (let n = 1; n <= entries.length; n++) {
      for (let m = 1; m <= n; m++) {
        const p = consistencyPath(reader, m, n);
        expect(p.map(hex), `${m}->${n}`).toEqual(m === n ? [] : subproof(m, entries.slice(0, n), true).map(hex));
        expect(verifyConsistencyPath(m, n, roots[m]!, roots[n]!, p), `${m}->${n}`).toBe(true);
      }
    }
    expect(verifyConsistencyPath(0, 9, EMPTY_ROOT, roots[9]!, [])).toBe(true);
  });

  it('rejects mangled inclusion proofs', () => {
    for (let n = 2; n <= 33; n++) {
      for (let m = 0; m < n; m++) {
        const p = inclusionPath(reader, m, n);
        const leaf = leafHash(entries[m]!);
        const root = roots[n]!;
        const flipped = p.map((b) => Buffer.from(b));
        flipped[0]![5]! ^= 1;
        expect(verifyInclusionPath(leaf, m, n, flipped, root)).toBe(false);
        expect(verifyInclusionPath(leaf, m, n, p.slice(0, -1), root)).toBe(false);
        expect(verifyInclusionPath(leaf, m, n, [...p, Buffer.alloc(32)], root)).toBe(false);
        expect(verifyInclusionPath(leafHash(entries[(m + 1) % n]!), m, n, p, root)).toBe(false);
        if (m + 1 < n) expect(verifyInclusionPath(leaf, m + 1, n, p, root)).toBe(false);
        expect(verifyInclusionPath(leaf, m, n, p, roots[n - 1]!)).toBe(false);
      }
    }
    expect(verifyInclusionPath(leafHash(entries[0]!), 1, 1, [], roots[1]!)).toBe(false);
  });

  it('rejects mangled consistency proofs', () => {
    for (let n = 2; n <= 33; n++) {
      for (let m = 1; m < n; m++) {
        const p = consistencyPath(reader, m, n);
        const flipped = p.map((b) => Buffer.from(b));
        flipped[flipped.length - 1]![3]! ^= 0x80;
        expect(verifyConsistencyPath(m, n, roots[m]!, roots[n]!, flipped)).toBe(false);
        expect(verifyConsistencyPath(m, n, roots[m]!, roots[n]!, p.slice(0, -1))).toBe(false);
        expect(verifyConsistencyPath(m, n, roots[m]!, roots[n]!, [...p, Buffer.alloc(32)])).toBe(false);
        expect(verifyConsistencyPath(m, n, roots[m - 1]!, roots[n]!, p)).toBe(false);
        expect(verifyConsistencyPath(m, n, roots[m]!, roots[n - 1]!, p)).toBe(false);
      }
    }
    expect(verifyConsistencyPath(4, 4, roots[4]!, roots[5]!, [])).toBe(false);
    expect(verifyConsistencyPath(5, 4, roots[5]!, roots[4]!, [])).toBe(false);
  });

  it('refuses to build proofs outside the tree', () => {
    expect(() => inclusionPath(reader, 5, 5)).toThrow(RangeError);
    expect(() => consistencyPath(reader, 6, 5)).toThrow(RangeError);
    expect(() => consistencyPath(reader, 0, 5)).toThrow(RangeError);
  });
});
