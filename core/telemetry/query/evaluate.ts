// Evaluator: matches series through the tag index, reads and consolidates their buckets to the
// query step, aggregates (Atlas semantics: NaN is missing data; :avg = sum / count of series that
// have a value; :count counts series with a value) and applies math with Atlas's NaN rules
// (a addNaN b: a missing side counts as 0 when the other is present; productNaN: as 1).
import type { SumSink } from '../blocks.ts';
import { SUM_UNIT } from '../delta.ts';
import type { TelemetryStore } from '../store.ts';
import { difference, intersect, union } from '../tag-index.ts';
import { exactTags, type AggFn, type Cf, type Query, type TsExpr } from './ast.ts';
import { compile } from './compile.ts';
import { sumInParallel } from './parallel.ts';

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

/** Something stored series are read from: the store itself, or a worker's view of it (reader.ts). */
export interface SeriesSource {
  read(id: number, fromSlot: number, toSlot: number, out: Float64Array, sink?: SumSink): Float64Array;
}

/** What to read of each series: `n` query steps of `m` store slots from store slot `from`. */
export interface LoadSpec {
  fn: AggFn;
  from: number;
  n: number;
  m: number;
  /** How a step's slots are consolidated when m > 1. */
  cf: Cf;
}

const CONSOLIDATE: Record<Cf, number> = { avg: 0, sum: 1, max: 2, min: 3 };

/**
 * Adds stored series into an accumulator, on the main thread or in a query worker (the same code,
 * so both give the same numbers). At the store's step an additive aggregation is decoded straight
 * into the accumulator; otherwise each series is read into a reused buffer, consolidated to the
 * query step, then added.
 */
export class SeriesLoader {
  private readonly direct: boolean;
  private readonly buf: Float64Array;
  private readonly out: Float64Array;
  private readonly cf: number;
  constructor(
    private readonly src: SeriesSource,
    readonly spec: LoadSpec
  ) {
    const additive = spec.fn === 'sum' || spec.fn === 'avg' || spec.fn === 'count';
    this.direct = additive && spec.m === 1;
    this.buf = new Float64Array(this.direct ? 0 : spec.n * spec.m);
    this.out = spec.m === 1 ? this.buf : new Float64Array(spec.n);
    this.cf = CONSOLIDATE[spec.cf];
  }

  add(id: number, acc: Acc): void {
    const { from, n, m } = this.spec;
    if (this.direct) {
      this.src.read(id, from, from + n, acc.sum, acc);
      return;
    }
    this.buf.fill(NaN);
    this.src.read(id, from, from + n * m, this.buf);
    if (m > 1) consolidate(this.buf, n, m, this.cf, this.out);
    acc.add(this.out);
  }
}

/**
 * Consolidate `n` steps of `m` values each (NaN = missing) with avg, sum, max or min (codes 0-3),
 * one loop per function; a step with no value is NaN, stored after the value (see Acc.result).
 */
function consolidate(src: Float64Array, n: number, m: number, cf: number, out: Float64Array): void {
  if (cf <= 1)
    for (let i = 0, j = 0; i < n; i++) {
      let s = 0;
      let c = 0;
      for (const end = j + m; j < end; j++) {
        const v = src[j]!;
        if (v === v) {
          s += v;
          c++;
        }
      }
      out[i] = cf === 0 ? s / c : s;
      if (c === 0) out[i] = NaN;
    }
  else
    for (let i = 0, j = 0; i < n; i++) {
      let a = cf === 2 ? -Infinity : Infinity;
      let c = 0;
      for (const end = j + m; j < end; j++) {
        const v = src[j]!;
        if (v === v) c++;
        if (cf === 2 ? v > a : v < a) a = v;
      }
      out[i] = a;
      if (c === 0) out[i] = NaN;
    }
}

/**
 * Per-slot aggregation state for one output series. For sum, avg and count, `sum` starts at 0
 * and `cnt` says whether a slot had any value, so adding needs no NaN test on the sum and the
 * store can decode straight into it (`addStored`); max and min start at NaN.
 */
export class Acc implements SumSink {
  sum: Float64Array;
  cnt: Float64Array;
  di: Float64Array;
  dc: Float64Array;
  bound = 0;
  readonly additive: boolean;
  constructor(
    readonly fn: AggFn,
    n: number
  ) {
    this.additive = fn === 'sum' || fn === 'avg' || fn === 'count';
    this.sum = new Float64Array(n);
    if (!this.additive) this.sum.fill(NaN);
    this.cnt = new Float64Array(n);
    this.di = new Float64Array(this.additive ? n + 1 : 0);
    this.dc = new Float64Array(this.additive ? n + 1 : 0);
  }

