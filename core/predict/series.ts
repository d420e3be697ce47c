// Bad input, with one defined behaviour each (documented in docs/predictor.md):
// - NaN / non-finite value: the point is skipped (not learned from), reported with score null.
// - out-of-order timestamp (earlier than the last accepted): dropped, reported.
// - duplicate timestamp: the first value is kept, the repeat is dropped, reported.
// - gap (spacing > 3× the median spacing so far): scored normally, reported (the detector
//   keeps no clock of its own besides the daily phase, so a gap needs no imputation).
// - constant series: scores 0, reported as constant (not a silent zero).
// - fewer points than the warm-up: scores null ("warming up"), never a guess.

export interface Point {
  t: number;
  v: number;
}

export type PointIssue = 'nan' | 'out-of-order' | 'duplicate' | 'gap' | 'warming-up' | 'constant';

export interface CleanPoint extends Point {
  /** Position in the caller's input. */
  index: number;
  issues: PointIssue[];
}

export interface SanitizeResult {
  accepted: CleanPoint[];
  rejected: { index: number; t: number; v: number; issue: PointIssue }[];
}

/** Accepts points in arrival order, as a stream would see them. */
export class StreamGuard {
  private lastT = -Infinity;
  private readonly spacings: number[] = [];

  check(t: number, v: number): PointIssue[] | { reject: PointIssue } {
    if (!Number.isFinite(t)) return { reject: 'nan' };
    if (!Number.isFinite(v)) return { reject: 'nan' };
    if (t === this.lastT) return { reject: 'duplicate' };
    if (t < this.lastT) return { reject: 'out-of-order' };
    const issues: PointIssue[] = [];
    if (Number.isFinite(this.lastT)) {
      const dt = t - this.lastT;
      if (this.spacings.length >= 3) {
        const sorted = [...this.spacings].sort((a, b) => a - b);
        if (dt > 3 * sorted[sorted.length >> 1]!) issues.push('gap');
      }
      this.spacings.push(dt);
      if (this.spacings.length > 64) this.spacings.shift();
    }
    this.lastT = t;
    return issues;
  }
}

export function sanitize(points: readonly { t: number; v: number }[]): SanitizeResult {
  const guard = new StreamGuard();
  const out: SanitizeResult = { accepted: [], rejected: [] };
  points.forEach((p, index) => {
    const r = guard.check(p.t, p.v);
    if (Array.isArray(r)) out.accepted.push({ t: p.t, v: p.v, index, issues: r });
    else out.rejected.push({ index, t: p.t, v: p.v, issue: r.reject });
  });
  return out;
}

/** Parses a timestamp given as epoch ms, ISO 8601 or NAB's `YYYY-MM-DD HH:MM:SS` (UTC). */
export function toEpochMs(t: unknown): number {
  if (typeof t === 'number') return t;
  if (typeof t === 'string') {
    const s = /^\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?$/.test(t) ? t.replace(' ', 'T') + 'Z' : t;
    return Date.parse(s);
  }
  if (t instanceof Date) return t.getTime();
  return NaN;
}
