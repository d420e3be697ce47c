// Types of the runbook workflow's input, state and messages. Pure types, shared by the
// workflow, the CLI, the HTTP API and tests.
import type { Plan } from '../core/runbook/plan.ts';

export type RunStatus =
  | 'running'
  | 'waiting-approval'
  | 'paused'
  | 'rolling-back'
  | 'completed'
  | 'failed'
  | 'rolled-back'
  | 'cancelled'
  | 'rejected';

export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'continued' | 'compensated';

export interface StepRecord {
  id: string;
  status: StepStatus;
  attempts?: number;
  startedAt?: string;
  endedAt?: string;
  error?: string;
  /** The step produced this output (bound under `as` too). */
  output?: unknown;
}

export interface Decision {
  stepId: string;
  user: string;
  role: string;
  decision: 'approve' | 'reject';
  comment?: string;
  at: string;
  via: 'update' | 'signal';
}

export interface Refusal {
  stepId?: string;
  user: string;
  reason: string;
  at: string;
  via: 'update' | 'signal';
}

/** State carried across continue-as-new and into a re-run from a failed step. */
export interface CarriedState {
  completed: Record<string, StepRecord>;
  bindings: Record<string, unknown>;
  decisions: Decision[];
  refusals: Refusal[];
  /** How many runs (continue-as-new generations) came before. */
  generation: number;
  /** Workflow id of the failed run this one re-runs, if any. */
  rerunOf?: string;
}

export interface RunbookInput {
  plan: Plan;
  inputs: Record<string, unknown>;
  target: string;
  incidentId: string;
  /** user → roles, read from the users file when the run starts (config travels in input). */
  roles: Record<string, string[]>;
  dryRun?: boolean;
  /** Record starts, step outcomes and approvals on the ledger. */
  record?: boolean;
  /** Continue-as-new after this many steps in one run (history stays bounded). */
  maxStepsPerRun?: number;
  carry?: CarriedState;
}

export interface RunbookResult {
  status: RunStatus;
  runbookId: string;
  steps: StepRecord[];
  outputs: Record<string, unknown>;
  decisions: Decision[];
}

export interface ApprovalRequest {
  /** Approval step; default: the pending one, else the next undecided approval step. */
  stepId?: string;
  user: string;
  decision: 'approve' | 'reject';
  comment?: string;
}

export interface PendingApproval {
  stepId: string;
  name: string;
  roles: string[];
  needed: number;
  approvedBy: string[];
  message?: string;
  since: string;
  escalated: boolean;
}

export interface Progress {
  runbookId: string;
  title: string;
  status: RunStatus;
  paused: boolean;
  currentStep?: string;
  steps: (StepRecord & { name: string; kind: string })[];
  outputs: Record<string, unknown>;
  pendingApproval?: PendingApproval;
  decisions: Decision[];
  refusals: Refusal[];
  generation: number;
}

/** What the interpreter reports for the ledger; the activity turns it into schema records. */
export type RunbookLedgerEvent =
  | { kind: 'start'; at: string; planHash: string; inputs: Record<string, unknown> }
  | { kind: 'step'; at: string; stepId: string; stepKind: string; status: StepStatus; error?: string; output?: unknown }
  | { kind: 'approval'; at: string; stepId: string; user: string; role: string; decision: 'approve' | 'reject' | 'refused'; comment?: string }
  | { kind: 'end'; at: string; status: RunStatus };

export interface RunbookLedgerBatch {
  workflowId: string;
  /** First run id of the execution chain: makes record ids unique per execution. */
  executionId: string;
  runbookId: string;
  target: string;
  incidentId: string;
  events: RunbookLedgerEvent[];
}
