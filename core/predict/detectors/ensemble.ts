// The statistical ensemble: several cheap streaming views of "how unusual is this point"
// (robust z-scores of the value over windows of several lengths, of the first difference,
// of a short-run level against the long run, against the same phase of the previous
// season, and novelty against the whole history), combined as the largest surprise, then
// calibrated into an anomaly likelihood (Numenta style: the recent average surprise
// against the distribution of past surprises) and thinned so one event raises one alert.
// Score at t uses data up to t only.
import { RollingMax } from './rolling-max.ts';
import { RollingWindow, normalTail } from './rolling.ts';

export interface EnsembleConfig {
  /** Window lengths (points) of the robust value statistics. */
  windows: number[];
  /** Window of the robust statistics of the first difference; 0 disables. */
  diffWindow: number;
  /** Points averaged by each level-shift view (short-run mean against the long-run median). */
  levels: number[];
  /** Weight of the level views' z (a mean of k points is less noisy than one point). */
  levelWeight: number;
  /** Use a daily seasonal baseline when the sampling period divides a day. */
  seasonal: boolean;
  /** Points of raw-surprise history the likelihood is calibrated on. */
  likelihoodWindow: number;
  /** Points of recent surprise averaged by the likelihood. */
  likelihoodShort: number;
  /** Points before any non-zero score (the detector is learning). */
  warmup: number;
  /** Likelihood (in log units, see `logScore`) at which a point counts as an alert for thinning. */
  alertLevel: number;
  /** Points after an alert during which scores are damped (one event, one alert). */
  suppress: number;
  /** Extra weight of the novelty view (value beyond everything seen so far). */
  noveltyWeight: number;
  /** Calibration: 'likelihood' (Numenta style) or 'record' (surprise against each view's recent maximum). */
  calibration: 'likelihood' | 'record';
  /** Points of each view's surprise history the 'record' calibration compares against. */
  recordWindow: number;
  /** Surprises below this robust z never count as records (quiet stretches make cheap records). */
  zFloor: number;
  /** Weight of the absolute surprise (log z) next to the record margin. */
  absWeight: number;
  /** Points before which surprises are not remembered as records (young windows over-react). */
  recordStart: number;
  /** Remembered surprises a view needs before its records count. */
  minRecords: number;
  /** How views' record margins combine: the largest, or the sum of the positive ones. */
  combine: 'max' | 'sum';
  /** Points of the volatility view (mean |first difference| against its own history); 0 disables. */
  volatility: number;
  /** Points of the seasonal level view (mean seasonal residual); 0 disables. */
  seasonalLevel: number;
  /** Also compare with the same time of week over the last `weekly` weeks; 0 disables. */
  weekly: number;
  /** Weight of each view family's record margin (value, level, change, novelty, seasonal, seasonal-level, volatility, weekly). */
  viewWeights: Record<string, number>;
  /** Days remembered per time-of-day slot by the seasonal views. */
  seasonDays: number;
  /** Added to surprises before the record ratio, so tiny surprises in quiet series do not make big ratios. */
  recordOffset: number;
  /** Weight of the record's rarity: a record over many remembered surprises means more than over few. */
  rarityWeight: number;
  /** After an alert: `fixed` damps the next `suppress` points; `extend` restarts the count while scores stay high; `relative` lets a higher score through. */
  suppressMode: 'fixed' | 'extend' | 'relative';
  /** Likelihood calibration input: 'log' = log(1+z), 'capped' = min(1, z/cap). */
  rawForm: 'log' | 'capped';
  rawCap: number;
}

export const DEFAULT_ENSEMBLE: EnsembleConfig = {
  windows: [2000, 6000],
  diffWindow: 2000,
  levels: [48],
  levelWeight: 1,
  seasonal: true,
  likelihoodWindow: 2000,
  likelihoodShort: 4,
  warmup: 150,
  alertLevel: 0.52,
  suppress: 32,
  noveltyWeight: 1,
  calibration: 'record',
  recordWindow: 10000,
  zFloor: 0,
  absWeight: 0,
  recordStart: 0,
  minRecords: 275,
  combine: 'max',
  volatility: 0,
  seasonalLevel: 24,
  weekly: 0,
  viewWeights: { change: 0.5 },
  seasonDays: 14,
  recordOffset: 1,
  rarityWeight: 0,
  suppressMode: 'fixed',
  rawForm: 'log',
  rawCap: 10,
};

/** Numenta's log scale: 1 − likelihood of 1e-10 maps to 1, so small tail differences stay visible. */
export function logScore(likelihood: number): number {
  return Math.min(1, Math.max(0, Math.log(1.0000000001 - likelihood) / Math.log(1e-10)));
}

/** `level48/2000` → `level`, `seasonal-level24` → `seasonal-level`. */
export function family(view: string): string {
  return view.replace(/\/.*$/, '').replace(/\d+$/, '');
}

function robustScale(w: RollingWindow, median: number): number {
  const iqr = (w.quantile(0.75) - w.quantile(0.25)) / 1.349;
  const range = (w.max() - w.min()) / 20;
  return Math.max(iqr, range * 0.25, Math.abs(median) * 1e-3, 1e-9);
}

