// The built-in iDRAC simulator: N simulated PowerEdge hosts, one HTTPS port each (so any standard
// Redfish client, sushy or redfishtool included, talks to a host by `https://127.0.0.1:<port>`
// unchanged, with no DNS or path prefix), sharing one self-signed certificate, plus a small
// HTTP admin API for fault injection and action counters.
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ensureCertificate } from './cert.ts';
import { DEFAULT_TIMINGS, SimHost, type LogEntry, type SimTimings } from './host.ts';
import { handle, redfishError, type Credentials } from './router.ts';
import { startAdmin, type AdminServer } from './admin.ts';

export interface SimulatorOptions {
  /** Number of hosts, or their names. */
  hosts: number | string[];
  /** First host port; hosts take consecutive ports. 0 (default): each host gets a free port. */
  basePort?: number;
  /** Port of the admin API; 0 (default) picks a free one. */
  adminPort?: number;
  bind?: string;
  timings?: Partial<SimTimings>;
  credentials?: Credentials;
  /** Where the certificate is created and kept. */
  certDir: string;
}

export interface SimHostInfo {
  name: string;
  port: number;
  url: string;
  serviceTag: string;
}

export interface RunningSimulator {
  hosts: SimHostInfo[];
  adminUrl: string;
  fingerprint256: string;
  certFile: string;
  credentials: Credentials;
  host(name: string): SimHost;
  stop(): Promise<void>;
}

export const DEFAULT_CREDENTIALS: Credentials = {
  user: 'root',
  password: 'calvin',
  readOnlyUser: { user: 'monitor', password: 'readonly' },
};

export function hostNames(n: number): string[] {
  const width = Math.max(3, String(n).length);
  return Array.from({ length: n }, (_, i) => `sim-${String(i + 1).padStart(width, '0')}`);
}

function serviceTag(i: number): string {
  return (0x5a3f00 + i).toString(36).toUpperCase().padStart(7, 'X').slice(-7);
}

/** Push one log entry to every subscriber, as a Redfish Event (fire and forget, like iDRAC). */
function pushEvent(h: SimHost, e: LogEntry, origin: string): void {
  for (const sub of h.subscriptions.values()) {
    const event = {
      '@odata.type': '#Event.v1_7_0.Event',
      Id: e.Id,
      Name: 'Event Array',
      Context: sub.Context,
      Events: [
        {
          EventType: 'Alert',
          EventId: e.Id,
          MessageId: e.MessageId,
          Message: e.Message,
          Severity: e.Severity,
          EventTimestamp: e.Created,
          OriginOfCondition: { '@odata.id': origin },
          Oem: { IronThroneSim: { Host: h.name } },
        },
      ],
    };
    fetch(sub.Destination, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(5000),
    }).catch(() => {});
  }
}

/**
 * An `idrac-unresponsive` iDRAC models the common failure where the data back end hangs (every
 * inventory and sensor read times out) while the web server still takes a login and the
 * Manager.Reset that cures it. During the restart itself nothing answers.
 */
function stillServed(h: SimHost, req: IncomingMessage): boolean {
  if (h.idracRestarting) return false;
  const path = (req.url ?? '').split('?')[0]!.replace(/\/+$/, '');
  return (
    path === '/redfish/v1' ||
    path.startsWith('/redfish/v1/SessionService') ||
    path === '/redfish/v1/Managers' ||
    path === '/redfish/v1/Managers/iDRAC.Embedded.1' ||
    path === '/redfish/v1/Managers/iDRAC.Embedded.1/Actions/Manager.Reset'
  );
}

export async function startSimulator(opts: SimulatorOptions): Promise<RunningSimulator> {
  const names = typeof opts.hosts === 'number' ? hostNames(opts.hosts) : opts.hosts;
  const bind = opts.bind ?? '127.0.0.1';
  const creds = opts.credentials ?? DEFAULT_CREDENTIALS;
  const timings = { ...DEFAULT_TIMINGS, ...opts.timings };
  const cert = ensureCertificate(opts.certDir);
  const byName = new Map<string, SimHost>();
  const servers: HttpsServer[] = [];
  const infos: SimHostInfo[] = [];
  const hung = new Set<ServerResponse>();

  for (const [i, name] of names.entries()) {
    const h = new SimHost(name, serviceTag(i), timings);
    h.onEvent = (e, origin) => pushEvent(h, e, origin);
    byName.set(name, h);
    const srv = createHttpsServer(
      { key: cert.key, cert: cert.cert, keepAliveTimeout: 120_000 },
      (req: IncomingMessage, res: ServerResponse) => {
        if (h.unresponsive() && !stillServed(h, req)) {
          // A hung iDRAC accepts the connection and never answers: the client must time out.
          hung.add(res);
          res.on('close', () => hung.delete(res));
          return;
        }
        handle(h, creds, req, res).catch((err: unknown) => {
          if (!res.headersSent)
            redfishError(
              res,
              500,
              'InternalError',
              `The request failed due to an internal service error: ${String(err)}`
            );
        });
      }
    );
    const port = opts.basePort ? opts.basePort + i : 0;
    await new Promise<void>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(port, bind, () => resolve());
    });
    const addr = srv.address();
    const actual = typeof addr === 'object' && addr ? addr.port : port;
    servers.push(srv);
    infos.push({ name, port: actual, url: `https://${bind}:${actual}`, serviceTag: h.serviceTag });
  }

  let admin: AdminServer;
  try {
    admin = await startAdmin({
      port: opts.adminPort ?? 0,
      bind,
      hosts: byName,
      infos,
      fingerprint256: cert.fingerprint256,
      certFile: cert.certFile,
    });
  } catch (err) {
    for (const s of servers) s.close();
    throw err;
  }

  return {
    hosts: infos,
    adminUrl: admin.url,
    fingerprint256: cert.fingerprint256,
    certFile: cert.certFile,
    credentials: creds,
    host(name) {
      const h = byName.get(name);
      if (!h) throw new Error(`unknown simulated host '${name}'`);
      return h;
    },
    async stop() {
      for (const h of byName.values()) h.stop();
      for (const r of hung) r.destroy();
      await admin.stop();
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            })
        )
      );
    },
  };
}
