// `http`: a real HTTP call with expected status and JSON fields checked (activity `httpRequest`).
import { z } from 'zod';
import { duration, json, templated } from './schema-helpers.ts';
import type { StepKind } from './types.ts';

const status = z.number().int().min(100).max(599);

/**
 * The body schema. The plan keeps the body as written (with `${…}` compiled); the activity
 * re-parses the resolved params with this same schema, which normalises `expect.status` to a
 * list and `timeout` to milliseconds.
 */
export const httpParams = z
  .strictObject({
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
    url: z.string().min(1, 'expected a URL'),
    headers: z.record(z.string(), z.string()).optional(),
    /** Raw request body (sent as is). */
    body: z.string().optional(),
    /** JSON request body (sent with content-type application/json). */
    json: json.optional(),
    expect: z
      .strictObject({
        status: templated(z.union([status, z.array(status).min(1)]))
          .optional()
          .transform((s) => (s === undefined ? undefined : Array.isArray(s) ? s : typeof s === 'number' ? [s] : s)),
        /** Dotted path in the response JSON → expected value. */
        json: z.record(z.string(), json).optional(),
      })
      .optional(),
    timeout: duration.optional(),
  })
  .refine((b) => b.body === undefined || b.json === undefined, {
    message: 'expected either `body` or `json`, not both',
    path: ['json'],
  });

/** The resolved request the `httpRequest` activity receives after `httpParams.parse`. */
export type HttpRequest = z.output<typeof httpParams>;

/** What the `httpRequest` activity returns (bound by `as=`). */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  json: unknown;
}

export const httpKind: StepKind = {
  kind: 'http',
  exec: 'activity',
  activity: 'httpRequest',
  params: httpParams,
  output: { object: { status: 'number', headers: 'any', body: 'string', json: 'any' } },
  defaults: { retries: 2, timeoutMs: 30_000 },
  mutating: true,
  doc: {
    summary: 'Calls an HTTP endpoint; fails unless the status (default 2xx) and JSON fields match.',
    example: [
      '```http retries=3 timeout=30s as=health',
      'method: GET',
      'url: ${inputs.base_url}/health',
      'expect:',
      '  status: 200',
      '  json: { status: ok }',
      '```',
    ].join('\n'),
  },
};
