// Start the built-in simulator for a test file, with short timings so state changes are quick.
/* eslint-disable @typescript-eslint/no-explicit-any -- Redfish JSON documents inspected ad hoc */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '../../../core/hardware/simulator/server.ts';
import { RedfishClient, type RedfishClientOptions } from '../../../core/hardware/redfish-client.ts';

export const certDir = mkdtempSync(join(tmpdir(), 'ironthrone-simcert-'));

export async function startTestSimulator(
  hosts = 2,
  timings = { bootMs: 1500, idracRestartMs: 1500, taskMs: 300 }
): Promise<RunningSimulator> {
  return startSimulator({ hosts, certDir, timings });
}

export function clientFor(
  sim: RunningSimulator,
  name: string,
  extra: Partial<RedfishClientOptions> = {}
): RedfishClient {
  const h = sim.hosts.find((x) => x.name === name)!;
  return new RedfishClient({
    baseUrl: h.url,
    username: 'root',
    password: 'calvin',
    tls: { fingerprint256: sim.fingerprint256 },
    timeoutMs: 10_000,
    ...extra,
  });
}

export async function adminState(sim: RunningSimulator, name: string): Promise<any> {
  return (await fetch(`${sim.adminUrl}/hosts/${name}`)).json();
}

export async function injectFault(sim: RunningSimulator, name: string, fault: string): Promise<Response> {
  return fetch(`${sim.adminUrl}/hosts/${name}/faults/${fault}`, { method: 'POST' });
}

export async function until<T>(
  what: string,
  fn: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 30_000
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: last ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
