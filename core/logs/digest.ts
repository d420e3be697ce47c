// Batch digests: each indexed batch gets an RFC 9162 Merkle root over its docs (leaf = canonical
// JSON of the doc without its `batch` pointer), and that root goes to the ledger as a `log-digest`
// record. Hashing is core/ledger/merkle.ts's; this file only arranges leaves and proofs.
import { canonicalJson } from '../ledger/canonical.ts';
import type { Ledger } from '../ledger/ledger.ts';
import {
  inclusionPath,
  leafHash,
  nodeHash,
  rootOfLeaves,
  verifyInclusionPath,
  type NodeReader,
} from '../ledger/merkle.ts';
import type { LedgerRecordInput } from '../ledger/schema.ts';
import type { BatchDigest } from './store.ts';
import type { LogDoc } from './types.ts';

/** The bytes a doc's leaf covers: everything the pipeline produced, minus the batch pointer. */
export function docLeaf(doc: LogDoc): Buffer {
  const { batch: _batch, ...content } = doc;
  return leafHash(canonicalJson(content));
}

/** Assigns batch positions and computes the root; the batch id is derived from the root. */
export function buildBatch(docs: LogDoc[], store: string): { docs: LogDoc[]; digest: BatchDigest } {
  const leaves = docs.map(docLeaf);
  const root = rootOfLeaves(leaves).toString('hex');
  const id = `logs-${root.slice(0, 40)}`;
  let start = docs[0]?.ts ?? new Date(0).toISOString();
  let end = start;
  for (const d of docs) {
    if (d.ts < start) start = d.ts;
    if (d.ts > end) end = d.ts;
  }
  return {
    docs: docs.map((d, index) => ({ ...d, batch: { id, index } })),
    digest: {
      id,
      root,
      count: docs.length,
      store,
      start,
      end,
      leaves: leaves.map((l) => l.toString('hex')),
      docIds: docs.map((d) => d.id),
    },
  };
}

/** Complete aligned subtrees of an in-memory leaf list, level by level. */
export function memoryNodeReader(leaves: readonly Buffer[]): NodeReader {
  const levels: Buffer[][] = [leaves.slice()];
  for (let l = 0; levels[l]!.length > 1; l++) {
    const below = levels[l]!;
    const up: Buffer[] = [];
    for (let i = 0; i + 1 < below.length; i += 2) up.push(nodeHash(below[i]!, below[i + 1]!));
    levels.push(up);
  }
  return (level, index) => {
    const h = levels[level]?.[index];
    if (!h) throw new RangeError(`no complete subtree at level ${level}, index ${index}`);
    return h;
  };
}

export interface DocProof {
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  path: string[];
}

export function proveDoc(batch: BatchDigest, leafIndex: number): DocProof {
  const leaves = batch.leaves.map((h) => Buffer.from(h, 'hex'));
  const path = inclusionPath(memoryNodeReader(leaves), leafIndex, leaves.length);
  return {
    leafIndex,
    treeSize: leaves.length,
    leafHash: batch.leaves[leafIndex]!,
    path: path.map((p) => p.toString('hex')),
  };
}

/** Does the doc, as stored now, hash to a leaf that `proof` leads from to the trusted root? */
export function verifyDoc(doc: LogDoc, proof: DocProof, trustedRoot: string): { ok: boolean; reason?: string } {
  const lh = docLeaf(doc);
  if (lh.toString('hex') !== proof.leafHash)
    return { ok: false, reason: 'the stored line does not hash to the leaf recorded at indexing time' };
  const ok = verifyInclusionPath(
    lh,
    proof.leafIndex,
    proof.treeSize,
    proof.path.map((p) => Buffer.from(p, 'hex')),
    Buffer.from(trustedRoot, 'hex')
  );
  return ok ? { ok } : { ok, reason: 'the audit path does not lead to the root on the ledger' };
}

export type LogDigestRecord = Extract<LedgerRecordInput, { type: 'log-digest' }>;

/** The ledger record for a batch; its id is a business key, so resubmitting is idempotent. */
export function digestRecord(b: BatchDigest): LogDigestRecord {
  return {
    id: `log-digest:${b.id}`,
    type: 'log-digest',
    batchId: b.id,
    merkleRoot: b.root,
    count: b.count,
    store: b.store.slice(0, 128),
    start: b.start,
    end: b.end,
  };
}

/** Sends a batch digest somewhere durable; returns the ledger record id. */
export type DigestSink = (batch: BatchDigest) => Promise<string>;

/** Appends one ledger block per log batch (block id `logs:<batch>`; retries are idempotent). */
export function ledgerDigestSink(ledger: Ledger): DigestSink {
  return async (b) => {
    const rec = digestRecord(b);
    await ledger.appendBatch(`logs:${b.id}`, [rec], { skipExisting: true });
    return rec.id!;
  };
}
