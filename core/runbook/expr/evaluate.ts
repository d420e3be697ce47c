// The expression evaluator for `${…}`. Imported by workflow code, so it is pure and
// deterministic: no I/O, no clock, no randomness, and it imports types only.
import type { ExprNode, PlanValue } from '../plan.ts';

/** A runtime type error in an expression (the type checker catches most of these at compile time). */
export class ExprError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExprError';
  }
}

type Fn = (args: unknown[]) => unknown;

/** Arity of every built-in function: `max` of -1 means variadic. */
export const FUNCTION_ARITY: Readonly<Record<string, { min: number; max: number }>> = {
  len: { min: 1, max: 1 },
  lower: { min: 1, max: 1 },
  upper: { min: 1, max: 1 },
  contains: { min: 2, max: 2 },
  startsWith: { min: 2, max: 2 },
  endsWith: { min: 2, max: 2 },
  coalesce: { min: 1, max: -1 },
  round: { min: 1, max: 2 },
  min: { min: 1, max: -1 },
  max: { min: 1, max: -1 },
  string: { min: 1, max: 1 },
  number: { min: 1, max: 1 },
  json: { min: 1, max: 1 },
  matches: { min: 2, max: 2 },
  join: { min: 1, max: 2 },
  keys: { min: 1, max: 1 },
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** JS truthiness, with `undefined` treated as `null`. */
export function truthy(v: unknown): boolean {
  return Boolean(v);
}

/** How a value renders inside a text template. */
export function stringify(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

function num(v: unknown, what: string): number {
  if (typeof v !== 'number') throw new ExprError(`${what} expects a number, got ${typeName(v)}`);
  return v;
}

function str(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new ExprError(`${what} expects a string, got ${typeName(v)}`);
  return v;
}

export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  return Array.isArray(v) ? 'array' : typeof v;
}

function numbers(args: unknown[], what: string): number[] {
  const list = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  if (list.length === 0) throw new ExprError(`${what} expects at least one number`);
  return list.map((x) => num(x, what));
}

const FUNCTIONS: Record<string, Fn> = {
  len: ([v]) => {
    if (typeof v === 'string' || Array.isArray(v)) return v.length;
    if (isObject(v)) return Object.keys(v).length;
    if (v === null || v === undefined) return 0;
    throw new ExprError(`len expects a string, array or object, got ${typeName(v)}`);
  },
  lower: ([v]) => str(v, 'lower').toLowerCase(),
  upper: ([v]) => str(v, 'upper').toUpperCase(),
  contains: ([h, n]) => {
    if (typeof h === 'string') return h.includes(str(n, 'contains'));
    if (Array.isArray(h)) return h.some((x) => deepEqual(x, n));
    if (isObject(h)) return typeof n === 'string' && Object.hasOwn(h, n);
    return false;
  },
  startsWith: ([s, p]) => str(s, 'startsWith').startsWith(str(p, 'startsWith')),
  endsWith: ([s, p]) => str(s, 'endsWith').endsWith(str(p, 'endsWith')),
  coalesce: (args) => args.find((a) => a !== null && a !== undefined) ?? null,
  round: ([v, d]) => {
    const digits = d === undefined || d === null ? 0 : num(d, 'round');
    const f = 10 ** Math.max(0, Math.min(12, Math.trunc(digits)));
    return Math.round(num(v, 'round') * f) / f;
  },
  min: (args) => Math.min(...numbers(args, 'min')),
  max: (args) => Math.max(...numbers(args, 'max')),
  string: ([v]) => stringify(v),
  number: ([v]) => {
    if (typeof v === 'number') return v;
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v === 'string' && v.trim() !== '') {
      const n = Number(v);
      return Number.isNaN(n) ? null : n;
    }
    return null;
  },
  json: ([v]) => JSON.stringify(v ?? null),
  matches: ([s, re]) => {
    try {
      return new RegExp(str(re, 'matches')).test(str(s, 'matches'));
    } catch (err) {
      if (err instanceof ExprError) throw err;
      throw new ExprError(`matches: invalid regular expression ${JSON.stringify(re)}`);
    }
  },
  join: ([a, sep]) => {
    if (!Array.isArray(a)) throw new ExprError(`join expects an array, got ${typeName(a)}`);
    return a.map(stringify).join(sep === undefined || sep === null ? ',' : str(sep, 'join'));
  },
  keys: ([o]) => (isObject(o) ? Object.keys(o).sort() : []),
};

