// `wait`: a durable sleep, or poll a probe until a condition holds (implemented in the workflow).
import { z } from 'zod';
import type { PlanValue, WaitParams } from '../plan.ts';
import { duration, expression } from './schema-helpers.ts';
import type { BuildContext, StepKind } from './types.ts';

const MODES = 'expected either `duration` alone, or `until` with `probe` and `timeout`';

export const waitParams = z
  .strictObject({
    /** A plain durable sleep. */
    duration: duration.optional(),
    /** Evaluated after every probe with the probe's output bound as `probe`. */
    until: expression.optional(),
    /** One activity-backed call, written as `{ <kind>: <body> }`, e.g. `{ http: { url: … } }`. */
    probe: z
      .record(z.string(), z.unknown())
      .refine((p) => Object.keys(p).length === 1, { message: 'expected exactly one call such as `http: { url: … }`' })
      .optional(),
    /** Poll interval (default 10s). */
    every: duration.optional(),
    timeout: duration.optional(),
  })
  .superRefine((b, ctx) => {
    const polling = ['until', 'probe', 'every', 'timeout'] as const;
    if (b.duration !== undefined) {
      for (const k of polling) if (b[k] !== undefined) ctx.addIssue({ code: 'custom', path: [k], message: MODES });
      return;
    }
    for (const k of ['until', 'probe', 'timeout'] as const) {
      if (b[k] === undefined) ctx.addIssue({ code: 'custom', path: [k], message: MODES });
    }
  });

type WaitBody = z.output<typeof waitParams>;

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
    if (body.duration !== undefined) return { durationMs: body.duration } satisfies WaitParams;
    const [name, raw] = Object.entries(body.probe ?? {})[0] ?? ['', undefined];
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
    const until = ctx.expr(body.until ?? '', ['until'], { probe: kind.output });
    const out: WaitParams = {
      probe: { kind: kind.kind, activity: kind.activity, params },
      everyMs: body.every ?? 10_000,
      timeoutMs: body.timeout ?? 0,
    };
    if (until) out.until = until;
    return out;
  },
};
