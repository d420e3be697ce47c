// The JSON Schema form of the record schema, shared with the Fabric chaincode.
import { z } from 'zod';
import { LEDGER_SCHEMA_VERSION, ledgerRecordSchema } from './schema.ts';

export function ledgerJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ledgerRecordSchema, { io: 'input', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  return {
    ...schema,
    $id: 'https://ironthrone.dev/schemas/ledger-record.schema.json',
    title: 'Iron Throne ledger record',
    description: `Generated from core/ledger/schema.ts (schema version ${LEDGER_SCHEMA_VERSION}); do not edit by hand.`,
  };
}

export function ledgerJsonSchemaText(): string {
  return JSON.stringify(ledgerJsonSchema(), null, 2) + '\n';
}