  add(d: Float64Array): void {
    const { sum, cnt, fn } = this;
    if (this.additive) {
      for (let i = 0; i < d.length; i++) {
        const v = d[i]!;
        if (v !== v) continue;
        sum[i]! += v;
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
      else sum[i] = v < s ? v : s;
    }
  }
  /**
   * The aggregate, in `into` or a new array; the accumulator is left empty for the next group (one
   * accumulator serves every group of a query in turn, cleared while it is read).
   */
  result(into?: Float64Array): Float64Array {
    const { sum, cnt, di, dc, fn } = this;
    this.bound = 0;
    if (!this.additive) {
      const out = into ?? new Float64Array(sum.length);
      out.set(sum);
      sum.fill(NaN);
      cnt.fill(0);
      return out;
    }
    const out = into ?? new Float64Array(sum.length);
    let ru = 0; // running integer sum and count of the differences (exact)
    let rc = 0;
    // One loop per function, so no per-slot branch on it. An empty slot is overwritten with NaN
    // after the store: V8 compiles `out[i] = c === 0 ? NaN : v` to code 5x slower on real data.
    if (fn === 'count')
      for (let i = 0; i < out.length; i++) {
        rc += dc[i]!;
        const c = cnt[i]! + rc;
        out[i] = c;
        if (c === 0) out[i] = NaN;
      }
    else if (fn === 'avg')
      for (let i = 0; i < out.length; i++) {
        ru += di[i]!;
        rc += dc[i]!;
        const c = cnt[i]! + rc;
        out[i] = (sum[i]! + ru / SUM_UNIT) / c;
        if (c === 0) out[i] = NaN;
      }
    else
      for (let i = 0; i < out.length; i++) {
        ru += di[i]!;
        rc += dc[i]!;
        const c = cnt[i]! + rc;
        out[i] = sum[i]! + ru / SUM_UNIT;
        if (c === 0) out[i] = NaN;
      }
    sum.fill(0);
    cnt.fill(0);
    di.fill(0);
    dc.fill(0);
    return out;
  }
}

const groupLabel = (keys: string[], tags: Record<string, string>) => keys.map((k) => `${k}=${tags[k]}`).join(' ');

type Input = { tags: Record<string, string>; data: Float64Array };

// what String#localeCompare does, without its per-call setup (thousands of groups are sorted)
const collator = new Intl.Collator();

/** Groups as series, sorted by label. */
function byLabel(keys: string[], groups: { tags: Record<string, string>; data: Float64Array }[]): Series[] {
  return groups
    .map((g) => ({ tags: g.tags, label: groupLabel(keys, g.tags), data: g.data }))
    .sort((a, b) => collator.compare(a.label, b.label));
}

/**
 * Aggregate stored series (optionally per group of `keys`). Each series is read into a reused
 * buffer, so a query over many series never holds them all at once, and groups are keyed by
 * interned tag-value ids, so no tag object or group-key string is built per series. Many groups
 * over many series are shared with a worker thread (parallel.ts).
 */
function aggregateStored(
  store: TelemetryStore,
  spec: LoadSpec,
  ids: number[],
  keys: string[] | undefined,
  baseTags: Record<string, string>,
  label: string
): Series[] {
  const { fn, n } = spec;
  const loader = new SeriesLoader(store, spec);
  if (!keys) {
    const acc = new Acc(fn, n);
    for (const id of ids) loader.add(id, acc);
    return [{ tags: { ...baseTags }, label, data: acc.result() }];
  }
  const ix = store.index;
  const kids = keys.map((k) => ix.keyId(k));
  const groups = new Map<number | string, { tags: Record<string, string>; ids: number[] }>();
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
      groups.set(gk, (g = { tags, ids: [] }));
    }
    g.ids.push(id);
  }
  // one group at a time through one accumulator, which stays in cache while its series are added
  const acc = new Acc(fn, n);
  const list = [...groups.values()];
  const sumGroup = (g: { ids: number[] }, into: Float64Array) => {
    for (const id of g.ids) loader.add(id, acc);
    acc.result(into);
  };
  let data = sumInParallel(() => store.readerState(), spec, list, sumGroup);
  if (!data) {
    // one block for every group's result: one allocation instead of one per group
    const block = new Float64Array(list.length * n);
    data = list.map((_, i) => block.subarray(i * n, (i + 1) * n));
    list.forEach((g, i) => sumGroup(g, data![i]!));
  }
  return byLabel(
    keys,
    list.map((g, i) => ({ tags: g.tags, data: data[i]! }))
  );
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
  return byLabel(
    keys,
    [...groups.values()].map((g) => ({ tags: g.tags, data: g.acc.result() }))
  );
}

export function evalExpr(store: TelemetryStore, e: TsExpr, w: Window): Series[] {
  const n = (w.end - w.start) / w.step;
  switch (e.t) {
    case 'const':
      return [{ tags: { name: String(e.v) }, label: String(e.v), data: new Float64Array(n).fill(e.v) }];
    case 'data': {
      const base = exactTags(e.q);
      const m = w.step / store.stepMs;
      const spec: LoadSpec = { fn: e.fn, from: w.start / store.stepMs, n, m, cf: e.cf ?? 'avg' };
      return aggregateStored(store, spec, matchIds(store, e.q), e.keys, base, base.name ?? 'NO NAME');
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
