// The extension point for step kinds. A new kind is one file in this folder exporting a
// `StepKind` (registered in ./index.ts) plus, for `exec: 'activity'`, one activity of the
// same `activity` name in activities/. Nothing else changes: the compiler validates the
// body with `params`, the interpreter dispatches by `activity` name.
import type { z } from 'zod';
import type { ExprNode, PlanValue } from '../plan.ts';

/** Static shape of a kind's output, used by the expression type checker. */
export type OutputShape =
  'any' | 'string' | 'number' | 'boolean' | 'null' | { array: OutputShape } | { object: Record<string, OutputShape> };

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
  /**
   * Optional: turn the validated body (zod output) into the plan's params. Workflow kinds
   * normalise here (ApprovalParams, WaitParams, …). Without it, the raw YAML body is kept with
   * its `${…}` strings compiled, so an activity can re-validate the resolved params with `params`.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each kind types its own body
  build?: (body: any, ctx: BuildContext) => unknown;
}

export type BodyPath = (string | number)[];

/** What a kind's `build` may ask of the compiler. Paths are paths into the YAML body. */
export interface BuildContext {
  /** Compile the `${…}` strings inside a raw body value found at `path`. */
  value(raw: unknown, path: BodyPath): PlanValue;
  /** Compile an expression written bare or as `${…}`; `scope` adds names visible only here. */
  expr(src: string, path: BodyPath, scope?: Record<string, OutputShape>): { $expr: ExprNode; src: string } | undefined;
  /** Report a problem at `path`, in remark-lint's "Unexpected X, expected Y" shape. */
  error(path: BodyPath, message: string): void;
  /** The runbook's front-matter approver roles. */
  approvers: string[];
  /** Another registered kind (for nested calls such as a wait's probe). */
  kind(name: string): StepKind | undefined;
  /** Validate a nested body with `kind.params`, reporting problems at `path`; undefined if invalid. */
  nested(kind: StepKind, raw: unknown, path: BodyPath): unknown;
}
