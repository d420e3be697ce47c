// `npm start`: the embedded stack on one machine (Temporal dev server with its Web UI, the
// worker, the HTTP API and dashboard), then the demo end to end, then it stays up until
// Ctrl-C or `npm stop`. All state lives under IRONTHRONE_DATA_DIR, so a second start reuses it.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { serve } from '@hono/node-server';
import pc from 'picocolors';
import { dataDir } from '../core/config.ts';
import { createWorker } from '../workers/worker.ts';
import { createApp } from '../web/app.ts';
import { startDevServer, waitForTemporal } from './lib/temporal-server.ts';
import { ensureSchedules } from './lib/schedules.ts';
import { startPushEvents } from './lib/push-events.ts';
import { prepareDemo, runDemo } from './demo/index.ts';

const { values: args } = parseArgs({
  options: {
    'no-demo': { type: 'boolean', default: false },
    'exit-after-demo': { type: 'boolean', default: false },
    ledger: { type: 'string', default: process.env.IRONTHRONE_LEDGER ?? 'embedded' },
  },
  allowPositionals: false,
});

const TEMPORAL_PORT = Number(process.env.TEMPORAL_PORT ?? 7233);
const UI_PORT = Number(process.env.TEMPORAL_UI_PORT ?? 8233);
const HTTP_PORT = Number(process.env.IRONTHRONE_HTTP_PORT ?? 8080);
const TASK_QUEUE = process.env.IRONTHRONE_TASK_QUEUE ?? 'ironthrone';
const log = (s: string) => console.log(`${pc.dim(new Date().toISOString().slice(11, 19))} ${s}`);

const runDir = dataDir('run');
const pidFile = join(runDir, 'stack.pid');
if (existsSync(pidFile)) {
  const pid = Number(readFileSync(pidFile, 'utf8'));
  let alive = false;
  try {
    process.kill(pid, 0);
    alive = true;
  } catch {
    alive = false;
  }
  if (alive) {
    console.error(`the stack is already running (pid ${pid}, data ${dataDir()}); \`npm stop\` first`);
    process.exit(1);
  }
  rmSync(pidFile, { force: true });
}
writeFileSync(pidFile, String(process.pid));
process.env.TEMPORAL_ADDRESS = `127.0.0.1:${TEMPORAL_PORT}`;
process.env.IRONTHRONE_TASK_QUEUE = TASK_QUEUE;

log(`data folder ${dataDir()}`);
// The SDK's INFO logs (bundler output, worker state) drown the demo; warnings still show.
Runtime.install({ logger: new DefaultLogger((process.env.IRONTHRONE_LOG_LEVEL as 'WARN' | undefined) ?? 'WARN') });
const temporal = await startDevServer({
  port: TEMPORAL_PORT,
  uiPort: UI_PORT,
  dbFile: join(dataDir('temporal'), 'temporal.db'),
  logFile: join(runDir, 'temporal.log'),
});
const stops: (() => Promise<unknown>)[] = [() => temporal.stop()];
let stopping = false;
async function shutdown(code = 0): Promise<never> {
  if (stopping) process.exit(code);
  stopping = true;
  log('shutting down…');
  for (const stop of stops.reverse()) {
    try {
      await stop();
    } catch (err) {
      console.error(err);
    }
  }
  rmSync(pidFile, { force: true });
  log('stopped');
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  await waitForTemporal(temporal.address);
  log(`Temporal dev server on ${temporal.address}, Web UI ${temporal.uiUrl}`);

  if (args.ledger === 'fabric') {
    // The native Fabric network (built once, cached); the whole system then writes to it.
    log('starting the Hyperledger Fabric network (the first start builds Fabric; later starts reuse it)…');
    const { useFabricLedger } = await import('./lib/fabric-network.ts');
    const net = await useFabricLedger(dataDir('fabric'), log);
    if (net) stops.push(() => net.stop());
    log('ledger: Hyperledger Fabric (channel availability)');
  } else if (args.ledger !== 'embedded') {
    throw new Error(`unknown --ledger ${args.ledger}, expected embedded or fabric`);
  }

  const world = args['no-demo'] ? undefined : await prepareDemo(log);
  if (world) stops.push(() => world.close());

  const workerConn = await NativeConnection.connect({ address: temporal.address });
  const worker = await createWorker({ connection: workerConn, taskQueue: TASK_QUEUE });
  const workerRun = worker.run();
  stops.push(async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await workerRun;
    await workerConn.close();
  });
  log(`worker polling task queue ${TASK_QUEUE}`);

  const client = new Client({ connection: await Connection.connect({ address: temporal.address }) });
  const app = createApp({ temporal: client, taskQueue: TASK_QUEUE, token: process.env.IRONTHRONE_API_TOKEN, loopbackDemo: true, temporalUiUrl: temporal.uiUrl });
  const http = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: HTTP_PORT });
  stops.push(() => new Promise((r) => http.close(() => r(undefined))));
  log(`HTTP API and dashboard on http://127.0.0.1:${HTTP_PORT}`);

  let demoOk = true;
  if (world) demoOk = await runDemo({ client, taskQueue: TASK_QUEUE, log, uiUrl: temporal.uiUrl!, apiBase: `http://127.0.0.1:${HTTP_PORT}` }, world);

  // Periodic work starts after the demo, so the demo's own sweeps tell the story undisturbed.
  const schedules = await ensureSchedules(client, TASK_QUEUE);
  log(`Temporal Schedules: ${schedules.join(', ')}`);
  if (world || process.env.IRONTHRONE_INVENTORY) {
    const push = await startPushEvents(client, TASK_QUEUE, log);
    stops.push(() => push.stop());
  }

  console.log(`
${pc.bold('Iron Throne is up.')} Where to look:
  dashboard           http://127.0.0.1:${HTTP_PORT}/
  Temporal Web UI     ${temporal.uiUrl}/namespaces/default/workflows
  HTTP API            http://127.0.0.1:${HTTP_PORT}/api/runs
  CLI                 npx ironthrone runs | status <id> | approve <id> --as alice
  data folder         ${dataDir()}
Ctrl-C or \`npm stop\` shuts everything down; the next \`npm start\` reuses the data.`);
  if (args['exit-after-demo']) await shutdown(demoOk ? 0 : 1);
} catch (err) {
  console.error(err);
  await shutdown(1);
}

