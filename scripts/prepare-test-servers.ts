// Builds or fetches every server the test suite runs, before the runner starts (so no test
// hook has to wait for a first-time build): the Temporal CLI, Hyperledger Fabric's binaries and
// the chaincode, Elasticsearch, sushy-tools and Chromium. Each is cached by version outside the
// checkout; on a warm cache this takes a second.
import { ensureChromium } from './lib/chromium.ts';
import { ensureElasticsearch } from './lib/elasticsearch.ts';
import { ensureFabricBinaries } from './lib/fabric-build.ts';
import { ensureChaincodeBuilt } from './lib/fabric-chaincode.ts';
import { ensureSushy } from './lib/sushy.ts';
import { ensureTemporalCli } from './lib/temporal-server.ts';

const log = (s: string) => console.log(`  ${s}`);
const t0 = Date.now();
ensureTemporalCli(log);
await ensureFabricBinaries(log);
ensureChaincodeBuilt(log);
ensureElasticsearch(log);
ensureSushy(log);
ensureChromium();
console.log(`test servers ready (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
