// Small read-only views for the dashboard: the ledger's signed head and the fleet's last
// known health (the sweep's stored states).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { dataDir } from '../../core/config.ts';
import { SweepStore } from '../../core/hardware/handoff.ts';
import { openLedger } from '../../core/ledger/index.ts';
import type { Ledger } from '../../core/ledger/ledger.ts';
import type { AppDeps } from '../app.ts';

let ledger: Promise<Ledger> | undefined;

export function mountStatusRoutes(app: Hono, _deps: AppDeps): void {
  app.get('/api/v1/ledger/head', async (c) => {
    const { height, treeSize, root, blockHash } = await (await (ledger ??= openLedger())).head();
    return c.json({ height, treeSize, root, blockHash });
  });

  app.get('/api/v1/fleet', (c) => {
    const dir = dataDir('hardware');
    if (!existsSync(join(dir, 'sweep.db'))) return c.json({ hosts: [] });
    const store = new SweepStore(dir);
    try {
      const hosts = Object.values(store.previous()).map((p) => ({
        host: p.host,
        health: p.state,
        detail: Object.entries(p.components)
          .filter(([, v]) => v !== 'OK')
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
        observedAt: p.observedAt,
      }));
      return c.json({ hosts: hosts.sort((a, b) => a.host.localeCompare(b.host)) });
    } finally {
      store.close();
    }
  });
}
