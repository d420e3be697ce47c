// Safety: at-most-once per key (also across a killed process), rate and blast-radius limits,
// dry-run, destructive refusal and unknown hosts, through HardwareService against the simulator.
/* eslint-disable @typescript-eslint/no-explicit-any -- Redfish JSON documents inspected ad hoc */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../core/hardware/simulator/server.ts';
import { simulatorInventoryYaml, SIM_PASSWORD_ENV } from '../../../core/hardware/simulator/inventory-file.ts';
import { loadInventory } from '../../../core/hardware/inventory.ts';
import { HardwareService } from '../../../core/hardware/service.ts';
import { RedfishError } from '../../../core/hardware/errors.ts';
import { projectRoot } from '../../../core/config.ts';
import { adminState, injectFault, startTestSimulator, until } from './sim-helpers.ts';

let sim: RunningSimulator;
let invFile: string;
const dir = () => mkdtempSync(join(tmpdir(), 'ironthrone-hw-'));

beforeAll(async () => {
  process.env[SIM_PASSWORD_ENV] = 'calvin';
  sim = await startTestSimulator(6, { bootMs: 1500, idracRestartMs: 1000, taskMs: 200 });
  invFile = join(dir(), 'inventory.yaml');
  writeFileSync(invFile, simulatorInventoryYaml(sim));
});
afterAll(async () => sim?.stop());

const service = (
  data = dir(),
  limits?: ConstructorParameters<typeof HardwareService>[0]['limits'],
  print?: (l: string) => void
) => new HardwareService({ inventory: loadInventory(invFile), dataDir: data, limits, print });

async function caught(p: Promise<unknown>): Promise<RedfishError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RedfishError) return e;
    throw e;
  }
  throw new Error('expected a RedfishError');
}

