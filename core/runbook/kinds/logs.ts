// `logs`: search the log store for incident context (activity `logsSearch`). With `at` (or the
// run's incident time passed in), the window is `before`/`after` around it; otherwise the last
// `before` up to now. Results are bound with `as=` for later steps (`${steps.ctx.hits}`).
import { z } from 'zod';
import { SEVERITIES } from '../../logs/types.ts';
import { duration, templated } from './schema-helpers.ts';
import type { StepKind } from './types.ts';

export const logsParams = z.strictObject({
  /** Free-text words, all of which must match (message or raw line). */
  query: z.string().optional(),
  host: z.string().min(1).optional(),
  service: z.string().min(1).optional(),
  minSeverity: z.enum(SEVERITIES).optional(),
  messageId: z.string().min(1).optional(),
  /** Centre of the window (ISO time); default: when the step runs. */
  at: z.string().min(1).optional(),
  before: duration.default(15 * 60_000),
  after: duration.default(5 * 60_000),
  limit: templated(z.number().int().min(1).max(1000)).default(50),
});

export type LogsRequest = z.output<typeof logsParams>;

export const logsKind: StepKind = {
  kind: 'logs',
  exec: 'activity',
  activity: 'logsSearch',
  params: logsParams,
  output: {
    object: {
      total: 'number',
      since: 'string',
      until: 'string',
      hits: {
        array: {
          object: {
            id: 'string',
            ts: 'string',
            host: 'string',
            service: 'string',
            severity: 'string',
            message: 'string',
            messageId: 'string',
          },
        },
      },
      bySeverity: 'any',
    },
  },
  defaults: { retries: 3, timeoutMs: 60_000 },
  mutating: false,
  doc: {
    summary: 'Searches the logs (SQLite FTS or Elasticsearch) around a time, by host, service, text and severity.',
    example: [
      '```logs as=ctx',
      'host: ${inputs.host}',
      'query: fan',
      'minSeverity: warning',
      'before: 30m',
      'after: 5m',
      '```',
    ].join('\n'),
  },
};
