// Chaincode entry: the contracts this package exposes (fabric-chaincode-node loads `main`).
import type { Contract } from 'fabric-contract-api';
import { LedgerContract } from './ledger-contract';

export { LedgerContract } from './ledger-contract';
export const contracts: (typeof Contract)[] = [LedgerContract];
