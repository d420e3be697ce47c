// Registry of step kinds. Adding a kind: one file here (its StepKind) and one line below.
import type { StepKind } from './types.ts';
import { logsKind } from './logs.ts';
import { approvalKind } from './approval.ts';
import { checkKind } from './check.ts';
import { httpKind } from './http.ts';
import { notifyKind } from './notify.ts';
import { runbookKind } from './runbook.ts';
import { waitKind } from './wait.ts';
import { predictKind } from './predict.ts';
import { insightKind } from './insight.ts';
import { redfishKind } from './redfish.ts';
import { ledgerKind } from './ledger.ts';

const registered: StepKind[] = [
  logsKind,
  // kinds register here, one line each
  httpKind,
  notifyKind,
  waitKind,
  checkKind,
  approvalKind,
  runbookKind,
  predictKind,
  insightKind,
  redfishKind,
  ledgerKind,
];

export const stepKinds: ReadonlyMap<string, StepKind> = new Map(registered.map((k) => [k.kind, k]));
export type { StepKind, OutputShape } from './types.ts';
