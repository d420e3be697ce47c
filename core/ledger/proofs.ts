// Client-side proof checks: static functions that need nothing but the proof, the record and a
// root the caller trusts (from a signed head). They work for every Ledger implementation.
import { canonicalJson } from './canonical.ts';
import type { ConsistencyProof, InclusionProof } from './ledger.ts';
import { leafHash, verifyConsistencyPath, verifyInclusionPath } from './merkle.ts';
import type { LedgerRecord } from './schema.ts';

const HEX64 = /^[0-9a-f]{64}$/;
const hex = (s: string) => Buffer.from(s, 'hex');

export interface ProofCheck {
  ok: boolean;
  reason?: string;
}

/**
 * Checks that `proof` leads to `trustedRoot` (default: the proof's own root, which is only useful
 * when the caller compares that root with a signed head). With `record`, also checks that the leaf
 * is that record's canonical form.
 */
export function verifyInclusion(proof: InclusionProof, record?: LedgerRecord, trustedRoot?: string): ProofCheck {
  const root = trustedRoot ?? proof.root;
  if (![proof.leafHash, root, ...proof.path].every((h) => HEX64.test(h)))
    return { ok: false, reason: 'malformed hash in proof' };
  if (trustedRoot !== undefined && trustedRoot !== proof.root)
    return { ok: false, reason: 'proof root differs from the trusted root' };
  if (record) {
    if (record.id !== proof.recordId)
      return { ok: false, reason: `record id ${record.id} is not the proof's ${proof.recordId}` };
    const lh = leafHash(canonicalJson(record)).toString('hex');
    if (lh !== proof.leafHash) return { ok: false, reason: 'record does not hash to the proof leaf' };
  }
  const ok = verifyInclusionPath(hex(proof.leafHash), proof.leafIndex, proof.treeSize, proof.path.map(hex), hex(root));
  return ok ? { ok } : { ok, reason: 'audit path does not lead to the root' };
}

/** Checks that the tree of `toSize` extends the tree of `fromSize` (RFC 9162 §2.1.4.2). */
export function verifyConsistency(
  proof: ConsistencyProof,
  trusted?: { fromRoot?: string; toRoot?: string }
): ProofCheck {
  const fromRoot = trusted?.fromRoot ?? proof.fromRoot;
  const toRoot = trusted?.toRoot ?? proof.toRoot;
  if (![fromRoot, toRoot, ...proof.path].every((h) => HEX64.test(h)))
    return { ok: false, reason: 'malformed hash in proof' };
  const ok = verifyConsistencyPath(proof.fromSize, proof.toSize, hex(fromRoot), hex(toRoot), proof.path.map(hex));
  return ok
    ? { ok }
    : { ok, reason: `tree of ${proof.toSize} does not extend tree of ${proof.fromSize} with these roots` };
}
