// Test helpers for the shared dev server: a client, a bundle built once per file, and a
// worker over the project's real activities with a per-test task queue.
import { Connection, Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { workflowsPath } from '../../workers/paths.ts';
export { waitForTemporal } from '../../scripts/lib/temporal-server.ts';

// Worker INFO logs (state changes, bundling) drown test output; warnings and errors stay.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // already installed in this process
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflow bundle, built once per test file (bundling takes seconds). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath, logger: { log() {}, info() {}, warn() {}, error: console.error, debug() {}, trace() {} } });
  return bundle;
}

export async function testClient(): Promise<Client> {
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  return new Client({ connection });
}

export async function nativeConnection(): Promise<NativeConnection> {
  return NativeConnection.connect({ address: inject('temporalAddress') });
}

/** A fresh data folder for one test file (never the user's). */
export function testDataDir(name: string): string {
  return mkdtempSync(join(inject('testDataRoot'), `${name}-`));
}

export function taskQueueFor(name: string): string {
  return `test-${name}-${Math.random().toString(36).slice(2, 8)}`;
}

export { Worker };

export interface TestWorker {
  taskQueue: string;
  worker: Worker;
  /** Shut the worker down and wait for it (afterAll). */
  stop(): Promise<void>;
}

/** The project's real worker (every activity) on a fresh task queue, running until `stop()`. Set IRONTHRONE_DATA_DIR first. */
export async function startTestWorker(name: string): Promise<TestWorker> {
  const taskQueue = taskQueueFor(name);
  // Each test file gets its own ledger batcher, so records never cross into another file's ledger.
  process.env.IRONTHRONE_LEDGER_BATCHER_ID = `ledger-batcher-${taskQueue}`;
  const { createWorker } = await import('../../workers/worker.ts');
  const worker = await createWorker({ connection: await nativeConnection(), taskQueue, workflowBundle: await workflowBundle() });
  const running = worker.run();
  return {
    taskQueue,
    worker,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}
