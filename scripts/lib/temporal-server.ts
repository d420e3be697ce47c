// Builds (once, cached by version outside the checkout) and runs the Temporal dev server.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:net';
import { Connection } from '@temporalio/client';
import { cacheDir, projectRoot } from '../../core/config.ts';
import { spawnServer, waitFor, type Spawned } from './procs.ts';

/** v1.5.1 is the last tag `go install` accepts (later ones carry a replace directive). */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

/** Search attributes the project relies on; registered at server start. */
export const SEARCH_ATTRIBUTES = ['RunbookId', 'Target', 'IncidentId', 'Severity', 'RunbookStatus'] as const;

export function temporalCliPath(): string {
  return join(cacheDir(`temporal-cli-${TEMPORAL_CLI_VERSION}`), 'temporal');
}

/** Build the CLI with `go install` if the cache lacks it; link it into the checkout's .tools/. */
export function ensureTemporalCli(log: (s: string) => void = console.log): string {
  const bin = temporalCliPath();
  if (!existsSync(bin)) {
    log(`building the Temporal CLI ${TEMPORAL_CLI_VERSION} with go install (once; cached in ${cacheDir()})…`);
    execFileSync('go', ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`], {
      env: { ...process.env, GOBIN: join(bin, '..'), GOFLAGS: '-mod=mod' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  }
  const toolsBin = join(projectRoot, '.tools', 'bin');
  mkdirSync(toolsBin, { recursive: true });
  const link = join(toolsBin, 'temporal');
  rmSync(link, { force: true });
  symlinkSync(bin, link);
  return bin;
}

export interface DevServerOptions {
  port: number;
  uiPort?: number;
  /** SQLite file; omit for in-memory. */
  dbFile?: string;
  logFile: string;
  headless?: boolean;
}

export interface DevServer extends Spawned {
  address: string;
  uiUrl?: string;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((r) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), r(true)));
    s.once('error', () => r(false));
  });
}

export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const bin = ensureTemporalCli();
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--log-level', 'warn'];
  for (const sa of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${sa}=Keyword`);
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  if (opts.headless || !opts.uiPort) args.push('--headless');
  else args.push('--ui-port', String(opts.uiPort));
  // Short schedule catch-up and faster task queue polls keep tests and demos snappy.
  args.push('--dynamic-config-value', 'frontend.enableUpdateWorkflowExecution=true');
  const proc = spawnServer(bin, args, { logFile: opts.logFile });
  try {
    await waitFor(`Temporal dev server on 127.0.0.1:${opts.port}`, async () => {
      if (proc.child.exitCode !== null) throw new Error(`temporal exited with ${proc.child.exitCode}; see ${opts.logFile}`);
      return portOpen(opts.port);
    }, 90_000);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return {
    ...proc,
    address: `127.0.0.1:${opts.port}`,
    uiUrl: opts.uiPort && !opts.headless ? `http://127.0.0.1:${opts.uiPort}` : undefined,
  };
}

/** The frontend accepts TCP before it serves: wait until the namespace answers. */
export async function waitForTemporal(address: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const conn = await Connection.connect({ address, connectTimeout: 2000 });
      await conn.workflowService.describeNamespace({ namespace: 'default' });
      await conn.close();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

