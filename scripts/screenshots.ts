// README screenshots from a running stack (`npm start` first):
//   node --import tsx scripts/screenshots.ts
// Writes docs/images/dashboard.png and docs/images/temporal-ui.png (the latest demo run), and the
// demo's telemetry graph and availability chart as the API renders them (SVG).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { chromium } from 'playwright-core';
import { projectRoot } from '../core/config.ts';
import { CHROMIUM_ARGS, ensureChromium } from './lib/chromium.ts';

const http = `http://127.0.0.1:${process.env.IRONTHRONE_HTTP_PORT ?? 8080}`;
const ui = `http://127.0.0.1:${process.env.TEMPORAL_UI_PORT ?? 8233}`;
const client = new Client({ connection: await Connection.connect({ address: `127.0.0.1:${process.env.TEMPORAL_PORT ?? 7233}` }) });
let workflowId: string | undefined;
for await (const w of client.workflow.list({ query: "RunbookId='demo-service-recovery'" })) {
  workflowId = w.workflowId;
  break;
}
const browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1300 } });
  await page.goto(`${http}/`);
  await page.waitForSelector('#runs >> text=completed', { timeout: 30_000 });
  await page.waitForTimeout(3500); // let every panel load once
  await page.screenshot({ path: join(projectRoot, 'docs', 'images', 'dashboard.png') });
  if (workflowId) {
    await page.goto(`${ui}/namespaces/default/workflows/${encodeURIComponent(workflowId)}`);
    await page.waitForTimeout(6000);
    await page.screenshot({ path: join(projectRoot, 'docs', 'images', 'temporal-ui.png') });
  }
  const charts = {
    'telemetry-graph.svg': `/api/v1/graph?q=${encodeURIComponent('name,cpu.utilization,:eq,:avg,(,host,),:by')}&s=e-3h&step=3m&title=cpu.utilization+by+host`,
    'availability.svg': '/api/v1/slo?window=1d&objective=99.9%25&format=svg',
  };
  for (const [file, path] of Object.entries(charts)) {
    const r = await fetch(`${http}${path}`);
    if (!r.ok) throw new Error(`${path}: HTTP ${r.status} ${await r.text()}`);
    writeFileSync(join(projectRoot, 'docs', 'images', file), await r.text());
  }
  console.log(`screenshots and charts written to docs/images (run ${workflowId ?? 'none'})`);
} finally {
  await browser.close();
}
