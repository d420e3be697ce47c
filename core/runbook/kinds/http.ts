// `http`: a real HTTP call with expected status and JSON fields checked (activity `httpRequest`).
import { z } from 'zod';
import type { PlanValue } from '../plan.ts';
import { duration, json, templated } from './schema-helpers.ts';
import type { StepKind } from './types.ts';

const status = z.number().int().min(100).max(599);

/**
 * The body schema. `build` turns it into the params the `httpRequest` activity takes
 * (core/actions/http-call.ts `HttpCallParams`): `expect.status` as a list, `timeout` as `timeoutMs`.
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
    /** Name of an environment variable holding a bearer token (the secret never enters history). */
    bearerTokenEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, 'expected an environment variable name')
      .optional(),
    timeout: duration.optional(),
  })
  .refine((b) => b.body === undefined || b.json === undefined, {
    message: 'expected either `body` or `json`, not both',
    path: ['json'],
  });

type HttpBody = z.output<typeof httpParams>;

export const httpKind: StepKind = {
  kind: 'http',
  exec: 'activity',
  activity: 'httpRequest',
  params: httpParams,
  output: {
    object: { status: 'number', ok: 'boolean', headers: 'any', body: 'string', json: 'any', durationMs: 'number' },
  },
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
  build(b: HttpBody, ctx) {
    const out: Record<string, PlanValue> = { method: b.method, url: ctx.value(b.url, ['url']) };
    if (b.headers) out.headers = ctx.value(b.headers, ['headers']);
    if (b.body !== undefined) out.body = ctx.value(b.body, ['body']);
    if (b.json !== undefined) out.json = ctx.value(b.json, ['json']);
    if (b.bearerTokenEnv !== undefined) out.bearerTokenEnv = b.bearerTokenEnv;
    if (b.expect) out.expect = ctx.value(b.expect, ['expect']);
    if (b.timeout !== undefined) out.timeoutMs = b.timeout;
    return out;
  },
};
