import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkTable, XOR, codecFor } from '../../../core/telemetry/blocks.ts';
import { SCALES } from '../../../core/telemetry/delta.ts';
import { TelemetryStore } from '../../../core/telemetry/store.ts';
import { releaseLock } from '../../../core/telemetry/lock.ts';

const STEP = 60_000;
const T0 = Date.UTC(2026, 0, 1);
const tmp = (n: string) => mkdtempSync(join(tmpdir(), `it-telemetry-${n}-`));
const slot = (t: number) => Math.floor(t / STEP);

const encode = (vals: readonly number[], codec = codecFor(vals[0] ?? 0)) => {
  const t = new ChunkTable();
  const c = t.alloc(0, 0, codec);
  for (const v of vals) t.append(c, v);
  const out = new Float64Array(vals.length);
  t.decode(c, vals.length, out);
  return { t, c, out };
};

describe('block compression', () => {
  it('XOR round-trips any float64 sequence bit-exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.double(), { maxLength: 300 }), (vals) => {
        const { out } = encode(vals, XOR);
        return vals.every((v, i) => Object.is(v, out[i]));
      }),
      { numRuns: 300 }
    );
  });
  const value = fc.oneof(
    fc.integer({ min: -5000, max: 5000 }),
    fc.integer({ min: -500, max: 500 }).map((x) => x / 10),
    fc.integer().map((x) => x / 4),
    fc.constant(NaN),
    fc.double(),
    fc.constant(-0)
  );
  it('chunks switch codec (delta at growing scales, then XOR) and stay bit-exact', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 200 }), (vals) => {
        const { out } = encode(vals);
        return vals.every((v, i) => Object.is(v, out[i]));
      }),
      { numRuns: 400 }
    );
  });
  it('chunks sharing the segment arena (interleaved appends, frees and reuse) stay bit-exact', () => {
    fc.assert(
      fc.property(fc.array(fc.array(value, { maxLength: 400 }), { minLength: 2, maxLength: 6 }), (series) => {
        const t = new ChunkTable();
        const doomed = series.map(() => t.alloc(0, 0, XOR));
        const rows = series.map((vals) => t.alloc(0, 0, codecFor(vals[0] ?? 0)));
        const longest = Math.max(...series.map((v) => v.length));
        for (let i = 0; i < longest; i++)
          series.forEach((vals, j) => {
            if (i < vals.length) t.append(rows[j]!, vals[i]!);
            if (i < 100) t.append(doomed[j]!, i * 0.1);
            if (i === 100) t.free(doomed[j]!); // their segments go to the chunks still growing
          });
        return series.every((vals, j) => {
          const out = new Float64Array(vals.length);
          t.decode(rows[j]!, vals.length, out);
          return vals.every((v, i) => Object.is(v, out[i]));
        });
      }),
      { numRuns: 150 }
    );
  });
  it('decimal sensor data uses the delta codec: an unchanged value costs one bit', () => {
    const { t, c } = encode(Array.from({ length: 1440 }, (_, i) => 41.5 + (i % 100 === 0 ? 0.5 : 0)));
    expect(SCALES[t.codec[c]! - 1]).toBe(2);
    expect(t.bits[c]).toBeLessThan(1440 + 36 + 15 * 9 * 2);
  });
  it('a constant series costs about one bit per point', () => {
    const { t, c } = encode(Array.from({ length: 1440 }, () => 42.25), XOR);
    expect(t.bits[c]).toBe(64 + 1439);
  });
});

