// The telemetry part of `npm start`'s demo, through the real HTTP API: publish three hours of
// Atlas-format datapoints for a small fleet, query them back with the stack language, probe the
// demo service, and print the availability report computed from (and verified against) the
// ledger. Returns the text it printed so the caller can also show it elsewhere.
import { canonicalJson, sha256Hex } from '../ledger/canonical.ts';
import type { Ledger } from '../ledger/ledger.ts';
import { reportTable } from '../availability/render.ts';
import { buildReport, verifyReport } from '../availability/report.ts';
import { probeSpecSchema } from './probes.ts';
import { sweepProbes } from './probe-sweep.ts';
import { renderResult } from './text.ts';
import type { QueryResult } from './query/evaluate.ts';
import type { TelemetryStore } from './store.ts';

export interface TelemetryDemoOptions {
  /** Base URL of the running HTTP API (e.g. http://127.0.0.1:8080). */
  apiBase: string;
  token?: string;
  ledger: Ledger;
  /** A service URL to probe (e.g. the demo service's health endpoint). */
  probeUrl?: string;
  store?: TelemetryStore;
  stateFile: string;
  log: (s: string) => void;
}

export async function telemetryDemo(o: TelemetryDemoOptions): Promise<void> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
  };
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  const metrics = [];
  for (let m = 180; m >= 1; m--)
    for (const [i, host] of ['web-1', 'web-2', 'db-1'].entries()) {
      const app = host.startsWith('web') ? 'checkout' : 'orders-db';
      const ts = now - m * 60_000;
      metrics.push({
        tags: { name: 'cpu.utilization', host, 'nf.app': app },
        timestamp: ts,
        value: Math.round(40 + 25 * Math.sin(m / 25 + i) + 10 * Math.sin(m / 3)),
      });
      metrics.push({
        tags: { name: 'requests', host, 'nf.app': app, 'atlas.dstype': 'rate' },
        timestamp: ts,
        value: Math.round(200 + 80 * Math.cos(m / 30 + i)),
      });
    }
  metrics.push({ tags: { name: 'cpu.utilization', host: 'web-9' }, timestamp: now + 3_600_000, value: 1 }); // a clock-skewed sender
  const pub = await fetch(new URL('/api/v1/publish', o.apiBase), {
    method: 'POST',
    headers,
    body: JSON.stringify({ tags: { 'nf.region': 'eu-west-1' }, metrics }),
  });
  const body =
    pub.status === 200 ? '' : ` ${JSON.stringify(((await pub.json()) as { message?: string[] }).message?.slice(0, 1))}`;
  o.log(`telemetry: published ${metrics.length} datapoints → HTTP ${pub.status}${body}`);

  const q = 'name,cpu.utilization,:eq,:avg,(,nf.app,),:by';
  const g = await fetch(new URL(`/api/v1/graph?q=${encodeURIComponent(q)}&s=e-3h&step=3m&format=json`, o.apiBase), {
    headers,
  });
  const j = (await g.json()) as {
    start: number;
    step: number;
    legend: string[];
    metrics: Record<string, string>[];
    values: (number | null)[][];
  };
  const r: QueryResult = {
    start: j.start,
    step: j.step,
    end: j.start + j.values.length * j.step,
    series: j.legend.map((label, k) => ({
      label,
      tags: j.metrics[k] ?? {},
      data: Float64Array.from(j.values, (row) => row[k] ?? NaN),
    })),
  };
  o.log(
    `telemetry: ${q}  (chart: ${new URL(`/api/v1/graph?q=${encodeURIComponent(q)}&s=e-3h`, o.apiBase).href})\n${renderResult(r, false)}`
  );

  if (o.probeUrl) {
    const spec = probeSpecSchema.parse({
      target: 'checkout',
      kind: 'http',
      url: o.probeUrl,
      confirm: 1,
      tags: { service: 'checkout' },
    });
    const out = await sweepProbes([spec], { stateFile: o.stateFile, ...(o.store ? { store: o.store } : {}) });
    if (out.events.length)
      await o.ledger.appendBatch('probes:' + sha256Hex(canonicalJson(out.events)).slice(0, 32), out.events);
    o.log(
      `probe: checkout is ${out.states.checkout} (${out.results[0]!.latencyMs} ms), ${out.events.length} availability event(s) to the ledger`
    );
  }
  const report = await buildReport(o.ledger, {
    from: Date.now() - 86_400_000,
    to: Date.now() + 1000,
    groupBy: 'service',
  });
  const v = await verifyReport(o.ledger, report);
  o.log(
    `${reportTable(report)}\nverify: ${v.ok ? 'OK' : 'FAILED'} (${v.checks.map((c) => `${c.ok ? '✓' : '✗'} ${c.name}`).join(', ')})`
  );
}
