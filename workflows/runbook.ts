// The runbook interpreter: one generic, deterministic workflow that runs any compiled plan.
// Markdown is never parsed here; the plan arrives in the input, so history alone replays it.
import {
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  executeChild,
  isCancellation,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
  allHandlersFinished,
  log,
} from '@temporalio/workflow';
import { defineSearchAttributeKey } from '@temporalio/common';
import type {
  ApprovalParams,
  ChildRunbookParams,
  CheckParams,
  PlanNode,
  PlanStep,
  StepContext,
  WaitParams,
} from '../core/runbook/plan.ts';
import { evaluate, resolveValue, truthy } from '../core/runbook/expr/evaluate.ts';
import { approveSignal, approveUpdate, pauseSignal, progressQuery, resumeSignal } from './runbook-messages.ts';
import { allSteps, allowedRoles, checkApproval, tally } from './runbook-logic.ts';
import type {
  ApprovalRequest,
  CarriedState,
  Decision,
  PendingApproval,
  Progress,
  RunbookInput,
  RunbookLedgerBatch,
  RunbookLedgerEvent,
  RunbookResult,
  RunStatus,
  StepRecord,
} from './runbook-types.ts';

const STATUS = defineSearchAttributeKey('RunbookStatus', 'KEYWORD');

type StepFn = (params: unknown, ctx: StepContext) => Promise<unknown>;

/** Error types that must never be retried (bad input, refusals, business rejections). */
const NON_RETRYABLE = ['BadInput', 'Refused', 'NotFound', 'Unauthorized', 'CheckFailed', 'ApprovalRejected', 'ExprError'];

function activityFor(step: Pick<PlanStep, 'name' | 'activity' | 'policy'> & { activity: string }): StepFn {
  const acts = proxyActivities<Record<string, StepFn>>({
    startToCloseTimeout: step.policy.timeoutMs,
    summary: step.name,
    retry: {
      maximumAttempts: step.policy.retries + 1,
      initialInterval: '1s',
      backoffCoefficient: 2,
      maximumInterval: '30s',
      nonRetryableErrorTypes: NON_RETRYABLE,
    },
  });
  const fn = acts[step.activity];
  if (!fn) throw ApplicationFailure.nonRetryable(`no activity ${step.activity}`, 'BadInput');
  return fn;
}

const recorder = proxyActivities<{ runbookLedgerRecord(batch: RunbookLedgerBatch): Promise<unknown> }>({
  startToCloseTimeout: '30s',
  summary: 'record on the ledger',
  retry: { maximumAttempts: 10, initialInterval: '1s', maximumInterval: '20s' },
});

