// Incident context and the doors onto it: `correlate` around an event, the `logs` step kind
// (compiled in a runbook, then its `logsSearch` activity), the HTTP API (JSON lines in, search,
// verify) and the CLI (`ironthrone logs search`, `logs verify` exit codes on a tampered line).
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogsActivities } from '../../../activities/logs.ts';
import { EmbeddedLedger } from '../../../core/ledger/embedded.ts';
import { correlate } from '../../../core/logs/correlate.ts';
import { ledgerDigestSink } from '../../../core/logs/digest.ts';
import { LogPipeline } from '../../../core/logs/pipeline.ts';
import { SqliteLogStore } from '../../../core/logs/sqlite-store.ts';
import { compileRunbook } from '../../../core/runbook/compile.ts';
import type { StepContext } from '../../../core/runbook/plan.ts';
import { mountLogsRoutes } from '../../../web/routes/logs.ts';
import { projectRoot } from '../../../core/config.ts';
import { testDataDir } from '../../helpers/temporal.ts';

const run = promisify(execFile);
let root: string;
let store: SqliteLogStore;
let ledger: EmbeddedLedger;
let pipeline: LogPipeline;
let app: Hono;

const ctx: StepContext = {
  workflowId: 'wf',
  runId: 'r',
  runbookId: 'rb',
  stepId: 'ctx',
  idempotencyKey: 'wf:ctx',
  target: 'r740-01',
  incidentId: 'inc-1',
  dryRun: false,
};
const json = (lines: object[]) => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';

beforeAll(async () => {
  root = testDataDir('logs-api');
  mkdirSync(join(root, 'logs'), { recursive: true });
  store = new SqliteLogStore({ file: join(root, 'logs', 'logs.db') });
  ledger = new EmbeddedLedger({ dir: join(root, 'ledger'), durability: 'normal' });
  pipeline = new LogPipeline({
    store,
    spoolDir: join(root, 'spool'),
    digestSink: ledgerDigestSink(ledger),
    flushMs: 20,
  });
  app = new Hono();
  mountLogsRoutes(app, {}, { pipeline, store, ledger });
  const lines = [
    { id: 'l1', ts: '2026-11-25T09:00:00Z', host: 'r740-01', level: 'info', msg: 'long before the event' },
    { id: 'l2', ts: '2026-11-25T09:50:00Z', host: 'r740-01', level: 'warning', msg: 'fan 1A speed dropping' },
    {
      id: 'l3',
      ts: '2026-11-25T09:59:00Z',
      host: 'r740-01',
      level: 'critical',
      msg: 'FAN0001 fan 1A below critical threshold',
    },
    {
      id: 'l4',
      ts: '2026-11-25T10:01:00Z',
      service_name: 'checkout',
      service: 'checkout',
      host: 'r740-09',
      level: 'error',
      msg: 'checkout latency high',
    },
    { id: 'l5', ts: '2026-11-25T10:02:00Z', host: 'r740-02', level: 'error', msg: 'unrelated host' },
    { id: 'l6', ts: '2026-11-25T10:30:00Z', host: 'r740-01', level: 'info', msg: 'long after the event' },
  ];
  const res = await app.request('/api/v1/logs?wait=true', {
    method: 'POST',
    body: json(lines),
    headers: { 'content-type': 'application/x-ndjson' },
  });
  expect(res.status).toBe(202);
  expect(await res.json()).toEqual({ accepted: 6 });
});
afterAll(async () => {
  await pipeline.close();
  await store.close();
  await ledger.close();
});

describe('correlation', () => {
  it('finds the host and service lines in the window, most severe first', async () => {
    const r = await correlate(
      store,
      { target: 'r740-01', service: 'checkout', at: '2026-11-25T10:00:00Z' },
      { before: '15m', after: '5m' }
    );
    expect(r.hits.map((h) => h.message)).toEqual([
      'FAN0001 fan 1A below critical threshold',
      'checkout latency high',
      'fan 1A speed dropping',
    ]);
    expect(r.bySeverity).toEqual({ critical: 1, error: 1, warning: 1 });
  });

  it('rejects a bad window with the field named', async () => {
    await expect(correlate(store, { target: 'x', at: 'soon' }, { before: '15m', after: '5m' })).rejects.toThrow(
      /at: expected an ISO date-time/
    );
    await expect(
      correlate(store, { target: 'x', at: '2026-11-25T10:00:00Z' }, { before: 'a while', after: '5m' })
    ).rejects.toThrow(/before: expected a duration/);
  });
});