function member(obj: unknown, prop: unknown): unknown {
  if (Array.isArray(obj)) {
    if (typeof prop === 'number' && Number.isInteger(prop) && prop >= 0 && prop < obj.length) return obj[prop];
    return null;
  }
  // Own properties only: `constructor`, `__proto__` and friends are never reachable.
  if (isObject(obj) && (typeof prop === 'string' || typeof prop === 'number')) {
    const key = String(prop);
    return Object.hasOwn(obj, key) ? (obj[key] ?? null) : null;
  }
  return null;
}

function compare(op: string, a: unknown, b: unknown): boolean {
  const bothNumbers = typeof a === 'number' && typeof b === 'number';
  const bothStrings = typeof a === 'string' && typeof b === 'string';
  if (!bothNumbers && !bothStrings)
    throw new ExprError(`cannot compare ${typeName(a)} with ${typeName(b)} using ${op}`);
  const x = a;
  const y = b;
  if (op === '<') return x < y;
  if (op === '<=') return x <= y;
  if (op === '>') return x > y;
  return x >= y;
}

function arithmetic(op: string, a: unknown, b: unknown): unknown {
  if (op === '+' && (typeof a === 'string' || typeof b === 'string')) return stringify(a) + stringify(b);
  const x = num(a, op);
  const y = num(b, op);
  if (op === '+') return x + y;
  if (op === '-') return x - y;
  if (op === '*') return x * y;
  if (op === '/') return x / y;
  return x % y;
}

/** Evaluate a compiled expression against a scope. Missing variables and properties read as null. */
export function evaluate(node: ExprNode, scope: Record<string, unknown>): unknown {
  switch (node.t) {
    case 'lit':
      return node.v;
    case 'id':
      return Object.hasOwn(scope, node.name) ? (scope[node.name] ?? null) : null;
    case 'member':
      return member(evaluate(node.obj, scope), evaluate(node.prop, scope));
    case 'arr':
      return node.items.map((i) => evaluate(i, scope));
    case 'cond':
      return truthy(evaluate(node.test, scope)) ? evaluate(node.then, scope) : evaluate(node.else, scope);
    case 'un': {
      const v = evaluate(node.arg, scope);
      if (node.op === '!') return !truthy(v);
      return node.op === '-' ? -num(v, 'unary -') : num(v, 'unary +');
    }
    case 'call': {
      const fn = FUNCTIONS[node.fn];
      if (!fn) throw new ExprError(`unknown function ${node.fn}`);
      return fn(node.args.map((a) => evaluate(a, scope)));
    }
    case 'bin':
      return binary(node.op, node.left, node.right, scope);
  }
}

function binary(op: string, l: ExprNode, r: ExprNode, scope: Record<string, unknown>): unknown {
  if (op === '&&') {
    const a = evaluate(l, scope);
    return truthy(a) ? evaluate(r, scope) : a;
  }
  if (op === '||') {
    const a = evaluate(l, scope);
    return truthy(a) ? a : evaluate(r, scope);
  }
  if (op === '??') return evaluate(l, scope) ?? evaluate(r, scope);
  const a = evaluate(l, scope);
  const b = evaluate(r, scope);
  switch (op) {
    case '==':
    case '===':
      return deepEqual(a, b);
    case '!=':
    case '!==':
      return !deepEqual(a, b);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compare(op, a, b);
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return arithmetic(op, a, b);
  }
  throw new ExprError(`unknown operator ${op}`);
}

/** Resolve a plan parameter: `{ $expr }` keeps its value's type, `{ $tpl }` renders a string. */
export function resolveValue(v: PlanValue, scope: Record<string, unknown>): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => resolveValue(x, scope));
  if ('$expr' in v && typeof v.src === 'string') return evaluate(v.$expr as ExprNode, scope);
  if ('$tpl' in v && Array.isArray(v.$tpl)) {
    return (v.$tpl as (string | { $expr: ExprNode })[])
      .map((part) => (typeof part === 'string' ? part : stringify(evaluate(part.$expr, scope))))
      .join('');
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, PlanValue>)) out[k] = resolveValue(x, scope);
  return out;
}
