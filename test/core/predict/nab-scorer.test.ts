// The NAB scorer must reproduce the published reference numbers on the development corpus
// (shared/data/nab beside the checkout, or IRONTHRONE_NAB_DIR).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultNabDir, loadCorpus, loadProfiles, loadResults, type NabFile } from '../../../core/predict/nab/corpus.ts';
import { scoreAllProfiles, scoreProfile } from '../../../core/predict/nab/evaluate.ts';
import { scaledSigmoid, scoresByThreshold, sweepRows } from '../../../core/predict/nab/sweeper.ts';

const nabDir = defaultNabDir();
const standard = { tpWeight: 1, fpWeight: 0.11, fnWeight: 1, tnWeight: 1 };

describe('NAB scaled sigmoid', () => {
  it('rewards early detections and penalises late false positives', () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(0.98661, 4);
    expect(scaledSigmoid(-0.5)).toBeCloseTo(0.84828, 4);
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(1)).toBeCloseTo(-0.98661, 4);
    expect(scaledSigmoid(3)).toBe(-1);
  });
});

describe('NAB sweep on a synthetic file', () => {
  // 100 rows, probation = 15 rows, one window on rows 50..59.
  const ts = Array.from({ length: 100 }, (_, i) => `t${String(i).padStart(3, '0')}`);
  const windows: [string, string][] = [['t050', 't059']];
  const file: NabFile = { key: 'x/a.csv', category: 'x', file: 'a.csv', timestamps: ts, values: [], windows };

  it('gives a full TP for a detection at the left edge and nothing else', () => {
    const scores = ts.map((_, i) => (i === 50 ? 1 : 0));
    const s = scoreProfile([file], new Map([[file.key, scores]]), 'standard', standard);
    expect(s.raw).toBeCloseTo(1, 6);
    expect(s.score).toBeCloseTo(100, 6);
  });

  it('scores a detector that misses the window as the null detector', () => {
    const scores = ts.map((_, i) => (i === 30 ? 1 : 0));
    const s = scoreProfile([file], new Map([[file.key, scores]]), 'standard', standard);
    expect(s.score).toBeCloseTo(0, 6); // best threshold detects nothing
  });

  it('ignores detections in the probationary period and counts FPs before the first window', () => {
    const rows = sweepRows(ts, ts.map(() => 0), windows, 'x/a.csv', standard);
    expect(rows[14]!.window).toBe('probationary');
    expect(rows[20]!.sweepScore).toBeCloseTo(-0.11, 6);
    const table = scoresByThreshold(rows, standard);
    expect(table[0]!.threshold).toBe(1.1);
    expect(table[0]!.score).toBe(-1);
  });
});

describe.skipIf(!existsSync(join(nabDir, 'results')))('NAB reference numbers on the development corpus', () => {
  it('scores the published numenta and windowedGaussian results as published', () => {
    const corpus = loadCorpus(nabDir);
    expect(corpus.length).toBe(50);
    const profiles = loadProfiles(nabDir);
    const numenta = scoreAllProfiles(corpus, loadResults(join(nabDir, 'results'), 'numenta', corpus), profiles);
    const gaussian = scoreAllProfiles(corpus, loadResults(join(nabDir, 'results'), 'windowedGaussian', corpus), profiles);
    expect(Math.abs(numenta.standard.score - 68.85)).toBeLessThan(0.05);
    expect(Math.abs(gaussian.standard.score - 38.16)).toBeLessThan(0.05);
    // The other profiles must order as NAB's: low-FN ≥ standard ≥ low-FP.
    expect(numenta.reward_low_FN_rate.score).toBeGreaterThan(numenta.standard.score);
    expect(numenta.reward_low_FP_rate.score).toBeLessThan(numenta.standard.score);
  }, 120_000);
});
