// Compiler for the supported subset of Atlas's stack language: runs the program over a stack of
// words, lists, queries and time-series expressions and leaves the expressions to plot. Every
// error names the character position of the offending token and what was expected there.
import { isQuery, type AggFn, type Cf, type Query, type TsExpr } from './ast.ts';
import { parseDuration } from './duration.ts';

export class QueryError extends Error {
  constructor(
    readonly position: number,
    readonly token: string,
    readonly expected: string,
    detail?: string
  ) {
    super(
      `at position ${position} (${token ? `\`${token}\`` : 'end of input'}): expected ${expected}${detail ? `, ${detail}` : ''}`
    );
    this.name = 'QueryError';
  }
}

interface Token {
  text: string;
  pos: number;
}

type Item =
  | { kind: 'word'; v: string; pos: number }
  | { kind: 'list'; v: string[]; pos: number }
  | { kind: 'query'; v: Query; pos: number }
  | { kind: 'expr'; v: TsExpr; pos: number };

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let start = 0;
  for (let i = 0; i <= src.length; i++) {
    if (i === src.length || src[i] === ',') {
      const raw = src.slice(start, i);
      const lead = raw.length - raw.trimStart().length;
      const text = raw.trim();
      if (text) out.push({ text, pos: start + lead });
      start = i + 1;
    }
  }
  return out;
}

const WORDS = [
  ':eq',
  ':re',
  ':reic',
  ':lt',
  ':gt',
  ':le',
  ':ge',
  ':has',
  ':in',
  ':and',
  ':or',
  ':not',
  ':true',
  ':false',
  ':sum',
  ':max',
  ':min',
  ':count',
  ':avg',
  ':by',
  ':add',
  ':sub',
  ':mul',
  ':div',
  ':neg',
  ':abs',
  ':offset',
  ':cf-avg',
  ':cf-sum',
  ':cf-max',
  ':cf-min',
  ':dup',
  ':swap',
  ':over',
  ':drop',
  ':clear',
];
export const SUPPORTED_WORDS: readonly string[] = WORDS;

const describe = (it: Item | undefined): string =>
  it === undefined
    ? 'an empty stack'
    : it.kind === 'word'
      ? `the word \`${it.v}\``
      : it.kind === 'list'
        ? 'a list'
        : it.kind === 'query'
          ? 'a query'
          : 'a time series expression';

/** Compile a stack program into the expressions left on the stack, bottom first. */
export function compile(src: string): TsExpr[] {
  if (src.length > 20_000) throw new QueryError(20_000, '', 'a query of at most 20000 characters');
  const tokens = tokenize(src);
  const stack: Item[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (tok.text === '(') {
      const list: string[] = [];
      let depth = 1;
      let j = i + 1;
      for (; j < tokens.length; j++) {
        const t = tokens[j]!.text;
        if (t === '(') depth++;
        if (t === ')' && --depth === 0) break;
        list.push(t);
      }
      if (j >= tokens.length)
        throw new QueryError(src.length, '', `\`)\` to close the list opened at position ${tok.pos}`);
      stack.push({ kind: 'list', v: list, pos: tok.pos });
      i = j;
      continue;
    }
    if (tok.text === ')') throw new QueryError(tok.pos, tok.text, 'a word or `(`', 'found `)` without a matching `(`');
    if (!tok.text.startsWith(':')) {
      stack.push({ kind: 'word', v: tok.text, pos: tok.pos });
      continue;
    }
    apply(tok, stack);
  }
  return stack.map((it) => toExpr(it, { text: '', pos: src.length }, 'a time series expression left on the stack'));
}

function pop(stack: Item[], tok: Token, expected: string): Item {
  const it = stack.pop();
  if (!it) throw new QueryError(tok.pos, tok.text, expected, 'found an empty stack');
  return it;
}

function popWord(stack: Item[], tok: Token, what: string): string {
  const it = pop(stack, tok, what);
  if (it.kind !== 'word') throw new QueryError(tok.pos, tok.text, what, `found ${describe(it)}`);
  return it.v;
}

function popQuery(stack: Item[], tok: Token): Query {
  const it = pop(stack, tok, 'a query');
  if (it.kind !== 'query') throw new QueryError(tok.pos, tok.text, 'a query', `found ${describe(it)}`);
  return it.v;
}

function toExpr(it: Item, tok: Token, expected: string): TsExpr {
  if (it.kind === 'expr') return it.v;
  if (it.kind === 'query') return { t: 'data', fn: 'sum', q: it.v }; // a bare query plots as :sum
  if (it.kind === 'word') {
    const n = Number(it.v);
    if (it.v.trim() !== '' && !Number.isNaN(n)) return { t: 'const', v: n };
    if (it.v === 'NaN') return { t: 'const', v: NaN };
  }
  throw new QueryError(
    it.kind === 'word' ? it.pos : tok.pos,
    it.kind === 'word' ? it.v : tok.text,
    expected,
    `found ${describe(it)}`
  );
}

function popExpr(stack: Item[], tok: Token): TsExpr {
  return toExpr(pop(stack, tok, 'a time series expression'), tok, 'a time series expression or number');
}

function apply(tok: Token, stack: Item[]): void {
  const w = tok.text;
  const push = (kind: 'query' | 'expr', v: Query | TsExpr): void => {
    stack.push({ kind, v, pos: tok.pos } as Item);
  };
  switch (w) {
    case ':eq':
    case ':re':
    case ':reic':
    case ':lt':
    case ':gt':
    case ':le':
    case ':ge': {
      const v = popWord(stack, tok, 'a value (key,value,' + w + ')');
      const k = popWord(stack, tok, 'a tag key (key,value,' + w + ')');
      if (w === ':re' || w === ':reic') {
        try {
          new RegExp(v);
        } catch (err) {
          throw new QueryError(tok.pos, w, 'a valid regular expression', (err as Error).message);
        }
      }
      return push('query', { t: w.slice(1) as 'eq', k, v });
    }
    case ':has':
      return push('query', { t: 'has', k: popWord(stack, tok, 'a tag key (key,:has)') });
    case ':in': {
      const list = pop(stack, tok, 'a list of values');
      if (list.kind !== 'list' || list.v.length === 0)
        throw new QueryError(tok.pos, w, 'a non-empty list of values (key,(,a,b,),:in)', `found ${describe(list)}`);
      const k = popWord(stack, tok, 'a tag key');
      const qs = list.v.map((v): Query => ({ t: 'eq', k, v }));
      return push(
        'query',
        qs.reduce((a, b) => ({ t: 'or', a, b }))
      );
    }
    case ':and':
    case ':or': {
      const b = popQuery(stack, tok);
      const a = popQuery(stack, tok);
      return push('query', { t: w.slice(1) as 'and', a, b });
    }
    case ':not':
      return push('query', { t: 'not', q: popQuery(stack, tok) });
    case ':true':
    case ':false':
      return push('query', { t: w.slice(1) as 'true' });
    case ':sum':
    case ':max':
    case ':min':
    case ':count':
    case ':avg': {
      const fn = w.slice(1) as AggFn;
      const it = pop(stack, tok, 'a query or time series expression');
      if (it.kind === 'query') return push('expr', { t: 'data', fn, q: it.v });
      return push('expr', { t: 'math', fn, e: toExpr(it, tok, 'a query or time series expression') });
    }
    case ':by': {
      const keys = pop(stack, tok, 'a list of keys');
      if (keys.kind !== 'list' || keys.v.length === 0)
        throw new QueryError(tok.pos, w, 'a non-empty list of keys, e.g. (,host,),:by', `found ${describe(keys)}`);
      const it = pop(stack, tok, 'a query or aggregate');
      if (it.kind === 'query') return push('expr', { t: 'data', fn: 'sum', q: it.v, keys: keys.v });
      const e = toExpr(it, tok, 'a query or aggregate');
      if (e.t === 'data' && !e.keys) return push('expr', { ...e, keys: keys.v });
      if (e.t === 'math' && !e.keys) return push('expr', { ...e, keys: keys.v });
      return push('expr', { t: 'math', fn: 'sum', e, keys: keys.v });
    }
    case ':add':
    case ':sub':
    case ':mul':
    case ':div': {
      const b = popExpr(stack, tok);
      const a = popExpr(stack, tok);
      return push('expr', { t: 'binop', op: w.slice(1) as 'add', a, b });
    }
    case ':neg':
    case ':abs':
      return push('expr', { t: 'unop', op: w.slice(1) as 'neg', e: popExpr(stack, tok) });
    case ':offset': {
      const d = popWord(stack, tok, 'a duration such as 1w, 1h or PT1H');
      const ms = parseDuration(d);
      if (ms === undefined) throw new QueryError(tok.pos, w, 'a duration such as 1w, 1h or PT1H', `found \`${d}\``);
      return push('expr', { t: 'offset', ms, label: d, e: popExpr(stack, tok) });
    }
    case ':cf-avg':
    case ':cf-sum':
    case ':cf-max':
    case ':cf-min': {
      const e = popExpr(stack, tok);
      if (e.t !== 'data')
        throw new QueryError(
          tok.pos,
          w,
          'an aggregate (:sum, :max, … or :by) to set its consolidation',
          'found a math expression'
        );
      return push('expr', { ...e, cf: w.slice(4) as Cf });
    }
    case ':dup': {
      const it = pop(stack, tok, 'an item to duplicate');
      stack.push(it, it);
      return;
    }
    case ':swap': {
      const b = pop(stack, tok, 'two items');
      const a = pop(stack, tok, 'two items');
      stack.push(b, a);
      return;
    }
    case ':over': {
      const b = pop(stack, tok, 'two items');
      const a = pop(stack, tok, 'two items');
      stack.push(a, b, a);
      return;
    }
    case ':drop':
      pop(stack, tok, 'an item to drop');
      return;
    case ':clear':
      stack.length = 0;
      return;
    default:
      throw new QueryError(tok.pos, w, `one of ${WORDS.join(' ')}`, 'found an unknown word');
  }
}

export { isQuery };
