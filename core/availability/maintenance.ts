// Declared maintenance windows, excluded from availability figures: one-off (start + duration)
// or recurring on a cron schedule (5 fields: minute hour day-of-month month day-of-week, UTC;
// `*`, lists, ranges and steps), each applying to the targets whose tags match.
import { z } from 'zod';
import type { Interval } from './intervals.ts';
import { normalize } from './intervals.ts';

const durationRe = /^(\d+)(m|h|d)$/;
export const maintenanceWindowSchema = z
  .object({
    id: z.string().min(1),
    /** Tags (target, service, host, region) the window applies to; empty = every target. */
    match: z.record(z.string(), z.string()).default({}),
    start: z.iso.datetime({ offset: true }).optional(),
    cron: z.string().optional(),
    duration: z.string().regex(durationRe, 'expected a duration such as 30m, 2h or 1d'),
    reason: z.string().optional(),
  })
  .strict()
  .refine((w) => (w.start === undefined) !== (w.cron === undefined), {
    message: 'give exactly one of `start` (one-off) or `cron` (recurring)',
  });

export type MaintenanceWindow = z.output<typeof maintenanceWindowSchema>;

export function durationMs(d: string): number {
  const m = durationRe.exec(d);
  if (!m) throw new Error(`duration ${JSON.stringify(d)}: expected a duration such as 30m, 2h or 1d`);
  return Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd'];
}

type Field = Set<number>;
const RANGES: [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 6],
];
const NAMES = ['minute', 'hour', 'day-of-month', 'month', 'day-of-week'];

export function parseCron(expr: string): Field[] {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5)
    throw new Error(
      `cron ${JSON.stringify(expr)}: expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`
    );
  return parts.map((p, i) => {
    const [lo, hi] = RANGES[i]!;
    const set: Field = new Set();
    for (const item of p.split(',')) {
      const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
      if (!m) throw new Error(`cron ${JSON.stringify(expr)}: cannot read ${NAMES[i]} field ${JSON.stringify(item)}`);
      const a = m[1] === '*' ? lo : Number(m[2]);
      const b = m[1] === '*' ? hi : m[3] !== undefined ? Number(m[3]) : m[4] ? hi : a;
      const step = m[4] ? Number(m[4]) : 1;
      if (a < lo || b > (i === 4 ? 7 : hi) || a > b || step < 1)
        throw new Error(`cron ${JSON.stringify(expr)}: ${NAMES[i]} ${JSON.stringify(item)} outside ${lo}-${hi}`);
      for (let v = a; v <= b; v += step) set.add(i === 4 && v === 7 ? 0 : v);
    }
    return set;
  });
}

/** Start times (ms) of a cron schedule in [from, to), minute resolution. */
export function cronOccurrences(expr: string, from: number, to: number): number[] {
  const [mi, ho, dom, mo, dow] = parseCron(expr) as [Field, Field, Field, Field, Field];
  const out: number[] = [];
  const domAny = dom.size === 31;
  const dowAny = dow.size === 7;
  // walk days, then the hours and minutes of matching days
  for (let day = Math.floor(from / 86_400_000) * 86_400_000; day < to; day += 86_400_000) {
    const d = new Date(day);
    if (!mo.has(d.getUTCMonth() + 1)) continue;
    // standard cron: when both day fields are restricted, either may match
    const dayOk =
      domAny && dowAny
        ? true
        : domAny
          ? dow.has(d.getUTCDay())
          : dowAny
            ? dom.has(d.getUTCDate())
            : dom.has(d.getUTCDate()) || dow.has(d.getUTCDay());
    if (!dayOk) continue;
    for (const h of [...ho].sort((a, b) => a - b))
      for (const m of [...mi].sort((a, b) => a - b)) {
        const t = day + h * 3_600_000 + m * 60_000;
        if (t >= from && t < to) out.push(t);
      }
  }
  return out;
}

export function windowApplies(w: MaintenanceWindow, tags: Record<string, string>): boolean {
  return Object.entries(w.match).every(([k, v]) => tags[k] === v);
}

/** Maintenance intervals of the windows that apply to `tags`, over [from, to). */
export function maintenanceIntervals(
  windows: MaintenanceWindow[],
  tags: Record<string, string>,
  from: number,
  to: number
): Interval[] {
  const out: Interval[] = [];
  for (const w of windows) {
    if (!windowApplies(w, tags)) continue;
    const len = durationMs(w.duration);
    if (w.start) out.push([Date.parse(w.start), Date.parse(w.start) + len]);
    else for (const t of cronOccurrences(w.cron!, from - len, to)) out.push([t, t + len]);
  }
  return normalize(out);
}
