// Availability figures from availability events (state transitions per target): uptime, SLO
// attainment, error budget and burn rate, MTTD and MTTR, per group (service, host, region or
// target) over any window, with maintenance windows excluded from both the eligible time and
// the downtime. Pure: the same events and options always give the same figures.
import { clip, covered, length, normalize, subtract, type Interval } from './intervals.ts';
import { maintenanceIntervals, type MaintenanceWindow } from './maintenance.ts';

/** The fields of a ledger availability event this computation reads. */
export interface AvailabilityEventLike {
  id?: string;
  target: string;
  from: string;
  to: string;
  observedAt: string;
  tags?: Record<string, string>;
}

export type GroupBy = 'service' | 'host' | 'region' | 'target';

export interface AvailabilityOptions {
  from: number;
  to: number;
  /** SLO objective as a fraction, e.g. 0.999 (default). */
  objective?: number;
  groupBy?: GroupBy;
  /** Only targets whose tags match all of these (e.g. { service: 'api' }). */
  filter?: Record<string, string>;
  maintenance?: MaintenanceWindow[];
  /** States counted as down (default down, unavailable, unreachable, failed, critical). */
  downStates?: string[];
  /** Lookback for the recent burn rate (default 1 h). */
  burnWindowMs?: number;
}

export interface Incident {
  target: string;
  onset?: number;
  detected: number;
  recovered?: number;
}

export interface Figures {
  group: string;
  targets: number;
  eligibleMs: number;
  downMs: number;
  maintenanceMs: number;
  /** Fraction of eligible time up (1 when nothing is eligible). */
  uptime: number;
  objective: number;
  attained: boolean;
  errorBudgetMs: number;
  /** Fraction of the error budget left (negative when overspent). */
  errorBudgetLeft: number;
  /** Downtime rate over the window divided by the allowed rate (1 = exactly on budget). */
  burnRate: number;
  /** The same over the last `burnWindowMs` of the window. */
  burnRateRecent: number;
  incidents: number;
  openIncidents: number;
  /** Mean detection delay (detected − onset) over incidents whose onset is known; null if none. */
  mttdMs: number | null;
  /** Mean time to recovery (recovered − onset, or − detected when onset is unknown); null if none recovered. */
  mttrMs: number | null;
}

export const DEFAULT_DOWN_STATES = ['down', 'unavailable', 'unreachable', 'failed', 'critical'];

interface TargetTimeline {
  target: string;
  tags: Record<string, string>;
  down: Interval[];
  incidents: Incident[];
}

