// Probes against real local servers: an HTTP server we toggle between healthy and failing to
// check flap damping, a TCP port, and a self-signed HTTPS server for certificate expiry.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../scripts/lib/procs.ts';
import { ackProbeEvents, sweepProbes } from '../../../core/telemetry/probe-sweep.ts';
import { createProbesActivities } from '../../../activities/probes.ts';
import { EmbeddedLedger } from '../../../core/ledger/embedded.ts';
import { probeSpecSchema, runProbe } from '../../../core/telemetry/probes.ts';
import { TelemetryStore } from '../../../core/telemetry/store.ts';
import { computeAvailability } from '../../../core/availability/compute.ts';

let healthy = true;
let server: Server;
let port: number;

beforeAll(async () => {
  port = await freePort();
  server = createServer((_req, res) => {
    res.statusCode = healthy ? 200 : 503;
    res.end(healthy ? 'ok' : 'unavailable');
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('flap damping against a toggled HTTP server', () => {
  it('needs N consecutive results to change state; one blip is not an outage', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'it-probes-'));
    const stateFile = join(dir, 'state.json');
    let clock = Date.UTC(2026, 0, 1, 12, 0);
    const store = TelemetryStore.open({ clock: () => clock });
    const spec = probeSpecSchema.parse({
      target: 'web-1',
      kind: 'http',
      url: `http://127.0.0.1:${port}/health`,
      confirm: 3,
      tags: { service: 'web', region: 'eu' },
    });
    // pattern of server health per sweep: up x3, one blip, up, down x4, up x3
    const pattern = [1, 1, 1, 0, 1, 0, 0, 0, 0, 1, 1, 1];
    const events = [];
    const states: string[] = [];
    for (const up of pattern) {
      healthy = up === 1;
      const out = await sweepProbes([spec], { stateFile, store, now: () => clock });
      states.push(out.states['web-1']!);
      events.push(...out.events);
      ackProbeEvents(
        stateFile,
        out.events.map((e) => e.id)
      ); // as the workflow does after the hand-off
      clock += 60_000;
    }
    expect(states).toEqual(['unknown', 'unknown', 'up', 'up', 'up', 'up', 'up', 'down', 'down', 'down', 'down', 'up']);
    expect(events.map((e) => e.type === 'availability' && [e.from, e.to])).toEqual([
      ['unknown', 'up'],
      ['up', 'down'],
      ['down', 'up'],
    ]);
    const down = events[1]!;
    if (down.type !== 'availability') throw new Error('unexpected record');
    // onset is the first failing sweep of the streak (minute 5), detection the third (minute 7)
    expect(down.tags!.onsetAt).toBe(new Date(Date.UTC(2026, 0, 1, 12, 5)).toISOString());
    expect(down.observedAt).toBe(new Date(Date.UTC(2026, 0, 1, 12, 7)).toISOString());
    expect(down.tags!.service).toBe('web');
    // the damping state survives between sweeps in the state file
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).targets['web-1'].state).toBe('up');
    // every result fed the series store
    const up = store.index.eq('name', 'ironthrone.probe.up');
    expect(
      store
        .read(
          up[0]!,
          Math.floor(Date.UTC(2026, 0, 1, 12, 0) / 60_000),
          Math.floor(Date.UTC(2026, 0, 1, 12, 12) / 60_000)
        )
        .join()
    ).toBe(pattern.join());
    // and the events give hand-checkable figures: down from 12:05 (onset) to 12:11 → 6 min, MTTD 2 min
    const figs = computeAvailability(events as never, {
      from: Date.UTC(2026, 0, 1, 12, 0),
      to: Date.UTC(2026, 0, 1, 13, 0),
      groupBy: 'service',
    });
    expect(figs[0]).toMatchObject({
      group: 'web',
      downMs: 6 * 60_000,
      mttdMs: 2 * 60_000,
      mttrMs: 6 * 60_000,
      incidents: 1,
    });
  });
});

