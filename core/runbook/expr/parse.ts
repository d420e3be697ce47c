// `${…}` parsing: jsep for the expression grammar, then normalised into the plan's ExprNode
// with everything outside our small language rejected (assignment, `this`, methods, bitwise ops).
import jsep from 'jsep';
import type { ExprNode, PlanValue } from '../plan.ts';
import { FUNCTION_ARITY } from './evaluate.ts';

/** A parse problem at `offset` characters into the text that was parsed. */
export interface ExprProblem {
  offset: number;
  message: string;
}

export interface CompiledExpr {
  $expr: ExprNode;
  src: string;
}

/** One `${…}` occurrence found in a template string, with its position in that string. */
export interface ExprSite {
  expr: CompiledExpr;
  /** Offset of the expression text (after `${`) in the string. */
  offset: number;
}

const BINARY_OPS = ['==', '!=', '===', '!==', '<', '<=', '>', '>=', '&&', '||', '??', '+', '-', '*', '/', '%'];
export const FUNCTION_NAMES = Object.keys(FUNCTION_ARITY);

class Reject extends Error {
  constructor(
    message: string,
    readonly at: number | undefined
  ) {
    super(message);
  }
}

type JNode = jsep.Expression;

// jsep nodes carry no positions: locate a token in the source for a better column (best effort).
function locate(src: string, token: string): number | undefined {
  const re = new RegExp(`(?<![\\w$.])${token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w$])`);
  const m = re.exec(src);
  return m ? m.index : undefined;
}

function normalise(n: JNode, src: string): ExprNode {
  switch (n.type) {
    case 'Literal': {
      const v = (n as jsep.Literal).value;
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null)
        return { t: 'lit', v };
      throw new Reject('Unexpected literal, expected a string, number, boolean or null', undefined);
    }
    case 'Identifier':
      return { t: 'id', name: (n as jsep.Identifier).name };
    case 'ThisExpression':
      throw new Reject('Unexpected `this`, expected a variable such as `inputs`', locate(src, 'this'));
    case 'MemberExpression': {
      const m = n as jsep.MemberExpression;
      const prop: ExprNode = m.computed
        ? normalise(m.property, src)
        : { t: 'lit', v: (m.property as jsep.Identifier).name };
      return { t: 'member', obj: normalise(m.object, src), prop, computed: m.computed };
    }
    case 'ArrayExpression':
      return { t: 'arr', items: (n as jsep.ArrayExpression).elements.map((e) => normalise(e as JNode, src)) };
    case 'ConditionalExpression': {
      const c = n as unknown as { test: JNode; consequent: JNode; alternate: JNode };
      return {
        t: 'cond',
        test: normalise(c.test, src),
        then: normalise(c.consequent, src),
        else: normalise(c.alternate, src),
      };
    }
    case 'UnaryExpression': {
      const u = n as jsep.UnaryExpression;
      if (u.operator !== '!' && u.operator !== '-' && u.operator !== '+') {
        throw new Reject(`Unexpected operator \`${u.operator}\`, expected one of !, -, +`, locate(src, u.operator));
      }
      return { t: 'un', op: u.operator, arg: normalise(u.argument, src) };
    }
    case 'BinaryExpression': {
      const b = n as jsep.BinaryExpression;
      if (!BINARY_OPS.includes(b.operator)) {
        const at = src.indexOf(b.operator);
        throw new Reject(
          `Unexpected operator \`${b.operator}\`, expected one of ${BINARY_OPS.join(' ')}`,
          at < 0 ? undefined : at
        );
      }
      return { t: 'bin', op: b.operator, left: normalise(b.left, src), right: normalise(b.right, src) };
    }
    case 'CallExpression': {
      const c = n as jsep.CallExpression;
      if (c.callee.type !== 'Identifier') {
        throw new Reject('Unexpected method call, expected a function call such as `len(x)`', undefined);
      }
      const fn = (c.callee as jsep.Identifier).name;
      if (!Object.hasOwn(FUNCTION_ARITY, fn)) {
        throw new Reject(
          `Unexpected unknown function \`${fn}\`, expected one of ${FUNCTION_NAMES.join(', ')}`,
          locate(src, fn)
        );
      }
      return { t: 'call', fn, args: c.arguments.map((a) => normalise(a, src)) };
    }
    case 'Compound': {
      const body = (n as jsep.Compound).body;
      if (body.length === 0) throw new Reject('Unexpected empty expression, expected an expression', 0);
      throw new Reject('Unexpected second expression, expected one expression (missing operator?)', undefined);
    }
    default:
      throw new Reject(`Unexpected ${n.type}, expected an expression`, undefined);
  }
}

/** Parse one expression (the text between `${` and `}`). */
export function parseExpression(src: string): { expr: CompiledExpr } | { problem: ExprProblem } {
  const lead = src.length - src.trimStart().length;
  if (src.trim() === '')
    return { problem: { offset: 0, message: 'Unexpected empty expression, expected an expression' } };
  let tree: JNode;
  try {
    tree = jsep(src);
  } catch (err) {
    const e = err as Error & { index?: number };
    const index = e.index ?? 0;
    const detail = e.message.replace(/ at character \d+$/, '');
    if (src[index] === '=' && src[index + 1] !== '=') {
      return { problem: { offset: index, message: 'Unexpected assignment `=`, expected `==` to compare' } };
    }
    return {
      problem: { offset: index, message: `Unexpected syntax in expression (${detail}), expected a valid expression` },
    };
  }
  try {
    return { expr: { $expr: normalise(tree, src), src: src.trim() } };
  } catch (err) {
    if (err instanceof Reject) return { problem: { offset: err.at ?? lead, message: err.message } };
    throw err;
  }
}

/** Find the `}` that closes a `${` opened at `start`, skipping quoted strings. -1 if unterminated. */
function closeOf(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' || ch === "'") {
      const q = ch;
      for (i++; i < text.length && text[i] !== q; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (ch === '{') depth++;
    else if (ch === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

export const hasTemplate = (text: string): boolean => text.includes('${');

/**
 * Compile a string that may hold `${…}`: plain text stays a string, exactly one `${expr}` becomes
 * `{ $expr }`, anything mixed becomes `{ $tpl }`. Problems carry offsets into `text`.
 */
export function parseTemplate(text: string): { value: PlanValue; sites: ExprSite[]; problems: ExprProblem[] } {
  const parts: (string | CompiledExpr)[] = [];
  const sites: ExprSite[] = [];
  const problems: ExprProblem[] = [];
  let pos = 0;
  for (;;) {
    const open = text.indexOf('${', pos);
    if (open < 0) break;
    const close = closeOf(text, open + 2);
    if (close < 0) {
      problems.push({ offset: open, message: 'Unexpected end of text, expected `}` to close `${`' });
      pos = text.length;
      break;
    }
    if (open > pos) parts.push(text.slice(pos, open));
    const inner = text.slice(open + 2, close);
    const r = parseExpression(inner);
    if ('problem' in r) problems.push({ offset: open + 2 + r.problem.offset, message: r.problem.message });
    else {
      parts.push(r.expr);
      sites.push({ expr: r.expr, offset: open + 2 });
    }
    pos = close + 1;
  }
  if (pos < text.length) parts.push(text.slice(pos));
  if (sites.length === 0 && problems.length === 0) return { value: text, sites, problems };
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only !== undefined && typeof only !== 'string') return { value: only, sites, problems };
  return { value: { $tpl: parts, src: text }, sites, problems };
}
