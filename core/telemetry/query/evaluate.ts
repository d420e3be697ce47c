// Evaluator: matches series through the tag index, reads and consolidates their buckets to the
// query step, aggregates (Atlas semantics: NaN is missing data; :avg = sum / count of series that
// have a value; :count counts series with a value) and applies math with Atlas's NaN rules
// (a addNaN b: a missing side counts as 0 when the other is present; productNaN: as 1).
import type { TelemetryStore } from '../store.ts';
import { difference, intersect, union } from '../tag-index.ts';
import { exactTags, type AggFn, type Query, type TsExpr } from './ast.ts';
import { compile } from './compile.ts';

export interface Window {
  /** Start (inclusive) and end (exclusive), epoch ms; aligned down to the step. */
  start: number;
  end: number;
  /** Query step (ms): a multiple of the store's step. */
  step: number;
}

export interface Series {
  tags: Record<string, string>;
  label: string;
  data: Float64Array;
}

export interface QueryResult {
  start: number;
  end: number;
  step: number;
  series: Series[];
}

/** Normalise a window: step a multiple of the store step, start/end aligned to it. */
export function alignWindow(store: TelemetryStore, w: { start: number; end: number; step?: number }): Window {
  const base = store.stepMs;
  const step = Math.max(base, Math.ceil((w.step ?? base) / base) * base);
  const start = Math.floor(w.start / step) * step;
  const end = Math.max(start + step, Math.ceil(w.end / step) * step);
  if ((end - start) / step > 100_000)
    throw new Error(`window of ${(end - start) / step} steps is too large (at most 100000); use a larger step`);
  return { start, end, step };
}

export function runQuery(
  store: TelemetryStore,
  q: string,
  w: { start: number; end: number; step?: number }
): QueryResult {
  const win = alignWindow(store, w);
  const series = compile(q).flatMap((e) => evalExpr(store, e, win));
  return { ...win, series };
}

export function matchIds(store: TelemetryStore, q: Query): number[] {
  const ix = store.index;
  switch (q.t) {
    case 'eq':
      return ix.eq(q.k, q.v);
    case 'has':
      return ix.matchValues(q.k, () => true);
    case 're':
    case 'reic': {
      // Atlas anchors :re at the start of the value
      const re = new RegExp(`^(?:${q.v})`, q.t === 'reic' ? 'i' : '');
      return ix.matchValues(q.k, (v) => re.test(v));
    }
    case 'lt':
      return ix.matchValues(q.k, (v) => v < q.v);
    case 'le':
      return ix.matchValues(q.k, (v) => v <= q.v);
    case 'gt':
      return ix.matchValues(q.k, (v) => v > q.v);
    case 'ge':
      return ix.matchValues(q.k, (v) => v >= q.v);
    case 'and':
      return intersect(matchIds(store, q.a), matchIds(store, q.b));
    case 'or':
      return union(matchIds(store, q.a), matchIds(store, q.b));
    case 'not':
      return difference(store.allIds(), matchIds(store, q.q));
    case 'true':
      return store.allIds();
    case 'false':
      return [];
  }
}

/** Read one series at the query step, consolidating store buckets with `cf` (default avg). */
function fetch(
  store: TelemetryStore,
  id: number,
  w: Window,
  cf: string,
  scratch: Float64Array<ArrayBuffer>,
  out: Float64Array<ArrayBuffer>
): Float64Array<ArrayBuffer> {
  const m = w.step / store.stepMs;
  const from = w.start / store.stepMs;
  const n = (w.end - w.start) / w.step;
  const buf = m === 1 ? out : scratch;
  buf.fill(NaN, 0, n * m);
  store.read(id, from, from + n * m, buf);
  if (m === 1) return out;
  for (let i = 0; i < n; i++) {
    let acc = NaN;
    let c = 0;
    for (let j = i * m; j < i * m + m; j++) {
      const v = scratch[j]!;
      if (v !== v) continue;
      c++;
      if (c === 1) acc = v;
      else if (cf === 'max') acc = v > acc ? v : acc;
      else if (cf === 'min') acc = v < acc ? v : acc;
      else acc += v;
    }
    out[i] = cf === 'avg' && c > 0 ? acc / c : acc;
  }
  return out;
}

