// The Atlas-compatible HTTP API on a real server: publish with partial acceptance, graph as SVG
// and JSON, malformed queries.
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../scripts/lib/procs.ts';
import { TelemetryStore } from '../../../core/telemetry/store.ts';
import { mountTelemetryRoutes } from '../../../web/routes/telemetry.ts';

const NOW = Date.UTC(2026, 0, 1, 12, 0);
let server: ServerType;
let base: string;
let store: TelemetryStore;

beforeAll(async () => {
  store = TelemetryStore.open({ clock: () => NOW });
  const app = new Hono();
  mountTelemetryRoutes(app, {}, store);
  const port = await freePort();
  server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
  base = `http://127.0.0.1:${port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const publish = (body: unknown) =>
  fetch(`${base}/api/v1/publish`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('POST /api/v1/publish', () => {
  it('accepts a full Atlas payload with 200', async () => {
    const r = await publish({
      tags: { 'nf.app': 'web', 'nf.region': 'eu-west-1' },
      metrics: [0, 1, 2].flatMap((m) => [
        { tags: { name: 'requests', host: 'h1' }, timestamp: NOW - (3 - m) * 60_000, value: 10 + m },
        { tags: { name: 'requests', host: 'h2' }, timestamp: NOW - (3 - m) * 60_000, value: 20 + m },
      ]),
    });
    expect(r.status).toBe(200);
    expect(store.index.eq('nf.region', 'eu-west-1').length).toBe(2);
  });

  it('stores the good datapoints and reports each bad one with index and reason (202)', async () => {
    const r = await publish({
      tags: { 'nf.app': 'web' },
      metrics: [
        { tags: { name: 'partial', host: 'a' }, timestamp: NOW, value: 1 },
        { tags: { name: 'partial' }, timestamp: NOW + 86_400_000, value: 2 },
        { tags: { host: 'b' }, timestamp: NOW, value: 3 },
        { tags: { name: 'partial', host: 'c' }, timestamp: NOW, value: 'x' },
        { tags: { name: 'partial', host: 'd' }, timestamp: NOW, value: 4 },
      ],
    });
    expect(r.status).toBe(202);
    const body = (await r.json()) as {
      type: string;
      errorCount: number;
      errors: { index: number; reason: string }[];
      message: string[];
    };
    expect(body.type).toBe('partial');
    expect(body.errorCount).toBe(3);
    expect(body.errors.map((e) => e.index)).toEqual([1, 2, 3]);
    expect(body.errors[0]!.reason).toMatch(/^future: .*clock skew/);
    expect(body.errors[1]!.reason).toMatch(/missing required tag `name`/);
    // Atlas's message lines: `reason (tags=…)`, at most 5 (errorCount counts them all)
    expect(body.message[2]).toMatch(/^invalid: value: expected a number.* \(tags=\{.*"host":"c".*\}\)$/);
    expect(store.index.eq('name', 'partial').length).toBe(2);
  });

  it('answers 400 when nothing was accepted or the body is not JSON', async () => {
    const none = await publish({ metrics: [{ tags: { name: 'x' }, timestamp: 'now', value: 1 }] });
    expect(none.status).toBe(400);
    expect(((await none.json()) as { type: string }).type).toBe('error');
    const bad = await publish('{"metrics": [');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ type: 'error', message: expect.stringMatching(/not valid JSON/) });
  });

  it('answers as Atlas does for empty and malformed payloads, long error lists and the publish-fast alias', async () => {
    // Atlas (LocalPublishActor): a batch without datapoints is a 400 "empty payload"
    for (const body of [{}, { metrics: [] }]) {
      const r = await publish(body);
      expect(r.status).toBe(400);
      expect(await r.json()).toEqual({ type: 'error', message: 'empty payload' });
    }
    const notPayload = await publish([1, 2]);
    expect(notPayload.status).toBe(400);
    expect(await notPayload.json()).toEqual({ type: 'error', message: 'payload must be an object {tags, metrics}' });
    const many = await publish({
      metrics: Array.from({ length: 8 }, (_, i) => ({ tags: { host: `h${i}` }, timestamp: NOW, value: i })),
    });
    const body = (await many.json()) as { errorCount: number; message: string[]; errors: unknown[] };
    expect([many.status, body.errorCount, body.message.length, body.errors.length]).toEqual([400, 8, 5, 8]);
    const fast = await fetch(`${base}/api/v1/publish-fast`, {
      method: 'POST',
      body: JSON.stringify({ metrics: [{ tags: { name: 'fast' }, timestamp: NOW, value: 1 }] }),
    });
    expect(fast.status).toBe(200);
    expect(store.index.eq('name', 'fast').length).toBe(1);
  });
});

describe('GET /api/v1/graph', () => {
  const e = new Date(NOW).toISOString();
  it('returns the data with format=json (Atlas json layout)', async () => {
    const r = await fetch(`${base}/api/v1/graph?q=name,requests,:eq,(,host,),:by&s=e-3m&e=${e}&step=1m&format=json`);
    expect(r.status).toBe(200);
    const j = (await r.json()) as { start: number; step: number; legend: string[]; values: number[][] };
    expect(j.start).toBe(NOW - 180_000);
    expect(j.step).toBe(60_000);
    expect(j.legend).toEqual(['host=h1', 'host=h2']);
    expect(j.values).toEqual([
      [10, 20],
      [11, 21],
      [12, 22],
    ]);
  });
  it('renders an SVG chart', async () => {
    const r = await fetch(`${base}/api/v1/graph?q=name,requests,:eq,:sum&s=e-3m&e=${e}&step=1m`);
    expect(r.headers.get('content-type')).toMatch(/image\/svg\+xml/);
    const svg = await r.text();
    expect(svg).toMatch(/^<svg /);
    expect(svg).toMatch(/<path d="M[^"]+L/);
  });
  it('a malformed query is a 400 naming position and expected token', async () => {
    const r = await fetch(`${base}/api/v1/graph?q=name,requests,:eq,host,:by&format=json`);
    expect(r.status).toBe(400);
    const j = (await r.json()) as { position: number; expected: string; message: string };
    expect(j.position).toBe(23);
    expect(j.expected).toMatch(/list of keys/);
  });
});