describe('HardwareService safety', () => {
  it('sends an action once per key, even when asked again', async () => {
    const s = service();
    const first: any = await s.perform({ host: 'sim-001', action: 'clear-sel', key: 'wf-1:clear' });
    const again: any = await s.perform({ host: 'sim-001', action: 'clear-sel', key: 'wf-1:clear' });
    expect([first.replayed, again.replayed]).toEqual([false, true]);
    expect((await adminState(sim, 'sim-001')).actionsByKey['wf-1:clear']).toBe(1);
    await s.close();
  });

  it('never resends after a worker is killed between sending and recording completion', async () => {
    const data = dir();
    // The child sends a PowerCycle and is SIGKILLed before it records completion, so the store
    // holds intent without completion, exactly as after a worker crash.
    const script = join(projectRoot, 'test/core/hardware/fixtures/act-then-die.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', script, invFile, data, 'sim-002', 'wf-2:cycle'], {
      env: { ...process.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise((r) => child.once('exit', r));
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    await until(
      'child sent the action',
      async () => out,
      (o) => o.includes('SENT') || child.exitCode !== null,
      60_000
    );
    expect(out).toContain('SENT');
    expect(child.exitCode).toBeNull();
    child.kill('SIGKILL');
    await exited;
    expect((await adminState(sim, 'sim-002')).actionsByKey['wf-2:cycle']).toBe(1);
    // The retry (a new worker, same key) reconciles from the Lifecycle log and sends nothing.
    const s = service(data);
    expect(s.guard.lookup('wf-2:cycle')?.state).toBe('intent');
    const r: any = await s.perform({ host: 'sim-002', action: 'reset', resetType: 'PowerCycle', key: 'wf-2:cycle' });
    expect(r).toMatchObject({ replayed: true, reconciled: 'done' });
    expect((await adminState(sim, 'sim-002')).actionsByKey['wf-2:cycle']).toBe(1);
    expect(s.guard.lookup('wf-2:cycle')?.state).toBe('done');
    await s.close();
  });

  it('an intent whose request never reached the BMC is sent on retry (once)', async () => {
    const data = dir();
    const s = service(data);
    // Simulate a crash before the request left: intent recorded, nothing on the BMC.
    await expect(
      s.guard.run(
        { key: 'wf-3:cycle', host: 'sim-003', action: 'reset' },
        () => Promise.reject(new Error('worker died')),
        async () => 'unknown'
      )
    ).rejects.toThrow('worker died');
    expect(s.guard.lookup('wf-3:cycle')?.state).toBe('intent');
    const r: any = await s.perform({ host: 'sim-003', action: 'reset', resetType: 'ForceRestart', key: 'wf-3:cycle' });
    expect(r.replayed).toBe(false);
    expect((await adminState(sim, 'sim-003')).actionsByKey['wf-3:cycle']).toBe(1);
    await s.close();
  });

  it('enforces the per-host rate limit (retryable) and the fleet blast radius (non-retryable)', async () => {
    const s = service(dir(), { perHost: { max: 2, windowMs: 60_000 }, fleet: { maxHosts: 2, windowMs: 60_000 } });
    await s.perform({ host: 'sim-004', action: 'clear-jobs', key: 'a:1' });
    await s.perform({ host: 'sim-004', action: 'clear-jobs', key: 'a:2' });
    const rl = await caught(s.perform({ host: 'sim-004', action: 'clear-jobs', key: 'a:3' }));
    expect([rl.type, rl.retryable]).toEqual(['RateLimitedError', true]);
    await s.perform({ host: 'sim-005', action: 'clear-jobs', key: 'b:1' });
    const br = await caught(s.perform({ host: 'sim-006', action: 'clear-jobs', key: 'c:1' }));
    expect([br.type, br.retryable]).toEqual(['SafetyRefusedError', false]);
    expect(br.message).toMatch(/blast-radius limit: 2 hosts/);
    expect((await adminState(sim, 'sim-006')).totalActions).toBe(0);
    expect((await adminState(sim, 'sim-004')).totalActions).toBe(2);
    await s.close();
  });

  it('dry-run prints the requests and sends nothing', async () => {
    const lines: string[] = [];
    const s = service(dir(), undefined, (l) => lines.push(l));
    const before = (await adminState(sim, 'sim-005')).totalActions;
    const r: any = await s.perform({
      host: 'sim-005',
      action: 'reset',
      resetType: 'PowerCycle',
      key: 'd:1',
      dryRun: true,
    });
    expect(r.requests[0]).toMatchObject({ method: 'POST', body: { ResetType: 'PowerCycle' } });
    expect(lines[0]).toMatch(
      /\[dry-run\] sim-005: POST https:\/\/127\.0\.0\.1:\d+\/redfish\/v1\/Systems\/System\.Embedded\.1\/Actions\/ComputerSystem\.Reset \{"ResetType":"PowerCycle"\} \(X-Idempotency-Key: d:1\)/
    );
    expect((await adminState(sim, 'sim-005')).totalActions).toBe(before);
    expect(s.guard.lookup('d:1')).toBeUndefined();
    await s.close();
  });

  it('refuses destructive actions without destructive+approved, unknown hosts, and keyless writes', async () => {
    const s = service();
    expect(
      (await caught(s.perform({ host: 'sim-001', action: 'reset-to-defaults', key: 'x:1', destructive: true }))).type
    ).toBe('SafetyRefusedError');
    const unknown = await caught(s.perform({ host: 'sim-999', action: 'health' }));
    expect([unknown.type, unknown.retryable]).toEqual(['UnknownHostError', false]);
    expect(unknown.message).toMatch(/unknown host 'sim-999'.*hosts: sim-001/);
    expect((await caught(s.perform({ host: 'sim-001', action: 'clear-sel' }))).message).toMatch(/idempotency key/);
    expect((await caught(s.perform({ host: 'sim-001', action: 'reset' }))).message).toMatch(/needs reset_type/);
    // An unsupported type is refused before anything is recorded, so a corrected retry can run.
    expect(
      (await caught(s.perform({ host: 'sim-001', action: 'reset', resetType: 'Hibernate', key: 'y:1' }))).type
    ).toBe('RedfishUnsupportedResetTypeError');
    expect(s.guard.lookup('y:1')).toBeUndefined();
    await s.close();
  });

  it('reads health through the inventory and sees injected faults', async () => {
    const s = service();
    await injectFault(sim, 'sim-006', 'overheating');
    const h: any = await s.perform({ host: 'sim-006', action: 'health' });
    expect(h).toMatchObject({ rollup: 'Warning', components: { temperatures: 'Warning' } });
    await s.close();
  });
});
