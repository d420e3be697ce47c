// The prediction sweep over a real (memory-only) telemetry store: a failing fan is an alert,
// healthy fans stay quiet, and a series too young to judge is counted as not scored.
import { describe, expect, it } from 'vitest';
import { sweepSeries } from '../../../core/predict/sweep.ts';
import { TelemetryStore } from '../../../core/telemetry/store.ts';
import { runQuery } from '../../../core/telemetry/query/evaluate.ts';

const STEP = 60_000;
const NOW = Date.UTC(2026, 0, 10);

describe('prediction sweep', () => {
  it('raises an alert with its explanation for the failing series only', async () => {
    const store = TelemetryStore.open({ stepMs: STEP, clock: () => NOW, retentionMs: 3 * 86_400_000 });
    const n = 1000;
    const points = [];
    for (let i = 0; i < n; i++) {
      const t = NOW - (n - i) * STEP;
      for (const host of ['r640-01', 'r640-02', 'r640-03']) {
        let v = 9000 + 150 * Math.sin(i / 37 + host.length) + ((i * 7919) % 13) * 10;
        if (host === 'r640-02' && i >= n - 6) v = 2100; // the fan is failing
        points.push({ tags: { name: 'fan.rpm', host }, timestamp: t, value: v });
      }
    }
    for (let i = 0; i < 20; i++) points.push({ tags: { name: 'fan.rpm', host: 'new-01' }, timestamp: NOW - (20 - i) * STEP, value: 5000 });
    expect(store.ingest(points).errors).toEqual([]);
    const res = runQuery(store, 'name,fan.rpm,:eq,(,host,),:by', { start: NOW - n * STEP, end: NOW });
    const out = sweepSeries(res, { query: 'name,fan.rpm,:eq,(,host,),:by', threshold: 0.9 });
    expect(out.notScored).toBe(1);
    const alerts = out.predictions.filter((p) => p.band === 'alert');
    expect(alerts.map((p) => p.target)).toEqual(['r640-02']);
    expect(alerts[0]!.explanation.deviated!.value).toBe(2100);
    expect(alerts[0]!.explanation.summary).toMatch(/anomaly likelihood/);
    await store.close();
  });

  it('reports drift when a series\' recent anomaly scores stop looking like its earlier ones', () => {
    const n = 1200;
    let seed = 11;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const steady = Float64Array.from({ length: n }, (_, i) => 40 + 0.5 * rnd() + 0.2 * Math.sin(i / 20));
    const noisy = Float64Array.from({ length: n }, (_, i) => (i < n * 0.75 ? 40 + 0.5 * rnd() : 40 + 12 * (rnd() - 0.5) * (i % 7 === 0 ? 3 : 1)));
    const res = {
      start: NOW - n * STEP,
      step: STEP,
      series: [
        { tags: { host: 'steady' }, label: 'host=steady', data: steady },
        { tags: { host: 'shifted' }, label: 'host=shifted', data: noisy },
      ],
    };
    const out = sweepSeries(res, { query: 'q' });
    expect(out.drift.map((d) => d.target)).toEqual(['shifted']);
    expect(out.drift[0]!.statistic).toBeGreaterThan(out.drift[0]!.critical);
  });
});
