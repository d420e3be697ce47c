// Atlas-compatible HTTP API: POST /api/v1/publish (Atlas's JSON payload, partial acceptance;
// also at Atlas's legacy alias /api/v1/publish-fast),
// GET /api/v1/graph (SVG chart, or the data with format=json), GET /api/v1/tags.
import type { Context, Hono } from 'hono';
import type { AppDeps } from '../app.ts';
import { sharedTelemetryStore } from '../../core/telemetry/instance.ts';
import { graphJson, graphQuery, graphSvg, GraphParamError } from '../../core/telemetry/graph.ts';
import { atlasResponse, publishPayload, forwardToAtlas } from '../../core/telemetry/publish.ts';
import { QueryError } from '../../core/telemetry/query/compile.ts';
import type { TelemetryStore } from '../../core/telemetry/store.ts';

export function mountTelemetryRoutes(app: Hono, _deps: AppDeps, store?: TelemetryStore): void {
  const getStore = () => store ?? sharedTelemetryStore();

  const publish = async (c: Context) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch (err) {
      // Atlas: a body that does not parse is a 400 diagnostic message
      return c.json({ type: 'error', message: `request body is not valid JSON: ${(err as Error).message}` }, 400);
    }
    const s = getStore();
    const out = publishPayload(s, body);
    await s.commit(); // acknowledged only once durable
    if (out.accepted > 0) forwardToAtlas(body);
    const r = atlasResponse(out);
    return r.body === null ? c.body(null, r.status) : c.json(r.body, r.status);
  };
  app.post('/api/v1/publish', publish);
  app.post('/api/v1/publish-fast', publish); // Atlas keeps this legacy path as an alias

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
