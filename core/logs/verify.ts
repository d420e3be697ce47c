// `ironthrone logs verify <id>`: proves a stored line is what was ingested. The chain of trust:
//   stored doc → its leaf hash → audit path over the batch's leaves → the batch root recorded on the
//   ledger (not the root the log store holds, which a tamperer could rewrite) → the ledger record's
//   own inclusion proof against the ledger head.
import type { Ledger } from '../ledger/ledger.ts';
import { verifyInclusion } from '../ledger/proofs.ts';
import { digestRecord, proveDoc, verifyDoc, type DocProof } from './digest.ts';
import type { LogStore } from './store.ts';
import type { LogDoc } from './types.ts';

export interface LineVerification {
  ok: boolean;
  id: string;
  /** First failed check, in words. */
  reason?: string;
  doc?: LogDoc;
  batchId?: string;
  proof?: DocProof;
  /** Batch root as the ledger holds it. */
  ledgerRoot?: string;
  ledgerRecordId?: string;
  /** Ledger height and tree size the ledger record was proved against. */
  ledgerHead?: { height: number; treeSize: number; root: string };
}

export async function verifyLine(store: LogStore, ledger: Ledger, id: string): Promise<LineVerification> {
  const fail = (reason: string, extra: Partial<LineVerification> = {}): LineVerification => ({
    ok: false,
    id,
    reason,
    ...extra,
  });
  const doc = await store.get(id);
  if (!doc) return fail(`no log line with id ${id} in ${store.location}`);
  if (!doc.batch)
    return fail('the line carries no batch pointer: it was not indexed through the digest pipeline', { doc });
  const batch = await store.getBatch(doc.batch.id);
  if (!batch) return fail(`batch ${doc.batch.id} is missing from ${store.location}`, { doc, batchId: doc.batch.id });
  const recordId = digestRecord(batch).id!;
  const stored = await ledger.getRecord(recordId);
  if (!stored || stored.record.type !== 'log-digest')
    return fail(`batch ${batch.id} has no log-digest record on the ledger (${recordId})`, { doc, batchId: batch.id });
  const ledgerRoot = stored.record.merkleRoot;
  const base = { doc, batchId: batch.id, ledgerRoot, ledgerRecordId: recordId };
  if (doc.batch.index < 0 || doc.batch.index >= batch.count || batch.leaves.length !== stored.record.count) {
    return fail(`batch ${batch.id} in the store does not match the ledger's count of ${stored.record.count}`, base);
  }
  const proof = proveDoc(batch, doc.batch.index);
  const check = verifyDoc(doc, proof, ledgerRoot);
  if (!check.ok) return fail(check.reason!, { ...base, proof });
  const head = await ledger.head();
  const inc = await ledger.proveInclusion(recordId);
  const ledgerCheck = verifyInclusion(inc, stored.record, head.root);
  const ledgerHead = { height: head.height, treeSize: head.treeSize, root: head.root };
  if (!ledgerCheck.ok) return fail(`ledger record ${recordId}: ${ledgerCheck.reason}`, { ...base, proof, ledgerHead });
  return { ok: true, id, ...base, proof, ledgerHead };
}
