// Runbooks and runs over HTTP: list, start, progress, approve, pause/resume/cancel.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { runbooksDir } from '../../core/config.ts';
import { compileRunbookFile } from '../../core/runbook/index.ts';
import { RunbookError, SA } from '../../client/errors.ts';
import { prepareRun, startRunbook } from '../../client/runbooks.ts';
import { approve, pause, progress } from '../../client/runs.ts';
import type { AppDeps } from '../app.ts';

// The dashboard polls the runbook list: compile each file again only when it changed.
const compiled = new Map<string, { mtimeMs: number; result: ReturnType<typeof compileRunbookFile> }>();
function compileCached(path: string, dir: string): ReturnType<typeof compileRunbookFile> {
  const mtimeMs = statSync(path).mtimeMs;
  const hit = compiled.get(path);
  if (hit && hit.mtimeMs === mtimeMs) return hit.result;
  const result = compileRunbookFile(path, { runbooksDir: dir });
  compiled.set(path, { mtimeMs, result });
  return result;
}

const runBody = z.object({
  inputs: z.record(z.string(), z.unknown()).default({}),
  incidentId: z.string().regex(/^[\w.-]{1,80}$/, 'expected letters, digits, . _ - (at most 80)').optional(),
  severity: z.enum(['info', 'warning', 'critical', 'none']).optional(),
  dryRun: z.boolean().optional(),
});

const approveBody = z.object({
  user: z.string().min(1).max(64),
  decision: z.enum(['approve', 'reject']),
  comment: z.string().max(2000).optional(),
  stepId: z.string().max(120).optional(),
});

const STATUS: Record<RunbookError['code'], 400 | 404 | 409 | 403> = { compile: 400, input: 400, 'not-found': 404, refused: 403, state: 409 };

export function errorResponse(c: Context, err: unknown) {
  if (err instanceof RunbookError) return c.json({ error: err.message.split('\n')[0], details: err.details, code: err.code }, STATUS[err.code]);
  if (err instanceof WorkflowExecutionAlreadyStartedError) return c.json({ error: 'a run with this id is already running', code: 'state' }, 409);
  throw err;
}

async function body<T>(c: Context, schema: z.ZodType<T>): Promise<{ ok: true; value: T } | { ok: false; res: Response }> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    return { ok: false, res: c.json({ error: 'expected a JSON body' }, 400) };
  }
  const r = schema.safeParse(raw);
  if (!r.success) return { ok: false, res: c.json({ error: 'invalid body', details: r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`) }, 400) };
  return { ok: true, value: r.data };
}

export function mountRunbookRoutes(app: Hono, deps: AppDeps): void {
  const temporal = (): Client => {
    if (!deps.temporal) throw new Error('Temporal client not configured');
    return deps.temporal;
  };

  app.get('/api/runbooks', (c) => {
    const dir = runbooksDir();
    const items = readdirSync(dir)
      .filter((f) => f.endsWith('.md'))
      .map((f) => {
        const { plan, diagnostics } = compileCached(join(dir, f), dir);
        return { file: f, id: plan?.id, title: plan?.title, inputs: plan?.inputs ?? [], schedule: plan?.schedule, triggers: plan?.triggers ?? [], errors: diagnostics.filter((d) => d.severity !== 'warning').length };
      });
    return c.json(items);
  });

  app.post('/api/runbooks/:id/run', async (c) => {
    const b = await body(c, runBody);
    if (!b.ok) return b.res;
    try {
      const prepared = prepareRun(c.req.param('id').replace(/[^\w.-]/g, ''), b.value.inputs);
      const h = await startRunbook(temporal(), prepared, { incidentId: b.value.incidentId, severity: b.value.severity, dryRun: b.value.dryRun, taskQueue: deps.taskQueue });
      return c.json({ workflowId: h.workflowId }, 201);
    } catch (err) {
      return errorResponse(c, err);
    }
  });

  app.get('/api/runs', async (c) => {
    const rows = [];
    for await (const w of temporal().workflow.list({ query: "WorkflowType='runRunbook'" })) {
      rows.push({
        workflowId: w.workflowId,
        status: w.status.name,
        phase: w.typedSearchAttributes.get(SA.Status),
        runbookId: w.typedSearchAttributes.get(SA.RunbookId),
        target: w.typedSearchAttributes.get(SA.Target),
        startTime: w.startTime.toISOString(),
      });
      if (rows.length >= 50) break;
    }
    return c.json(rows);
  });

  app.get('/api/runs/:wid', async (c) => {
    try {
      return c.json(await progress(temporal(), c.req.param('wid')));
    } catch (err) {
      return errorResponse(c, err);
    }
  });

  app.post('/api/runs/:wid/approve', async (c) => {
    const b = await body(c, approveBody);
    if (!b.ok) return b.res;
    try {
      return c.json(await approve(temporal(), c.req.param('wid'), b.value));
    } catch (err) {
      return errorResponse(c, err);
    }
  });

  for (const action of ['pause', 'resume', 'cancel'] as const) {
    app.post(`/api/runs/:wid/${action}`, async (c) => {
      const wid = c.req.param('wid');
      try {
        if (action === 'cancel') {
          await progress(temporal(), wid);
          await temporal().workflow.getHandle(wid).cancel();
        } else await pause(temporal(), wid, action === 'pause');
        return c.json({ workflowId: wid, action });
      } catch (err) {
        return errorResponse(c, err);
      }
    });
  }
}
