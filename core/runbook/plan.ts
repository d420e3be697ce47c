// The compiled runbook (the IR). It is plain JSON, travels in workflow input and is all the
// interpreter needs, so a history alone is enough to replay a run. Pure types: this file is
// imported by workflow code and must never import anything with side effects.

export const PLAN_SCHEMA_VERSION = 1 as const;

/** Expression AST produced by the compiler from `${…}` (jsep-parsed, then normalised). */
export type ExprNode =
  | { t: 'lit'; v: string | number | boolean | null }
  | { t: 'id'; name: string }
  | { t: 'member'; obj: ExprNode; prop: ExprNode; computed: boolean }
  | { t: 'un'; op: '!' | '-' | '+'; arg: ExprNode }
  | { t: 'bin'; op: string; left: ExprNode; right: ExprNode }
  | { t: 'cond'; test: ExprNode; then: ExprNode; else: ExprNode }
  | { t: 'call'; fn: string; args: ExprNode[] }
  | { t: 'arr'; items: ExprNode[] };

/**
 * A parameter value in the plan. Plain JSON stays as is; a string that was exactly one
 * `${expr}` becomes `{ $expr }` (keeps the expression's type), a string mixing text and
 * expressions becomes `{ $tpl }` (always a string).
 */
export type PlanValue =
  | string
  | number
  | boolean
  | null
  | PlanValue[]
  | { $expr: ExprNode; src: string }
  | { $tpl: (string | { $expr: ExprNode; src: string })[]; src: string }
  | { [key: string]: PlanValue };

export interface StepPolicy {
  /** Extra attempts after the first (retries=3 means up to 4 attempts). */
  retries: number;
  /** Per-attempt timeout in milliseconds. */
  timeoutMs: number;
  /** Name under which the step's output is bound for later steps. */
  as?: string;
  /** Run the step only when this evaluates truthy. */
  if?: { $expr: ExprNode; src: string };
  /** A failure of this step does not fail the runbook (output becomes `{ error }`). */
  continueOnError?: boolean;
  /** The step changes hardware state irreversibly; the compiler demands an approval before it. */
  destructive?: boolean;
}

export interface PlanStep {
  /** Unique, stable slug of the heading; part of the idempotency key. */
  id: string;
  /** The heading text. */
  name: string;
  kind: string;
  /** `activity`: dispatched to `activity` by name; `workflow`: implemented in the interpreter. */
  exec: 'activity' | 'workflow';
  activity?: string;
  params: PlanValue;
  policy: StepPolicy;
  /** Prose of the section, kept for display. */
  doc: string;
  /** 1-based source line of the heading. */
  line: number;
}

export type PlanNode =
  | { type: 'step'; step: PlanStep }
  | { type: 'parallel'; id: string; name: string; line: number; steps: PlanStep[] };

export type InputType = 'string' | 'number' | 'boolean' | 'duration' | 'host' | 'url' | 'json';

export interface InputSpec {
  name: string;
  type: InputType;
  required: boolean;
  default?: string | number | boolean | null | Record<string, unknown> | unknown[];
  description?: string;
}

export interface Trigger {
  /** Event kind (e.g. `availability.down`, `hardware.fan`) or `prediction`. */
  event: string;
  /** Tag equality conditions on the event. */
  match?: Record<string, string>;
  /** For predictions: minimum probability. */
  threshold?: number;
  /** Optional expression over the event (`event.severity == "critical"`). */
  when?: { $expr: ExprNode; src: string };
}

export interface Plan {
  schemaVersion: typeof PLAN_SCHEMA_VERSION;
  id: string;
  title: string;
  version: string;
  /** SHA-256 (hex) of the Markdown source. */
  sourceHash: string;
  sourcePath: string;
  description: string;
  inputs: InputSpec[];
  /** Roles allowed to approve gated steps unless a step narrows them. */
  approvers: string[];
  /** Whole-run timeout in ms, if any. */
  timeoutMs?: number;
  /** Cron expression for Temporal Schedules. */
  schedule?: string;
  triggers: Trigger[];
  /** The run's target (search attribute, workflow id), resolved against `{ inputs }`; from front matter `target`, else `${inputs.host}` or `${inputs.target}` when declared. */
  target?: PlanValue;
  steps: PlanNode[];
  rollback: PlanStep[];
  /** Child runbooks referenced by `runbook` steps, compiled and embedded (no cycles). */
  children: Record<string, Plan>;
}

/** Parameters of the workflow-executed kinds, as the compiler normalises them. */
export interface ApprovalParams {
  /** Roles allowed; empty means the runbook's `approvers`. */
  approvers: string[];
  /** How many distinct approvers must approve. */
  approvals: number;
  timeoutMs: number;
  /** What to do when the timeout fires. */
  onTimeout: 'abort' | 'escalate' | 'reject';
  /** For `escalate`: notify, then wait this much longer before aborting. */
  escalation?: { notify: PlanValue; timeoutMs: number };
  message?: PlanValue;
}

export interface WaitParams {
  /** Plain durable sleep. */
  durationMs?: number;
  /**
   * Or poll: run `probe` (an activity-backed step kind, e.g. an http call) every `everyMs`,
   * bind its output as `probe`, and stop when `until` is true; fail after `timeoutMs`.
   */
  until?: { $expr: ExprNode; src: string };
  probe?: { kind: string; activity: string; params: PlanValue };
  everyMs?: number;
  timeoutMs?: number;
}

export interface CheckParams {
  /** Each assertion must be truthy. */
  assert: { $expr: ExprNode; src: string }[];
  message?: PlanValue;
}

export interface ChildRunbookParams {
  runbook: string;
  inputs: PlanValue;
  target?: PlanValue;
}

/** What every step-kind activity receives beside its resolved params. */
export interface StepContext {
  workflowId: string;
  runId: string;
  runbookId: string;
  stepId: string;
  /** `<workflowId>:<stepId>`: hardware and other non-idempotent calls must honour it. */
  idempotencyKey: string;
  target: string;
  incidentId: string;
  /** Print what would be sent; send nothing. */
  dryRun: boolean;
}
