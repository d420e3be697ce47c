// Copies the shared record schema (generated from core/ledger/schema.ts) next to the compiled
// chaincode, so the chaincode validates exactly what the client validates.
'use strict';
const { copyFileSync, existsSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');

const src = join(__dirname, '..', '..', 'docs', 'ledger-record.schema.json');
if (!existsSync(src)) {
  console.error(`copy-schema: ${src} is missing; run \`npx tsx scripts/gen-ledger-schema.ts\` in the project root`);
  process.exit(1);
}
const outDir = join(__dirname, '..', 'dist');
mkdirSync(outDir, { recursive: true });
copyFileSync(src, join(outDir, 'ledger-record.schema.json'));
