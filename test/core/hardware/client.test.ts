// The Redfish client and the Dell operations against the simulator, plus a misbehaving
// "BMC" (same certificate) for the malformed-answer, 5xx-retry and timeout paths.
/* eslint-disable @typescript-eslint/no-unsafe-return -- Redfish JSON documents inspected ad hoc */
import { createServer, type Server } from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../core/hardware/simulator/server.ts';
import { RedfishClient } from '../../../core/hardware/redfish-client.ts';
import { RedfishError } from '../../../core/hardware/errors.ts';
import { Idrac } from '../../../core/hardware/idrac.ts';
import { adminState, certDir, clientFor, injectFault, startTestSimulator, until } from './sim-helpers.ts';

let sim: RunningSimulator;
let bad: Server;
let badUrl: string;
let flakyHits = 0;

beforeAll(async () => {
  sim = await startTestSimulator(3);
  bad = createServer(
    { key: readFileSync(join(certDir, 'sim-key.pem')), cert: readFileSync(join(certDir, 'sim-cert.pem')) },
    (req, res) => {
      if (req.url === '/redfish/v1/SessionService/Sessions') {
        res.writeHead(201, { 'X-Auth-Token': 't', Location: '/redfish/v1/SessionService/Sessions/1' });
        return res.end('{}');
      }
      if (req.method === 'DELETE') {
        res.writeHead(204);
        return res.end();
      }
      if (req.url === '/html') {
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<html><body>Login</body></html>');
      }
      if (req.url === '/garbage') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"Id": "System.Embedded.1", ');
      }
      if (req.url === '/flaky') {
        flakyHits++;
        res.writeHead(flakyHits < 3 ? 503 : 200, { 'content-type': 'application/json' });
        return res.end(flakyHits < 3 ? '{"error":{"message":"busy"}}' : '{"ok":true}');
      }
      if (req.url === '/post-503') {
        flakyHits++;
        res.writeHead(503, { 'content-type': 'application/json' });
        return res.end('{}');
      }
      // never answers: timeout path
    }
  );
  await new Promise<void>((r) => bad.listen(0, '127.0.0.1', () => r()));
  const a = bad.address();
  badUrl = `https://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
});
afterAll(async () => {
  bad?.closeAllConnections();
  bad?.close();
  await sim?.stop();
});

const badClient = (timeoutMs = 10_000) =>
  new RedfishClient({
    baseUrl: badUrl,
    username: 'root',
    password: 'calvin',
    tls: { fingerprint256: sim.fingerprint256 },
    timeoutMs,
    backoffMs: 20,
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

describe('RedfishClient', () => {
  it('logs in with a session, reuses the token and logs out', async () => {
    const c = clientFor(sim, 'sim-001');
    await c.getJson('/redfish/v1/Systems/System.Embedded.1');
    expect(sim.host('sim-001').sessions.size).toBe(1);
    await c.close();
    expect(sim.host('sim-001').sessions.size).toBe(0);
  });

  it('works with basic auth and a CA file instead of a pin', async () => {
    const h = sim.hosts[0]!;
    const c = new RedfishClient({
      baseUrl: h.url,
      username: 'root',
      password: 'calvin',
      auth: 'basic',
      tls: { caFile: sim.certFile },
    });
    expect((await c.getJson('/redfish/v1/Managers/iDRAC.Embedded.1')).Id).toBe('iDRAC.Embedded.1');
    await c.close();
  });

  it('refuses a certificate that does not match the pin, before sending credentials', async () => {
    const c = clientFor(sim, 'sim-001', { tls: { fingerprint256: 'AB'.repeat(32) }, auth: 'basic' });
    const e = await caught(c.getJson('/redfish/v1'));
    expect(e.type).toBe('RedfishPinMismatchError');
    expect(e.retryable).toBe(false);
    expect(e.message).toContain(sim.fingerprint256);
    await c.close();
  });

  it('refuses to run without a TLS policy, and a bad pin format', () => {
    expect(() => new RedfishClient({ baseUrl: 'https://127.0.0.1:1', username: 'a', password: 'b', tls: {} })).toThrow(
      /no TLS policy/
    );
    expect(
      () =>
        new RedfishClient({
          baseUrl: 'https://127.0.0.1:1',
          username: 'a',
          password: 'b',
          tls: { fingerprint256: 'zz' },
        })
    ).toThrow(/64 hex digits/);
    expect(
      () => new RedfishClient({ baseUrl: 'http://127.0.0.1:1', username: 'a', password: 'b', tls: { insecure: true } })
    ).toThrow(/must be https/);
  });

  it('maps 401, 403 and 404 to specific non-retryable errors with the Redfish message', async () => {
    const wrong = clientFor(sim, 'sim-001', { password: 'wrong' });
    const e401 = await caught(wrong.getJson('/redfish/v1/Systems'));
    expect([e401.type, e401.retryable, e401.details.status]).toEqual(['RedfishAuthError', false, 401]);
    expect(e401.message).toMatch(/no valid session/);
    const ro = clientFor(sim, 'sim-001', { username: 'monitor', password: 'readonly' });
    const e403 = await caught(
      ro.post('/redfish/v1/Systems/System.Embedded.1/Actions/ComputerSystem.Reset', { ResetType: 'On' })
    );
    expect([e403.type, e403.retryable]).toEqual(['RedfishForbiddenError', false]);
    expect(e403.message).toMatch(/insufficient privileges/);
    const e404 = await caught(ro.getJson('/redfish/v1/Systems/System.Embedded.9'));
    expect([e404.type, e404.retryable]).toEqual(['RedfishNotFoundError', false]);
    expect(e404.message).toMatch(/System\.Embedded\.9 was not found/);
    await Promise.all([wrong.close(), ro.close()]);
  });

  it('reports HTML and malformed JSON answers as malformed responses', async () => {
    const c = badClient();
    const html = await caught(c.getJson('/html'));
    expect([html.type, html.retryable]).toEqual(['RedfishMalformedResponseError', false]);
    expect(html.message).toMatch(/answered HTML/);
    const json = await caught(c.getJson('/garbage'));
    expect(json.type).toBe('RedfishMalformedResponseError');
    expect(json.message).toMatch(/malformed JSON/);
    await c.close();
  });

  it('retries GETs on 5xx with backoff but never a POST', async () => {
    const c = badClient();
    flakyHits = 0;
    expect(await c.getJson('/flaky')).toEqual({ ok: true });
    expect(flakyHits).toBe(3);
    flakyHits = 0;
    const e = await caught(c.post('/post-503', {}));
    expect([e.type, e.retryable]).toEqual(['RedfishServerError', true]);
    expect(flakyHits).toBe(1);
    await c.close();
  });

  it('times out with a retryable timeout error', async () => {
    const c = new RedfishClient({
      baseUrl: badUrl,
      username: 'root',
      password: 'calvin',
      tls: { fingerprint256: sim.fingerprint256 },
      timeoutMs: 300,
      getRetries: 0,
    });
    const e = await caught(c.getJson('/silent'));
    expect([e.type, e.retryable]).toEqual(['RedfishTimeoutError', true]);
    await c.close();
  });

  it('PATCH uses the ETag (If-Match) and a stale one fails with a precondition error', async () => {
    const c = clientFor(sim, 'sim-002');
    const first = await c.get('/redfish/v1/Systems/System.Embedded.1');
    await c.patch('/redfish/v1/Systems/System.Embedded.1', { AssetTag: 'rack-7' });
    expect((await c.getJson('/redfish/v1/Systems/System.Embedded.1')).AssetTag).toBe('rack-7');
    const e = await caught(c.patch('/redfish/v1/Systems/System.Embedded.1', { AssetTag: 'x' }, first.etag));
    expect(e.type).toBe('RedfishPreconditionError');
    await c.close();
  });
});

describe('Idrac operations', () => {
  it('discovers, reads health, sensors, processors, memory and logs', async () => {
    const c = clientFor(sim, 'sim-002');
    const d = new Idrac(c);
    expect(await d.discover()).toMatchObject({
      system: '/redfish/v1/Systems/System.Embedded.1',
      chassis: '/redfish/v1/Chassis/System.Embedded.1',
      manager: '/redfish/v1/Managers/iDRAC.Embedded.1',
      model: 'PowerEdge R750',
    });
    expect((await d.health()).rollup).toBe('OK');
    await injectFault(sim, 'sim-002', 'psu-loss');
    await injectFault(sim, 'sim-002', 'memory-ecc');
    const h = await d.health();
    expect(h).toMatchObject({
      rollup: 'Critical',
      components: { powerSupplies: 'Critical', memory: 'Warning', fans: 'OK', processors: 'OK' },
    });
    expect((await d.memory()).find((m) => m.name === 'DIMM.Socket.A1')?.health).toBe('Warning');
    expect(await d.processors()).toHaveLength(2);
    expect((await d.power()).consumedWatts).toBeGreaterThan(0);
    expect((await d.thermal()).temperatures[0]!.units).toBe('Cel');
    expect((await d.sel()).map((e) => e.messageId)).toEqual(expect.arrayContaining(['PSU0003', 'RDU0012', 'MEM0701']));
    expect((await d.lclog()).length).toBeGreaterThan(2);
    await c.close();
  });

  it('refuses an unsupported reset type naming the allowed ones, and sends nothing', async () => {
    const c = clientFor(sim, 'sim-003');
    const d = new Idrac(c);
    const e = await caught(d.reset('Reboot'));
    expect([e.type, e.retryable]).toEqual(['RedfishUnsupportedResetTypeError', false]);
    expect(e.message).toMatch(/allowed: On, ForceOff, ForceRestart, GracefulRestart/);
    expect((await adminState(sim, 'sim-003')).totalActions).toBe(0);
    await c.close();
  });

  it('clears the SEL and the job queue (via the task monitor), and refuses reset-to-defaults without approval', async () => {
    const c = clientFor(sim, 'sim-003');
    const d = new Idrac(c);
    await injectFault(sim, 'sim-003', 'overheating');
    expect((await d.sel()).length).toBeGreaterThan(0);
    await d.clearSel('k-sel');
    expect(await d.sel()).toEqual([]);
    await d.clearJobs('k-jobs');
    expect((await adminState(sim, 'sim-003')).jobs).toBe(0);
    const e = await caught(d.resetToDefaults('k-def', { destructive: true }));
    expect(e.type).toBe('SafetyRefusedError');
    expect((await adminState(sim, 'sim-003')).actions['DellManager.ResetToDefaults']).toBeUndefined();
    await c.close();
  });

  it('Manager.Reset revives an unresponsive iDRAC after its restart delay', async () => {
    const probe = clientFor(sim, 'sim-001', { timeoutMs: 400, getRetries: 0 });
    await injectFault(sim, 'sim-001', 'idrac-unresponsive');
    expect((await caught(probe.getJson('/redfish/v1/Chassis/System.Embedded.1/Thermal'))).type).toBe(
      'RedfishTimeoutError'
    );
    // The web server still takes the Manager.Reset that cures it.
    const c = clientFor(sim, 'sim-001');
    await new Idrac(c).managerReset('k-mgr');
    expect((await adminState(sim, 'sim-001')).idracResponding).toBe(false);
    const back = await until(
      'iDRAC back',
      () => adminState(sim, 'sim-001'),
      (s) => s.idracResponding
    );
    expect(back.faults).not.toContain('idrac-unresponsive');
    expect(back.actionsByKey['k-mgr']).toBe(1);
    expect((await new Idrac(c).lclog(5)).map((e) => e.messageId)).toContain('RAC0182');
    await Promise.all([probe.close(), c.close()]);
  });
});
