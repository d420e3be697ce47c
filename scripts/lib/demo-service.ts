// A small, real HTTP service for the demo to act on: it starts degraded, accepts a restart,
// comes back healthy after a realistic delay, and keeps a request log the demo prints.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DemoService {
  url: string;
  state(): { status: 'ok' | 'degraded' | 'restarting'; restarts: number; cacheFlushes: number };
  degrade(): void;
  close(): Promise<void>;
}

export async function startDemoService(opts: { restartDelayMs?: number; port?: number } = {}): Promise<DemoService> {
  let status: 'ok' | 'degraded' | 'restarting' = 'degraded';
  let restarts = 0;
  let cacheFlushes = 0;
  const delay = opts.restartDelayMs ?? 2000;
  const send = (res: ServerResponse, code: number, body: unknown) => {
    res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const server: Server = createServer((req, res) => {
    req.resume();
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/health') {
      const code = status === 'ok' ? 200 : 503;
      return send(res, code, { status, error_rate: status === 'ok' ? 0.001 : 0.27, p99_ms: status === 'ok' ? 85 : 2400, version: '2.14.1' });
    }
    if (req.method === 'GET' && path === '/info') return send(res, 200, { service: 'checkout', instances: 3, region: 'eu-west-1' });
    if (req.method === 'POST' && path === '/cache/flush') {
      cacheFlushes++;
      return send(res, 200, { flushed: true, keys: 1832 });
    }
    if (req.method === 'POST' && path === '/restart') {
      restarts++;
      status = 'restarting';
      setTimeout(() => (status = 'ok'), delay).unref();
      return send(res, 202, { accepted: true, eta_ms: delay });
    }
    if (req.method === 'POST' && path === '/notify') return send(res, 204, {});
    send(res, 404, { error: `no route ${req.method} ${path}` });
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state: () => ({ status, restarts, cacheFlushes }),
    degrade: () => void (status = 'degraded'),
    close: () => new Promise((r) => server.close(() => r())),
  };
}
