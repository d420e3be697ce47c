// GET /api/v1/slo on a real server over a real embedded ledger, the maintenance file loader's
// errors, and the report parameters' errors.
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMaintenance, reportRequest } from '../../../core/availability/config.ts';
import { EmbeddedLedger } from '../../../core/ledger/embedded.ts';
import { counter, flushInternalMetrics, gauge } from '../../../core/telemetry/internal-metrics.ts';
import { TelemetryStore } from '../../../core/telemetry/store.ts';
import { freePort } from '../../../scripts/lib/procs.ts';
import { mountAvailabilityRoutes } from '../../../web/routes/availability.ts';

const H = 3_600_000;
const now = Date.now();
const iso = (t: number) => new Date(t).toISOString();
const dir = mkdtempSync(join(tmpdir(), 'it-slo-http-'));
let ledger: EmbeddedLedger;
let server: ServerType;
let base: string;

beforeAll(async () => {
  ledger = new EmbeddedLedger({ dir, durability: 'normal' });
  const ev = (to: string, t: number) => ({
    type: 'availability' as const,
    target: 'api-1',
    kind: `availability.${to}`,
    from: to === 'down' ? 'up' : 'down',
    to,
    severity: 'major' as const,
    observedAt: iso(t),
    source: 'test',
    payloadDigest: 'sha256:' + 'a'.repeat(64),
    tags: { service: 'api' },
  });
  await ledger.appendBatch('slo-http', [ev('down', now - 3 * H), ev('up', now - 2 * H)]);
  process.env.IRONTHRONE_MAINTENANCE_FILE = join(dir, 'none.yaml');
  const app = new Hono();
  mountAvailabilityRoutes(app, {}, ledger);
  const port = await freePort();
  server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await ledger.close();
});

describe('GET /api/v1/slo', () => {
  it('returns the report and its verification', async () => {
    const r = await fetch(`${base}/api/v1/slo?window=1d&objective=99%25&verify=1`);
    expect(r.status).toBe(200);
    const j = (await r.json()) as {
      report: { figures: { group: string; downMs: number }[]; ledger: { root: string } };
      verification: { ok: boolean };
    };
    expect(j.report.figures[0]).toMatchObject({ group: 'api', downMs: H });
    expect(j.report.ledger.root).toBe((await ledger.head()).root);
    expect(j.verification.ok).toBe(true);
  });
  it('renders SVG and text', async () => {
    expect(await (await fetch(`${base}/api/v1/slo?window=1d&format=svg`)).text()).toMatch(/^<svg/);
    expect(await (await fetch(`${base}/api/v1/slo?window=1d&format=text`)).text()).toMatch(
      /^Availability .*\n.*root [0-9a-f]{64}/
    );
  });
  it('refuses bad parameters with the reason', async () => {
    const r = await fetch(`${base}/api/v1/slo?window=forever`);
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: string }).error).toMatch(/window: cannot read "forever"/);
  });
});

describe('configuration errors', () => {
  it('maintenance file: names the entry and the field', () => {
    const f = join(dir, 'm.yaml');
    writeFileSync(
      f,
      'windows:\n  - id: ok\n    cron: "0 2 * * 0"\n    duration: 2h\n  - id: bad\n    start: 2026-01-01T00:00:00Z\n    duration: two hours\n'
    );
    expect(() => loadMaintenance(f)).toThrow(/m\.yaml: windows\[1\]\.duration: expected a duration/);
    writeFileSync(f, 'windows:\n  - id: ok\n    cron: "0 2 * * 0"\n    duration: 2h\n');
    expect(loadMaintenance(f)[0]!.id).toBe('ok');
    expect(() => loadMaintenance(join(dir, 'missing.yaml'), true)).toThrow(/no such maintenance file/);
  });
  it('report parameters', () => {
    expect(reportRequest({ window: '7d', to: '2026-03-08T00:00:00Z', objective: '99.5%' })).toMatchObject({
      from: Date.UTC(2026, 2, 1),
      objective: 0.995,
      groupBy: 'service',
    });
    expect(() => reportRequest({ groupBy: 'planet' })).toThrow(
      /group-by: "planet", expected one of service, host, region, target/
    );
    expect(() => reportRequest({ objective: '100%' })).toThrow(/objective/);
  });
});

describe('internal metrics', () => {
  it('counters flush as per-step deltas and gauges as levels, tagged nf.app=ironthrone', () => {
    const store = TelemetryStore.open({ clock: () => now });
    const c = counter('test.requests', { route: '/x' });
    c.inc();
    c.inc(2);
    gauge('test.queue').set(7);
    flushInternalMetrics(store, now);
    const id = store.index.eq('name', 'test.requests')[0]!;
    expect(store.tagsOf(id)).toMatchObject({ 'nf.app': 'ironthrone', route: '/x' });
    const slot = Math.floor(now / 60_000);
    expect(store.read(id, slot, slot + 1)[0]).toBe(3);
    flushInternalMetrics(store, now + 60_000);
    expect(store.read(id, slot + 1, slot + 2)[0]).toBe(0);
    expect(store.read(store.index.eq('name', 'test.queue')[0]!, slot + 1, slot + 2)[0]).toBe(7);
  });
});
