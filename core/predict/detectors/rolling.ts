// A fixed-size window over the most recent values that keeps a sorted copy, so quantiles
// (median, quartiles) are O(1) to read and O(window) to update: cheap for windows of a few
// hundred points, and exact (no sketch error) so results are reproducible.

export class RollingWindow {
  private readonly ring: number[] = [];
  private readonly sorted: number[] = [];
  private head = 0;
  private count = 0;
  private sum = 0;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`window size must be a positive integer, got ${size}`);
  }

  get length(): number {
    return this.count;
  }

  get full(): boolean {
    return this.count === this.size;
  }

  push(v: number): void {
    if (this.count === this.size) {
      const old = this.ring[this.head]!;
      this.sorted.splice(lowerBound(this.sorted, old), 1);
      this.sum -= old;
    } else {
      this.count++;
    }
    // The ring grows to `size` as points arrive, so thousands of young series stay small.
    if (this.ring.length < this.size) this.ring.push(v);
    else this.ring[this.head] = v;
    this.head = (this.head + 1) % this.size;
    this.sorted.splice(lowerBound(this.sorted, v), 0, v);
    this.sum += v;
  }

  /** Linear-interpolated quantile, q in [0, 1]; NaN when empty. */
  quantile(q: number): number {
    const n = this.sorted.length;
    if (n === 0) return NaN;
    const pos = q * (n - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(n - 1, lo + 1);
    return this.sorted[lo]! + (this.sorted[hi]! - this.sorted[lo]!) * (pos - lo);
  }

  mean(): number {
    return this.count ? this.sum / this.count : NaN;
  }

  min(): number {
    return this.sorted[0] ?? NaN;
  }

  max(): number {
    return this.sorted[this.sorted.length - 1] ?? NaN;
  }

  /** The i-th most recent value (0 = last pushed). */
  recent(i: number): number {
    if (i >= this.count) return NaN;
    return this.ring[(this.head - 1 - i + 2 * this.size) % this.size]!;
  }
}

function lowerBound(a: number[], v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Standard normal upper tail Q(z) = P(Z > z) (Abramowitz–Stegun 7.1.26 via erfc). */
export function normalTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
    );
  return x >= 0 ? r : 2 - r;
}
