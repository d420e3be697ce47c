// `predict`: score a series with the downtime predictor and return a prediction
// (activity `predictScore`): probability, horizon and an explanation of what deviated.
import { z } from 'zod';
import { templated } from './schema-helpers.ts';
import type { StepKind } from './types.ts';

const point = z.strictObject({ t: z.union([z.number(), z.string()]), v: z.union([z.number(), z.null()]) });

export const predictParams = z.strictObject({
  /** Series name (as in the telemetry store, e.g. `fan.rpm{host=r640-01}`): used in the explanation. */
  series: z.string().min(1, 'expected a series name'),
  /** The points to score, oldest first (usually `${metrics.points}` from an earlier step). */
  points: templated(z.array(point)),
  target: z.string().optional(),
  /** Points at the end of the series the prediction speaks for. */
  window: z.number().int().min(1).max(10_000).default(10),
  horizon: z.string().default('PT30M'),
  /** Probability at or above which the step reports `alert: true`. */
  threshold: z.number().min(0).max(1).default(0.9),
});

export type PredictRequest = z.output<typeof predictParams>;

export const predictKind: StepKind = {
  kind: 'predict',
  exec: 'activity',
  activity: 'predictScore',
  params: predictParams,
  output: {
    object: {
      alert: 'boolean',
      probability: 'any',
      status: 'string',
      horizon: 'string',
      series: 'string',
      target: 'string',
      explanation: { object: { summary: 'string', series: 'string', window: 'any', deviated: 'any' } },
    },
  },
  defaults: { retries: 2, timeoutMs: 60_000 },
  mutating: false,
  doc: {
    summary: 'Scores a series with the anomaly detectors and returns a prediction with its explanation.',
    example: ['```predict as=risk', 'series: fan.rpm{host=${inputs.host}}', 'points: ${metrics.points}', 'threshold: 0.9', '```'].join('\n'),
  },
};
