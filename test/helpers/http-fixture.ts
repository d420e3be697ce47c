// A real local HTTP server whose routes tests script: fail N times, then succeed; count calls.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Route {
  /** Responses in order; the last one repeats. */
  responses: { status: number; json?: unknown }[];
  calls: number;
  bodies: unknown[];
}

export interface HttpFixture {
  url: string;
  routes: Map<string, Route>;
  route(path: string, ...responses: { status: number; json?: unknown }[]): Route;
  close(): Promise<void>;
}

export async function startHttpFixture(): Promise<HttpFixture> {
  const routes = new Map<string, Route>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const r = routes.get(`${req.method} ${req.url}`) ?? routes.get(req.url ?? '');
      if (!r) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no route"}');
        return;
      }
      r.bodies.push(body ? JSON.parse(body) : null);
      const resp = r.responses[Math.min(r.calls, r.responses.length - 1)]!;
      r.calls++;
      res.writeHead(resp.status, { 'content-type': 'application/json' }).end(JSON.stringify(resp.json ?? {}));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    routes,
    route(path, ...responses) {
      const r: Route = { responses, calls: 0, bodies: [] };
      routes.set(path, r);
      return r;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
