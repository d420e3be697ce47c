// Named detector configurations (one configuration for every series: no per-series tuning).
import { DEFAULT_ENSEMBLE, EnsembleDetector, type EnsembleConfig } from './ensemble.ts';
import type { StreamingScorer } from './types.ts';

export type { StreamingScorer, PointScore } from './types.ts';

export class EnsembleScorer implements StreamingScorer {
  readonly detector: EnsembleDetector;
  constructor(config: EnsembleConfig) {
    this.detector = new EnsembleDetector(config);
  }
  update(t: number, value: number) {
    return this.detector.score(t, value);
  }
}

export const detectors: Record<string, (overrides?: Partial<EnsembleConfig>) => StreamingScorer> = {
  ironthrone: (o) => new EnsembleScorer({ ...DEFAULT_ENSEMBLE, ...o }),
};