describe('logs step kind', () => {
  it('compiles in a runbook and reports bad params at the line', () => {
    const src = (body: string) =>
      `---\nid: t\ntitle: T\nversion: 1\ninputs:\n  host: { type: host, required: true }\n---\n\n## Context\n\n\`\`\`logs as=ctx\n${body}\n\`\`\`\n`;
    const ok = compileRunbook(src('host: ${inputs.host}\nquery: fan\nbefore: 30m'), { file: 'ok.md' });
    expect(ok.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const bad = compileRunbook(src('host: r740-01\nbefore: soon\nwindw: 5m'), { file: 'bad.md' });
    const msgs = bad.diagnostics.map((d) => `${d.line}: ${d.message}`).join('\n');
    expect(msgs).toMatch(/13: .*duration/);
    expect(msgs).toMatch(/windw/);
  });

  it('logsSearch returns the lines around the time, bound for later steps', async () => {
    const acts = createLogsActivities({ dataDir: root });
    const out = await acts.logsSearch(
      { host: 'r740-01', query: 'fan', at: '2026-11-25T10:00:00Z', before: '15m', after: '5m' },
      ctx
    );
    expect(out.total).toBe(2);
    expect(out.hits[0]).toMatchObject({
      host: 'r740-01',
      severity: 'critical',
      message: 'FAN0001 fan 1A below critical threshold',
    });
    await expect(acts.logsSearch({ host: 'r740-01', minSeverity: 'loud' }, ctx)).rejects.toThrow(/minSeverity/);
  });
});

describe('HTTP API', () => {
  it('searches and verifies; bad queries are 400 with the argument named', async () => {
    const s = await (await app.request('/api/v1/logs?q=fan&host=r740-01&since=2026-11-25T09:30:00Z')).json();
    expect(s.total).toBe(2);
    const v = await app.request(`/api/v1/logs/${s.hits[0].id}/verify`);
    expect(v.status).toBe(200);
    expect((await v.json()).ok).toBe(true);
    expect((await app.request('/api/v1/logs/nope/verify')).status).toBe(404);
    const bad = await app.request('/api/v1/logs?since=whenever');
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/^since: expected a duration/);
  });

  it('a resubmitted JSON line with the same id is not stored twice', async () => {
    const line = json([
      {
        id: 'l3',
        ts: '2026-11-25T09:59:00Z',
        host: 'r740-01',
        level: 'critical',
        msg: 'FAN0001 fan 1A below critical threshold',
      },
    ]);
    await app.request('/api/v1/logs?wait=true', { method: 'POST', body: line });
    expect((await store.search({ text: 'FAN0001' })).total).toBe(1);
  });
});

describe('CLI', () => {
  const cli = (...args: string[]) =>
    run(process.execPath, [join(projectRoot, 'bin/ironthrone.js'), ...args], {
      env: { ...process.env, IRONTHRONE_DATA_DIR: root, IRONTHRONE_LOG_STORE: 'sqlite' },
    }).then(
      (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr })
    );

  it('searches, verifies, and fails verify on a tampered line', async () => {
    const s = await cli('logs', 'search', 'fan', '--host', 'r740-01', '--since', '2026-11-25T09:30:00Z');
    expect(s.code).toBe(0);
    expect(s.out).toMatch(/critical +r740-01 FAN0001 fan 1A below critical threshold/);
    const id = /\(([0-9a-f]{32})\)/.exec(s.out)![1]!;
    await pipeline.flush();
    const ok = await cli('logs', 'verify', id);
    expect(ok.out).toMatch(/^ok: line/);
    expect(ok.code).toBe(0);
    const db = new Database(join(root, 'logs', 'logs.db'));
    const doc = JSON.parse((db.prepare('SELECT doc FROM logs WHERE id = ?').get(id) as { doc: string }).doc);
    db.prepare('UPDATE logs SET doc = ? WHERE id = ?').run(JSON.stringify({ ...doc, severity: 'info' }), id);
    db.close();
    const bad = await cli('logs', 'verify', id);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/FAILED: the stored line does not hash/);
    expect((await cli('logs', 'verify', 'nope')).code).toBe(3);
    expect((await cli('logs', 'search', '--since', 'whenever')).code).toBe(2);
  }, 300_000);
});
