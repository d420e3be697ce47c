// Throughput and commit latency of the Fabric ledger on the native network (2 organisations, both
// endorse; 1 Raft orderer; chaincode as a service), at 1, 100, 1000 and 5000 events per
// transaction, one writer stream and four parallel streams. Baseline measured in the same run: the
// embedded ledger with the same batches (its ratio is what to compare across machines).
// Anchors: Fabric 2.5 commits about 2,900 tx/s of 100-byte writes on bare metal, about 200 tx/s on
// 2-vCPU VMs; target here: >= 50,000 events/s by batching, p99 commit latency < 3 s.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedLedger } from '../core/ledger/embedded.ts';
import { FabricLedger } from '../core/ledger/fabric.ts';
import type { Ledger, LedgerRecordInput } from '../core/ledger/index.ts';
import { freePortBlock, startFabricNetwork, type FabricNetwork } from '../scripts/lib/fabric-network.ts';
import { percentile, printTable, writeResults, type BenchRow } from './lib.ts';

const SIZES = [1, 100, 1000, 5000];
const MAX_SECONDS = Number(process.env.BENCH_FABRIC_SECONDS ?? 8);
const MAX_TX = 150;

let seq = 0;
function events(n: number): LedgerRecordInput[] {
  return Array.from({ length: n }, (): LedgerRecordInput => {
    const i = ++seq;
    return {
      type: 'availability',
      target: `host-${i % 500}`,
      kind: 'availability.down',
      from: 'up',
      to: 'down',
      severity: 'major',
      observedAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
      source: 'bench',
      payloadDigest: `sha256:${i.toString(16).padStart(64, '0')}`,
    };
  });
}

interface Measure {
  txs: number;
  seconds: number;
  latencies: number[];
}

/** Appends batches of `size` events on `writers` ledgers in parallel until the time or tx budget ends. */
async function measure(ledgers: Ledger[], size: number): Promise<Measure> {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + MAX_SECONDS * 1000;
  const budget = Math.max(2, Math.min(MAX_TX, Math.ceil(20_000 / size)));
  let txs = 0;
  await Promise.all(
    ledgers.map(async (l) => {
      while (performance.now() < deadline && txs < budget) {
        txs++;
        const batch = events(size);
        const t0 = performance.now();
        await l.appendBatch(`bench-${process.pid}-${seq}`, batch);
        latencies.push(performance.now() - t0);
      }
    })
  );
  return {
    txs: latencies.length,
    seconds: (performance.now() - started) / 1000,
    latencies: latencies.sort((a, b) => a - b),
  };
}

function row(name: string, size: number, m: Measure, baseline?: Measure): BenchRow {
  const eps = (m.txs * size) / m.seconds;
  const r: BenchRow = {
    name,
    'events/tx': size,
    txs: m.txs,
    'tx/s': Math.round((m.txs / m.seconds) * 10) / 10,
    'events/s': Math.round(eps),
    'p50 ms': Math.round(percentile(m.latencies, 50)),
    'p99 ms': Math.round(percentile(m.latencies, 99)),
  };
  r['vs embedded'] = '100%';
  if (baseline) r['vs embedded'] = `${((eps / ((baseline.txs * size) / baseline.seconds)) * 100).toFixed(1)}%`;
  return r;
}

export async function run(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ironthrone-bench-fabric-'));
  let net: FabricNetwork | undefined;
  const rows: BenchRow[] = [];
  try {
    const t0 = performance.now();
    net = await startFabricNetwork({ dataDir: join(dir, 'net'), basePort: await freePortBlock(), log: () => {} });
    console.log(`native Fabric network created and started in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const open = (stream: string) =>
      new FabricLedger({
        peers: net!.peers.map((p) => ({ endpoint: p.endpoint, tlsCaCert: p.tlsCaCertPath, hostAlias: p.hostAlias })),
        identity: { mspId: net!.writer.mspId, cert: net!.writer.certPath, key: net!.writer.keyPath },
        stream,
      });
    for (const size of SIZES) {
      const emb = new EmbeddedLedger({ dir: mkdtempSync(join(dir, 'emb-')), durability: 'normal' });
      const base = await measure([emb], size);
      await emb.close();
      rows.push(row('embedded (baseline)', size, base));
      const one = open(`bench1-${size}`);
      rows.push(row('fabric, 1 stream', size, await measure([one], size), base));
      await one.close();
      const four = [0, 1, 2, 3].map((i) => open(`bench4-${size}-${i}`));
      rows.push(row('fabric, 4 streams', size, await measure(four, size), base));
      await Promise.all(four.map((l) => l.close()));
    }
  } finally {
    await net?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  printTable('Fabric ledger: throughput and commit latency (append = endorse on both orgs + order + commit)', rows);
  writeResults('fabric', rows);
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
