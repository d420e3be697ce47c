// Availability figures on constructed event histories, checked against numbers worked out by
// hand in the comments.
import { describe, expect, it } from 'vitest';
import { computeAvailability, type AvailabilityEventLike } from '../../../core/availability/compute.ts';
import {
  cronOccurrences,
  maintenanceIntervals,
  maintenanceWindowSchema,
  parseCron,
} from '../../../core/availability/maintenance.ts';

const D = Date.UTC(2026, 2, 2); // Monday 2026-03-02 00:00Z
const H = 3_600_000;
const M = 60_000;
const iso = (t: number) => new Date(t).toISOString();
const ev = (
  target: string,
  from: string,
  to: string,
  t: number,
  tags: Record<string, string> = {}
): AvailabilityEventLike => ({ target, from, to, observedAt: iso(t), tags });

describe('computeAvailability', () => {
  // Window: one day. api-1 (service api, eu) is down 01:00-02:00 (onset 00:50, detected 01:00)
  // and 10:00-10:30. api-2 (service api, us) down 05:00-05:06. db-1 (service db, eu) always up.
  const events = [
    ev('api-1', 'up', 'down', D + 1 * H, { service: 'api', region: 'eu', onsetAt: iso(D + 50 * M) }),
    ev('api-1', 'down', 'up', D + 2 * H, { service: 'api', region: 'eu' }),
    ev('api-1', 'up', 'down', D + 10 * H, { service: 'api', region: 'eu' }),
    ev('api-1', 'down', 'up', D + 10 * H + 30 * M, { service: 'api', region: 'eu' }),
    ev('api-2', 'up', 'down', D + 5 * H, { service: 'api', region: 'us' }),
    ev('api-2', 'down', 'up', D + 5 * H + 6 * M, { service: 'api', region: 'us' }),
    ev('db-1', 'down', 'up', D - H, { service: 'db', region: 'eu' }),
  ];
  const day = { from: D, to: D + 24 * H, objective: 0.99 };

  it('per target: uptime, budget, burn, MTTD and MTTR', () => {
    const rows = computeAvailability(events, day);
    const a1 = rows.find((r) => r.group === 'api-1')!;
    // down: 00:50-02:00 (onset counts: 70 min) + 30 min = 100 min of 1440
    expect(a1.downMs).toBe(100 * M);
    expect(a1.uptime).toBeCloseTo(1 - 100 / 1440, 12);
    expect(a1.attained).toBe(false); // 93.06 % < 99 %
    // budget: 1 % of 1440 min = 14.4 min; used 100 → left 1 - 100/14.4
    expect(a1.errorBudgetMs).toBeCloseTo(14.4 * M, 6);
    expect(a1.errorBudgetLeft).toBeCloseTo(1 - 100 / 14.4, 9);
    expect(a1.burnRate).toBeCloseTo(100 / 1440 / 0.01, 9);
    expect(a1.incidents).toBe(2);
    expect(a1.mttdMs).toBe(10 * M); // only the first incident has a known onset: 01:00 - 00:50
    expect(a1.mttrMs).toBe(((120 - 50) * M + 30 * M) / 2); // (70 + 30) / 2 = 50 min
    const db = rows.find((r) => r.group === 'db-1')!;
    expect([db.uptime, db.incidents, db.mttrMs, db.mttdMs]).toEqual([1, 0, null, null]);
  });

  it('by service and region, and the fleet row', () => {
    const svc = computeAvailability(events, { ...day, groupBy: 'service' });
    const api = svc.find((r) => r.group === 'api')!;
    // two targets × 1440 min eligible, 106 min down
    expect(api.targets).toBe(2);
    expect(api.uptime).toBeCloseTo(1 - 106 / 2880, 12);
    expect(api.mttrMs).toBe(((70 + 30 + 6) / 3) * M);
    const region = computeAvailability(events, { ...day, groupBy: 'region' });
    expect(region.map((r) => [r.group, r.targets])).toEqual([
      ['eu', 2],
      ['us', 1],
      ['*', 3],
    ]);
    expect(region.at(-1)!.uptime).toBeCloseTo(1 - 106 / (3 * 1440), 12);
  });

  it('excludes a one-off maintenance window from eligible time and downtime', () => {
    // maintenance 09:45-10:15 on api-1: 15 of the 30 min outage are excused, eligible 1410 min
    const maintenance = [
      maintenanceWindowSchema.parse({
        id: 'patch',
        match: { target: 'api-1' },
        start: iso(D + 9 * H + 45 * M),
        duration: '30m',
      }),
    ];
    const a1 = computeAvailability(events, { ...day, maintenance }).find((r) => r.group === 'api-1')!;
    expect(a1.eligibleMs).toBe(1410 * M);
    expect(a1.downMs).toBe(85 * M);
    expect(a1.maintenanceMs).toBe(30 * M);
    expect(a1.incidents).toBe(2); // the 10:00 incident outlasts the window, so it still counts
  });

  it('excludes a recurring weekly window; an incident wholly inside maintenance does not count', () => {
    // every Monday 05:00 for 1h, for service api: api-2's 05:00-05:06 blip disappears entirely
    const maintenance = [
      maintenanceWindowSchema.parse({ id: 'weekly', match: { service: 'api' }, cron: '0 5 * * 1', duration: '1h' }),
    ];
    const week = { from: D, to: D + 7 * 24 * H, objective: 0.99, maintenance };
    const a2 = computeAvailability(events, week).find((r) => r.group === 'api-2')!;
    expect(a2.downMs).toBe(0);
    expect(a2.incidents).toBe(0);
    expect(a2.eligibleMs).toBe((7 * 24 - 1) * H); // one Monday in the window
    expect(a2.uptime).toBe(1);
  });

  it('a target still down at the end counts as an open incident; an earlier state carries in', () => {
    const evs = [ev('x', 'up', 'down', D - 2 * H), ev('y', 'up', 'down', D + 23 * H)];
    const rows = computeAvailability(evs, day);
    expect(rows.find((r) => r.group === 'x')!.downMs).toBe(24 * H); // down before the window and never recovered
    expect(rows.find((r) => r.group === 'x')!.incidents).toBe(0); // detected before the window
    const y = rows.find((r) => r.group === 'y')!;
    expect([y.downMs, y.incidents, y.openIncidents, y.mttrMs]).toEqual([H, 1, 1, null]);
    expect(y.burnRateRecent).toBeCloseTo(1 / 0.01, 9); // down the whole last hour
  });

  it('refuses a bad window or objective', () => {
    expect(() => computeAvailability(events, { from: D, to: D })).toThrow(/must be after start/);
    expect(() => computeAvailability(events, { ...day, objective: 99.9 })).toThrow(/fraction between 0 and 1/);
  });
});

