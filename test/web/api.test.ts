// The HTTP API over the real dev server and worker: auth, validation, starting a runbook and
// approving it, with bad input refused before anything starts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { createApp } from '../../web/app.ts';
import { startDemoService, type DemoService } from '../../scripts/lib/demo-service.ts';
import { type TestWorker, startTestWorker, testClient, testDataDir } from '../helpers/temporal.ts';

let client: Client;
let tw: TestWorker;
let taskQueue: string;
let svc: DemoService;
const TOKEN = 'test-token-7c1f';

beforeAll(async () => {
  process.env.IRONTHRONE_DATA_DIR = testDataDir('api');
  svc = await startDemoService({ restartDelayMs: 300 });
  client = await testClient();
  tw = await startTestWorker('api');
  taskQueue = tw.taskQueue;
});

afterAll(async () => {
  await tw?.stop();
  await svc?.close();
});

const app = () => createApp({ temporal: client, taskQueue, token: TOKEN });
const call = (path: string, init: RequestInit = {}, token: string | null = TOKEN) =>
  app().request(path, { ...init, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) } });

describe('HTTP API', () => {
  it('requires the bearer token', async () => {
    expect((await call('/api/runbooks', {}, null)).status).toBe(401);
    expect((await call('/api/runbooks', {}, 'wrong')).status).toBe(401);
    const ok = await call('/api/runbooks');
    expect(ok.status).toBe(200);
    const list = (await ok.json()) as { id: string; errors: number }[];
    expect(list.find((r) => r.id === 'demo-service-recovery')?.errors).toBe(0);
  });

  it('refuses bad bodies, unknown runbooks and invalid inputs before anything starts', async () => {
    const notJson = await call('/api/runbooks/demo-service-recovery/run', { method: 'POST', body: '{nope' });
    expect(notJson.status).toBe(400);
    const badField = await call('/api/runbooks/demo-service-recovery/run', { method: 'POST', body: JSON.stringify({ inputs: {}, incidentId: 'has spaces!' }) });
    expect(badField.status).toBe(400);
    expect(JSON.stringify(await badField.json())).toContain('incidentId');
    const unknown = await call('/api/runbooks/no-such-runbook/run', { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);
    const missing = await call('/api/runbooks/demo-service-recovery/run', { method: 'POST', body: JSON.stringify({ inputs: { max_error_rate: 'lots' } }) });
    expect(missing.status).toBe(400);
    const body = (await missing.json()) as { details: string[] };
    expect(body.details.join('\n')).toMatch(/base_url/);
    expect(body.details.join('\n')).toMatch(/max_error_rate/);
  });

  it('starts a runbook, refuses a wrong approver and accepts the right one', async () => {
    const started = await call('/api/runbooks/demo-service-recovery/run', { method: 'POST', body: JSON.stringify({ inputs: { base_url: svc.url }, incidentId: `api-${Date.now()}` }) });
    expect(started.status).toBe(201);
    const { workflowId } = (await started.json()) as { workflowId: string };
    expect(workflowId).toMatch(/^runbook:demo-service-recovery:checkout:api-/);
    let pending: { stepId: string } | undefined;
    for (let i = 0; i < 100 && !pending; i++) {
      const p = (await (await call(`/api/runs/${encodeURIComponent(workflowId)}`)).json()) as { pendingApproval?: { stepId: string } };
      pending = p.pendingApproval;
      if (!pending) await new Promise((r) => setTimeout(r, 200));
    }
    expect(pending?.stepId).toBe('approve-the-restart');
    const wrong = await call(`/api/runs/${encodeURIComponent(workflowId)}/approve`, { method: 'POST', body: JSON.stringify({ user: 'carol', decision: 'approve' }) });
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as { error: string }).error).toMatch(/carol .* may not decide/);
    const right = await call(`/api/runs/${encodeURIComponent(workflowId)}/approve`, { method: 'POST', body: JSON.stringify({ user: 'bob', decision: 'approve', comment: 'via API' }) });
    expect(right.status).toBe(200);
    const result = await client.workflow.getHandle(workflowId).result();
    expect(result).toMatchObject({ status: 'completed' });
    expect(svc.state().restarts).toBe(1);
    const again = await call(`/api/runs/${encodeURIComponent(workflowId)}/approve`, { method: 'POST', body: JSON.stringify({ user: 'bob', decision: 'approve' }) });
    expect(again.status).toBe(409);
  });

  it('answers 404 for a run that does not exist', async () => {
    expect((await call('/api/runs/runbook:nope:x:y')).status).toBe(404);
    expect((await call('/api/runs/runbook:nope:x:y/approve', { method: 'POST', body: JSON.stringify({ user: 'alice', decision: 'approve' }) })).status).toBe(404);
  });
});
