// Static checks of `${…}` against what the scope will hold: declared input types and the
// kinds' output shapes. It only flags what is certainly wrong; `any` silences it.
import type { OutputShape } from '../kinds/types.ts';
import type { ExprNode } from '../plan.ts';
import { FUNCTION_ARITY } from './evaluate.ts';

export type Shape = OutputShape;

/** How a root name resolves at one point of the runbook. */
export type Binding = { shape: Shape } | { problem: string };

export interface TypeEnv {
  /** Resolve a root identifier; undefined when nothing binds it. */
  lookup(name: string): Binding | undefined;
  /** Names visible here, for the "expected one of" list. */
  visible: string[];
  /** What to call properties of a root object in messages (e.g. `inputs` → `input`). */
  propertyNoun?: Record<string, string>;
}

export interface TypeProblem {
  message: string;
  /** A token of the source to point at (best effort), else the expression start. */
  near?: string;
}

const RETURNS: Record<string, Shape> = {
  len: 'number',
  lower: 'string',
  upper: 'string',
  contains: 'boolean',
  startsWith: 'boolean',
  endsWith: 'boolean',
  matches: 'boolean',
  round: 'number',
  min: 'number',
  max: 'number',
  number: 'any',
  string: 'string',
  json: 'string',
  join: 'string',
  keys: { array: 'string' },
  coalesce: 'any',
};
const STRING_ARGS = new Set(['lower', 'upper', 'startsWith', 'endsWith', 'matches']);
const NUMBER_ARGS = new Set(['round', 'min', 'max']);

const kindOf = (s: Shape): string => (typeof s === 'string' ? s : 'array' in s ? 'array' : 'object');
const known = (s: Shape): boolean => s !== 'any';
const same = (a: Shape, b: Shape): Shape => (kindOf(a) === kindOf(b) && typeof a === 'string' ? a : 'any');
const label = (s: Shape): string => (kindOf(s) === 'array' ? 'list' : kindOf(s) === 'object' ? 'object' : kindOf(s));

/** Check one expression; returns its static shape and every problem found. */
export function typecheck(node: ExprNode, env: TypeEnv): { shape: Shape; problems: TypeProblem[] } {
  const problems: TypeProblem[] = [];
  const fail = (message: string, near?: string): Shape => {
    problems.push(near === undefined ? { message } : { message, near });
    return 'any';
  };

  const visit = (n: ExprNode): Shape => {
    switch (n.t) {
      case 'lit':
        return n.v === null ? 'null' : (typeof n.v as Shape);
      case 'arr': {
        const items = n.items.map(visit);
        return {
          array: items.reduce<Shape | undefined>((a, b) => (a === undefined ? b : same(a, b)), undefined) ?? 'any',
        };
      }
      case 'id': {
        const b = env.lookup(n.name);
        if (!b)
          return fail(
            `Unexpected unknown variable \`${n.name}\`, expected one of ${env.visible.join(', ') || '(none)'}`,
            n.name
          );
        if ('problem' in b) return fail(b.problem, n.name);
        return b.shape;
      }
      case 'member': {
        const obj = visit(n.obj);
        const prop = visit(n.prop);
        if (typeof obj === 'object' && 'object' in obj) {
          if (n.prop.t !== 'lit' || typeof n.prop.v !== 'string') return 'any';
          const field = obj.object[n.prop.v];
          if (field !== undefined) return field;
          const root = n.obj.t === 'id' ? n.obj.name : undefined;
          const noun = (root && env.propertyNoun?.[root]) ?? 'property';
          const keys = Object.keys(obj.object);
          const where = root ? ` of \`${root}\`` : '';
          return fail(
            `Unexpected unknown ${noun} \`${n.prop.v}\`${where}, expected one of ${keys.join(', ') || '(none)'}`,
            n.prop.v
          );
        }
        if (typeof obj === 'object' && 'array' in obj) {
          if (known(prop) && prop !== 'number')
            return fail(`Unexpected ${label(prop)} index of a list, expected a number`);
          return obj.array;
        }
        if (obj === 'string' || obj === 'number' || obj === 'boolean' || obj === 'null') {
          const name = n.prop.t === 'lit' ? String(n.prop.v) : '[…]';
          return fail(
            `Unexpected property \`${name}\` of a ${obj} value, expected an object or list (use len() for lengths)`,
            name
          );
        }
        return 'any';
      }
      case 'un': {
        const a = visit(n.arg);
        if (n.op === '!') return 'boolean';
        if (known(a) && a !== 'number')
          return fail(`Unexpected ${label(a)} operand for unary \`${n.op}\`, expected a number`);
        return 'number';
      }
      case 'cond': {
        visit(n.test);
        return same(visit(n.then), visit(n.else));
      }
      case 'call':
        return call(n.fn, n.args);
      case 'bin':
        return binary(n.op, visit(n.left), visit(n.right));
    }
  };

  const call = (fn: string, args: ExprNode[]): Shape => {
    const shapes = args.map(visit);
    const arity = FUNCTION_ARITY[fn];
    if (!arity)
      return fail(
        `Unexpected unknown function \`${fn}\`, expected one of ${Object.keys(FUNCTION_ARITY).join(', ')}`,
        fn
      );
    const n = args.length;
    if (n < arity.min || (arity.max >= 0 && n > arity.max)) {
      const want =
        arity.max < 0
          ? `at least ${arity.min}`
          : arity.min === arity.max
            ? String(arity.min)
            : `${arity.min} to ${arity.max}`;
      return fail(`Unexpected ${n} argument${n === 1 ? '' : 's'} to \`${fn}\`, expected ${want}`, fn);
    }
    for (const s of shapes) {
      if (STRING_ARGS.has(fn) && known(s) && s !== 'string')
        fail(`Unexpected ${label(s)} argument to \`${fn}\`, expected a string`, fn);
      if (NUMBER_ARGS.has(fn) && known(s) && s !== 'number' && !(kindOf(s) === 'array' && n === 1 && fn !== 'round'))
        fail(`Unexpected ${label(s)} argument to \`${fn}\`, expected a number`, fn);
    }
    return RETURNS[fn] ?? 'any';
  };

  const binary = (op: string, a: Shape, b: Shape): Shape => {
    if (op === '&&' || op === '||' || op === '??') return same(a, b);
    if (['-', '*', '/', '%'].includes(op)) {
      for (const s of [a, b])
        if (known(s) && s !== 'number')
          return fail(`Unexpected ${label(s)} operand for \`${op}\`, expected a number`, op);
      return 'number';
    }
    if (op === '+') {
      for (const s of [a, b]) {
        if (known(s) && s !== 'number' && s !== 'string')
          return fail(`Unexpected ${label(s)} operand for \`+\`, expected a number or string`, op);
      }
      return a === 'string' || b === 'string' ? 'string' : a === 'number' && b === 'number' ? 'number' : 'any';
    }
    const primitive = (s: Shape) => s === 'number' || s === 'string' || s === 'boolean';
    if (['<', '<=', '>', '>='].includes(op)) {
      for (const s of [a, b]) {
        if (known(s) && s !== 'number' && s !== 'string')
          return fail(`Unexpected ${label(s)} operand for \`${op}\`, expected a number or string`, op);
      }
    }
    if (primitive(a) && primitive(b) && a !== b) {
      return fail(`Unexpected comparison of ${label(a)} with ${label(b)}, expected operands of the same type`, op);
    }
    return 'boolean';
  };

  const shape = visit(node);
  return { shape, problems };
}
