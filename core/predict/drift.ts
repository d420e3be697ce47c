// Drift monitoring: compares the live distribution of anomaly scores with a reference window
// (two-sample Kolmogorov–Smirnov statistic); a shift beyond the critical value at `alpha`
// raises a drift event, which the sweep records and which suggests retraining.

export interface DriftEvent {
  kind: 'prediction.drift';
  series: string;
  statistic: number;
  critical: number;
  reference: number;
  live: number;
  summary: string;
}

/** Two-sample KS statistic: the largest gap between the two empirical CDFs. */
export function ksStatistic(a: readonly number[], b: readonly number[]): number {
  const x = a.filter(Number.isFinite).sort((p, q) => p - q);
  const y = b.filter(Number.isFinite).sort((p, q) => p - q);
  if (!x.length || !y.length) return NaN;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i]! <= v) i++;
    while (j < y.length && y[j]! <= v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

/** Returns a drift event when the live scores' distribution departs from the reference, else null. */
export function detectDrift(series: string, reference: readonly number[], live: readonly number[], alpha = 0.001): DriftEvent | null {
  const n = reference.filter(Number.isFinite).length;
  const m = live.filter(Number.isFinite).length;
  if (n < 30 || m < 30) return null; // too few scores to judge: no event, by definition
  const d = ksStatistic(reference, live);
  const critical = Math.sqrt(-Math.log(alpha / 2) / 2) * Math.sqrt((n + m) / (n * m));
  if (!(d > critical)) return null;
  return {
    kind: 'prediction.drift',
    series,
    statistic: d,
    critical,
    reference: n,
    live: m,
    summary: `${series}: anomaly-score distribution shifted (KS ${d.toFixed(3)} > ${critical.toFixed(3)} over ${n} vs ${m} scores)`,
  };
}