export async function runRunbook(input: RunbookInput): Promise<RunbookResult> {
  const { plan } = input;
  const info = workflowInfo();
  const carry: CarriedState = input.carry ?? { completed: {}, bindings: {}, decisions: [], refusals: [], generation: 0 };
  const completed: Record<string, StepRecord> = { ...carry.completed };
  const bindings: Record<string, unknown> = { ...carry.bindings };
  const decisions: Decision[] = [...carry.decisions];
  const refusals = [...carry.refusals];
  const records: Record<string, StepRecord> = {};
  for (const s of allSteps(plan)) records[s.id] = completed[s.id] ?? { id: s.id, status: 'pending' };
  let status: RunStatus = 'running';
  let paused = false;
  let current: string | undefined;
  let pending: PendingApproval | undefined;
  let stepsThisRun = 0;
  const finishedApprovals = new Set(
    Object.values(completed)
      .filter((r) => r.status !== 'pending')
      .map((r) => r.id)
  );

  const now = () => new Date().toISOString();
  const setStatus = (s: RunStatus) => {
    if (s === status) return;
    status = s;
    upsertSearchAttributes([{ key: STATUS, value: s }]);
  };
  const ledger = async (events: RunbookLedgerEvent[]) => {
    if (!input.record || input.dryRun || events.length === 0) return;
    try {
      await recorder.runbookLedgerRecord({
        workflowId: info.workflowId,
        executionId: info.firstExecutionRunId,
        runbookId: plan.id,
        target: input.target,
        incidentId: input.incidentId,
        events,
      });
    } catch (err) {
      // The run must not fail because the ledger is slow; the batcher retries on its side.
      log.warn('ledger submit failed', { error: String(err) });
    }
  };

  const scope = (): Record<string, unknown> => ({
    ...bindings,
    inputs: input.inputs,
    run: { workflowId: info.workflowId, runbookId: plan.id, target: input.target, incidentId: input.incidentId },
  });

  const decide = (req: Parameters<typeof checkApproval>[2], via: 'update' | 'signal'): Decision => {
    const check = checkApproval(plan, input.roles, req, pending, decisions, finishedApprovals);
    if (!check.ok || !check.step || !check.role) throw new Error(check.reason ?? 'refused');
    const d: Decision = {
      stepId: check.step.id,
      user: req.user,
      role: check.role,
      decision: req.decision,
      comment: req.comment,
      at: now(),
      via,
    };
    decisions.push(d);
    if (pending && pending.stepId === d.stepId && d.decision === 'approve') pending.approvedBy.push(d.user);
    return d;
  };

  setHandler(approveUpdate, (req) => decide(req, 'update'), {
    validator: (req: ApprovalRequest) => {
      const check = checkApproval(plan, input.roles, req, pending, decisions, finishedApprovals);
      if (!check.ok) throw new Error(check.reason);
    },
  });
  setHandler(approveSignal, async (req) => {
    try {
      decide(req, 'signal');
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const user = typeof req?.user === 'string' && req.user ? req.user : '(unknown)';
      const at = now();
      refusals.push({ stepId: req?.stepId, user, reason, at, via: 'signal' });
      log.warn('approval signal refused', { user, reason });
      await ledger([{ kind: 'approval', at, stepId: req?.stepId ?? pending?.stepId ?? '(none)', user, role: '', decision: 'refused', comment: reason }]);
    }
  });
  setHandler(pauseSignal, () => {
    paused = true;
  });
  setHandler(resumeSignal, () => {
    paused = false;
  });
  setHandler(
    progressQuery,
    (): Progress => ({
      runbookId: plan.id,
      title: plan.title,
      status: paused && status === 'running' ? 'paused' : status,
      paused,
      currentStep: current,
      steps: allSteps(plan).map((s) => ({ ...records[s.id]!, name: s.name, kind: s.kind })),
      outputs: bindings,
      pendingApproval: pending,
      decisions,
      refusals,
      generation: carry.generation,
    })
  );

  const ctxFor = (step: PlanStep): StepContext => ({
    workflowId: info.workflowId,
    runId: info.runId,
    runbookId: plan.id,
    stepId: step.id,
    idempotencyKey: `${info.workflowId}:${step.id}`,
    target: input.target,
    incidentId: input.incidentId,
    dryRun: input.dryRun ?? false,
  });

  async function runApproval(step: PlanStep): Promise<unknown> {
    const p = step.params as unknown as ApprovalParams;
    const roles = allowedRoles(plan, step);
    const message = p.message === undefined ? undefined : String(resolveValue(p.message, scope()));
    pending = { stepId: step.id, name: step.name, roles, needed: p.approvals, approvedBy: tally(decisions, step.id, p.approvals).approvedBy, message, since: now(), escalated: false };
    setStatus('waiting-approval');
    const decided = () => tally(decisions, step.id, p.approvals).state !== 'pending';
    let done = await condition(decided, p.timeoutMs);
    if (!done && p.onTimeout === 'escalate' && p.escalation) {
      pending.escalated = true;
      const notify = activityFor({ name: `escalate: ${step.name}`, activity: 'notifySend', policy: { retries: 3, timeoutMs: 30_000 } });
      await notify(resolveValue(p.escalation.notify, scope()), ctxFor(step));
      done = await condition(decided, p.escalation.timeoutMs);
    }
    const result = tally(decisions, step.id, p.approvals);
    pending = undefined;
    finishedApprovals.add(step.id);
    setStatus('running');
    const mine = decisions.filter((d) => d.stepId === step.id);
    await ledger(mine.map((d) => ({ kind: 'approval', at: d.at, stepId: d.stepId, user: d.user, role: d.role, decision: d.decision, comment: d.comment })));
    if (!done && p.onTimeout !== 'reject') {
      throw ApplicationFailure.nonRetryable(`approval ${step.id} timed out`, 'ApprovalTimeout');
    }
    if (result.state !== 'approved') {
      const who = mine.find((d) => d.decision === 'reject');
      throw ApplicationFailure.nonRetryable(
        who ? `approval ${step.id} rejected by ${who.user}${who.comment ? `: ${who.comment}` : ''}` : `approval ${step.id} timed out and was rejected`,
        'ApprovalRejected'
      );
    }
    return { approved: true, approvers: result.approvedBy, comments: mine.map((d) => d.comment ?? '').filter(Boolean) };
  }

  async function runWait(step: PlanStep): Promise<unknown> {
    const p = step.params as unknown as WaitParams;
    if (p.durationMs !== undefined && !p.until) {
      await sleep(p.durationMs);
      return { waitedMs: p.durationMs };
    }
    if (!p.until || !p.probe) throw ApplicationFailure.nonRetryable(`wait ${step.id} has neither duration nor until+probe`, 'BadInput');
    const probe = activityFor({ name: `${step.name} (probe)`, activity: p.probe.activity, policy: { retries: 0, timeoutMs: step.policy.timeoutMs } });
    const started = Date.now();
    const deadline = started + (p.timeoutMs ?? 300_000);
    let polls = 0;
    for (;;) {
      polls++;
      let result: unknown;
      try {
        result = await probe(resolveValue(p.probe.params, scope()), ctxFor(step));
      } catch (err) {
        if (isCancellation(err)) throw err;
        result = { error: err instanceof Error ? err.message : String(err) };
      }
      if (truthy(evaluate(p.until.$expr, { ...scope(), probe: result }))) return { polls, waitedMs: Date.now() - started, probe: result };
      if (Date.now() + (p.everyMs ?? 5000) > deadline) {
        throw ApplicationFailure.nonRetryable(`wait ${step.id}: ${p.until.src} still false after ${polls} polls`, 'WaitTimeout');
      }
      await sleep(p.everyMs ?? 5000);
    }
  }

  function runCheck(step: PlanStep): unknown {
    const p = step.params as unknown as CheckParams;
    const s = scope();
    for (const a of p.assert) {
      if (!truthy(evaluate(a.$expr, s))) {
        const msg = p.message === undefined ? '' : `: ${String(resolveValue(p.message, s))}`;
        throw ApplicationFailure.nonRetryable(`check ${step.id} failed: ${a.src}${msg}`, 'CheckFailed');
      }
    }
    return { passed: p.assert.length };
  }

  async function runChild(step: PlanStep): Promise<unknown> {
    const p = step.params as unknown as ChildRunbookParams;
    const child = plan.children[p.runbook];
    if (!child) throw ApplicationFailure.nonRetryable(`child runbook ${p.runbook} is not embedded in the plan`, 'BadInput');
    const target = p.target === undefined ? input.target : String(resolveValue(p.target, scope()));
    const result = await executeChild(runRunbook, {
      workflowId: `${info.workflowId}/${step.id}`,
      args: [{ ...input, plan: child, inputs: resolveValue(p.inputs, scope()) as Record<string, unknown>, target, carry: undefined }],
      staticSummary: `${step.name} (child runbook ${p.runbook})`,
    });
    return { status: result.status, outputs: result.outputs };
  }

  async function execute(step: PlanStep): Promise<unknown> {
    switch (step.kind) {
      case 'approval':
        return runApproval(step);
      case 'wait':
        return runWait(step);
      case 'check':
        return runCheck(step);
      case 'runbook':
        return runChild(step);
      default: {
        if (step.exec !== 'activity' || !step.activity) {
          throw ApplicationFailure.nonRetryable(`step ${step.id}: kind ${step.kind} has no executor`, 'BadInput');
        }
        const fn = activityFor({ ...step, activity: step.activity });
        return fn(resolveValue(step.params, scope()), ctxFor(step));
      }
    }
  }

  async function runStep(step: PlanStep): Promise<void> {
    if (completed[step.id] && ['succeeded', 'skipped', 'continued'].includes(completed[step.id]!.status)) return;
    if (paused) await condition(() => !paused);
    const rec: StepRecord = { id: step.id, status: 'running', startedAt: now() };
    records[step.id] = rec;
    current = step.id;
    let skip = false;
    try {
      skip = step.policy.if !== undefined && !truthy(evaluate(step.policy.if.$expr, scope()));
    } catch (err) {
      // An expression that fails at run time (a type error the checker could not see) fails the
      // step for good instead of failing the workflow task over and over.
      Object.assign(rec, { status: 'failed', error: failureMessage(err), endedAt: now() });
      throw ApplicationFailure.nonRetryable(`step ${step.id}: if=${step.policy.if?.src}: ${failureMessage(err)}`, 'ExprError');
    }
    if (skip) {
      Object.assign(rec, { status: 'skipped', endedAt: now() });
    } else {
      try {
        const output = await execute(step);
        Object.assign(rec, { status: 'succeeded', output, endedAt: now() });
        if (step.policy.as) bindings[step.policy.as] = output;
      } catch (err) {
        const message = failureMessage(err);
        if (step.policy.continueOnError && !isCancellation(err)) {
          Object.assign(rec, { status: 'continued', error: message, endedAt: now() });
          if (step.policy.as) bindings[step.policy.as] = { error: message };
        } else {
          Object.assign(rec, { status: isCancellation(err) ? 'pending' : 'failed', error: message, endedAt: now() });
          throw err;
        }
      } finally {
        stepsThisRun++;
      }
    }
    completed[step.id] = rec;
    await ledger([{ kind: 'step', at: rec.endedAt ?? now(), stepId: step.id, stepKind: step.kind, status: rec.status, error: rec.error, output: rec.output }]);
  }

  async function runNode(node: PlanNode): Promise<void> {
    if (node.type === 'step') return runStep(node.step);
    // A failed branch cancels its siblings, then the group fails.
    await CancellationScope.cancellable(async () => {
      const group = CancellationScope.current();
      await Promise.all(
        node.steps.map((s) =>
          runStep(s).catch((err: unknown) => {
            group.cancel();
            throw err;
          })
        )
      );
    });
  }

  async function rollback(reason: string): Promise<void> {
    if (plan.rollback.length === 0) return;
    setStatus('rolling-back');
    log.info('rolling back', { reason });
    await CancellationScope.nonCancellable(async () => {
      for (const step of plan.rollback) {
        const rec: StepRecord = { id: step.id, status: 'running', startedAt: now() };
        records[step.id] = rec;
        try {
          if (step.policy.if && !truthy(evaluate(step.policy.if.$expr, scope()))) {
            Object.assign(rec, { status: 'skipped', endedAt: now() });
            continue;
          }
          const output = await execute(step);
          Object.assign(rec, { status: 'compensated', output, endedAt: now() });
          if (step.policy.as) bindings[step.policy.as] = output;
        } catch (err) {
          // Compensation keeps going: one failed undo must not block the others.
          Object.assign(rec, { status: 'failed', error: failureMessage(err), endedAt: now() });
        }
        await ledger([{ kind: 'step', at: rec.endedAt ?? now(), stepId: step.id, stepKind: step.kind, status: rec.status, error: rec.error, output: rec.output }]);
      }
    });
  }

  if (carry.generation === 0 && !carry.rerunOf) {
    await ledger([{ kind: 'start', at: now(), planHash: plan.sourceHash, inputs: input.inputs }]);
  }
  // A re-run starts with the failed run's search attributes: mark it running again.
  if (carry.rerunOf && carry.generation === 0) upsertSearchAttributes([{ key: STATUS, value: 'running' }]);
  let continueNow = false;
  try {
    const limit = input.maxStepsPerRun ?? 200;
    for (const [i, node] of plan.steps.entries()) {
      await runNode(node);
      if ((stepsThisRun >= limit || workflowInfo().continueAsNewSuggested) && i < plan.steps.length - 1) {
        continueNow = true;
        break;
      }
    }
  } catch (err) {
    if (isCancellation(err)) {
      await rollback('cancelled');
      setStatus('cancelled');
      await CancellationScope.nonCancellable(() => ledger([{ kind: 'end', at: now(), status }]));
      throw err;
    }
    const rejected = failureType(err) === 'ApprovalRejected';
    await rollback(failureMessage(err));
    setStatus(rejected ? 'rejected' : plan.rollback.length > 0 ? 'rolled-back' : 'failed');
    await ledger([{ kind: 'end', at: now(), status }]);
    await handlersDone();
    throw ApplicationFailure.create({
      message: `runbook ${plan.id} failed at step ${current ?? '?'}: ${failureMessage(err)}`,
      type: rejected ? 'ApprovalRejected' : 'RunbookFailed',
      nonRetryable: true,
      details: [{ failedStep: current, status, completed }],
    });
  }
  if (continueNow) {
    // History stays bounded: carry what was done into a fresh run of the same workflow id.
    await handlersDone();
    await continueAsNew<typeof runRunbook>({
      ...input,
      carry: { completed, bindings, decisions, refusals, generation: carry.generation + 1, rerunOf: carry.rerunOf },
    });
  }
  current = undefined;
  setStatus('completed');
  await ledger([{ kind: 'end', at: now(), status }]);
  await handlersDone();
  return { status, runbookId: plan.id, steps: allSteps(plan).map((s) => records[s.id]!), outputs: bindings, decisions };
}

/** Let in-flight update/signal handlers finish before the run closes or continues as new. */
async function handlersDone(): Promise<void> {
  if (!allHandlersFinished()) await condition(allHandlersFinished);
}

/** The innermost cause's message: activity failures wrap the real error. */
function failureMessage(err: unknown): string {
  let e: unknown = err;
  while (e && typeof e === 'object' && 'cause' in e && (e as { cause?: unknown }).cause) e = (e).cause;
  return e instanceof Error ? e.message : String(e);
}

function failureType(err: unknown): string | undefined {
  let e: unknown = err;
  for (;;) {
    if (e instanceof ApplicationFailure && e.type) return e.type;
    if (e && typeof e === 'object' && 'cause' in e && (e as { cause?: unknown }).cause) e = (e).cause;
    else return undefined;
  }
}
