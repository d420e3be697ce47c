// Log HTTP API: POST /api/v1/logs (JSON lines, or any text lines, one log per line),
// GET /api/v1/logs (search), GET /api/v1/logs/:id/verify (proof against the ledger).
import type { Context, Hono } from 'hono';
import type { AppDeps } from '../app.ts';
import type { LogPipeline } from '../../core/logs/pipeline.ts';
import { sharedLogPipeline } from '../../core/logs/open.ts';
import { toLogQuery } from '../../core/logs/query-args.ts';
import { LogQueryError, type LogStore } from '../../core/logs/store.ts';
import { verifyLine } from '../../core/logs/verify.ts';
import type { Ledger } from '../../core/ledger/ledger.ts';

/** Largest request body accepted (the pipeline bounds memory; so does this). */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface LogRouteDeps {
  pipeline: LogPipeline;
  store: LogStore;
  ledger?: Ledger;
}

let seq = 0;

export function mountLogsRoutes(app: Hono, _deps: AppDeps, injected?: LogRouteDeps): void {
  const deps = async (): Promise<LogRouteDeps> => injected ?? (await sharedLogPipeline());
  const bad = (c: Context, message: string, status: 400 | 404 | 413 = 400) =>
    c.json({ type: 'error', message }, status);

  app.post('/api/v1/logs', async (c) => {
    const len = Number(c.req.header('content-length') ?? '0');
    if (len > MAX_BODY_BYTES)
      return bad(c, `body of ${len} bytes exceeds ${MAX_BODY_BYTES}; send smaller batches`, 413);
    const body = Buffer.from(await c.req.arrayBuffer());
    if (body.length > MAX_BODY_BYTES) return bad(c, `body exceeds ${MAX_BODY_BYTES} bytes; send smaller batches`, 413);
    const { pipeline } = await deps();
    const received = new Date();
    const batch = `${received.getTime()}:${++seq}`;
    let accepted = 0;
    let start = 0;
    for (let i = 0; i <= body.length; i++) {
      if (i < body.length && body[i] !== 0x0a) continue;
      const line = body.subarray(start, i);
      start = i + 1;
      if (line.length === 0 || (line.length === 1 && line[0] === 0x0d)) continue;
      // A JSON line with its own string `id` is idempotent across resubmissions.
      let key = `${batch}:${accepted}`;
      if (line[0] === 0x7b) {
        const m = /"id"\s*:\s*"([^"\\]{1,200})"/.exec(line.subarray(0, 4096).toString('utf8'));
        if (m) key = `client:${m[1]}`;
      }
      await pipeline.submit(line, {
        source: 'http',
        key,
        received,
        peer: c.req.header('x-forwarded-for')?.split(',')[0]?.trim(),
      });
      accepted++;
    }
    if (c.req.query('wait') === 'true') await pipeline.flush();
    return c.json({ accepted }, 202);
  });

  app.get('/api/v1/logs', async (c) => {
    const p = c.req.query();
    try {
      const { store } = await deps();
      return c.json(await store.search(toLogQuery({ ...p, text: p.q })));
    } catch (err) {
      if (err instanceof LogQueryError) return bad(c, err.message);
      throw err;
    }
  });

  app.get('/api/v1/logs/:id/verify', async (c) => {
    const d = await deps();
    if (!d.ledger) return bad(c, 'no ledger configured for log verification', 400);
    const v = await verifyLine(d.store, d.ledger, c.req.param('id'));
    if (!v.doc) return c.json(v, 404);
    return c.json(v, v.ok ? 200 : 409);
  });
}
