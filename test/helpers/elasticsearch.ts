// One real Elasticsearch per test file, from the cached integ-test distribution (fetched on first
// use). Its folder is outside the 0700 test root because, when tests run as root, the node runs
// as the `ironthrone-es` user, which must reach it. Removed on stop unless KEEP_TEST_DATA is set.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../scripts/lib/procs.ts';
import { startElasticsearch, type EsServer } from '../../scripts/lib/elasticsearch.ts';

export interface TestEs {
  es: EsServer;
  dir: string;
  /** Start again on the same port and data (after `es.stop()`), for outage tests. */
  restart(): Promise<EsServer>;
  stop(): Promise<void>;
}

export async function startTestElasticsearch(name: string): Promise<TestEs> {
  const dir = mkdtempSync(join(tmpdir(), `ironthrone-es-${name}-`));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const opts = { port, dataDir: join(dir, 'node'), logFile: join(dir, 'es.log') };
  const t: TestEs = {
    es: await startElasticsearch(opts),
    dir,
    async restart() {
      t.es = await startElasticsearch(opts);
      return t.es;
    },
    async stop() {
      await t.es.stop();
      if (!process.env.KEEP_TEST_DATA) rmSync(dir, { recursive: true, force: true });
    },
  };
  return t;
}
