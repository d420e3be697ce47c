// What the conformance suite needs from core/ledger, in one place for implementers to read.
export { deriveRecordId, type LedgerRecordInput } from '../../core/ledger/schema.ts';
export { verifyConsistency, verifyInclusion } from '../../core/ledger/proofs.ts';
export type { Ledger } from '../../core/ledger/ledger.ts';
export const EMPTY_HEX = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
