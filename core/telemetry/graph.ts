// The graph API's parameters (Atlas names: q, s, e, step, w, h, title, format) and its outputs:
// an SVG chart or Atlas's `json` format (start, step, legend, metrics, values per time row).
import { parseDuration, parseTime } from './query/duration.ts';
import { runQuery, type QueryResult } from './query/evaluate.ts';
import { renderLineChart } from './svg.ts';
import type { TelemetryStore } from './store.ts';

export class GraphParamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GraphParamError';
  }
}

export interface GraphParams {
  q?: string;
  s?: string;
  e?: string;
  step?: string;
  w?: string;
  h?: string;
  title?: string;
}

export function graphQuery(store: TelemetryStore, p: GraphParams, now = store.clock()): QueryResult {
  if (!p.q) throw new GraphParamError('q: missing query expression, e.g. q=name,cpu,:eq,:sum');
  const e = parseTime(p.e ?? 'now', { now });
  if (e === undefined)
    throw new GraphParamError(`e: cannot read ${JSON.stringify(p.e)}, expected now, an ISO time, epoch, or now-1h`);
  const s = parseTime(p.s ?? 'e-3h', { now, e });
  if (s === undefined)
    throw new GraphParamError(`s: cannot read ${JSON.stringify(p.s)}, expected e-3h, an ISO time or epoch`);
  if (s >= e)
    throw new GraphParamError(`s (${new Date(s).toISOString()}) must be before e (${new Date(e).toISOString()})`);
  let step: number | undefined;
  if (p.step) {
    step = parseDuration(p.step);
    if (step === undefined)
      throw new GraphParamError(`step: cannot read ${JSON.stringify(p.step)}, expected a duration such as 1m or PT5M`);
  } else {
    // like Atlas: about one datapoint per pixel at most
    const width = Number(p.w ?? 700);
    step = Math.max(store.stepMs, Math.ceil((e - s) / Math.max(50, width) / store.stepMs) * store.stepMs);
  }
  return runQuery(store, p.q, { start: s, end: e, step });
}

export function graphSvg(r: QueryResult, p: GraphParams): string {
  return renderLineChart({
    title: p.title ?? p.q,
    start: r.start,
    step: r.step,
    width: Number(p.w ?? 700) || 700,
    height: Number(p.h ?? 300) || 300,
    series: r.series.map((s) => ({ label: s.label, data: s.data })),
  });
}

/** Atlas's `format=json`: one row of values per time step. NaN is written as null (valid JSON). */
export function graphJson(r: QueryResult): unknown {
  const n = (r.end - r.start) / r.step;
  const values: (number | null)[][] = [];
  for (let i = 0; i < n; i++) values.push(r.series.map((s) => (Number.isNaN(s.data[i]!) ? null : s.data[i]!)));
  return {
    start: r.start,
    step: r.step,
    legend: r.series.map((s) => s.label),
    metrics: r.series.map((s) => s.tags),
    values,
    notices: [],
  };
}
