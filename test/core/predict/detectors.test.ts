// Detectors on synthetic series with known anomalies, and the bad-input rules.
import { describe, expect, it } from 'vitest';
import { EnsembleDetector } from '../../../core/predict/detectors/ensemble.ts';
import { RollingMax } from '../../../core/predict/detectors/rolling-max.ts';
import { RollingWindow } from '../../../core/predict/detectors/rolling.ts';
import { scoreSeries } from '../../../core/predict/predictor.ts';
import { detectDrift } from '../../../core/predict/drift.ts';

// Deterministic noise (no Math.random: the test must be reproducible).
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

const T0 = Date.UTC(2024, 0, 1);
const STEP = 300_000; // 5 minutes
function daily(n: number, seed = 1): { t: number; v: number }[] {
  const r = noise(seed);
  return Array.from({ length: n }, (_, i) => ({ t: T0 + i * STEP, v: 50 + 10 * Math.sin((2 * Math.PI * i) / 288) + 2 * r() }));
}

describe('rolling statistics', () => {
  it('keeps exact quantiles and a running maximum over the last values', () => {
    const w = new RollingWindow(5);
    const m = new RollingMax(5);
    for (const v of [5, 1, 4, 2, 3, 9, 0]) {
      w.push(v);
      m.push(v);
    }
    expect(w.quantile(0.5)).toBe(3); // window 4,2,3,9,0
    expect(w.min()).toBe(0);
    expect(m.max()).toBe(9);
    expect(w.recent(0)).toBe(0);
  });
});

describe('ensemble detector', () => {
  it('scores a spike far above the normal points of a daily series', () => {
    const pts = daily(3000);
    pts[2500]!.v += 60;
    const d = new EnsembleDetector();
    const scores = pts.map((p) => d.update(p.t, p.v));
    const normal = scores.slice(1000, 2490);
    expect(scores[2500]!).toBeGreaterThan(Math.max(...normal));
    expect(scores[2500]!).toBeGreaterThan(0.9);
  });

  it('detects a level shift within a few points', () => {
    const pts = daily(3000, 2);
    for (let i = 2400; i < 3000; i++) pts[i]!.v += 40;
    const d = new EnsembleDetector();
    const scores = pts.map((p) => d.update(p.t, p.v));
    const peakAfter = Math.max(...scores.slice(2400, 2410));
    expect(peakAfter).toBeGreaterThan(Math.max(...scores.slice(1000, 2390)));
  });

  it('uses only the past: the score at t does not change when the future changes', () => {
    const a = daily(1500, 3);
    const b = a.map((p, i) => (i > 1200 ? { ...p, v: p.v * 5 } : p));
    const da = new EnsembleDetector();
    const db = new EnsembleDetector();
    const sa = a.map((p) => da.update(p.t, p.v));
    const sb = b.map((p) => db.update(p.t, p.v));
    expect(sb.slice(0, 1201)).toEqual(sa.slice(0, 1201));
  });
});

describe('predictor bad input', () => {
  it('rejects NaN, duplicate and out-of-order points, flags gaps, and still scores the rest', () => {
    const pts: { t: unknown; v: unknown }[] = daily(600).map((p) => ({ t: p.t, v: p.v }));
    pts.splice(300, 0, { t: T0 + 299 * STEP, v: 1 }); // duplicate of index 299
    pts.splice(400, 0, { t: T0, v: 1 }); // out of order
    pts[450] = { t: pts[450]!.t, v: Number.NaN };
    pts.push({ t: T0 + 700 * STEP, v: 50 }); // gap of 100 steps
    const r = scoreSeries(pts, { target: 'host-1', series: 'cpu' });
    expect(r.rejected.map((x) => x.issue).sort()).toEqual(['duplicate', 'nan', 'out-of-order']);
    expect(r.points[r.points.length - 1]!.issues).toContain('gap');
    expect(r.prediction.status).toBe('scored');
    expect(r.prediction.probability).not.toBeNull();
    expect(r.prediction.explanation.deviated?.view).toBeTruthy();
  });

  it('reports a constant series as constant, not as a silent zero', () => {
    const pts = Array.from({ length: 400 }, (_, i) => ({ t: T0 + i * STEP, v: 7 }));
    const r = scoreSeries(pts, { target: 'h', series: 'flat' });
    expect(r.prediction.status).toBe('constant');
    expect(r.prediction.explanation.summary).toMatch(/constant at 7/);
  });

  it('reports a series too short to score as warming up, with a null probability', () => {
    const r = scoreSeries(daily(20), { target: 'h', series: 'short' });
    expect(r.prediction.status).toBe('warming-up');
    expect(r.prediction.probability).toBeNull();
    expect(r.points.every((p) => p.score === null && p.issues.includes('warming-up'))).toBe(true);
    expect(scoreSeries([], { target: 'h', series: 'empty' }).prediction.status).toBe('no-data');
  });

  it('flags unparseable timestamps as rejected input', () => {
    const r = scoreSeries([{ t: 'yesterday-ish', v: 1 }], { target: 'h', series: 's' });
    expect(r.rejected).toEqual([{ index: 0, issue: 'nan' }]);
  });
});

describe('drift', () => {
  it('raises an event when the score distribution shifts, and none when it does not', () => {
    const r = noise(9);
    const ref = Array.from({ length: 500 }, () => 0.3 + 0.1 * r());
    const same = Array.from({ length: 500 }, () => 0.3 + 0.1 * r());
    const shifted = Array.from({ length: 500 }, () => 0.6 + 0.1 * r());
    expect(detectDrift('s', ref, same)).toBeNull();
    expect(detectDrift('s', ref, shifted)?.kind).toBe('prediction.drift');
    expect(detectDrift('s', ref.slice(0, 10), shifted)).toBeNull();
  });
});
