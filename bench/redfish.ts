// Redfish benchmark: fleet-sweep throughput and poll latency with the simulator serving 1,000
// hosts, and the time from an injected fault to its availability event, by poll and by push.
// Baseline measured in the same run: one plain GET on one host (the floor of a BMC exchange).
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../core/config.ts';
import { SIM_PASSWORD_ENV } from '../core/hardware/simulator/inventory-file.ts';
import { loadInventory } from '../core/hardware/inventory.ts';
import { HardwareService } from '../core/hardware/service.ts';
import { pollHost, type HostPoll } from '../core/hardware/sweep.ts';
import { SweepStore } from '../core/hardware/handoff.ts';
import { listenForEvents, subscribe, type HardwareAlert } from '../core/hardware/events.ts';
import { percentile, printTable, writeResults } from './lib.ts';

const HOSTS = Number(process.env.BENCH_REDFISH_HOSTS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_REDFISH_CONCURRENCY ?? 16);
const FAULT_TRIALS = 3;

async function sweep(
  s: HardwareService,
  hosts: string[],
  concurrency: number
): Promise<{ polls: HostPoll[]; ms: number }> {
  const t0 = performance.now();
  const polls: HostPoll[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, hosts.length) }, async () => {
      while (next < hosts.length) polls.push(await pollHost(s, hosts[next++]!));
    })
  );
  return { polls, ms: performance.now() - t0 };
}

