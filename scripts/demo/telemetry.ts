// The telemetry part of the demo: Atlas-format publish through the API, a stack-language query,
// a probe of the demo service, and the availability report verified against the ledger.
import { join } from 'node:path';
import pc from 'picocolors';
import { dataDir } from '../../core/config.ts';
import { openLedger } from '../../core/ledger/index.ts';
import { telemetryDemo } from '../../core/telemetry/demo.ts';
import type { DemoContext } from './index.ts';

export async function telemetryAct(ctx: DemoContext, probeUrl: string): Promise<boolean> {
  ctx.log(pc.bold('3. telemetry and availability'));
  const ledger = await openLedger();
  try {
    await telemetryDemo({ apiBase: ctx.apiBase, ledger, probeUrl, stateFile: join(dataDir('probes'), 'demo.json'), log: (s) => console.log(s) });
    return true;
  } catch (err) {
    ctx.log(pc.red(`telemetry demo failed: ${String(err)}`));
    return false;
  } finally {
    await ledger.close();
  }
}
