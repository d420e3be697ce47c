// Redfish EventService push: subscribe a BMC to a listener URL and receive its events, so a
// fault is detected without waiting for the next sweep. The listener turns each Redfish event
// record into a hardware alert with the event kind the sweep uses.
/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access -- pushed events are vendor JSON, read defensively */
import { createServer, type Server } from 'node:http';
import { RedfishError } from './errors.ts';
import type { RedfishClient } from './redfish-client.ts';

export interface HardwareAlert {
  host: string;
  kind: string;
  severity: 'info' | 'warning' | 'critical';
  messageId: string;
  message: string;
  origin?: string;
  at: string;
  receivedAt: number;
}

const KIND_BY_PREFIX: Record<string, string> = {
  FAN: 'hardware.fan',
  PSU: 'hardware.psu',
  RDU: 'hardware.psu',
  PWR: 'hardware.psu',
  TMP: 'hardware.thermal',
  MEM: 'hardware.memory',
  CPU: 'hardware.cpu',
  ASR: 'hardware.host',
  SYS: 'hardware.host',
  RAC: 'hardware.bmc',
};

export function alertKind(messageId: string): string {
  const id = messageId.split('.').pop() ?? messageId;
  return KIND_BY_PREFIX[id.slice(0, 3)] ?? 'hardware.event';
}

/** Subscribe the BMC's EventService to `destination`; returns the subscription URI (delete it to stop). */
export async function subscribe(client: RedfishClient, destination: string, context: string): Promise<string> {
  const root = await client.getJson<{ EventService?: { '@odata.id': string } }>('/redfish/v1');
  if (!root.EventService) throw new RedfishError('RedfishNotSupportedError', `${client.base.host} has no EventService`);
  const svc = await client.getJson<{ Subscriptions?: { '@odata.id': string } }>(root.EventService);
  if (!svc.Subscriptions)
    throw new RedfishError('RedfishNotSupportedError', `${client.base.host} EventService has no Subscriptions`);
  const r = await client.post(svc.Subscriptions['@odata.id'], {
    Destination: destination,
    Protocol: 'Redfish',
    EventTypes: ['Alert'],
    Context: context,
  });
  return r.location ?? String((r.body as { '@odata.id'?: string })['@odata.id']);
}

export interface EventListener {
  url: string;
  stop(): Promise<void>;
}

/**
 * Listen for Redfish event pushes. The subscription's Context carries the inventory host name
 * (the BMC does not say who it is in a way every vendor agrees on).
 */
export function listenForEvents(
  onAlert: (a: HardwareAlert) => void,
  opts: { port?: number; bind?: string } = {}
): Promise<EventListener> {
  const srv: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const receivedAt = Date.now();
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          Context?: string;
          Events?: Record<string, any>[];
        };
        for (const e of body.Events ?? []) {
          const sev = String(e.Severity ?? e.MessageSeverity ?? 'OK');
          onAlert({
            host: body.Context ?? 'unknown',
            kind: alertKind(String(e.MessageId ?? '')),
            severity: sev === 'Critical' ? 'critical' : sev === 'Warning' ? 'warning' : 'info',
            messageId: String(e.MessageId ?? ''),
            message: String(e.Message ?? ''),
            origin: e.OriginOfCondition?.['@odata.id'],
            at: String(e.EventTimestamp ?? new Date(receivedAt).toISOString()),
            receivedAt,
          });
        }
        res.writeHead(204).end();
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  return new Promise((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(opts.port ?? 0, opts.bind ?? '127.0.0.1', () => {
      const a = srv.address();
      resolve({
        url: `http://${opts.bind ?? '127.0.0.1'}:${typeof a === 'object' && a ? a.port : 0}/redfish-events`,
        stop: () => new Promise<void>((r) => (srv.close(() => r()), srv.closeAllConnections())),
      });
    });
  });
}
