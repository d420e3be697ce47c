// The front matter schema: what a runbook declares about itself.
import { z } from 'zod';
import { parseDuration } from './duration.ts';

export const SLUG = /^[a-z0-9][a-z0-9-]*$/;
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const INPUT_TYPES = ['string', 'number', 'boolean', 'duration', 'host', 'url', 'json'] as const;

const CRON_FIELDS: [string, number, number][] = [
  ['minute', 0, 59],
  ['hour', 0, 23],
  ['day of month', 1, 31],
  ['month', 1, 12],
  ['day of week', 0, 7],
];
const NAMES: Record<string, number> = Object.fromEntries([
  ...['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map(
    (m, i): [string, number] => [m, i + 1]
  ),
  ...['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d, i): [string, number] => [d, i]),
]);

/** Why a cron expression is invalid, or undefined if it is a valid 5-field (or @macro) cron. */
export function cronProblem(expr: string): string | undefined {
  const s = expr.trim();
  if (/^@(yearly|annually|monthly|weekly|daily|hourly)$/.test(s)) return undefined;
  const fields = s.split(/\s+/);
  if (fields.length !== 5)
    return `expected 5 cron fields (minute hour day-of-month month day-of-week), got ${fields.length}`;
  for (const [i, field] of fields.entries()) {
    const [name, lo, hi] = CRON_FIELDS[i] ?? ['field', 0, 0];
    for (const part of field.split(',')) {
      const m = /^(\*|([a-z0-9]+)(?:-([a-z0-9]+))?)(?:\/(\d+))?$/i.exec(part);
      const val = (t: string | undefined) =>
        t === undefined ? undefined : /^\d+$/.test(t) ? Number(t) : NAMES[t.toLowerCase()];
      const a = val(m?.[2]);
      const b = val(m?.[3]);
      const bad =
        !m || (m[2] !== undefined && a === undefined) || (m[3] !== undefined && b === undefined) || m[4] === '0';
      if (bad || (a !== undefined && (a < lo || a > hi)) || (b !== undefined && (b < lo || b > hi || b < (a ?? lo)))) {
        return `expected a ${name} between ${lo} and ${hi} (got \`${part}\`)`;
      }
    }
  }
  return undefined;
}

const durationText = z.string().refine((s) => parseDuration(s) !== undefined, {
  message: 'expected a duration such as 30s, 5m or 2h',
});

export const inputSpecSchema = z.strictObject({
  type: z.enum(INPUT_TYPES).default('string'),
  required: z.boolean().default(false),
  default: z.unknown().optional(),
  description: z.string().optional(),
});

export const triggerSchema = z.strictObject({
  event: z.string().min(1),
  match: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional(),
  threshold: z.number().min(0).max(1).optional(),
  when: z.string().min(1).optional(),
});

export const frontMatterSchema = z.strictObject({
  id: z.string().regex(SLUG, 'expected a slug such as `disk-cleanup` (lowercase letters, digits, dashes)'),
  title: z.string().min(1),
  version: z.union([z.string().min(1), z.number()]).transform(String),
  description: z.string().optional(),
  triggers: z.array(triggerSchema).default([]),
  inputs: z
    .record(z.string().regex(IDENTIFIER, 'expected an input name such as `base_url`'), inputSpecSchema.nullable())
    .default({}),
  approvers: z.array(z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a role name such as sre')).default([]),
  timeout: durationText.optional(),
  schedule: z
    .string()
    .refine((s) => cronProblem(s) === undefined, {
      error: (iss) => cronProblem(String(iss.input)) ?? 'expected a cron',
    })
    .optional(),
  /** Template naming the run's target; default `${inputs.host}` or `${inputs.target}`. */
  target: z.string().min(1).optional(),
});

export type FrontMatter = z.output<typeof frontMatterSchema>;
export type InputSpecBody = z.output<typeof inputSpecSchema>;

/** Whether a value fits an input type (for defaults at compile time and raw values at run time). */
export function fitsType(type: (typeof INPUT_TYPES)[number], v: unknown): boolean {
  switch (type) {
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'duration':
      return typeof v === 'string' && parseDuration(v) !== undefined;
    case 'url':
      return typeof v === 'string' && URL.canParse(v);
    case 'host':
      return typeof v === 'string' && /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d+)?$/.test(v);
    case 'string':
      return typeof v === 'string';
    case 'json':
      return true;
  }
}
