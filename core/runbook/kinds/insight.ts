// `insight`: ask the LLM (or the offline summariser) for the probable cause of an incident
// (activity `insightSummarize`). The answer is schema-checked; failures fall back offline.
import { z } from 'zod';
import { templated } from './schema-helpers.ts';
import type { StepKind } from './types.ts';

export const insightParams = z.strictObject({
  incident: z.string().optional(),
  events: templated(z.array(z.unknown())).optional(),
  metrics: templated(z.array(z.unknown())).optional(),
  logs: templated(z.array(z.unknown())).optional(),
  runbooks: templated(z.array(z.unknown())).optional(),
});

export type InsightRequest = z.output<typeof insightParams>;

export const insightKind: StepKind = {
  kind: 'insight',
  exec: 'activity',
  activity: 'insightSummarize',
  params: insightParams,
  output: {
    object: {
      probableCause: 'string',
      evidence: { array: { object: { ref: 'string', detail: 'string' } } },
      suggestedRunbook: 'any',
      confidence: 'number',
      source: 'string',
    },
  },
  defaults: { retries: 1, timeoutMs: 90_000 },
  mutating: false,
  doc: {
    summary: 'Summarises an incident (probable cause, evidence, suggested runbook, confidence) with an LLM, or offline.',
    example: ['```insight as=why', 'incident: ${inputs.incident}', 'logs: ${errors.hits}', '```'].join('\n'),
  },
};
