// The contract every streaming detector meets: one point in, one score out, causal.

export interface PointScore {
  /** Anomaly score in [0, 1]; higher is more anomalous. */
  score: number;
  /** Which view deviated most at this point (for explanations), when known. */
  view?: string;
  /** Why the point was not scored normally (gap, duplicate, NaN…), when that happened. */
  note?: string;
}

export interface StreamingScorer {
  /** Feeds one point (epoch ms, value) and scores it from data up to and including it. */
  update(t: number, value: number): PointScore;
}
