// Writes docs/ledger-record.schema.json from the zod schema (the chaincode validates against it).
// Run: npx tsx scripts/gen-ledger-schema.ts [--check]   (--check fails if the file is stale)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../core/config.ts';
import { ledgerJsonSchemaText } from '../core/ledger/json-schema.ts';

const file = join(projectRoot, 'docs', 'ledger-record.schema.json');
const text = ledgerJsonSchemaText();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    /* missing counts as stale */
  }
  const same = (() => {
    try {
      return JSON.stringify(JSON.parse(current)) === JSON.stringify(JSON.parse(text));
    } catch {
      return false;
    }
  })();
  if (!same) {
    console.error(`${file} is stale: run npx tsx scripts/gen-ledger-schema.ts`);
    process.exit(1);
  }
  console.log(`${file} is up to date`);
} else {
  writeFileSync(file, text);
  console.log(`wrote ${file}`);
}
