// NAB's scoring of one detector, written from NAB's published description (Lavin & Ahmad 2015,
// "Evaluating real-time anomaly detection algorithms") and the semantics of nab/sweeper.py:
// every row gets a weighted "sweep score" (TP credit by position inside its window, FP penalty
// by distance past the previous window); a threshold then keeps, per window, only the best
// detection and sums every FP.

export interface CostMatrix {
  tpWeight: number;
  fpWeight: number;
  fnWeight: number;
  tnWeight: number;
}

/** One scored row: `window` is the window's name, null outside windows, 'probationary' early. */
export interface SweepRow {
  score: number;
  sweepScore: number;
  window: string | null;
}

export interface ThresholdScore {
  threshold: number;
  score: number;
  tp: number;
  tn: number;
  fp: number;
  fn: number;
}

export const PROBATIONARY = 'probationary';

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * Reward by relative position: -1 is a window's left edge (≈0.987), 0 its right edge (0),
 * positive values are past the window (down to -1 at 3 windows' width and beyond).
 */
export function scaledSigmoid(relativePosition: number): number {
  if (relativePosition >= 3.0) return -1.0;
  return 2 * sigmoid(-5 * relativePosition) - 1.0;
}

/** Rows before this index are the detector's learning period and are not scored. */
export function probationaryLength(rows: number, probationPercent = 0.15): number {
  return Math.min(Math.floor(probationPercent * rows), probationPercent * 5000);
}

/**
 * Weighted score of every row, as if each were a detection. `windows` are [start, end]
 * timestamps (strings compared exactly with `timestamps`), in time order.
 */
export function sweepRows(
  timestamps: readonly string[],
  scores: readonly number[],
  windows: readonly (readonly [string, string])[],
  name: string,
  cost: CostMatrix,
  probationPercent = 0.15
): SweepRow[] {
  if (timestamps.length !== scores.length) {
    throw new Error(`${name}: ${timestamps.length} timestamps but ${scores.length} anomaly scores`);
  }
  const index = new Map<string, number>();
  timestamps.forEach((t, i) => index.set(t, i));
  const pending = windows.map(([start, end]) => {
    const left = index.get(start);
    const right = index.get(end);
    if (left === undefined || right === undefined) {
      throw new Error(`${name}: window [${start}, ${end}] does not match the file's timestamps`);
    }
    return { start, left, right };
  });
  const maxTP = scaledSigmoid(-1.0);
  const probation = probationaryLength(timestamps.length, probationPercent);
  const rows: SweepRow[] = [];
  let cur: { name: string; right: number; width: number } | null = null;
  let prev: { right: number; width: number } | null = null;
  for (let i = 0; i < timestamps.length; i++) {
    const next = pending[0];
    if (next && next.left === i) {
      pending.shift();
      cur = { name: `${name}|${next.start}`, right: next.right, width: next.right - next.left + 1 };
    }
    let sweepScore: number;
    if (cur) {
      const position = -(cur.right - i + 1) / cur.width;
      sweepScore = (scaledSigmoid(position) * cost.tpWeight) / maxTP;
    } else {
      const position = prev ? Math.abs(prev.right - i) / (prev.width - 1) : 3.0;
      sweepScore = scaledSigmoid(position) * cost.fpWeight;
    }
    rows.push({ score: scores[i]!, sweepScore, window: i >= probation ? (cur?.name ?? null) : PROBATIONARY });
    if (cur && i === cur.right) {
      prev = { right: cur.right, width: cur.width };
      cur = null;
    }
  }
  return rows;
}

/**
 * Total score at every distinct threshold (a row is a detection when its score ≥ threshold),
 * highest threshold first. The first entry (1.1) detects nothing: every window is a miss.
 */
export function scoresByThreshold(allRows: readonly SweepRow[], cost: CostMatrix): ThresholdScore[] {
  const rows = allRows.filter((r) => r.window !== PROBATIONARY).sort((a, b) => b.score - a.score);
  const best = new Map<string, number>();
  for (const r of rows) if (r.window !== null) best.set(r.window, -cost.fnWeight);
  let fpSum = 0;
  let windowSum = -cost.fnWeight * best.size;
  let tn = rows.filter((r) => r.window === null).length;
  let fn = rows.length - tn;
  let tp = 0;
  let fp = 0;
  let threshold = 1.1;
  const out: ThresholdScore[] = [];
  for (const r of rows) {
    if (r.score !== threshold) {
      out.push({ threshold, score: fpSum + windowSum, tp, tn, fp, fn });
      threshold = r.score;
    }
    if (r.window === null) {
      fp++;
      tn--;
      fpSum += r.sweepScore;
    } else {
      tp++;
      fn--;
      const old = best.get(r.window)!;
      if (r.sweepScore > old) {
        best.set(r.window, r.sweepScore);
        windowSum += r.sweepScore - old;
      }
    }
  }
  out.push({ threshold, score: fpSum + windowSum, tp, tn, fp, fn });
  return out;
}

/** The row of `scoresByThreshold` that applies at `threshold` (detections are scores ≥ threshold). */
export function scoreAtThreshold(table: readonly ThresholdScore[], threshold: number): ThresholdScore {
  let prev = table[0]!;
  for (const row of table) {
    if (row.threshold === threshold) return row;
    if (row.threshold < threshold) return prev;
    prev = row;
  }
  return prev;
}