/** Per-slot aggregation state for one output series. */
class Acc {
  sum: Float64Array;
  cnt: Float64Array;
  constructor(
    readonly fn: AggFn,
    n: number
  ) {
    this.sum = new Float64Array(n).fill(NaN);
    this.cnt = new Float64Array(n);
  }
  add(d: Float64Array): void {
    const { sum, cnt, fn } = this;
    if (fn === 'sum' || fn === 'avg' || fn === 'count') {
      // the common case, without the per-value branch on fn
      for (let i = 0; i < d.length; i++) {
        const v = d[i]!;
        if (v !== v) continue;
        const s = sum[i]!;
        sum[i] = s !== s ? v : s + v;
        cnt[i]!++;
      }
      return;
    }
    for (let i = 0; i < d.length; i++) {
      const v = d[i]!;
      if (v !== v) continue;
      const s = sum[i]!;
      cnt[i]!++;
      if (s !== s) sum[i] = v;
      else if (fn === 'max') sum[i] = v > s ? v : s;
      else if (fn === 'min') sum[i] = v < s ? v : s;
      else sum[i] = s + v;
    }
  }
  result(): Float64Array {
    if (this.fn === 'count') return this.cnt.map((c) => (c === 0 ? NaN : c));
    if (this.fn === 'avg') return this.sum.map((s, i) => s / this.cnt[i]!);
    return this.sum;
  }
}

const groupLabel = (keys: string[], tags: Record<string, string>) => keys.map((k) => `${k}=${tags[k]}`).join(' ');

type Input = { tags: Record<string, string>; data: Float64Array };

const byLabel = (keys: string[], groups: { tags: Record<string, string>; acc: Acc }[]): Series[] =>
  groups
    .sort((a, b) => groupLabel(keys, a.tags).localeCompare(groupLabel(keys, b.tags)))
    .map((g) => ({ tags: g.tags, label: groupLabel(keys, g.tags), data: g.acc.result() }));

/**
 * Aggregate stored series (optionally per group of `keys`). Each series is read into a reused
 * buffer, so a query over many series never holds them all at once, and groups are keyed by
 * interned tag-value ids, so no tag object or group-key string is built per series.
 */
function aggregateStored(
  store: TelemetryStore,
  fn: AggFn,
  ids: number[],
  n: number,
  keys: string[] | undefined,
  baseTags: Record<string, string>,
  label: string,
  load: (id: number) => Float64Array
): Series[] {
  if (!keys) {
    const acc = new Acc(fn, n);
    for (const id of ids) acc.add(load(id));
    return [{ tags: { ...baseTags }, label, data: acc.result() }];
  }
  const ix = store.index;
  const kids = keys.map((k) => ix.keyId(k));
  const groups = new Map<number | string, { tags: Record<string, string>; acc: Acc }>();
  const vids: number[] = [];
  for (const id of ids) {
    let gk: number | string;
    if (kids.length === 1) gk = ix.valueId(id, kids[0]!);
    else {
      vids.length = 0;
      for (const k of kids) vids.push(ix.valueId(id, k));
      gk = vids.includes(-1) ? -1 : vids.join(',');
    }
    if (gk === -1) continue; // Atlas drops series missing a key
    let g = groups.get(gk);
    if (!g) {
      const tags = { ...baseTags };
      for (const k of keys) tags[k] = ix.value(id, k)!;
      groups.set(gk, (g = { tags, acc: new Acc(fn, n) }));
    }
    g.acc.add(load(id));
  }
  return byLabel(keys, [...groups.values()]);
}

/** Aggregate computed series (optionally per group of `keys`). */
function aggregate(
  fn: AggFn,
  inputs: Input[],
  n: number,
  keys: string[] | undefined,
  baseTags: Record<string, string>,
  label: string
): Series[] {
  if (!keys) {
    const acc = new Acc(fn, n);
    for (const s of inputs) acc.add(s.data);
    return [{ tags: { ...baseTags }, label, data: acc.result() }];
  }
  const groups = new Map<string, { tags: Record<string, string>; acc: Acc }>();
  for (const s of inputs) {
    if (!keys.every((k) => s.tags[k] !== undefined)) continue; // Atlas drops series missing a key
    const gk = keys.map((k) => s.tags[k]).join('\u0000');
    let g = groups.get(gk);
    if (!g) {
      const tags = { ...baseTags };
      for (const k of keys) tags[k] = s.tags[k]!;
      groups.set(gk, (g = { tags, acc: new Acc(fn, n) }));
    }
    g.acc.add(s.data);
  }
  return byLabel(keys, [...groups.values()]);
}

