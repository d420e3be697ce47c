// HTTP API and dashboard (hono). Each capability mounts its routes from web/routes/.
import { Hono } from 'hono';
import type { Client } from '@temporalio/client';
import { requireToken } from './auth.ts';
import { dashboardHtml } from './dashboard.ts';
import { mountLogsRoutes } from './routes/logs.ts';
import { mountRunbookRoutes } from './routes/runbooks.ts';
import { mountStatusRoutes } from './routes/status.ts';
import { mountTelemetryRoutes } from './routes/telemetry.ts';
import { mountAvailabilityRoutes } from './routes/availability.ts';

export interface AppDeps {
  temporal?: Client;
  taskQueue?: string;
  /** Bearer token required on /api unless `loopbackDemo` is set and the request is from loopback. */
  token?: string;
  loopbackDemo?: boolean;
  /** Link target for runs in the dashboard. */
  temporalUiUrl?: string;
}

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.use('/api/*', requireToken(deps));
  app.get('/', (c) => c.html(dashboardHtml({ temporalUiUrl: deps.temporalUiUrl })));
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.onError((err, c) => {
    console.error('api error', err);
    return c.json({ error: 'internal error' }, 500);
  });
  const mounts: ((app: Hono, deps: AppDeps) => void)[] = [
    // capabilities mount here, one line each
    mountLogsRoutes,
    mountTelemetryRoutes,
    mountAvailabilityRoutes,
    mountRunbookRoutes,
    mountStatusRoutes,
  ];
  for (const mount of mounts) mount(app, deps);
  return app;
}
