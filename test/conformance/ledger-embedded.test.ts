// The Ledger conformance suite on the embedded implementation, each test on a fresh folder.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { EmbeddedLedger } from '../../core/ledger/embedded.ts';
import { ledgerConformance } from './ledger.conformance.ts';

ledgerConformance(
  'embedded',
  async () =>
    new EmbeddedLedger({ dir: mkdtempSync(join(inject('testDataRoot'), 'ledger-conf-')), durability: 'normal' })
);