describe('maintenance schedules', () => {
  it('cron: weekly, steps, ranges and both day fields', () => {
    expect(cronOccurrences('30 2 * * 0', D, D + 14 * 24 * H).map(iso)).toEqual([
      '2026-03-08T02:30:00.000Z',
      '2026-03-15T02:30:00.000Z',
    ]);
    expect(cronOccurrences('*/20 1 * * *', D, D + 24 * H).length).toBe(3);
    // March 2026: Sunday the 1st matches by day-of-month, plus the 22 weekdays from the 2nd to the 31st
    expect(cronOccurrences('0 0 1 * 1-5', D - 24 * H, D + 30 * 24 * H).length).toBe(23);
    expect(() => parseCron('0 25 * * *')).toThrow(/hour "25" outside 0-23/);
    expect(() => parseCron('0 5 * *')).toThrow(/expected 5 fields/);
  });
  it('a window that began before the range still covers its tail', () => {
    const w = [maintenanceWindowSchema.parse({ id: 'n', cron: '0 23 * * *', duration: '2h' })];
    expect(maintenanceIntervals(w, {}, D, D + H)).toEqual([[D - H, D + H]]);
  });
  it('bad windows are refused with the field', () => {
    expect(maintenanceWindowSchema.safeParse({ id: 'x', duration: '1h' }).error?.issues[0]?.message).toMatch(
      /exactly one of `start`/
    );
    expect(
      maintenanceWindowSchema.safeParse({ id: 'x', cron: '* * * * *', duration: '1 hour' }).error?.issues[0]?.path
    ).toEqual(['duration']);
  });
});
