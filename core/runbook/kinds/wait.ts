// `wait`: a durable sleep, or poll a probe until a condition holds (implemented in the workflow).
import { z } from 'zod';
import type { PlanValue, WaitParams } from '../plan.ts';
import { duration, expression } from './schema-helpers.ts';
import type { BuildContext, StepKind } from './types.ts';

export const waitParams = z.union([
  z.strictObject({ duration }),
  z.strictObject({
    /** Evaluated after every probe with the probe's output bound as `probe`. */
    until: expression,
    /** One activity-backed call, written as `{ <kind>: <body> }`, e.g. `{ http: { url: … } }`. */
    probe: z.record(z.string(), z.unknown()).refine((p) => Object.keys(p).length === 1, {
      message: 'expected exactly one call such as `http: { url: … }`',
    }),
    every: duration.default(10_000),
    timeout: duration,
  }),
]);

type WaitBody =
  { duration: number } | { until: string; probe: Record<string, unknown>; every: number; timeout: number };

export const waitKind: StepKind = {
  kind: 'wait',
  exec: 'workflow',
  params: waitParams,
  output: { object: { polls: 'number', waitedMs: 'number', probe: 'any' } },
  defaults: { retries: 0, timeoutMs: 30_000 }, // timeoutMs: per probe call
  mutating: false,
  doc: {
    summary: 'Sleeps durably, or polls a probe every `every` until `until` holds, failing after `timeout`.',
    example: [
      '```wait',
      'until: probe.status == 200',
      'probe:',
      '  http: { url: "${inputs.base_url}/health", expect: { status: [200, 503] } }',
      'every: 5s',
      'timeout: 2m',
      '```',
    ].join('\n'),
  },
  build(body: WaitBody, ctx) {
    if ('duration' in body) return { durationMs: body.duration } satisfies WaitParams;
    const [name, raw] = Object.entries(body.probe)[0] ?? ['', undefined];
    const kind = ctx.kind(name);
    if (!kind || kind.exec !== 'activity' || !kind.activity) {
      ctx.error(['probe'], `Unexpected probe kind \`${name}\`, expected an activity kind such as \`http\``);
      return null;
    }
    const prefix = ['probe', name];
    const parsed = ctx.nested(kind, raw, prefix);
    // The probe's params go through its own kind's build, with paths inside the probe.
    const sub: BuildContext = {
      ...ctx,
      value: (r, p) => ctx.value(r, [...prefix, ...p]),
      expr: (src, p, scope) => ctx.expr(src, [...prefix, ...p], scope),
      error: (p, message) => ctx.error([...prefix, ...p], message),
      nested: (k, r, p) => ctx.nested(k, r, [...prefix, ...p]),
    };
    const params =
      parsed === undefined ? null : kind.build ? (kind.build(parsed, sub) as PlanValue) : ctx.value(raw, prefix);
    const until = ctx.expr(body.until, ['until'], { probe: kind.output });
    const out: WaitParams = {
      probe: { kind: kind.kind, activity: kind.activity, params },
      everyMs: body.every,
      timeoutMs: body.timeout,
    };
    if (until) out.until = until;
    return out;
  },
};
