// Atlas-compatible HTTP API: POST /api/v1/publish (Atlas's JSON payload, partial acceptance),
// GET /api/v1/graph (SVG chart, or the data with format=json), GET /api/v1/tags.
import type { Hono } from 'hono';
import type { AppDeps } from '../app.ts';
import { sharedTelemetryStore } from '../../core/telemetry/instance.ts';
import { graphJson, graphQuery, graphSvg, GraphParamError } from '../../core/telemetry/graph.ts';
import { publishPayload, forwardToAtlas } from '../../core/telemetry/publish.ts';
import { QueryError } from '../../core/telemetry/query/compile.ts';
import type { TelemetryStore } from '../../core/telemetry/store.ts';

export function mountTelemetryRoutes(app: Hono, _deps: AppDeps, store?: TelemetryStore): void {
  const getStore = () => store ?? sharedTelemetryStore();

  app.post('/api/v1/publish', async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch (err) {
      return c.json(
        { type: 'error', errorCount: 1, message: [`request body is not valid JSON: ${(err as Error).message}`] },
        400
      );
    }
    const s = getStore();
    const out = publishPayload(s, body);
    await s.commit(); // acknowledged only once durable
    if (out.accepted > 0) forwardToAtlas(body);
    // Atlas: 200 when all datapoints were accepted, 202 when some were, 400 when none were.
    if (out.errors.length === 0) return c.body(null, 200);
    const detail = {
      errorCount: out.errors.length,
      message: out.errors.map((e) => `metrics[${e.index}]: ${e.reason}`),
      errors: out.errors,
    };
    return out.accepted > 0 ? c.json({ type: 'partial', ...detail }, 202) : c.json({ type: 'error', ...detail }, 400);
  });

  app.get('/api/v1/graph', (c) => {
    const p = c.req.query();
    try {
      const r = graphQuery(getStore(), p);
      if (p.format === 'json') return c.json(graphJson(r));
      if (p.format && p.format !== 'svg')
        return c.json(
          { type: 'error', message: `format: unsupported ${JSON.stringify(p.format)}, expected svg or json` },
          400
        );
      return c.body(graphSvg(r, p), 200, { 'content-type': 'image/svg+xml' });
    } catch (err) {
      if (err instanceof QueryError)
        return c.json(
          { type: 'error', message: `q: ${err.message}`, position: err.position, expected: err.expected },
          400
        );
      if (err instanceof GraphParamError || err instanceof Error)
        return c.json({ type: 'error', message: err.message }, 400);
      throw err;
    }
  });

  app.get('/api/v1/tags', (c) => c.json(getStore().index.keys()));
  app.get('/api/v1/tags/:key', (c) => c.json(getStore().index.values(c.req.param('key'))));
}
