// The runbook interpreter against the real Temporal dev server (shared by the test run), with
// the project's real activities calling a real local HTTP server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { runRunbook } from '../../workflows/runbook.ts';
import { approveSignal, approveUpdate, pauseSignal, progressQuery, resumeSignal } from '../../workflows/runbook-messages.ts';
import type { RunbookInput } from '../../workflows/runbook-types.ts';
import { rerunFromFailure } from '../../client/runs.ts';
import { createSchedule, deleteSchedule, listSchedules } from '../../client/schedules.ts';
import type { Plan } from '../../core/runbook/plan.ts';
import { type TestWorker, startTestWorker, testClient, testDataDir } from '../helpers/temporal.ts';
import { ROLES, approvalStep, expr, plan, step } from '../helpers/plans.ts';
import { startHttpFixture, type HttpFixture } from '../helpers/http-fixture.ts';

let client: Client;
let tw: TestWorker;
let taskQueue: string;
let http: HttpFixture;
let n = 0;

beforeAll(async () => {
  process.env.IRONTHRONE_DATA_DIR = testDataDir('runbook');
  http = await startHttpFixture();
  client = await testClient();
  tw = await startTestWorker('runbook');
  taskQueue = tw.taskQueue;
});

afterAll(async () => {
  await tw?.stop();
  await http?.close();
});

