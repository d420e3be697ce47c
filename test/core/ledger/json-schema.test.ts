// docs/ledger-record.schema.json (shared with the chaincode) must be what the zod schema generates.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../core/config.ts';
import { ledgerJsonSchema, ledgerJsonSchemaText } from '../../../core/ledger/json-schema.ts';
import { recordTypes } from '../../../core/ledger/schema.ts';

describe('ledger record JSON Schema', () => {
  it('is up to date (npx tsx scripts/gen-ledger-schema.ts)', () => {
    // Compared as JSON, so reformatting the file (prettier) does not make it stale.
    expect(JSON.parse(readFileSync(join(projectRoot, 'docs', 'ledger-record.schema.json'), 'utf8'))).toEqual(
      JSON.parse(ledgerJsonSchemaText())
    );
  });

  it('has one strict branch per record type', () => {
    const branches = ledgerJsonSchema().oneOf as {
      properties: { type: { const: string } };
      additionalProperties: boolean;
    }[];
    expect(branches.map((b) => b.properties.type.const).sort()).toEqual([...recordTypes].sort());
    expect(branches.every((b) => b.additionalProperties === false)).toBe(true);
  });
});
