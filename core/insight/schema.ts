// The structured answer of the insight step, shared by the LLM path and the offline summariser.
import { z } from 'zod';

export const evidenceItem = z.strictObject({
  /** What the evidence points at: an event id, a series name, a log reference (`log:<id>`). */
  ref: z.string().min(1),
  detail: z.string().min(1),
});

export const insightAnswer = z.strictObject({
  probableCause: z.string().min(1),
  evidence: z.array(evidenceItem).min(1),
  /** Id of one of the candidate runbooks, or null when none fits. */
  suggestedRunbook: z.string().min(1).nullable(),
  confidence: z.number().min(0).max(1),
});

export type InsightAnswer = z.output<typeof insightAnswer>;

export interface Insight extends InsightAnswer {
  source: 'llm' | 'offline';
  /** Model that answered (llm), or why the offline summariser was used. */
  model?: string;
  fallbackReason?: string;
}

export const incidentContext = z.strictObject({
  incidentId: z.string().min(1),
  target: z.string().default(''),
  events: z.array(z.strictObject({ id: z.string(), at: z.string(), kind: z.string(), summary: z.string() })).default([]),
  metrics: z
    .array(z.strictObject({ series: z.string(), summary: z.string(), anomaly: z.number().min(0).max(1).optional() }))
    .default([]),
  logs: z.array(z.strictObject({ ref: z.string(), at: z.string().optional(), line: z.string() })).default([]),
  runbooks: z.array(z.strictObject({ id: z.string(), title: z.string(), triggers: z.array(z.string()).default([]) })).default([]),
});

export type IncidentContext = z.output<typeof incidentContext>;

/** JSON schema sent to the model (structured outputs) and quoted in the prompt. */
export const insightJsonSchema = z.toJSONSchema(insightAnswer);
