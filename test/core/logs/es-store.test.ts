// The LogStore conformance suite on a real Elasticsearch 8.19 (one node for this file).
import { afterAll, beforeAll } from 'vitest';
import { EsLogStore } from '../../../core/logs/es-store.ts';
import { logStoreConformance } from '../../conformance/logstore.conformance.ts';
import { startTestElasticsearch, type TestEs } from '../../helpers/elasticsearch.ts';

let node: TestEs | undefined;
const stores: EsLogStore[] = [];
let n = 0;

beforeAll(async () => {
  node = await startTestElasticsearch('conformance');
}, 600_000);

afterAll(async () => {
  for (const s of stores) await s.close();
  await node?.stop();
}, 120_000);

logStoreConformance('Elasticsearch', async () => {
  // A fresh index prefix per case keeps cases independent on the one node.
  const s = new EsLogStore({ nodes: [node!.es.url], indexPrefix: `conf${++n}-logs` });
  stores.push(s);
  return s;
});
