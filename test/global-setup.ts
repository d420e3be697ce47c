// One Temporal dev server (in memory, on free ports) for the whole test run, shared with the
// test files through `provide`/`inject`; stopped at the end. Test data lives in a temp folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../scripts/lib/procs.ts';
import { startDevServer, waitForTemporal, type DevServer } from '../scripts/lib/temporal-server.ts';


let server: DevServer | undefined;
let dir: string | undefined;

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    testDataRoot: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  dir = mkdtempSync(join(tmpdir(), 'ironthrone-test-'));
  const port = await freePort();
  server = await startDevServer({ port, logFile: join(dir, 'temporal.log'), headless: true });
  await waitForTemporal(server.address);
  project.provide('temporalAddress', server.address);
  project.provide('testDataRoot', dir);
  return async () => {
    await server?.stop();
    if (dir && !process.env.KEEP_TEST_DATA) rmSync(dir, { recursive: true, force: true });
  };
}
