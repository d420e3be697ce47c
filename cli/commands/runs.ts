// `ironthrone run|approve|reject|status|pause|resume|cancel|rerun|runs|schedule …`: starting and
// steering runbook workflows on Temporal.
import type { Command } from 'commander';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import pc from 'picocolors';
import { temporalSettings } from '../../core/config.ts';
import { RunbookError, SA } from '../../client/errors.ts';
import { prepareRun, startRunbook } from '../../client/runbooks.ts';
import { approve, pause, progress, rerunFromFailure } from '../../client/runs.ts';
import { createSchedule, deleteSchedule, listSchedules } from '../../client/schedules.ts';
import type { Progress } from '../../workflows/runbook-types.ts';
import { CliError, EXIT, emit } from '../output.ts';

async function connect(): Promise<Client> {
  const { address, namespace } = temporalSettings();
  try {
    const connection = await Connection.connect({ address, connectTimeout: 5000 });
    return new Client({ connection, namespace });
  } catch (err) {
    throw new CliError(`cannot reach Temporal at ${address} (is \`npm start\` running?): ${String(err)}`, EXIT.unavailable);
  }
}

/** Map client-side errors to exit codes. */
async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof RunbookError) {
      const code = { compile: EXIT.usage, input: EXIT.usage, 'not-found': EXIT.notFound, refused: EXIT.failure, state: EXIT.failure }[err.code];
      throw new CliError(err.message, code);
    }
    throw err;
  }
}

function parseInputs(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of pairs) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new CliError(`--input ${kv}: expected key=value`, EXIT.usage);
    out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
}

const collect = (v: string, prev: string[]) => [...prev, v];

const ICON: Record<string, string> = { succeeded: pc.green('✓'), failed: pc.red('✗'), skipped: pc.dim('-'), running: pc.cyan('…'), pending: ' ', continued: pc.yellow('!'), compensated: pc.magenta('↶') };

export function renderProgress(workflowId: string, p: Progress): string {
  const lines = [`${pc.bold(p.title)} (${p.runbookId})  ${workflowId}`, `status: ${p.status}${p.generation ? `  (run ${p.generation + 1})` : ''}`];
  for (const s of p.steps) lines.push(`  ${ICON[s.status] ?? ' '} ${s.name} ${pc.dim(`[${s.kind}]`)}${s.error ? `  ${pc.red(s.error)}` : ''}`);
  if (p.pendingApproval) {
    const a = p.pendingApproval;
    lines.push(pc.yellow(`waiting for approval of "${a.name}" by ${a.needed - a.approvedBy.length} more of roles [${a.roles.join(', ')}]${a.message ? `: ${a.message}` : ''}`));
    lines.push(pc.dim(`  ironthrone approve ${workflowId} --as <user>`));
  }
  for (const r of p.refusals) lines.push(pc.red(`  refused ${r.user}: ${r.reason}`));
  return lines.join('\n');
}

async function follow(client: Client, workflowId: string, json: boolean): Promise<number> {
  const handle = client.workflow.getHandle(workflowId);
  let last = '';
  const done = handle.result().then(
    () => EXIT.ok,
    (err: unknown) => {
      if (err instanceof WorkflowFailedError) return EXIT.failure;
      throw err;
    }
  );
  let finished: number | undefined;
  void done.then((c) => (finished = c));
  while (finished === undefined) {
    try {
      const p = await handle.query('progress');
      const text = renderProgress(workflowId, p as Progress);
      if (!json && text !== last) {
        console.log(`\n${text}`);
        last = text;
      }
    } catch {
      // The first workflow task may not have run yet.
    }
    await Promise.race([done, new Promise((r) => setTimeout(r, 500))]);
  }
  const p = await handle.query<Progress>('progress');
  if (json) console.log(JSON.stringify({ workflowId, ...p }, null, 2));
  else if (renderProgress(workflowId, p) !== last) console.log(`\n${renderProgress(workflowId, p)}`);
  return finished;
}