export class EnsembleDetector {
  private readonly views: RollingWindow[];
  private readonly diffs: RollingWindow | null;
  private readonly raws: RollingWindow;
  private readonly recentRaw: number[] = [];
  private rawSum = 0;
  private rawSq = 0;
  private n = 0;
  private prev = NaN;
  private histMin = Infinity;
  private histMax = -Infinity;
  private sinceAlert = Infinity;
  private lastAlert = 0;
  private readonly season = new Map<number, RollingWindow>();
  private readonly week = new Map<number, RollingWindow>();
  private period = 0;
  private lastT = NaN;
  private readonly records = new Map<string, RollingMax>();
  private readonly errors = new RollingWindow(2000);
  private readonly absDiffs: number[] = [];
  private absDiffSum = 0;
  private readonly vols: RollingWindow | null;
  private readonly residuals: number[] = [];
  private residualSum = 0;

  constructor(readonly config: EnsembleConfig = DEFAULT_ENSEMBLE) {
    this.views = config.windows.map((w) => new RollingWindow(w));
    this.diffs = config.diffWindow > 0 ? new RollingWindow(config.diffWindow) : null;
    this.raws = new RollingWindow(Math.max(1, config.likelihoodWindow));
    this.vols = config.volatility > 0 ? new RollingWindow(Math.max(config.diffWindow, 64)) : null;
  }

  /** Surprise (a robust z ≥ 0) of a point under each view, before calibration. */
  surprises(t: number, x: number, forecast = NaN): { view: string; z: number }[] {
    const out: { view: string; z: number }[] = [];
    const add = (view: string, z: number) => out.push({ view, z: Number.isFinite(z) ? Math.max(0, z) : 0 });
    if (Number.isFinite(forecast)) {
      // The LSTM's one-step error against the distribution of its past errors.
      const err = x - forecast;
      if (this.errors.length >= 16) {
        const med = this.errors.quantile(0.5);
        add('lstm', Math.abs(err - med) / robustScale(this.errors, med));
      }
      this.errors.push(err);
    }
    for (const w of this.views) {
      if (w.length < Math.min(w.size, 16)) continue;
      const med = w.quantile(0.5);
      const scale = robustScale(w, med);
      add(`value/${w.size}`, Math.abs(x - med) / scale);
      for (const k of this.config.levels) {
        if (w.length <= k * 4) continue;
        let s = x;
        for (let i = 0; i < k - 1; i++) s += w.recent(i);
        add(`level${k}/${w.size}`, (Math.abs(s / k - med) / scale) * this.config.levelWeight);
      }
    }
    if (this.diffs && this.diffs.length >= 16 && Number.isFinite(this.prev)) {
      const med = this.diffs.quantile(0.5);
      add('change', Math.abs(x - this.prev - med) / robustScale(this.diffs, med));
    }
    if (this.config.weekly > 0 && this.period > 0) {
      const slot = this.week.get(Math.floor((t % 604_800_000) / this.period));
      if (slot && slot.length >= 2) {
        const med = slot.quantile(0.5);
        add('weekly', Math.abs(x - med) / robustScale(this.views[0]!, this.views[0]!.quantile(0.5)));
      }
    }
    if (this.vols && Number.isFinite(this.prev)) {
      const k = this.config.volatility;
      const vol = (this.absDiffSum + Math.abs(x - this.prev) - (this.absDiffs.length >= k ? this.absDiffs[0]! : 0)) / k;
      if (this.absDiffs.length >= k && this.vols.length >= 16) {
        const med = this.vols.quantile(0.5);
        add(`volatility${k}`, Math.abs(vol - med) / robustScale(this.vols, med));
      }
    }
    if (this.n > 50 && this.config.noveltyWeight > 0) {
      const span = Math.max(this.histMax - this.histMin, 1e-9);
      const beyond = Math.max(x - this.histMax, this.histMin - x) / span;
      add('novelty', beyond > 0 ? 3 + this.config.noveltyWeight * 20 * beyond : 0);
    }
    if (this.config.seasonal && this.period > 0) {
      const slot = this.season.get(Math.floor((t % 86_400_000) / this.period));
      if (slot && slot.length >= 3) {
        const med = slot.quantile(0.5);
        const iqr = Math.max((slot.quantile(0.75) - slot.quantile(0.25)) / 1.349, robustScale(this.views[0]!, med) * 0.5);
        add('seasonal', Math.abs(x - med) / iqr);
        const k = this.config.seasonalLevel;
        if (k > 0) {
          const r = (x - med) / iqr;
          this.residualSum += r;
          this.residuals.push(r);
          if (this.residuals.length > k) this.residualSum -= this.residuals.shift()!;
          if (this.residuals.length === k) add(`seasonal-level${k}`, Math.abs(this.residualSum / k));
        }
      }
    }
    return out;
  }