describe('TelemetryStore', () => {
  it('consolidates datapoints per step bucket (avg by default, sum for atlas.dstype=rate, max via ironthrone.cf)', () => {
    const s = TelemetryStore.open({ clock: () => T0 + 3_600_000 });
    const pts = (tags: Record<string, string>) =>
      [10, 20, 60].map((value, i) => ({ tags, timestamp: T0 + i * 10_000, value }));
    s.ingest([
      ...pts({ name: 'g' }),
      ...pts({ name: 'r', 'atlas.dstype': 'rate' }),
      ...pts({ name: 'm', 'ironthrone.cf': 'max' }),
    ]);
    const v = (name: string) => s.read(s.index.eq('name', name)[0]!, slot(T0), slot(T0) + 1)[0];
    expect([v('g'), v('r'), v('m')]).toEqual([30, 90, 60]);
  });

  it('canonicalises tag order: same series whatever the order', () => {
    const s = TelemetryStore.open({ clock: () => T0 });
    expect(s.resolve({ name: 'x', b: '1', a: '2' })).toBe(s.resolve({ a: '2', name: 'x', b: '1' }));
    expect(s.keyOf(0)).toBe('a=2,b=1,name=x');
  });

  it('refuses clock-skewed, too-old, late and malformed datapoints with a reason, and counts them', () => {
    const now = T0 + 86_400_000;
    const s = TelemetryStore.open({ clock: () => now, retentionMs: 86_400_000 });
    const r = s.ingest([
      { tags: { name: 'a' }, timestamp: now, value: 1 },
      { tags: { name: 'a' }, timestamp: now + 3_600_000, value: 1 },
      { tags: { name: 'a' }, timestamp: now - 2 * 86_400_000, value: 1 },
      { tags: { name: 'a' }, timestamp: now - 30 * STEP, value: 1 },
      { tags: { host: 'x' }, timestamp: now, value: 1 },
      { tags: { name: 'a' }, timestamp: 'yesterday', value: 1 },
      { tags: { name: 'a' }, timestamp: now, value: '1' },
      { tags: { name: 'a', 'bad key!': 'x' }, timestamp: now, value: 1 },
    ]);
    expect(r.accepted).toBe(1);
    expect(r.errors.map((e) => [e.index, e.reason.split(':')[0]])).toEqual([
      [1, 'future'],
      [2, 'too-old'],
      [3, 'late'],
      [4, 'invalid'],
      [5, 'invalid'],
      [6, 'invalid'],
      [7, 'invalid'],
    ]);
    expect(r.errors[0]!.reason).toMatch(/ahead of the server clock/);
    expect(r.errors[3]!.reason).toMatch(/missing required tag `name`/);
    expect(s.stats.refused).toEqual({ invalid: 4, future: 1, 'too-old': 1, late: 1 });
  });

  it('keeps a day of data exactly across head, open and sealed chunks, with gaps', () => {
    const s = TelemetryStore.open({ clock: () => T0 + 2 * 86_400_000 });
    const expected = new Float64Array(2 * 1440).fill(NaN);
    for (let m = 0; m < 2 * 1440; m++) {
      if (m % 97 < 5) continue; // gaps
      const v = Math.sin(m / 30) * 100;
      expected[m] = v;
      s.ingest([{ tags: { name: 'sine' }, timestamp: T0 + m * STEP + 5000, value: v }]);
    }
    expect([...s.read(0, slot(T0), slot(T0) + 2 * 1440)]).toEqual([...expected]);
  });

  it('retention rolls old chunks up hourly and drops them after the rollup retention', () => {
    let now = T0;
    const s = TelemetryStore.open({ clock: () => now, retentionMs: 86_400_000, rollupRetentionMs: 3 * 86_400_000 });
    for (let m = 0; m < 1440; m++, now += STEP) s.ingest([{ tags: { name: 'r' }, timestamp: now, value: m % 60 }]);
    now = T0 + 2 * 86_400_000 + STEP;
    s.ingest([{ tags: { name: 'r' }, timestamp: now, value: 0 }]);
    expect(s.maintain(now).rolledUp).toBe(1);
    const hour = s.read(0, slot(T0), slot(T0) + 60);
    expect(hour.every((v) => v === 29.5)).toBe(true); // avg of 0..59
    expect(s.maintain(T0 + 5 * 86_400_000).dropped).toBe(1);
  });

  it('recovers from snapshot + WAL, and cuts a torn WAL tail', async () => {
    const dir = tmp('recover');
    const clock = () => T0 + 3_600_000;
    const a = TelemetryStore.open({ dir, clock });
    for (let m = 0; m < 40; m++) a.ingest([{ tags: { name: 'w', host: 'a' }, timestamp: T0 + m * STEP, value: m }]);
    await a.commit();
    a.snapshot();
    for (let m = 40; m < 60; m++) a.ingest([{ tags: { name: 'w', host: 'a' }, timestamp: T0 + m * STEP, value: m }]);
    a.ingest([{ tags: { name: 'w', host: 'b' }, timestamp: T0, value: 7 }]);
    await a.commit();
    // simulate a torn write at the end of the live segment
    const seg = readdirSync(dir)
      .filter((f) => f.startsWith('wal-'))
      .sort()
      .at(-1)!;
    const size = statSync(join(dir, seg)).size;
    a.ingest([{ tags: { name: 'w', host: 'a' }, timestamp: T0 + 60 * STEP, value: 60 }]);
    await a.commit();
    truncateSync(join(dir, seg), size + 10);
    releaseLock(dir); // `a` is abandoned as if its process had died
    const b = TelemetryStore.open({ dir, clock });
    const vals = [...b.read(b.index.eq('host', 'a')[0]!, slot(T0), slot(T0) + 61)];
    expect(vals.slice(0, 60)).toEqual([...Array(60).keys()]);
    expect(vals[60]).toBeNaN(); // the torn record is gone, everything before it survived
    expect(b.read(b.index.eq('host', 'b')[0]!, slot(T0), slot(T0) + 1)[0]).toBe(7);
  });

  it('snapshots round-trip rollups, open and sealed chunks; removed series free their key', async () => {
    const dir = tmp('layout');
    let now = T0;
    const opts = { dir, clock: () => now, retentionMs: 86_400_000, rollupRetentionMs: 3 * 86_400_000 };
    const a = TelemetryStore.open(opts);
    // `10` is an integer-like tag key: JS objects list it first, the canonical key sorts it by text
    const tags = (h: string) => ({ name: 'm', host: h, '10': 'x' });
    for (let m = 0; m < 2 * 1440 + 30; m++, now += STEP)
      a.ingest([
        { tags: tags('a'), timestamp: now, value: m % 60 },
        ...(m < 40 ? [{ tags: tags('gone'), timestamp: now, value: 1 }] : []),
      ]);
    now = T0 + 4 * 86_400_000 + 31 * STEP; // host=gone's only chunk is past the rollup retention
    a.ingest([{ tags: tags('a'), timestamp: now, value: 5 }]);
    expect(a.maintain(now)).toMatchObject({ removedSeries: 1 });
    expect(a.index.eq('host', 'gone')).toEqual([]);
    expect(a.keyOf(0)).toBe('10=x,host=a,name=m');
    const want = [...a.read(0, slot(T0), slot(now) + 1)];
    await a.close();
    const b = TelemetryStore.open(opts);
    expect([...b.read(0, slot(T0), slot(now) + 1)]).toEqual(want);
    expect(want.slice(1440, 1500).every((v) => v === 29.5)).toBe(true); // day 2 is an hourly rollup now
    expect(b.resolve(tags('a'))).toBe(0);
    const gone = b.resolve(tags('gone')); // a new, empty series
    expect(gone).not.toBe(0);
    expect(b.read(gone, slot(T0), slot(T0) + 40).every(Number.isNaN)).toBe(true);
    expect(b.index.values('host')).toEqual(['a', 'gone']);
    await b.close();
  });

  it('one writer per folder: a second writer is refused, readers are not', async () => {
    const dir = tmp('lock');
    const a = TelemetryStore.open({ dir, clock: () => T0 });
    expect(() => TelemetryStore.open({ dir, clock: () => T0 })).toThrow(/already has a telemetry store open/);
    expect(() => TelemetryStore.open({ dir, clock: () => T0, readOnly: true })).not.toThrow();
    await a.close();
    await TelemetryStore.open({ dir, clock: () => T0 }).close();
  });

  it('kill -9 of an ingesting process loses no acknowledged datapoint', async () => {
    const dir = tmp('kill');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'ingest-child.ts'), dir, String(T0)],
      { stdio: ['ignore', 'pipe', 'inherit'] }
    );
    let acked = -1;
    let buf = '';
    await new Promise<void>((resolve, reject) => {
      child.on('exit', (code) => reject(new Error(`child exited early (${code})`)));
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const lines = buf.split('\n');
        buf = lines.pop()!;
        for (const l of lines) acked = Number(l.split(' ')[1]);
        if (acked >= 20_000) {
          child.removeAllListeners('exit');
          child.kill('SIGKILL');
          child.on('exit', () => resolve());
        }
      });
    });
    const s = TelemetryStore.open({ dir, clock: () => T0 + 86_400_000 });
    let present = 0;
    for (let n = 0; n < acked; n++) {
      const id = s.index.eq('host', `h${n % 50}`)[0]!;
      const t = slot(T0) + Math.floor(n / 50);
      if (s.read(id, t, t + 1)[0] === n) present++;
    }
    expect(present).toBe(acked);
  }, 120_000);
});