function start(p: Plan, extra: Partial<RunbookInput> = {}) {
  const workflowId = `runbook:${p.id}:test:${++n}-${Date.now()}`;
  return client.workflow.start(runRunbook, {
    workflowId,
    taskQueue,
    args: [{ plan: p, inputs: { service: 'web' }, target: 'test', incidentId: `i${n}`, roles: ROLES, ...extra }],
  });
}

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`condition not met: ${JSON.stringify(v).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The validator's message: the client wraps it in WorkflowUpdateFailedError. */
const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e
  );
  expect(err).toBeInstanceOf(Error);
  return String((err as Error & { cause?: Error }).cause?.message ?? (err as Error).message);
};

const failureOf = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  return err as WorkflowFailedError;
};

describe('runRunbook', () => {
  it('runs steps in order, binds outputs and evaluates conditions', async () => {
    http.route('/happy/health', { status: 200, json: { status: 'ok', load: 3 } });
    const restart = http.route('/happy/restart', { status: 202, json: { accepted: true } });
    const skipped = http.route('/happy/never', { status: 200 });
    const p = plan('happy', [
      step('health', 'http', { url: `${http.url}/happy/health` }, { as: 'health' }),
      step('assert-ok', 'check', { assert: [expr('health.json.status == "ok"'), expr('health.json.load < 10')] }),
      step('restart', 'http', { method: 'POST', url: `${http.url}/happy/restart`, json: { service: '${inputs.service}', load: '${health.json.load}' } }, { as: 'restart' }),
      step('never', 'http', { url: `${http.url}/happy/never` }, { if: 'health.json.status != "ok"' }),
      step('tell', 'notify', { message: 'restarted ${inputs.service}: ${restart.status}' }),
    ]);
    const result = await (await start(p)).result();
    expect(result.status).toBe('completed');
    expect(restart.bodies).toEqual([{ service: 'web', load: 3 }]);
    expect(skipped.calls).toBe(0);
    expect(result.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'skipped', 'succeeded']);
  });

  it('retries a failing step per its policy, then succeeds', async () => {
    const r = http.route('/retry', { status: 503 }, { status: 503 }, { status: 200, json: { ok: true } });
    const result = await (await start(plan('retry', [step('flaky', 'http', { url: `${http.url}/retry` }, { retries: 3 })]))).result();
    expect(result.status).toBe('completed');
    expect(r.calls).toBe(3);
  });

  it('fails for good after its retries and runs the rollback section', async () => {
    const broken = http.route('/broken', { status: 500 });
    const undo = http.route('/undo', { status: 200 });
    const p = plan('rollback', [step('ok', 'notify', { message: 'start' }), step('broken', 'http', { url: `${http.url}/broken` }, { retries: 1 })], {
      rollback: [step('undo', 'http', { method: 'POST', url: `${http.url}/undo` })],
    });
    const h = await start(p);
    const err = await failureOf(h.result());
    expect(err.cause?.message).toMatch(/failed at step broken: .*unexpected status 500/);
    expect(broken.calls).toBe(2);
    expect(undo.calls).toBe(1);
    const prog = await h.query(progressQuery);
    expect(prog.status).toBe('rolled-back');
  });

  it('waits for an approval given through the update and records who gave it', async () => {
    const h = await start(plan('approve', [{ ...approvalStep('gate'), policy: { retries: 0, timeoutMs: 10_000, as: 'gate' } }, step('after', 'notify', { message: 'by ${gate.approvers}' })]));
    await eventually(() => h.query(progressQuery), (p) => p.pendingApproval?.stepId === 'gate');
    const d = await h.executeUpdate(approveUpdate, { args: [{ user: 'alice', decision: 'approve', comment: 'go' }] });
    expect(d).toMatchObject({ stepId: 'gate', user: 'alice', role: 'sre', decision: 'approve' });
    const result = await h.result();
    expect(result.status).toBe('completed');
    expect(result.outputs.gate).toMatchObject({ approved: true, approvers: ['alice'], comments: ['go'] });
  });

  it('ends as rejected, with rollback, when an approver rejects', async () => {
    const undo = http.route('/reject-undo', { status: 200 });
    const h = await start(plan('reject', [approvalStep('gate')], { rollback: [step('undo', 'http', { url: `${http.url}/reject-undo` })] }));
    await eventually(() => h.query(progressQuery), (p) => p.status === 'waiting-approval');
    await h.executeUpdate(approveUpdate, { args: [{ user: 'bob', decision: 'reject', comment: 'not now' }] });
    const err = await failureOf(h.result());
    expect(err.cause?.message).toMatch(/rejected by bob: not now/);
    expect((await h.query(progressQuery)).status).toBe('rejected');
    expect(undo.calls).toBe(1);
  });

  it('refuses an approver without the role at once, through update and signal, changing nothing', async () => {
    const h = await start(plan('roles', [approvalStep('gate', { approvers: ['sre'] })]));
    await eventually(() => h.query(progressQuery), (p) => p.status === 'waiting-approval');
    expect(await refusal(h.executeUpdate(approveUpdate, { args: [{ user: 'carol', decision: 'approve' }] }))).toMatch(/may not decide step gate, expected a role in sre/);
    expect(await refusal(h.executeUpdate(approveUpdate, { args: [{ user: 'mallory', decision: 'approve' }] }))).toMatch(/unknown user mallory/);
    await h.signal(approveSignal, { user: 'carol', decision: 'approve' });
    const prog = await eventually(() => h.query(progressQuery), (p) => p.refusals.length === 1);
    expect(prog.decisions).toEqual([]);
    expect(prog.refusals[0]).toMatchObject({ user: 'carol', via: 'signal' });
    expect(prog.status).toBe('waiting-approval');
    await h.signal(approveSignal, { user: 'alice', decision: 'approve' });
    expect((await h.result()).status).toBe('completed');
  });

  it('needs a quorum of distinct approvers', async () => {
    const h = await start(plan('quorum', [approvalStep('gate', { approvals: 2 })]));
    await eventually(() => h.query(progressQuery), (p) => p.status === 'waiting-approval');
    await h.executeUpdate(approveUpdate, { args: [{ user: 'alice', decision: 'approve' }] });
    expect(await refusal(h.executeUpdate(approveUpdate, { args: [{ user: 'alice', decision: 'approve' }] }))).toMatch(/already gave this decision/);
    expect((await h.query(progressQuery)).pendingApproval?.approvedBy).toEqual(['alice']);
    await h.executeUpdate(approveUpdate, { args: [{ user: 'bob', decision: 'approve' }] });
    const result = await h.result();
    expect(result.decisions.map((d) => d.user)).toEqual(['alice', 'bob']);
  });

  it('escalates on timeout (notify, then a second wait) and aborts when nobody answers', async () => {
    const esc = http.route('/escalate', { status: 200 });
    const p = plan('escalate', [
      approvalStep('gate', { timeoutMs: 1000, onTimeout: 'escalate', escalation: { notify: { channel: 'webhook', url: `${http.url}/escalate`, message: 'approval needed for ${run.workflowId}' }, timeoutMs: 1000 } }),
    ]);
    const h = await start(p);
    const err = await failureOf(h.result());
    expect(err.cause?.message).toMatch(/approval gate timed out/);
    expect(esc.calls).toBe(1);
    expect((esc.bodies[0] as { message: string }).message).toContain(h.workflowId);
  });

  it('keeps an approval that arrives before its step is reached', async () => {
    const h = await start(plan('early', [step('pause-a-bit', 'wait', { durationMs: 3000 }), approvalStep('gate')]));
    await eventually(() => h.query(progressQuery), (p) => p.currentStep === 'pause-a-bit');
    const d = await h.executeUpdate(approveUpdate, { args: [{ user: 'bob', decision: 'approve' }] });
    expect(d.stepId).toBe('gate');
    expect((await h.result()).status).toBe('completed');
  });

  it('pauses before the next step and resumes', async () => {
    const second = http.route('/paused-second', { status: 200 });
    const h = await start(plan('pause', [step('first', 'wait', { durationMs: 1500 }), step('second', 'http', { url: `${http.url}/paused-second` })]));
    await eventually(() => h.query(progressQuery), (p) => p.currentStep === 'first');
    await h.signal(pauseSignal);
    await eventually(() => h.query(progressQuery), (p) => p.steps[0]!.status === 'succeeded');
    await new Promise((r) => setTimeout(r, 1500));
    const prog = await h.query(progressQuery);
    expect(prog.status).toBe('paused');
    expect(second.calls).toBe(0);
    await h.signal(resumeSignal);
    expect((await h.result()).status).toBe('completed');
    expect(second.calls).toBe(1);
  });

  it('runs the rollback when cancelled', async () => {
    const undo = http.route('/cancel-undo', { status: 200 });
    const h = await start(plan('cancel', [approvalStep('gate')], { rollback: [step('undo', 'http', { url: `${http.url}/cancel-undo` })] }));
    await eventually(() => h.query(progressQuery), (p) => p.status === 'waiting-approval');
    await h.cancel();
    await failureOf(h.result());
    expect(undo.calls).toBe(1);
  });

  it('re-runs from the failed step, keeping earlier outputs', async () => {
    const a = http.route('/rerun-a', { status: 200, json: { token: 't-1' } });
    const b = http.route('/rerun-b', { status: 409, json: { error: 'locked' } });
    const p = plan('rerun', [step('a', 'http', { url: `${http.url}/rerun-a` }, { as: 'a' }), step('b', 'http', { method: 'POST', url: `${http.url}/rerun-b`, json: { token: '${a.json.token}' } })]);
    const h = await start(p);
    await failureOf(h.result());
    expect(b.calls).toBe(1); // 4xx is permanent: no retry hammering
    b.responses = [{ status: 200 }];
    b.calls = 0;
    const again = await rerunFromFailure(client, h.workflowId, taskQueue);
    expect((await again.result()).status).toBe('completed');
    expect(a.calls).toBe(1);
    expect(b.bodies.at(-1)).toEqual({ token: 't-1' });
  });

  it('asks a rejected gate again when the run is re-run', async () => {
    const h = await start(plan('rerun-gate', [step('before', 'notify', { message: 'x' }), approvalStep('gate')]));
    await eventually(() => h.query(progressQuery), (p) => p.status === 'waiting-approval');
    await h.executeUpdate(approveUpdate, { args: [{ user: 'bob', decision: 'reject' }] });
    await failureOf(h.result());
    const again = await rerunFromFailure(client, h.workflowId, taskQueue);
    const p = await eventually(() => again.query(progressQuery), (x) => x.status === 'waiting-approval');
    expect(p.steps[0]!.status).toBe('succeeded');
    await again.executeUpdate(approveUpdate, { args: [{ user: 'alice', decision: 'approve' }] });
    expect((await again.result()).status).toBe('completed');
  });

  it('continues as new in long runs, carrying outputs', async () => {
    const r = http.route('/can', { status: 200, json: { v: 1 } });
    const p = plan('can', [1, 2, 3, 4].map((i) => step(`s${i}`, 'http', { url: `${http.url}/can` }, { as: `s${i}` })).concat([step('sum', 'check', { assert: [expr('s1.json.v + s2.json.v + s3.json.v + s4.json.v == 4')] })]));
    const h = await start(p, { maxStepsPerRun: 2 });
    const result = await h.result();
    expect(result.status).toBe('completed');
    expect(r.calls).toBe(4);
    const prog = await client.workflow.getHandle(h.workflowId).query(progressQuery);
    expect(prog.generation).toBe(2);
  });

  it('runs a parallel group and child runbooks', async () => {
    const x = http.route('/par-x', { status: 200, json: { n: 1 } });
    const y = http.route('/par-y', { status: 200, json: { n: 2 } });
    const child = plan('child', [step('child-call', 'http', { url: `${http.url}/par-x` }, { as: 'c' })], { inputs: [] });
    const p = plan(
      'parent',
      [
        { type: 'parallel', id: 'both', name: 'both', line: 1, steps: [step('x', 'http', { url: `${http.url}/par-x` }, { as: 'x' }), step('y', 'http', { url: `${http.url}/par-y` }, { as: 'y' })] },
        step('kid', 'runbook', { runbook: 'child', inputs: {} }, { as: 'kid' }),
      ],
      { children: { child } }
    );
    const result = await (await start(p)).result();
    expect(result.status).toBe('completed');
    expect(x.calls).toBe(2);
    expect(y.calls).toBe(1);
    expect(result.outputs.kid).toMatchObject({ status: 'completed' });
  });

  it('waits until a probe condition holds', async () => {
    const probe = http.route('/probe', { status: 503 }, { status: 503 }, { status: 200, json: { up: true } });
    const p = plan('wait-until', [
      step('until-up', 'wait', { until: expr('probe.status == 200'), probe: { kind: 'http', activity: 'httpRequest', params: { url: `${http.url}/probe`, expect: { status: [200, 503] } } }, everyMs: 300, timeoutMs: 20_000 }),
    ]);
    const result = await (await start(p)).result();
    expect(result.status).toBe('completed');
    expect(probe.calls).toBe(3);
  });

  it('fails the step, not the workflow task, when an expression fails at run time', async () => {
    const p = plan('expr-error', [step('bad-if', 'notify', { message: 'never' }, { if: 'inputs.service < 3' })]);
    const err = await failureOf((await start(p)).result());
    expect(err.cause?.message).toMatch(/failed at step bad-if: .*inputs.service < 3/);
  });

  it('fires a Temporal Schedule that starts the runbook', async () => {
    const hits = http.route('/scheduled', { status: 200 });
    const p = plan('sched', [step('ping', 'http', { url: `${http.url}/scheduled` })], { schedule: '*/5 * * * *' });
    const id = await createSchedule(client, { plan: p, inputs: {}, target: 'sched-test' }, { every: '2s', taskQueue, roles: ROLES });
    try {
      expect((await listSchedules(client)).map((x) => x.scheduleId)).toContain(id);
      const desc = await eventually(() => client.schedule.getHandle(id).describe(), (d) => d.info.recentActions.length >= 1, 30_000);
      const started = desc.info.recentActions[0]!.action.workflow;
      await client.workflow.getHandle(started.workflowId, started.firstExecutionRunId).result();
      expect(hits.calls).toBeGreaterThanOrEqual(1);
    } finally {
      await deleteSchedule(client, id);
    }
  });
});
