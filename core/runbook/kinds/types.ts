// The extension point for step kinds. A new kind is one file in this folder exporting a
// `StepKind` (registered in ./index.ts) plus, for `exec: 'activity'`, one activity of the
// same `activity` name in activities/. Nothing else changes: the compiler validates the
// body with `params`, the interpreter dispatches by `activity` name.
import type { z } from 'zod';

/** Static shape of a kind's output, used by the expression type checker. */
export type OutputShape =
  | 'any'
  | 'string'
  | 'number'
  | 'boolean'
  | 'null'
  | { array: OutputShape }
  | { object: Record<string, OutputShape> };

export interface StepKind {
  kind: string;
  exec: 'activity' | 'workflow';
  /** Activity type name (history-visible: rename never). Required when exec is `activity`. */
  activity?: string;
  /**
   * Schema of the fenced block's YAML body. Fields may hold `${…}` strings where the schema
   * allows it (see `templated()` in ./schema-helpers.ts).
   */
  params: z.ZodType;
  output: OutputShape;
  defaults: { retries: number; timeoutMs: number };
  /** Whether the kind changes external state (hardware, services): used by dry-run and lint. */
  mutating: boolean;
  doc: { summary: string; example: string };
}
