/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- Redfish JSON documents inspected ad hoc */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../core/hardware/simulator/server.ts';
import { adminState, clientFor, injectFault, startTestSimulator, until } from './sim-helpers.ts';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startTestSimulator(3);
});
afterAll(async () => sim?.stop());

describe('iDRAC simulator', () => {
  it('serves a PowerEdge-shaped tree per host, each on its own HTTPS port', async () => {
    expect(new Set(sim.hosts.map((h) => h.port)).size).toBe(3);
    const c = clientFor(sim, 'sim-002');
    const root = await c.getJson('/redfish/v1');
    expect(root.Vendor).toBe('Dell');
    const sys = await c.getJson<any>('/redfish/v1/Systems/System.Embedded.1');
    expect(sys.Model).toBe('PowerEdge R750');
    expect(sys.HostName).toBe('sim-002');
    expect(sys.Status).toEqual({ State: 'Enabled', Health: 'OK', HealthRollup: 'OK' });
    expect(sys.Actions['#ComputerSystem.Reset']['ResetType@Redfish.AllowableValues']).toContain('PowerCycle');
    const thermal = await c.getJson<any>('/redfish/v1/Chassis/System.Embedded.1/Thermal');
    expect(thermal.Fans).toHaveLength(6);
    const mgr = await c.getJson<any>('/redfish/v1/Managers/iDRAC.Embedded.1');
    expect(mgr.Actions['#Manager.Reset']['ResetType@Redfish.AllowableValues']).toEqual(['GracefulRestart']);
    await c.close();
  });

  it('shows a fan failure in health, sensors and both logs with Dell message FAN0001', async () => {
    const c = clientFor(sim, 'sim-001');
    expect((await injectFault(sim, 'sim-001', 'fan-failure')).status).toBe(200);
    const sys = await c.getJson<any>('/redfish/v1/Systems/System.Embedded.1');
    expect(sys.Status.HealthRollup).toBe('Critical');
    expect(sys.Oem.Dell.DellSystem.FanRollupStatus).toBe('Critical');
    const thermal = await c.getJson<any>('/redfish/v1/Chassis/System.Embedded.1/Thermal');
    const bad = thermal.Fans.filter((f: any) => f.Status.Health === 'Critical');
    expect(bad).toHaveLength(1);
    expect(bad[0].Reading).toBeLessThan(bad[0].LowerThresholdCritical);
    const sel = await c.getJson<any>('/redfish/v1/Managers/iDRAC.Embedded.1/LogServices/Sel/Entries');
    expect(sel.Members[0].MessageId).toBe('FAN0001');
    const lc = await c.getJson<any>('/redfish/v1/Managers/iDRAC.Embedded.1/LogServices/Lclog/Entries');
    expect(lc.Members.map((m: any) => m.MessageId)).toContain('FAN0001');
    await c.close();
  });

  it('each fault carries its own Dell message id', async () => {
    const expected: Record<string, string[]> = {
      'psu-loss': ['PSU0003', 'RDU0012'],
      overheating: ['TMP0120'],
      'memory-ecc': ['MEM0701'],
      'hung-host': ['ASR0000'],
    };
    const c = clientFor(sim, 'sim-003');
    for (const [fault, ids] of Object.entries(expected)) {
      await injectFault(sim, 'sim-003', fault);
      const sel = await c.getJson<any>('/redfish/v1/Managers/iDRAC.Embedded.1/LogServices/Sel/Entries');
      for (const id of ids) expect(sel.Members.map((m: any) => m.MessageId)).toContain(id);
    }
    const power = await c.getJson<any>('/redfish/v1/Chassis/System.Embedded.1/Power');
    expect(power.PowerSupplies[1].Status.Health).toBe('Critical');
    const dimm = await c.getJson<any>('/redfish/v1/Systems/System.Embedded.1/Memory/DIMM.Socket.A1');
    expect(dimm.Status.Health).toBe('Warning');
    // A hung host ignores a graceful restart; a power cycle clears it after the boot delay.
    await c.post('/redfish/v1/Systems/System.Embedded.1/Actions/ComputerSystem.Reset', {
      ResetType: 'GracefulRestart',
    });
    expect((await adminState(sim, 'sim-003')).faults).toContain('hung-host');
    await c.post(
      '/redfish/v1/Systems/System.Embedded.1/Actions/ComputerSystem.Reset',
      { ResetType: 'PowerCycle' },
      'wf:step-1'
    );
    const during = await c.getJson<any>('/redfish/v1/Systems/System.Embedded.1');
    expect(during.PowerState).toBe('PoweringOn');
    const after = await until(
      'boot',
      () => adminState(sim, 'sim-003'),
      (s) => s.power === 'On'
    );
    expect(after.faults).not.toContain('hung-host');
    expect(after.actionsByKey['wf:step-1']).toBe(1);
    expect(after.actions['ComputerSystem.Reset:PowerCycle']).toBe(1);
    await c.close();
  });

  it('admin API rejects unknown hosts and faults with the expected names', async () => {
    const r = await injectFault(sim, 'nope', 'fan-failure');
    expect(r.status).toBe(404);
    expect((await r.json()).error).toMatch(/unknown host 'nope', expected one of sim-001/);
    const f = await injectFault(sim, 'sim-001', 'gremlins');
    expect(f.status).toBe(400);
    expect((await f.json()).error).toMatch(/expected one of fan-failure, psu-loss/);
  });
});
