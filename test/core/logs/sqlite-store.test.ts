import { join } from 'node:path';
import { afterAll } from 'vitest';
import { SqliteLogStore } from '../../../core/logs/sqlite-store.ts';
import { logStoreConformance } from '../../conformance/logstore.conformance.ts';
import { testDataDir } from '../../helpers/temporal.ts';

const stores: SqliteLogStore[] = [];
let n = 0;
logStoreConformance('SQLite FTS5', async () => {
  const s = new SqliteLogStore({ file: join(testDataDir('logs-sqlite'), `logs-${++n}.db`) });
  stores.push(s);
  return s;
});
afterAll(async () => {
  for (const s of stores) await s.close();
});