export function registerRunCommands(program: Command): void {
  const json = () => Boolean(program.opts().json);

  program
    .command('run <fileOrId>')
    .description('compile a runbook, validate its inputs and start it; follows progress until it ends')
    .option('-i, --input <key=value>', 'an input (repeatable)', collect, [])
    .option('--incident <id>', 'incident id (part of the workflow id)')
    .option('--severity <s>', 'severity search attribute')
    .option('--dry-run', 'activities print what they would do and change nothing')
    .option('--no-wait', 'start and return the workflow id')
    .option('--no-record', 'do not record start, steps and approvals on the ledger')
    .action(async (fileOrId: string, o: { input: string[]; incident?: string; severity?: string; dryRun?: boolean; wait: boolean; record?: boolean }) => {
      const client = await connect();
      const prepared = await guard(async () => prepareRun(fileOrId, parseInputs(o.input)));
      const handle = await guard(() => startRunbook(client, prepared, { incidentId: o.incident, severity: o.severity, dryRun: o.dryRun, record: o.record === false ? false : undefined }));
      if (!o.wait) return emit(json(), { workflowId: handle.workflowId }, () => handle.workflowId);
      process.exitCode = await follow(client, handle.workflowId, json());
    });

  for (const decision of ['approve', 'reject'] as const) {
    program
      .command(`${decision} <workflowId>`)
      .description(`${decision} the pending (or next) approval step as a user; refused unless the user holds an allowed role`)
      .requiredOption('--as <user>', 'who decides (checked against the users file)')
      .option('--step <stepId>', 'the approval step (default: the pending one)')
      .option('-m, --comment <text>', 'a comment kept with the decision')
      .action(async (workflowId: string, o: { as: string; step?: string; comment?: string }) => {
        const client = await connect();
        const d = await guard(() => approve(client, workflowId, { user: o.as, decision, stepId: o.step, comment: o.comment }));
        emit(json(), d, () => `${d.decision === 'approve' ? 'approved' : 'rejected'} step ${d.stepId} as ${d.user} (${d.role})`);
      });
  }

  program
    .command('status <workflowId>')
    .description('progress of a run: steps, outputs, pending approval')
    .option('-f, --follow', 'follow until the run ends')
    .action(async (workflowId: string, o: { follow?: boolean }) => {
      const client = await connect();
      if (o.follow) {
        process.exitCode = await follow(client, workflowId, json());
        return;
      }
      const p = await guard(() => progress(client, workflowId));
      emit(json(), { workflowId, ...p }, () => renderProgress(workflowId, p));
    });

  for (const [name, paused] of [['pause', true], ['resume', false]] as const) {
    program
      .command(`${name} <workflowId>`)
      .description(paused ? 'pause before the next step' : 'resume a paused run')
      .action(async (workflowId: string) => {
        await guard(async () => pause(await connect(), workflowId, paused));
        emit(json(), { workflowId, paused }, () => `${name}d ${workflowId}`);
      });
  }

  program
    .command('cancel <workflowId>')
    .description('cancel a run; its rollback section runs')
    .action(async (workflowId: string) => {
      const client = await connect();
      await guard(async () => {
        await progress(client, workflowId);
        await client.workflow.getHandle(workflowId).cancel();
      });
      emit(json(), { workflowId, cancelled: true }, () => `cancellation requested for ${workflowId}; rollback runs`);
    });

  program
    .command('rerun <workflowId>')
    .description('re-run a failed run from the step that failed, keeping earlier outputs')
    .option('--no-wait', 'start and return')
    .action(async (workflowId: string, o: { wait: boolean }) => {
      const client = await connect();
      const h = await guard(() => rerunFromFailure(client, workflowId));
      if (!o.wait) return emit(json(), { workflowId: h.workflowId }, () => h.workflowId);
      process.exitCode = await follow(client, h.workflowId, json());
    });

  program
    .command('runs')
    .description('recent runbook runs (Temporal visibility)')
    .option('-q, --query <q>', 'visibility query, e.g. "RunbookId=\'disk-pressure-cleanup\'"')
    .option('-n, --limit <n>', 'how many', '20')
    .action(async (o: { query?: string; limit: string }) => {
      const client = await connect();
      const rows: Record<string, string | undefined>[] = [];
      for await (const w of client.workflow.list({ query: o.query ?? "WorkflowType='runRunbook'" })) {
        rows.push({ workflowId: w.workflowId, status: w.status.name, started: w.startTime.toISOString(), runbook: w.typedSearchAttributes.get(SA.RunbookId), target: w.typedSearchAttributes.get(SA.Target), phase: w.typedSearchAttributes.get(SA.Status) });
        if (rows.length >= Number(o.limit)) break;
      }
      emit(json(), rows, () => rows.map((r) => `${r.started}  ${String(r.status).padEnd(10)} ${String(r.phase ?? '').padEnd(16)} ${r.workflowId}`).join('\n') || 'no runs');
    });

  const schedule = program.command('schedule').description('Temporal Schedules for runbooks that declare schedule:');
  schedule
    .command('create <fileOrId>')
    .option('-i, --input <key=value>', 'an input (repeatable)', collect, [])
    .option('--cron <expr>', "override the runbook's schedule")
    .action(async (fileOrId: string, o: { input: string[]; cron?: string }) => {
      const client = await connect();
      const id = await guard(async () => createSchedule(client, prepareRun(fileOrId, parseInputs(o.input)), { cron: o.cron }));
      emit(json(), { scheduleId: id }, () => `created schedule ${id}`);
    });
  schedule.command('list').action(async () => {
    const rows = await listSchedules(await connect());
    emit(json(), rows.map((s) => ({ scheduleId: s.scheduleId, cron: s.spec?.calendars?.length ? 'calendar' : 'interval', next: s.info.nextActionTimes[0]?.toISOString() })), () =>
      rows.map((s) => `${s.scheduleId}  next ${s.info.nextActionTimes[0]?.toISOString() ?? '-'}`).join('\n') || 'no schedules'
    );
  });
  schedule.command('delete <scheduleId>').action(async (id: string) => {
    await guard(async () => deleteSchedule(await connect(), id));
    emit(json(), { scheduleId: id, deleted: true }, () => `deleted schedule ${id}`);
  });
}
