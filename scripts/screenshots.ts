// README screenshots from a running stack (`npm start` first):
//   node --import tsx scripts/screenshots.ts
// Writes docs/images/dashboard.png and docs/images/temporal-ui.png (the latest demo run).
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
  console.log(`screenshots written to docs/images (run ${workflowId ?? 'none'})`);
} finally {
  await browser.close();
}
