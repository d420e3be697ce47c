// Regression guard: our detector's NAB score on the development corpus (deterministic: no
// randomness anywhere in the ensemble). Bar: Numenta HTM's 68.85 on these 50 series.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultNabDir, loadCorpus, loadProfiles } from '../../../core/predict/nab/corpus.ts';
import { scoreAllProfiles } from '../../../core/predict/nab/evaluate.ts';
import { runOnCorpus } from '../../../core/predict/nab/run.ts';
import { detectors } from '../../../core/predict/detectors/index.ts';

const nabDir = defaultNabDir();

describe.skipIf(!existsSync(join(nabDir, 'data')))('our detector on NAB', () => {
  it('scores at least the published Numenta HTM results on the standard profile', () => {
    const corpus = loadCorpus(nabDir);
    const results = runOnCorpus(corpus, () => detectors.ironthrone!());
    const s = scoreAllProfiles(corpus, results, loadProfiles(nabDir));
    expect(s.standard.score).toBeGreaterThanOrEqual(68.85);
    expect(s.reward_low_FN_rate.score).toBeGreaterThan(s.standard.score);
  }, 300_000);
});
