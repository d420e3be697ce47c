// The ledger part of the demo: its head before and after the acts, then `ironthrone ledger
// verify` through the real CLI.
import pc from 'picocolors';
import { openLedger } from '../../core/ledger/index.ts';
import type { LedgerHead } from '../../core/ledger/ledger.ts';
import { cli } from './cli.ts';
import type { DemoContext } from './index.ts';

export async function ledgerHead(): Promise<LedgerHead> {
  const ledger = await openLedger();
  try {
    return await ledger.head();
  } finally {
    await ledger.close();
  }
}

export async function ledgerAct(ctx: DemoContext, before: LedgerHead): Promise<boolean> {
  // The batcher flushes by age (2 s by default): give the last records a moment to land.
  await new Promise((r) => setTimeout(r, 3000));
  const after = await ledgerHead();
  ctx.log(pc.bold('ledger') + ` — head grew from height ${before.height} (${before.treeSize} records) to height ${after.height} (${after.treeSize} records), root ${after.root.slice(0, 16)}…`);
  const v = await cli('ledger', 'verify');
  console.log(`  $ ironthrone ledger verify\n  ${v.out.split('\n').join('\n  ')}`);
  return v.status === 0 && after.treeSize > before.treeSize;
}