export function evalExpr(store: TelemetryStore, e: TsExpr, w: Window): Series[] {
  const n = (w.end - w.start) / w.step;
  switch (e.t) {
    case 'const':
      return [{ tags: { name: String(e.v) }, label: String(e.v), data: new Float64Array(n).fill(e.v) }];
    case 'data': {
      const ids = matchIds(store, e.q);
      const scratch = new Float64Array(n * (w.step / store.stepMs));
      const out = new Float64Array(n);
      const base = exactTags(e.q);
      return aggregateStored(store, e.fn, ids, n, e.keys, base, base.name ?? 'NO NAME', (id) =>
        fetch(store, id, w, e.cf ?? 'avg', scratch, out)
      );
    }
    case 'math': {
      const inputs = evalExpr(store, e.e, w);
      const common = inputs.length
        ? Object.fromEntries(
            Object.entries(inputs[0]!.tags).filter(
              ([k, v]) => inputs.every((s) => s.tags[k] === v) && !e.keys?.includes(k)
            )
          )
        : {};
      return aggregate(e.fn, inputs, n, e.keys, e.keys ? common : common, common.name ?? e.fn);
    }
    case 'unop':
      return evalExpr(store, e.e, w).map((s) => ({
        ...s,
        data: s.data.map((v) => (e.op === 'neg' ? -v : Math.abs(v))),
      }));
    case 'offset': {
      const shifted = { start: w.start - e.ms, end: w.end - e.ms, step: w.step };
      return evalExpr(store, e.e, shifted).map((s) => ({ ...s, label: `${s.label} (offset=${e.label})` }));
    }
    case 'binop':
      return binop(e.op, evalExpr(store, e.a, w), evalExpr(store, e.b, w), e.a, e.b);
  }
}

function combine(op: 'add' | 'sub' | 'mul' | 'div', a: number, b: number): number {
  const na = a !== a;
  const nb = b !== b;
  if (na && nb) return NaN;
  if (op === 'add') return (na ? 0 : a) + (nb ? 0 : b);
  if (op === 'sub') return (na ? 0 : a) - (nb ? 0 : b);
  if (op === 'mul') return (na ? 1 : a) * (nb ? 1 : b);
  // div: a missing numerator is 0; a missing or zero denominator gives NaN
  if (nb || b === 0) return NaN;
  return (na ? 0 : a) / b;
}

function binop(op: 'add' | 'sub' | 'mul' | 'div', as: Series[], bs: Series[], ea: TsExpr, eb: TsExpr): Series[] {
  const apply = (x: Series, y: Series, tags: Record<string, string>, label: string): Series => ({
    tags,
    label,
    data: x.data.map((v, i) => combine(op, v, y.data[i]!)),
  });
  if (as.length === 0 || bs.length === 0) return [];
  if (bs.length === 1)
    return as.map((x) => apply(x, bs[0]!, x.tags, as.length > 1 ? x.label : `${x.label} ${op} ${bs[0]!.label}`));
  if (as.length === 1) return bs.map((y) => apply(as[0]!, y, y.tags, y.label));
  const ka = groupKeys(ea);
  const kb = groupKeys(eb);
  if (!ka || !kb || ka.join() !== kb.join())
    throw new Error(`:${op} of ${as.length} and ${bs.length} series needs both sides grouped by the same keys (:by)`);
  const idx = new Map(bs.map((y) => [ka.map((k) => y.tags[k]).join('\u0000'), y]));
  const out: Series[] = [];
  for (const x of as) {
    const y = idx.get(ka.map((k) => x.tags[k]).join('\u0000'));
    if (y) out.push(apply(x, y, x.tags, x.label));
  }
  return out;
}

function groupKeys(e: TsExpr): string[] | undefined {
  if ((e.t === 'data' || e.t === 'math') && e.keys) return e.keys;
  if (e.t === 'offset' || e.t === 'unop') return groupKeys(e.e);
  if (e.t === 'binop') return groupKeys(e.a) ?? groupKeys(e.b);
  return undefined;
}