describe('damping state and ledger hand-off', () => {
  it('a crash after the state is saved, before or after the hand-off, neither loses nor duplicates an event', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'it-probes-crash-'));
    const ledger = new EmbeddedLedger({ dir: join(dir, 'ledger'), durability: 'normal' });
    const acts = createProbesActivities({ dataDir: dir, telemetryStore: TelemetryStore.open({}), ledger });
    const spec = { target: 'web-1', kind: 'http', url: `http://127.0.0.1:${port}/`, confirm: 2 };
    const sweep = () => acts.probesSweep({ specs: [spec], sweepId: 'crash' });
    const inLedger = async () =>
      (await ledger.query({ type: 'availability' })).map((e) => e.record.type === 'availability' && e.record.to);
    try {
      healthy = true;
      expect((await sweep()).events).toEqual([]);
      const first = await sweep(); // confirms unknown → up and saves that state…
      expect(first.events).toHaveLength(1);
      // …then the process dies before the hand-off. The next sweep finds the state already `up`
      // (no new transition) but re-sends the saved event.
      const second = await sweep();
      expect(second.states['web-1']).toBe('up');
      expect(second.events).toEqual(first.events);
      await acts.probesHandOffToLedger(second.events);
      // dies again, after the hand-off but before the ack: the event is sent once more, with a new
      // transition (up → down) in the same batch; the ledger keeps one copy of each
      healthy = false;
      await sweep();
      const fourth = await sweep();
      expect(fourth.events.map((e) => e.type === 'availability' && e.to)).toEqual(['up', 'down']);
      await acts.probesHandOffToLedger(fourth.events);
      expect(await acts.probesAck({ sweepId: 'crash', ids: fourth.events.map((e) => e.id) })).toEqual({
        acked: 2,
        pending: 0,
      });
      expect((await sweep()).events).toEqual([]); // acknowledged: nothing left to send
      expect(await inLedger()).toEqual(['up', 'down']);
    } finally {
      healthy = true;
      await ledger.close();
    }
  });
});

describe('probe kinds', () => {
  it('tcp: open port up, closed port down with the reason', async () => {
    const p = await freePort();
    const srv = createTcpServer((s) => s.end());
    await new Promise<void>((r) => srv.listen(p, '127.0.0.1', () => r()));
    const ok = await runProbe(probeSpecSchema.parse({ target: 't', kind: 'tcp', host: '127.0.0.1', port: p }));
    await new Promise<void>((r) => srv.close(() => r()));
    const bad = await runProbe(probeSpecSchema.parse({ target: 't', kind: 'tcp', host: '127.0.0.1', port: p }));
    expect(ok.ok).toBe(true);
    expect(bad).toMatchObject({ ok: false, error: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('https: reports certificate days left, and a self-signed cert fails verification', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'it-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-subj',
        '/CN=127.0.0.1',
        '-days',
        '10',
        '-keyout',
        join(dir, 'k.pem'),
        '-out',
        join(dir, 'c.pem'),
      ],
      { stdio: 'ignore' }
    );
    const p = await freePort();
    const srv = createHttpsServer(
      { key: readFileSync(join(dir, 'k.pem')), cert: readFileSync(join(dir, 'c.pem')) },
      (_q, s) => s.end('ok')
    );
    await new Promise<void>((r) => srv.listen(p, '127.0.0.1', () => r()));
    const lax = await runProbe(
      probeSpecSchema.parse({ target: 's', kind: 'http', url: `https://127.0.0.1:${p}/`, tlsVerify: false })
    );
    const strict = await runProbe(probeSpecSchema.parse({ target: 's', kind: 'http', url: `https://127.0.0.1:${p}/` }));
    await new Promise<void>((r) => srv.close(() => r()));
    expect(lax).toMatchObject({ ok: true, status: 200 });
    expect(lax.certDaysLeft).toBeGreaterThanOrEqual(9);
    expect(lax.certDaysLeft).toBeLessThanOrEqual(10);
    expect(strict).toMatchObject({ ok: false, error: expect.stringMatching(/self[- ]signed/i) });
  });

  it('bad probe specs are refused with the field', () => {
    expect(probeSpecSchema.safeParse({ target: 'x', kind: 'tcp', host: 'h' }).error?.issues[0]?.message).toMatch(
      /need `host` and `port`/
    );
    expect(probeSpecSchema.safeParse({ target: 'x', kind: 'ftp' }).error?.issues[0]?.path).toEqual(['kind']);
  });
});
