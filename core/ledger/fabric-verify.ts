// Verification of a Fabric-backed ledger from the client side: every block's records hash to its
// batch root, the tree root after each block matches the leaves so far, the blocks chain by hash,
// each block hash carries a valid signature by the writer that submitted it, and no record id
// appears twice (the writer checks that before it appends; the audit checks the writer).
import { verify as verifySig, createPublicKey } from 'node:crypto';
import { blockHashOf, GENESIS_PREV_HASH } from './block.ts';
import { canonicalJson } from './canonical.ts';
import type { BlockHeader, VerifyRange, VerifyReport } from './ledger.ts';
import type { LedgerRecord } from './schema.ts';
import { foldFrontier, leafHash, rootOfLeaves } from './merkle.ts';
import { appendFrontier } from './fabric-tree.ts';

/** A block entry as the chaincode stores it (records are a separate value). */
export interface BlockEntry extends BlockHeader {
  publicKey: string;
  /** SHA-256 of the concatenated leaf hashes of the batch as submitted (skipped records included). */
  bodyHash: string;
}

export interface BlockWithRecords extends BlockEntry {
  records: LedgerRecord[];
}

export function leavesOf(b: BlockWithRecords): Buffer[] {
  return b.records.map((r) => leafHash(canonicalJson(r)));
}

export async function verifyFabricLedger(
  headHeight: number,
  range: VerifyRange,
  /** Blocks with records from `from` on, possibly fewer than asked for (the chaincode pages by size). */
  blocks: (from: number, to: number) => Promise<BlockWithRecords[]>
): Promise<VerifyReport> {
  const from = Math.max(1, range.fromHeight ?? 1);
  const to = Math.min(headHeight, range.toHeight ?? headHeight);
  let frontier: string[] = [];
  let size = 0;
  let prevHash = GENESIS_PREV_HASH;
  let checked = 0;
  let records = 0;
  const ids = new Set<string>();
  const bad = (height: number, reason: string): VerifyReport => ({
    ok: false,
    checked,
    records,
    firstBad: { height, reason },
  });
  // Blocks before the range are replayed too: the tree root after each block depends on all
  // leaves before it.
  for (let next = 1; next <= to;) {
    const page = await blocks(next, to);
    if (page.length === 0) return bad(next, 'block is missing');
    for (const b of page) {
      if (b.height !== next) return bad(next, 'block is missing');
      next++;
      for (const r of b.records) {
        if (ids.has(r.id)) return bad(b.height, `record id ${r.id} is already in an earlier block`);
        ids.add(r.id);
      }
      if (b.prevHash !== prevHash) return bad(b.height, 'previous block hash does not chain');
      if (b.firstIndex !== size || b.count !== b.records.length || b.treeSize !== size + b.count)
        return bad(b.height, 'leaf indexes do not follow on');
      const leaves = leavesOf(b);
      frontier = appendFrontier(frontier, size, leaves);
      size = b.treeSize;
      if (b.height >= from) {
        if (rootOfLeaves(leaves).toString('hex') !== b.batchRoot)
          return bad(b.height, 'records do not hash to the batch root');
        if (foldFrontier(frontier.map((h) => Buffer.from(h, 'hex'))).toString('hex') !== b.treeRoot)
          return bad(b.height, 'tree root does not match the leaves');
        if (blockHashOf(b) !== b.blockHash) return bad(b.height, 'block hash does not match the header');
        let sigOk = false;
        try {
          sigOk = verifySig(
            'sha256',
            Buffer.from(b.blockHash, 'hex'),
            createPublicKey(b.publicKey),
            Buffer.from(b.signature, 'base64')
          );
        } catch {
          sigOk = false;
        }
        if (!sigOk) return bad(b.height, 'block signature does not verify');
        checked++;
        records += b.count;
      }
      prevHash = b.blockHash;
    }
  }
  return { ok: true, checked, records };
}
