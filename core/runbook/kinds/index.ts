// Registry of step kinds. Adding a kind: one file here (its StepKind) and one line below.
import type { StepKind } from './types.ts';

const registered: StepKind[] = [
  // kinds register here, one line each
];

export const stepKinds: ReadonlyMap<string, StepKind> = new Map(registered.map((k) => [k.kind, k]));
export type { StepKind, OutputShape } from './types.ts';
