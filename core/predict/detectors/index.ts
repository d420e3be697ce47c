// Named detector configurations (one configuration for every series: no per-series tuning).
import { DEFAULT_ENSEMBLE, EnsembleDetector, type EnsembleConfig } from './ensemble.ts';
import type { StreamingScorer } from './types.ts';

export type { StreamingScorer, PointScore } from './types.ts';

class EnsembleScorer implements StreamingScorer {
  private readonly d: EnsembleDetector;
  constructor(config: EnsembleConfig) {
    this.d = new EnsembleDetector(config);
  }
  update(t: number, value: number) {
    return { score: this.d.update(t, value) };
  }
}

export const detectors: Record<string, (overrides?: Partial<EnsembleConfig>) => StreamingScorer> = {
  ironthrone: (o) => new EnsembleScorer({ ...DEFAULT_ENSEMBLE, ...o }),
};
