// The ledger capability's entry point: `openLedger()` picks the implementation by name
// (IRONTHRONE_LEDGER, default `embedded`). Other implementations register a factory here.
import { EmbeddedLedger, type EmbeddedLedgerOptions } from './embedded.ts';
import type { Ledger } from './ledger.ts';

export type LedgerFactory = (opts: LedgerOpenOptions) => Promise<Ledger>;
export interface LedgerOpenOptions extends EmbeddedLedgerOptions {
  [option: string]: unknown;
}

const factories = new Map<string, LedgerFactory>([['embedded', async (opts) => new EmbeddedLedger(opts)]]);

/** Lets another implementation (e.g. `fabric`) plug in without this file importing it. */
export function registerLedger(kind: string, factory: LedgerFactory): void {
  factories.set(kind, factory);
}

export async function openLedger(
  kind: string = process.env.IRONTHRONE_LEDGER ?? 'embedded',
  opts: LedgerOpenOptions = {}
): Promise<Ledger> {
  let factory = factories.get(kind);
  if (!factory && kind === 'fabric') {
    // Loaded lazily so the embedded default never pulls in gRPC and the Fabric gateway.
    factory = (await import('./fabric.ts')).openFabricLedger;
  }
  if (!factory)
    throw new Error(
      `unknown ledger kind ${JSON.stringify(kind)}; expected one of ${[...factories.keys(), 'fabric'].join(', ')}`
    );
  return factory(opts);
}

export { EmbeddedLedger } from './embedded.ts';
export type { EmbeddedLedgerOptions } from './embedded.ts';
export * from './ledger.ts';
export * from './schema.ts';
export { canonicalJson, digestOf, sha256Hex } from './canonical.ts';
export { LedgerValidationError, validateBatch, validateRecord, type RecordIssue } from './validate.ts';