/** Build each target's down intervals and incidents from its transitions, in time order. */
export function timelines(events: AvailabilityEventLike[], downStates = DEFAULT_DOWN_STATES): TargetTimeline[] {
  const isDown = (s: string) => downStates.includes(s.toLowerCase());
  const byTarget = new Map<string, AvailabilityEventLike[]>();
  for (const e of events) {
    const l = byTarget.get(e.target);
    if (l) l.push(e);
    else byTarget.set(e.target, [e]);
  }
  const out: TargetTimeline[] = [];
  for (const [target, evs] of byTarget) {
    evs.sort((a, b) => Date.parse(a.observedAt) - Date.parse(b.observedAt));
    const tags: Record<string, string> = { target };
    for (const e of evs) Object.assign(tags, e.tags ?? {});
    tags.target = target;
    let downSince: number | undefined = isDown(evs[0]!.from) ? -Infinity : undefined;
    let current: Incident | undefined = downSince !== undefined ? { target, detected: -Infinity } : undefined;
    const down: Interval[] = [];
    const incidents: Incident[] = [];
    for (const e of evs) {
      const t = Date.parse(e.observedAt);
      const nowDown = isDown(e.to);
      if (nowDown && downSince === undefined) {
        const onsetRaw = e.tags?.onsetAt ? Date.parse(e.tags.onsetAt) : NaN;
        const onset = Number.isFinite(onsetRaw) && onsetRaw <= t ? onsetRaw : undefined;
        downSince = onset ?? t;
        current = { target, detected: t, ...(onset !== undefined ? { onset } : {}) };
      } else if (!nowDown && downSince !== undefined) {
        down.push([downSince, t]);
        if (current) incidents.push({ ...current, recovered: t });
        downSince = undefined;
        current = undefined;
      }
    }
    if (downSince !== undefined) {
      down.push([downSince, Infinity]);
      if (current) incidents.push(current);
    }
    out.push({ target, tags, down: normalize(down), incidents });
  }
  return out.sort((a, b) => a.target.localeCompare(b.target));
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

export function computeAvailability(events: AvailabilityEventLike[], o: AvailabilityOptions): Figures[] {
  if (!(o.to > o.from))
    throw new Error(
      `window: end (${new Date(o.to).toISOString()}) must be after start (${new Date(o.from).toISOString()})`
    );
  const objective = o.objective ?? 0.999;
  if (!(objective > 0 && objective < 1))
    throw new Error(`objective ${objective}: expected a fraction between 0 and 1, e.g. 0.999`);
  const burnFrom = Math.max(o.from, o.to - (o.burnWindowMs ?? 3_600_000));
  const groups = new Map<
    string,
    {
      targets: number;
      eligible: number;
      down: number;
      maint: number;
      recentEligible: number;
      recentDown: number;
      incidents: Incident[];
    }
  >();
  const all = {
    targets: 0,
    eligible: 0,
    down: 0,
    maint: 0,
    recentEligible: 0,
    recentDown: 0,
    incidents: [] as Incident[],
  };
  for (const tl of timelines(events, o.downStates)) {
    if (o.filter && !Object.entries(o.filter).every(([k, v]) => tl.tags[k] === v)) continue;
    const maint = maintenanceIntervals(o.maintenance ?? [], tl.tags, o.from, o.to);
    const eligible = subtract([[o.from, o.to]], maint);
    const down = subtract(clip(tl.down, o.from, o.to), maint);
    const recentEligible = clip(eligible, burnFrom, o.to);
    const recentDown = clip(down, burnFrom, o.to);
    // an incident counts when it was detected in the window and not wholly inside maintenance
    const incidents = tl.incidents.filter(
      (i) =>
        i.detected >= o.from &&
        i.detected < o.to &&
        !covered(i.onset ?? i.detected, Math.min(i.recovered ?? o.to, o.to), maint)
    );
    const key = o.groupBy === undefined || o.groupBy === 'target' ? tl.target : (tl.tags[o.groupBy] ?? '(none)');
    for (const g of [
      groups.get(key) ??
        groups
          .set(key, { targets: 0, eligible: 0, down: 0, maint: 0, recentEligible: 0, recentDown: 0, incidents: [] })
          .get(key)!,
      all,
    ]) {
      g.targets++;
      g.eligible += length(eligible);
      g.down += length(down);
      g.maint += length(clip(maint, o.from, o.to));
      g.recentEligible += length(recentEligible);
      g.recentDown += length(recentDown);
      g.incidents.push(...incidents);
    }
  }
  const figures = (group: string, g: typeof all): Figures => {
    const uptime = g.eligible > 0 ? 1 - g.down / g.eligible : 1;
    const budget = (1 - objective) * g.eligible;
    const recovered = g.incidents.filter((i) => i.recovered !== undefined && i.recovered <= o.to);
    return {
      group,
      targets: g.targets,
      eligibleMs: g.eligible,
      downMs: g.down,
      maintenanceMs: g.maint,
      uptime,
      objective,
      attained: uptime >= objective,
      errorBudgetMs: budget,
      errorBudgetLeft: budget > 0 ? 1 - g.down / budget : 1,
      burnRate: g.eligible > 0 ? g.down / g.eligible / (1 - objective) : 0,
      burnRateRecent: g.recentEligible > 0 ? g.recentDown / g.recentEligible / (1 - objective) : 0,
      incidents: g.incidents.length,
      openIncidents: g.incidents.filter((i) => i.recovered === undefined || i.recovered > o.to).length,
      mttdMs: mean(g.incidents.filter((i) => i.onset !== undefined).map((i) => i.detected - i.onset!)),
      mttrMs: mean(recovered.map((i) => i.recovered! - (i.onset ?? i.detected))),
    };
  };
  const rows = [...groups.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([k, g]) => figures(k, g));
  return [...rows, figures('*', all)];
}
