// Interpreter overhead: workflows/s and step latency of a 5-step `http` runbook, next to a
// hand-written workflow calling the same five activities against the same local endpoint.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { createActivities } from '../activities/index.ts';
import { freePort } from '../scripts/lib/procs.ts';
import { startDevServer, waitForTemporal } from '../scripts/lib/temporal-server.ts';
import { plan, step } from '../test/helpers/plans.ts';
import { percentile, printTable, writeResults } from './lib.ts';

const N = Number(process.env.BENCH_RUNBOOK_N ?? 150);
const CONCURRENCY = Number(process.env.BENCH_RUNBOOK_CONCURRENCY ?? 10);

async function pool<T>(n: number, c: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(Array.from({ length: c }, async () => {
    while (next < n) {
      const i = next++;
      out[i] = await fn(i);
    }
  }));
  return out;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ironthrone-bench-'));
  process.env.IRONTHRONE_DATA_DIR = dir;
  const server = await startDevServer({ port: await freePort(), logFile: join(dir, 'temporal.log'), headless: true });
  const endpoint = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((r) => endpoint.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`;
  try {
    await waitForTemporal(server.address);
    const taskQueue = 'bench-runbook';
    const workflowBundle = await bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('./workflows/index.ts', import.meta.url)) });
    const worker = await Worker.create({
      connection: await NativeConnection.connect({ address: server.address }),
      taskQueue,
      workflowBundle,
      activities: createActivities(),
      maxConcurrentWorkflowTaskExecutions: 40,
      maxConcurrentActivityTaskExecutions: 100,
    });
    const running = worker.run();
    const client = new Client({ connection: await Connection.connect({ address: server.address }) });
    const p = plan('bench5', [0, 1, 2, 3, 4].map((i) => step(`s${i}`, 'http', { url: `${url}/step${i}` })));
    const ctx = (id: string) => ({ workflowId: id, runId: '', runbookId: 'bench', stepId: '', idempotencyKey: '', target: 'bench', incidentId: 'bench', dryRun: false });

    // Alternate the two variants in rounds so machine noise (other processes) hits both alike.
    const ROUNDS = 3;
    const acc = { interpreter: { secs: 0, lat: [] as number[] }, hand: { secs: 0, lat: [] as number[] } };
    const runInterpreter = async (i: number) => {
      const r = await client.workflow.execute('runRunbook', { taskQueue, workflowId: `bench-i-${i}-${Date.now()}`, args: [{ plan: p, inputs: {}, target: 'bench', incidentId: 'bench', roles: {} }] });
      return (r as { steps: { startedAt: string; endedAt: string }[] }).steps.map((s) => Date.parse(s.endedAt) - Date.parse(s.startedAt));
    };
    const runHand = async (i: number) => {
      const id = `bench-h-${i}-${Date.now()}`;
      const r = await client.workflow.execute('handWritten5', { taskQueue, workflowId: id, args: [url, ctx(id)] });
      return (r as { latencies: number[] }).latencies;
    };
    await pool(10, 5, runInterpreter); // warm-up
    await pool(10, 5, runHand);
    const per = Math.ceil(N / ROUNDS);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [key, fn] of [['interpreter', runInterpreter], ['hand', runHand]] as const) {
        const t0 = performance.now();
        const lat = (await pool(per, CONCURRENCY, fn)).flat();
        acc[key].secs += (performance.now() - t0) / 1000;
        acc[key].lat.push(...lat);
      }
    }
    const row = (name: string, a: { secs: number; lat: number[] }) => {
      const lat = a.lat.sort((x, y) => x - y);
      return { name, workflows: per * ROUNDS, 'workflows/s': (per * ROUNDS) / a.secs, 'step p50 ms': percentile(lat, 50), 'step p99 ms': percentile(lat, 99) };
    };
    const interpreter = row('runbook interpreter (5 http steps)', acc.interpreter);
    const hand = row('hand-written workflow (same 5 activities)', acc.hand);
    const ratio = interpreter['workflows/s'] / hand['workflows/s'];
    printTable('Runbook interpreter vs hand-written workflow', [interpreter, hand, { name: 'ratio (interpreter / hand-written)', 'workflows/s': ratio }]);
    console.log(`\ninterpreter overhead: ${((1 - ratio) * 100).toFixed(1)}% of hand-written throughput (target ≤ 15%)`);
    writeResults('runbook', { interpreter, handWritten: hand, ratio, overheadPct: (1 - ratio) * 100, concurrency: CONCURRENCY });
    worker.shutdown();
    await running;
  } finally {
    endpoint.close();
    await server.stop();
  }
}
