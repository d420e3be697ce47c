// The `ironthrone` CLI as an operator runs it (a separate process), against the shared dev
// server and a real worker: exit codes, refusals and JSON output.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { projectRoot } from '../../core/config.ts';
import { startDemoService, type DemoService } from '../../scripts/lib/demo-service.ts';
import { type TestWorker, startTestWorker, testClient, testDataDir } from '../helpers/temporal.ts';

let tw: TestWorker;
let taskQueue: string;
let svc: DemoService;
let env: NodeJS.ProcessEnv;

function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(projectRoot, 'bin', 'ironthrone.js'), ...args], { env, encoding: 'utf8' }, (e, out, err) =>
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, out, err })
    );
  });
}

beforeAll(async () => {
  process.env.IRONTHRONE_DATA_DIR = testDataDir('cli');
  svc = await startDemoService({ restartDelayMs: 300 });
  tw = await startTestWorker('cli');
  taskQueue = tw.taskQueue;
  env = { ...process.env, TEMPORAL_ADDRESS: inject('temporalAddress'), IRONTHRONE_TASK_QUEUE: taskQueue, FORCE_COLOR: '0', NO_COLOR: '1' };
});

afterAll(async () => {
  await tw?.stop();
  await svc?.close();
});

describe('ironthrone CLI', () => {
  it('refuses invalid inputs with exit code 2 and starts nothing', async () => {
    const r = await cli('run', 'demo-service-recovery', '--input', 'max_error_rate=high');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/invalid inputs for runbook demo-service-recovery/);
    expect(r.err).toMatch(/base_url/);
    const bad = await cli('run', 'demo-service-recovery', '--input', 'novalue');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/expected key=value/);
  });

  it('exits 3 for a workflow that does not exist', async () => {
    const r = await cli('approve', 'runbook:none:x:y', '--as', 'alice');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/no workflow runbook:none:x:y/);
  });

  it('runs, refuses a wrong approver, approves and reports status as JSON', async () => {
    const started = await cli('--json', 'run', 'demo-service-recovery', '--input', `base_url=${svc.url}`, '--incident', `cli-${Date.now()}`, '--no-wait');
    expect(started.code).toBe(0);
    const { workflowId } = JSON.parse(started.out) as { workflowId: string };
    const client = await testClient();
    const handle = client.workflow.getHandle(workflowId);
    for (let i = 0; i < 100; i++) {
      const pending = await handle.query<{ pendingApproval?: unknown }>('progress').then(
        (p) => p.pendingApproval,
        () => undefined
      );
      if (pending) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const refused = await cli('approve', workflowId, '--as', 'eve');
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/refused: user eve \(roles: viewer\) may not decide step approve-the-restart/);
    const ok = await cli('approve', workflowId, '--as', 'alice', '-m', 'from the CLI test');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/approved step approve-the-restart as alice \(sre\)/);
    const status = await cli('--json', 'status', workflowId, '--follow');
    expect(status.code).toBe(0);
    const p = JSON.parse(status.out) as { status: string; decisions: { user: string; comment: string }[] };
    expect(p.status).toBe('completed');
    expect(p.decisions).toEqual([expect.objectContaining({ user: 'alice', comment: 'from the CLI test' })]);
  });
});
