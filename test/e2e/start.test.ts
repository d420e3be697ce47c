// `npm start` end to end, as a user runs it: the stack comes up on its own ports and data
// folder, the demo runbook completes (approval through the CLI), the run is findable by its
// search attributes, the dashboard renders in headless Chromium, and `npm stop` shuts it down.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { chromium, type Browser } from 'playwright-core';
import { projectRoot } from '../../core/config.ts';
import { freePort, waitFor } from '../../scripts/lib/procs.ts';
import { CHROMIUM_ARGS, ensureChromium } from '../../scripts/lib/chromium.ts';
import { testDataDir } from '../helpers/temporal.ts';

let stack: ChildProcess;
let output = '';
let env: NodeJS.ProcessEnv;
let ports: { temporal: number; ui: number; http: number };
let browser: Browser | undefined;

beforeAll(async () => {
  ports = { temporal: await freePort(), ui: await freePort(), http: await freePort() };
  env = { ...process.env, IRONTHRONE_DATA_DIR: testDataDir('e2e'), TEMPORAL_PORT: String(ports.temporal), TEMPORAL_UI_PORT: String(ports.ui), IRONTHRONE_HTTP_PORT: String(ports.http), NO_COLOR: '1', IRONTHRONE_RECORD: 'true' };
  stack = spawn(process.execPath, [join(projectRoot, 'scripts', 'bootstrap.mjs'), 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  stack.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  stack.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  await waitFor('npm start to bring the stack up and finish the demo', async () => {
    if (stack.exitCode !== null) throw new Error(`npm start exited ${stack.exitCode}:\n${output}`);
    return output.includes('Iron Throne is up.');
  }, 240_000, 500);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (stack && stack.exitCode === null) stack.kill('SIGKILL');
});

describe('npm start', () => {
  it('plays every act of the demo: runbooks with CLI approvals, hardware, telemetry, prediction, ledger', () => {
    expect(output).toMatch(/approved step approve-the-restart as alice \(sre\)/);
    expect(output).toMatch(/status: completed/);
    expect(output).toMatch(/service is now ok after 1 restart/);
    expect(output).toMatch(/demo: ✓ service recovery {2}✓ hardware remediation {2}✓ telemetry and availability {2}✓ prediction before an outage {2}✓ ledger verified/);
  });

  it('makes the run findable in Temporal by its search attributes', async () => {
    const client = new Client({ connection: await Connection.connect({ address: `127.0.0.1:${ports.temporal}` }) });
    const runs = [];
    for await (const w of client.workflow.list({ query: "RunbookId='demo-service-recovery' AND RunbookStatus='completed'" })) runs.push(w);
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(runs[0]!.memo?.title).toBe('Recover a degraded service (demo)');
    const ui = await fetch(`http://127.0.0.1:${ports.ui}/`);
    expect(ui.status).toBe(200);
  });

  it('serves the dashboard, which lists the run (headless Chromium)', async () => {
    browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`http://127.0.0.1:${ports.http}/`);
    await page.waitForSelector('text=demo-service-recovery', { timeout: 30_000 });
    await page.waitForSelector('#runs >> text=completed', { timeout: 30_000 });
    await page.waitForSelector('#runbooks >> text=demo-service-recovery', { timeout: 30_000 });
    await page.waitForSelector('#ledger >> text=height', { timeout: 30_000 });
    await page.waitForSelector('#fleet >> text=sim-001', { timeout: 30_000 });
    await page.waitForSelector('#slo >> text=uptime', { timeout: 30_000 });
    await page.waitForSelector('#slo >> text=UTC (30 days)', { timeout: 30_000 }); // the figures name their window
    await page.screenshot({ path: join(env.IRONTHRONE_DATA_DIR!, 'dashboard.png') });
  });

  it('stops cleanly with npm stop', async () => {
    const r = spawnSync(process.execPath, [join(projectRoot, 'scripts', 'bootstrap.mjs'), 'stop'], { env, encoding: 'utf8' });
    expect(r.status).toBe(0);
    await waitFor('the stack to exit', async () => stack.exitCode !== null, 60_000);
    expect(stack.exitCode).toBe(0);
  });
});
