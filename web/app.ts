// HTTP API and dashboard (hono). Each capability mounts its routes from web/routes/.
import { Hono } from 'hono';
import type { Client } from '@temporalio/client';

export interface AppDeps {
  temporal?: Client;
  taskQueue?: string;
  /** Bearer token required on /api unless `loopbackDemo` is set and the request is from loopback. */
  token?: string;
  loopbackDemo?: boolean;
}

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  const mounts: ((app: Hono, deps: AppDeps) => void)[] = [
    // capabilities mount here, one line each
  ];
  for (const mount of mounts) mount(app, deps);
  return app;
}
