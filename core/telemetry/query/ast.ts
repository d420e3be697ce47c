// Expressions produced by the stack-language compiler (compile.ts) and consumed by the evaluator.
// Types follow Atlas's conceptual types: Query (which series), DataExpr (aggregate of matched
// series, optionally grouped), TimeSeriesExpr (math over those).

export type Query =
  | { t: 'eq' | 're' | 'reic' | 'lt' | 'gt' | 'le' | 'ge'; k: string; v: string }
  | { t: 'has'; k: string }
  | { t: 'and' | 'or'; a: Query; b: Query }
  | { t: 'not'; q: Query }
  | { t: 'true' | 'false' };

export type AggFn = 'sum' | 'max' | 'min' | 'count' | 'avg';
export type Cf = 'avg' | 'sum' | 'max' | 'min';

export type TsExpr =
  /** Aggregate of the series matched by `q` (`:sum` etc.), or per group when `keys` is set. */
  | { t: 'data'; fn: AggFn; q: Query; keys?: string[]; cf?: Cf }
  | { t: 'const'; v: number }
  | { t: 'binop'; op: 'add' | 'sub' | 'mul' | 'div'; a: TsExpr; b: TsExpr }
  | { t: 'unop'; op: 'neg' | 'abs'; e: TsExpr }
  /** Math aggregation over the series of `e`, optionally regrouped by `keys`. */
  | { t: 'math'; fn: AggFn; e: TsExpr; keys?: string[] }
  | { t: 'offset'; ms: number; label: string; e: TsExpr };

export const isQuery = (x: unknown): x is Query =>
  typeof x === 'object' &&
  x !== null &&
  !Array.isArray(x) &&
  ['eq', 're', 'reic', 'lt', 'gt', 'le', 'ge', 'has', 'and', 'or', 'not', 'true', 'false'].includes(
    (x as { t: string }).t
  );

/** Render an expression back to the stack language (used for labels and round-trip tests). */
export function showQuery(q: Query): string {
  switch (q.t) {
    case 'has':
      return `${q.k},:has`;
    case 'and':
    case 'or':
      return `${showQuery(q.a)},${showQuery(q.b)},:${q.t}`;
    case 'not':
      return `${showQuery(q.q)},:not`;
    case 'true':
    case 'false':
      return `:${q.t}`;
    default:
      return `${q.k},${q.v},:${q.t}`;
  }
}

export function showExpr(e: TsExpr): string {
  switch (e.t) {
    case 'data': {
      const base = `${showQuery(e.q)},:${e.fn}${e.keys ? `,(,${e.keys.join(',')},),:by` : ''}`;
      return e.cf ? `${base},:cf-${e.cf}` : base;
    }
    case 'const':
      return String(e.v);
    case 'binop':
      return `${showExpr(e.a)},${showExpr(e.b)},:${e.op}`;
    case 'unop':
      return `${showExpr(e.e)},:${e.op}`;
    case 'math':
      return `${showExpr(e.e)},:${e.fn}${e.keys ? `,(,${e.keys.join(',')},),:by` : ''}`;
    case 'offset':
      return `${showExpr(e.e)},${e.label},:offset`;
  }
}

/** Tags fixed by the query's top-level `:and` chain of `:eq` clauses (Atlas keeps these on aggregates). */
export function exactTags(q: Query): Record<string, string> {
  if (q.t === 'eq') return { [q.k]: q.v };
  if (q.t === 'and') return { ...exactTags(q.a), ...exactTags(q.b) };
  return {};
}
