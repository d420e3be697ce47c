// Half-open time intervals [start, end) in epoch ms, kept sorted and disjoint.

export type Interval = [number, number];

export function normalize(xs: Interval[]): Interval[] {
  const s = xs.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: Interval[] = [];
  for (const [a, b] of s) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

export function length(xs: Interval[]): number {
  return xs.reduce((n, [a, b]) => n + (b - a), 0);
}

export function clip(xs: Interval[], lo: number, hi: number): Interval[] {
  return xs.map(([a, b]): Interval => [Math.max(a, lo), Math.min(b, hi)]).filter(([a, b]) => b > a);
}

/** xs minus ys (both normalised). */
export function subtract(xs: Interval[], ys: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const [a0, b] of xs) {
    let a = a0;
    for (const [c, d] of ys) {
      if (d <= a || c >= b) continue;
      if (c > a) out.push([a, c]);
      a = Math.max(a, d);
      if (a >= b) break;
    }
    if (a < b) out.push([a, b]);
  }
  return out;
}

/** Does [a, b) lie entirely inside the union of ys? */
export function covered(a: number, b: number, ys: Interval[]): boolean {
  return subtract([[a, b]], ys).length === 0;
}
