// Zod helpers for step-kind bodies: which fields may hold `${…}`, and durations.
import { z } from 'zod';
import { parseDuration } from '../duration.ts';

/** A string that holds at least one `${…}`: its value is only known at run time. */
export const templateString = z.string().regex(/\$\{/, 'expected a `${…}` expression');

/** `schema`, or a `${…}` string whose value must fit it at run time. */
export function templated<T extends z.ZodType>(schema: T): z.ZodUnion<[T, typeof templateString]> {
  return z.union([schema, templateString]);
}

/** A literal duration (`30s`, `5m`, `2h`) converted to milliseconds. */
export const duration = z
  .string()
  .refine((s) => parseDuration(s) !== undefined, { message: 'expected a duration such as 30s, 5m or 2h' })
  .transform((s) => parseDuration(s) ?? 0);

/** An expression written bare (`status == 200`) or wrapped (`${status == 200}`). */
export const expression = z.string().min(1, 'expected an expression');

/** Any JSON value a YAML body can hold. */
export const json: z.ZodType<unknown> = z.unknown();