  /** Feeds one point (epoch ms, finite value) and returns its anomaly score in [0, 1] and the view that deviated. */
  score(t: number, x: number, forecast = NaN): { score: number; view: string } {
    if (Number.isFinite(this.lastT) && this.period === 0 && t > this.lastT) {
      const p = t - this.lastT;
      if (86_400_000 % p === 0 && 86_400_000 / p <= 1440) this.period = p;
    }
    const views = this.surprises(t, x, forecast);
    let top = { view: 'none', z: 0 };
    for (const v of views) if (v.z > top.z) top = v;
    let score = 0;
    let view = top.view;
    if (this.config.calibration === 'record') {
      // How far this point's surprise exceeds the largest surprise of the same view lately.
      let best = -Infinity;
      let sum = 0;
      for (const v of views) {
        let m = this.records.get(v.view);
        if (!m) this.records.set(v.view, (m = new RollingMax(this.config.recordWindow)));
        const e =
          v.z < this.config.zFloor || v.z === 0
            ? -Infinity
            : (this.config.viewWeights[family(v.view)] ?? 1) * Math.log((v.z + this.config.recordOffset) / (Math.max(m.max(), 0) + this.config.recordOffset)) +
              this.config.absWeight * Math.log1p(v.z) +
              this.config.rarityWeight * Math.log(m.count / 1000);
        if (m.count >= this.config.minRecords) {
          if (e > best) {
            best = e;
            view = v.view;
          }
          if (e > 0) sum += e;
        }
        if (this.n >= this.config.recordStart) m.push(v.z);
      }
      if (this.config.combine === 'sum' && sum > 0) best = sum;
      if (this.n >= this.config.warmup && best > -Infinity) score = 1 / (1 + Math.exp(-4 * best));
    } else {
      score = this.likelihood(this.config.rawForm === 'log' ? Math.log1p(top.z) : Math.min(1, top.z / this.config.rawCap));
    }
    this.learn(t, x);
    // One event, one alert: damp everything shortly after an alert.
    this.sinceAlert++;
    if (this.sinceAlert <= this.config.suppress) {
      if (this.config.suppressMode === 'extend' && score >= this.config.alertLevel) this.sinceAlert = 0;
      if (this.config.suppressMode === 'relative' && score > this.lastAlert) {
        this.lastAlert = score;
        this.sinceAlert = 0;
      } else score = 0;
    } else if (score >= this.config.alertLevel) {
      this.sinceAlert = 0;
      this.lastAlert = score;
    }
    return { score, view };
  }

  /** What the detector expected next (median of its shortest window), NaN before any data. */
  expected(): number {
    return this.views[0]?.quantile(0.5) ?? NaN;
  }

  /** Points learned so far. */
  get seen(): number {
    return this.n;
  }

  /** Whether every value seen so far was the same. */
  get constant(): boolean {
    return this.n > 0 && this.histMin === this.histMax;
  }

  update(t: number, x: number): number {
    return this.score(t, x).score;
  }

  /** Likelihood of the recent average surprise under the distribution of past surprises. */
  private likelihood(raw: number): number {
    this.recentRaw.push(raw);
    if (this.recentRaw.length > this.config.likelihoodShort) this.recentRaw.shift();
    const short = this.recentRaw.reduce((a, b) => a + b, 0) / this.recentRaw.length;
    const m = this.raws.length ? this.rawSum / this.raws.length : 0;
    const sd = this.raws.length > 1 ? Math.sqrt(Math.max(this.rawSq / this.raws.length - m * m, 0)) : 0;
    let score = 0;
    if (this.n >= this.config.warmup && sd > 0) score = logScore(1 - normalTail((short - m) / Math.max(sd, 0.05)));
    if (this.raws.full) {
      const old = this.raws.recent(this.raws.size - 1);
      this.rawSum -= old;
      this.rawSq -= old * old;
    }
    this.raws.push(raw);
    this.rawSum += raw;
    this.rawSq += raw * raw;
    return score;
  }

  private learn(t: number, x: number): void {
    for (const w of this.views) w.push(x);
    if (this.diffs && Number.isFinite(this.prev)) this.diffs.push(x - this.prev);
    if (this.vols && Number.isFinite(this.prev)) {
      const k = this.config.volatility;
      const d = Math.abs(x - this.prev);
      this.absDiffs.push(d);
      this.absDiffSum += d;
      if (this.absDiffs.length > k) this.absDiffSum -= this.absDiffs.shift()!;
      if (this.absDiffs.length >= k) this.vols.push(this.absDiffSum / k);
    }
    if (this.period > 0) {
      const key = Math.floor((t % 86_400_000) / this.period);
      let slot = this.season.get(key);
      if (!slot) this.season.set(key, (slot = new RollingWindow(this.config.seasonDays)));
      slot.push(x);
      if (this.config.weekly > 0) {
        const wk = Math.floor((t % 604_800_000) / this.period);
        let ws = this.week.get(wk);
        if (!ws) this.week.set(wk, (ws = new RollingWindow(this.config.weekly)));
        ws.push(x);
      }
    }
    this.histMin = Math.min(this.histMin, x);
    this.histMax = Math.max(this.histMax, x);
    this.prev = x;
    this.lastT = t;
    this.n++;
  }
}
