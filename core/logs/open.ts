// Which store and ledger the CLI, activities and HTTP routes use: SQLite FTS5 by default, or
// Elasticsearch with IRONTHRONE_LOG_STORE=elasticsearch (settings in ./es-client.ts).
import { join } from 'node:path';
import { dataDir } from '../config.ts';
import { openLedger, type Ledger } from '../ledger/index.ts';
import { ledgerDigestSink } from './digest.ts';
import { esSettingsFromEnv } from './es-client.ts';
import { EsLogStore } from './es-store.ts';
import { loadInventory } from './inventory.ts';
import { LogPipeline } from './pipeline.ts';
import { SqliteLogStore } from './sqlite-store.ts';
import type { LogStore } from './store.ts';

export function openLogStore(kind = process.env.IRONTHRONE_LOG_STORE ?? 'sqlite', root?: string): LogStore {
  if (kind === 'sqlite') return new SqliteLogStore(root ? { file: join(root, 'logs', 'logs.db') } : {});
  if (kind === 'elasticsearch') {
    const s = esSettingsFromEnv();
    if (!s) throw new Error('IRONTHRONE_LOG_STORE=elasticsearch needs IRONTHRONE_ES_URL (e.g. http://127.0.0.1:9200)');
    return new EsLogStore(s);
  }
  throw new Error(`IRONTHRONE_LOG_STORE: unknown store ${JSON.stringify(kind)}, expected sqlite or elasticsearch`);
}

let shared: Promise<{ store: LogStore; pipeline: LogPipeline; ledger: Ledger }> | undefined;

/** One pipeline per process (HTTP ingest, collectors), anchored on the configured ledger. */
export function sharedLogPipeline(): Promise<{ store: LogStore; pipeline: LogPipeline; ledger: Ledger }> {
  shared ??= (async () => {
    const store = openLogStore();
    const ledger = await openLedger();
    const pipeline = new LogPipeline({
      store,
      spoolDir: join(dataDir('logs'), 'spool'),
      inventory: loadInventory(),
      digestSink: ledgerDigestSink(ledger),
    });
    return { store, pipeline, ledger };
  })();
  return shared;
}

/** Flushes and closes the shared pipeline (call on shutdown so queued lines reach the store or spool). */
export async function closeSharedLogPipeline(): Promise<void> {
  if (!shared) return;
  const { store, pipeline, ledger } = await shared;
  shared = undefined;
  await pipeline.close();
  await store.close();
  await ledger.close();
}
