// The push path: a BMC subscription delivers an injected fault to the listener.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../core/hardware/simulator/server.ts';
import { listenForEvents, subscribe, type EventListener, type HardwareAlert } from '../../../core/hardware/events.ts';
import { clientFor, injectFault, until } from './sim-helpers.ts';
import { startTestSimulator } from './sim-helpers.ts';

let sim: RunningSimulator;
let listener: EventListener;
const alerts: HardwareAlert[] = [];

beforeAll(async () => {
  sim = await startTestSimulator(2);
  listener = await listenForEvents((a) => alerts.push(a));
});
afterAll(async () => {
  await listener?.stop();
  await sim?.stop();
});

describe('EventService subscriptions', () => {
  it('pushes a fault to the listener with the Dell message id and host context', async () => {
    const c = clientFor(sim, 'sim-002');
    const uri = await subscribe(c, listener.url, 'sim-002');
    expect(uri).toMatch(/\/redfish\/v1\/EventService\/Subscriptions\/\w+/);
    await injectFault(sim, 'sim-002', 'psu-loss');
    const got = await until(
      'pushed events',
      async () => alerts,
      (a) => a.length >= 2,
      20_000
    );
    expect(got[0]).toMatchObject({
      host: 'sim-002',
      kind: 'hardware.psu',
      severity: 'critical',
      messageId: 'PSU0003',
      origin: '/redfish/v1/Systems/System.Embedded.1',
    });
    // Another host, not subscribed, pushes nothing.
    await injectFault(sim, 'sim-001', 'fan-failure');
    await new Promise((r) => setTimeout(r, 500));
    expect(alerts.filter((a) => a.host !== 'sim-002')).toEqual([]);
    // Unsubscribing stops the pushes.
    await c.raw('DELETE', uri, undefined, { Authorization: `Basic ${Buffer.from('root:calvin').toString('base64')}` });
    const n = alerts.length;
    await injectFault(sim, 'sim-002', 'overheating');
    await new Promise((r) => setTimeout(r, 500));
    expect(alerts.length).toBe(n);
    await c.close();
  });
});
