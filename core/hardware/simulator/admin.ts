// The simulator's admin API (plain HTTP on 127.0.0.1): list hosts, inject and repair faults,
// read state and action counters. Used by `ironthrone simulate fault`, tests and the demo.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { SimHost } from './host.ts';
import { FAULTS, isFault } from './messages.ts';
import type { SimHostInfo } from './server.ts';

export interface AdminServer {
  url: string;
  stop(): Promise<void>;
}

interface AdminOptions {
  port: number;
  bind: string;
  hosts: Map<string, SimHost>;
  infos: SimHostInfo[];
  fingerprint256: string;
  certFile: string;
}

function json(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export function hostState(h: SimHost) {
  return {
    name: h.name,
    power: h.power,
    health: h.health(),
    faults: [...h.faults],
    idracResponding: !h.unresponsive(),
    selEntries: h.sel.length,
    lclogEntries: h.lclog.length,
    jobs: h.jobs.length,
    subscriptions: h.subscriptions.size,
    actions: Object.fromEntries(h.actionCounts),
    actionsByKey: Object.fromEntries(h.keyCounts),
    totalActions: [...h.actionCounts.values()].reduce((a, b) => a + b, 0),
  };
}

function route(o: AdminOptions, req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', 'http://admin').pathname;
  if (path === '/hosts' && req.method === 'GET')
    return json(res, 200, { fingerprint256: o.fingerprint256, certFile: o.certFile, hosts: o.infos });
  const delay = /^\/hosts\/([^/]+)\/reply-delay\/(\d+)$/.exec(path);
  if (delay && req.method === 'POST') {
    const dh = o.hosts.get(decodeURIComponent(delay[1]!));
    if (!dh) return json(res, 404, { error: `unknown host '${delay[1]}'` });
    dh.actionReplyDelayMs = Number(delay[2]);
    return json(res, 200, hostState(dh));
  }
  const m = /^\/hosts\/([^/]+)(?:\/faults\/([^/]+))?$/.exec(path);
  if (!m) return json(res, 404, { error: `no admin route ${req.method} ${path}` });
  const name = decodeURIComponent(m[1]!);
  const h = o.hosts.get(name);
  if (!h) {
    const some = [...o.hosts.keys()].slice(0, 5).join(', ');
    return json(res, 404, { error: `unknown host '${name}', expected one of ${some}${o.hosts.size > 5 ? ', …' : ''}` });
  }
  if (!m[2]) return req.method === 'GET' ? json(res, 200, hostState(h)) : json(res, 405, { error: 'GET only' });
  const fault = decodeURIComponent(m[2]);
  if (!isFault(fault))
    return json(res, 400, { error: `unknown fault '${fault}', expected one of ${FAULTS.join(', ')}` });
  if (req.method === 'POST') h.inject(fault);
  else if (req.method === 'DELETE') h.repair(fault);
  else return json(res, 405, { error: 'POST or DELETE' });
  json(res, 200, hostState(h));
}

export function startAdmin(o: AdminOptions): Promise<AdminServer> {
  const srv = createServer((req, res) => route(o, req, res));
  return new Promise((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(o.port, o.bind, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : o.port;
      resolve({
        url: `http://${o.bind}:${port}`,
        stop: () =>
          new Promise<void>((r) => {
            srv.close(() => r());
            srv.closeAllConnections();
          }),
      });
    });
  });
}