export async function run(): Promise<unknown> {
  process.env[SIM_PASSWORD_ENV] = 'calvin';
  const work = mkdtempSync(join(tmpdir(), 'ironthrone-bench-redfish-'));
  // The simulator runs as its own process (`ironthrone simulate idrac`), as an operator runs it,
  // so the client under test does not share a core with the 1,000 simulated BMCs.
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [
      join(projectRoot, 'bin', 'ironthrone.js'),
      '--json',
      'simulate',
      'idrac',
      '--hosts',
      String(HOSTS),
      '--boot-ms',
      '2000',
    ],
    { env: { ...process.env, IRONTHRONE_DATA_DIR: work }, stdio: ['ignore', 'pipe', 'inherit'] }
  );
  let out = '';
  const started = await new Promise<{ adminUrl: string; inventory: string; hosts: { name: string }[] }>(
    (resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        try {
          resolve(JSON.parse(out) as { adminUrl: string; inventory: string; hosts: { name: string }[] });
        } catch {
          // not complete yet
        }
      });
      child.once('exit', (code) => reject(new Error(`simulator exited ${code}`)));
    }
  );
  const startMs = performance.now() - t0;
  const inject = (host: string, fault: string, repair = false) =>
    fetch(`${started.adminUrl}/hosts/${host}/faults/${fault}`, { method: repair ? 'DELETE' : 'POST' });
  const inv = started.inventory;
  const s = new HardwareService({ inventory: loadInventory(inv), dataDir: work, timeoutMs: 30_000 });
  const hosts = started.hosts.map((h) => h.name);
  try {
    // Baseline: sequential GET /redfish/v1/Systems/System.Embedded.1 on one warm host.
    const c = s.client(hosts[0]!);
    await c.getJson('/redfish/v1');
    const base: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await c.getJson('/redfish/v1/Systems/System.Embedded.1');
      base.push(performance.now() - t);
    }
    base.sort((a, b) => a - b);

    const cold = await sweep(s, hosts, CONCURRENCY); // TLS handshakes, session logins, discovery
    const warm = await sweep(s, hosts, CONCURRENCY);
    const lat = (p: HostPoll[]) => p.map((x) => x.latencyMs).sort((a, b) => a - b);
    const coldLat = lat(cold.polls);
    const warmLat = lat(warm.polls);
    const failed =
      warm.polls.filter((p) => p.state === 'Unreachable').length +
      cold.polls.filter((p) => p.state === 'Unreachable').length;

    // Fault -> event by poll: sweeps run back to back; a fault is injected mid-sweep.
    const store = new SweepStore(work);
    store.record(warm.polls);
    const byPoll: number[] = [];
    for (let i = 0; i < FAULT_TRIALS; i++) {
      const victim = hosts[(i * 337 + 101) % hosts.length]!;
      let injectedAt = 0;
      const injector = setTimeout(() => {
        injectedAt = performance.now();
        void inject(victim, 'fan-failure');
      }, warm.ms / 2);
      for (;;) {
        const r = await sweep(s, hosts, CONCURRENCY);
        const events = store.record(r.polls);
        if (injectedAt && events.some((e) => e.target === victim && e.to === 'Critical')) {
          byPoll.push(performance.now() - injectedAt);
          break;
        }
      }
      clearTimeout(injector);
      await inject(victim, 'fan-failure', true);
      store.record((await sweep(s, [victim], 1)).polls);
    }
    store.close();

    // Fault -> event by push: EventService subscriptions to a local listener.
    const pending = new Map<string, (a: HardwareAlert) => void>();
    const listener = await listenForEvents((a) => pending.get(a.host)?.(a));
    const byPush: number[] = [];
    for (let i = 0; i < 20; i++) {
      const victim = hosts[(i * 53 + 7) % hosts.length]!;
      await subscribe(s.client(victim), listener.url, victim);
      const got = new Promise<number>((r) =>
        pending.set(victim, (a) => a.messageId === 'PSU0003' && r(performance.now()))
      );
      const at = performance.now();
      await inject(victim, 'psu-loss');
      byPush.push((await got) - at);
    }
    await listener.stop();
    byPoll.sort((a, b) => a - b);
    byPush.sort((a, b) => a - b);

    const rows = [
      {
        name: 'baseline: one GET, one warm host',
        hosts: 1,
        'ops/s': 1000 / (base.reduce((a, b) => a + b, 0) / base.length),
        'p50 ms': percentile(base, 50),
        'p99 ms': percentile(base, 99),
        'vs baseline p50': 1,
      },
      {
        name: `sweep cold (c=${CONCURRENCY})`,
        hosts: HOSTS,
        'ops/s': HOSTS / (cold.ms / 1000),
        'p50 ms': percentile(coldLat, 50),
        'p99 ms': percentile(coldLat, 99),
        'vs baseline p50': percentile(coldLat, 50) / percentile(base, 50),
      },
      {
        name: `sweep warm (c=${CONCURRENCY})`,
        hosts: HOSTS,
        'ops/s': HOSTS / (warm.ms / 1000),
        'p50 ms': percentile(warmLat, 50),
        'p99 ms': percentile(warmLat, 99),
        'vs baseline p50': percentile(warmLat, 50) / percentile(base, 50),
      },
      {
        name: 'fault -> event, by poll',
        hosts: HOSTS,
        'ops/s': '',
        'p50 ms': percentile(byPoll, 50),
        'p99 ms': percentile(byPoll, 99),
        'vs baseline p50': '',
      },
      {
        name: 'fault -> event, by push',
        hosts: 1,
        'ops/s': '',
        'p50 ms': percentile(byPush, 50),
        'p99 ms': percentile(byPush, 99),
        'vs baseline p50': '',
      },
    ];
    printTable(
      `Redfish sweep: ${HOSTS} simulated iDRACs (started in ${Math.round(startMs)} ms), ${failed} failed polls; ops/s = hosts polled per second`,
      rows
    );
    const pushVsPoll = percentile(byPoll, 50) / percentile(byPush, 50);
    console.log(`\npush detects a fault ${pushVsPoll.toFixed(0)}x sooner than a ${HOSTS}-host poll loop (p50).`);
    const file = writeResults('redfish', {
      hosts: HOSTS,
      concurrency: CONCURRENCY,
      simulatorStartMs: startMs,
      failedPolls: failed,
      rows,
      pushVsPoll,
    });
    console.log(`results: ${file}`);
    return rows;
  } finally {
    await s.close();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
