// Throughput and commit latency of the Fabric ledger on the native network (2 organisations, both
// endorse; 1 Raft orderer; chaincode as a service), at 1, 100, 1,000 and 10,000 events per
// transaction, one writer stream and four parallel streams. Baseline measured in the same run: the
// embedded ledger with the same batches (its ratio is what to compare across machines).
// Anchors: Fabric 2.5 commits about 2,900 tx/s of 100-byte writes on bare metal, about 200 tx/s on
// 2-vCPU VMs; target here: >= 50,000 events/s by batching, p99 commit latency < 3 s.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedLedger } from '../core/ledger/embedded.ts';
import { FabricLedger } from '../core/ledger/fabric.ts';
import type { Ledger, LedgerRecordInput } from '../core/ledger/index.ts';
import { freePortBlock, startFabricNetwork, type FabricNetwork } from '../scripts/lib/fabric-network.ts';
import { percentile, printTable, writeResults, type BenchRow } from './lib.ts';

const SIZES = (process.env.BENCH_FABRIC_SIZES ?? '1,100,1000,10000').split(',').map(Number);
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

/**
 * Appends batches of `size` events on `ledgers` in parallel until the time or tx budget ends, with
 * `inFlight` appends outstanding per ledger (FabricLedger validates a batch before it queues it,
 * so the next batch's client work overlaps the network time of the one in flight).
 */
async function measure(ledgers: Ledger[], size: number, inFlight = 1): Promise<Measure> {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + MAX_SECONDS * 1000;
  const budget = Math.max(4, Math.min(MAX_TX, Math.ceil(60_000 / size)));
  let txs = 0;
  const producer = async (l: Ledger) => {
    while (performance.now() < deadline && txs < budget) {
      txs++;
      const batch = events(size);
      const t0 = performance.now();
      await l.appendBatch(`bench-${process.pid}-${seq}`, batch);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(ledgers.flatMap((l) => Array.from({ length: inFlight }, () => producer(l))));
  return {
    txs: latencies.length,
    seconds: (performance.now() - started) / 1000,
    latencies: latencies.sort((a, b) => a - b),
  };
}

/** CPU time (ms) so far of this process and of each network process (from /proc). */
function cpuNow(pids: Record<string, number>): Record<string, number> {
  const c = process.cpuUsage();
  const out: Record<string, number> = { client: (c.user + c.system) / 1000 };
  for (const [name, pid] of Object.entries(pids)) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      // utime and stime, in clock ticks (100 per second on Linux).
      out[name.replace(/[.\d].*$/, '')] =
        (out[name.replace(/[.\d].*$/, '')] ?? 0) + (Number(f[11]) + Number(f[12])) * 10;
    } catch {
      // Not Linux, or the process is gone: leave it out.
    }
  }
  return out;
}

/** CPU microseconds per event, per kind of process, between two cpuNow() readings. */
function cpuPerEvent(
  before: Record<string, number>,
  after: Record<string, number>,
  events: number
): Record<string, number> {
  const r: Record<string, number> = {};
  let total = 0;
  for (const [k, v] of Object.entries(after)) {
    const us = ((v - (before[k] ?? 0)) * 1000) / events;
    r[`${k} µs/event`] = Math.round(us);
    total += us;
  }
  r['total µs/event'] = Math.round(total);
  return r;
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
    const pids = JSON.parse(readFileSync(join(net.dataDir, 'pids.json'), 'utf8')) as Record<string, number>;
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
      const fabricRow = async (name: string, ledgers: FabricLedger[], inFlight: number) => {
        const before = cpuNow(pids);
        const m = await measure(ledgers, size, inFlight);
        rows.push({ ...row(name, size, m, base), ...cpuPerEvent(before, cpuNow(pids), m.txs * size) });
        await Promise.all(ledgers.map((l) => l.close()));
      };
      await fabricRow('fabric, 1 stream', [open(`bench1-${size}`)], 1);
      await fabricRow('fabric, 1 stream, 2 in flight', [open(`bench2-${size}`)], 2);
      await fabricRow(
        'fabric, 4 streams',
        [0, 1, 2, 3].map((i) => open(`bench4-${size}-${i}`)),
        1
      );
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
