// The client and the Dell-agnostic operations against sushy-tools (OpenStack's Redfish
// emulator, installed from PyPI by scripts/lib/sushy.ts), which nobody here wrote.
/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- Redfish JSON documents inspected ad hoc */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSushy, type SushyServer } from '../../../scripts/lib/sushy.ts';
import { ensureCertificate } from '../../../core/hardware/simulator/cert.ts';
import { RedfishClient } from '../../../core/hardware/redfish-client.ts';
import { RedfishError } from '../../../core/hardware/errors.ts';
import { Idrac } from '../../../core/hardware/idrac.ts';
import { certDir, until } from './sim-helpers.ts';

let sushy: SushyServer;
let fp: string;
const work = mkdtempSync(join(tmpdir(), 'ironthrone-sushy-'));

beforeAll(async () => {
  const cert = ensureCertificate(certDir);
  fp = cert.fingerprint256;
  sushy = await startSushy({
    workDir: work,
    certFile: cert.certFile,
    keyFile: join(certDir, 'sim-key.pem'),
    user: 'admin',
    password: 'sushy-pass',
  });
}, 600_000);
afterAll(async () => sushy?.stop());

const client = (extra: Partial<ConstructorParameters<typeof RedfishClient>[0]> = {}) =>
  new RedfishClient({
    baseUrl: sushy.url,
    username: 'admin',
    password: 'sushy-pass',
    auth: 'basic',
    tls: { fingerprint256: fp },
    timeoutMs: 20_000,
    ...extra,
  });

async function caught(p: Promise<unknown>): Promise<RedfishError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RedfishError) return e;
    throw e;
  }
  throw new Error('expected a RedfishError');
}

describe('against sushy-tools --fake', () => {
  it('navigates the service by @odata.id', async () => {
    const c = client();
    const systems = await c.members<any>('/redfish/v1/Systems');
    expect(systems.map((s) => s.Name)).toContain('fake');
    const d = await new Idrac(c).discover();
    expect(d.system).toMatch(/^\/redfish\/v1\/Systems\//);
    await c.close();
  });

  it('powers on after a delay: the client polls instead of assuming', async () => {
    const c = client();
    const d = new Idrac(c);
    const start = (await d.system()).PowerState;
    const target = start === 'On' ? 'ForceOff' : 'On';
    const want = start === 'On' ? 'Off' : 'On';
    await d.reset(target, 'sushy:power');
    const end = await until(
      'power transition',
      () => d.system(),
      (s: any) => s.PowerState === want,
      60_000
    );
    expect(end.PowerState).toBe(want);
    await c.close();
  });

  it('a reset type it advertises but refuses (Nmi, 501) and one it does not list are both clear errors naming the allowed types', async () => {
    const c = client();
    const d = new Idrac(c);
    const nmi = await caught(d.reset('Nmi'));
    expect([nmi.type, nmi.retryable]).toEqual(['RedfishUnsupportedResetTypeError', false]);
    expect(nmi.message).toMatch(/'Nmi' is not supported .*allowed: On, ForceOff, GracefulShutdown/);
    const push = await caught(d.reset('PushPowerButton'));
    expect(push.type).toBe('RedfishUnsupportedResetTypeError');
    expect(push.details.allowed).toContain('ForceRestart');
    await c.close();
  });

  it('wrong credentials, a missing resource and a wrong pin are specific errors', async () => {
    const bad = client({ password: 'nope' });
    expect((await caught(bad.getJson('/redfish/v1/Systems'))).type).toBe('RedfishAuthError');
    const c = client();
    expect((await caught(c.getJson('/redfish/v1/Systems/does-not-exist'))).type).toBe('RedfishNotFoundError');
    const pinned = client({ tls: { fingerprint256: '00'.repeat(32) } });
    expect((await caught(pinned.getJson('/redfish/v1'))).type).toBe('RedfishPinMismatchError');
    await Promise.all([bad.close(), c.close(), pinned.close()]);
  });
});
