// Property tests (fast-check) of the expression evaluator: it is imported by workflow code, so it
// must be total on lookups, deterministic, and agree with JavaScript where it claims to.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, ExprError, resolveValue, stringify } from '../../../core/runbook/expr/evaluate.ts';
import { parseExpression, parseTemplate } from '../../../core/runbook/expr/parse.ts';
import type { ExprNode } from '../../../core/runbook/plan.ts';

const id = (name: string): ExprNode => ({ t: 'id', name });
const bin = (op: string, left: ExprNode, right: ExprNode): ExprNode => ({ t: 'bin', op, left, right });
const num = fc.double({ noNaN: true });

const JS: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '%': (a, b) => a % b,
};

describe('evaluator properties', () => {
  it('arithmetic agrees with JavaScript on numbers', () => {
    fc.assert(
      fc.property(num, num, fc.constantFrom('+', '-', '*', '/', '%'), (a, b, op) => {
        expect(Object.is(evaluate(bin(op, id('a'), id('b')), { a, b }), JS[op]!(a, b))).toBe(true);
      })
    );
  });

  it('parsed integer arithmetic follows JavaScript precedence', () => {
    // Reference: fold `*` first, then `+`/`-` left to right, as JavaScript does.
    const reference = (ns: number[], ops: string[]): number => {
      const terms: number[] = [ns[0]!];
      const signs: string[] = [];
      ops.forEach((op, i) => {
        if (op === '*') terms[terms.length - 1]! *= ns[i + 1]!;
        else {
          signs.push(op);
          terms.push(ns[i + 1]!);
        }
      });
      return terms.slice(1).reduce((acc, t, i) => (signs[i] === '+' ? acc + t : acc - t), terms[0]!);
    };
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.constantFrom('+', '-', '*'), { minLength: 5, maxLength: 5 }),
        (ns, allOps) => {
          const ops = allOps.slice(0, ns.length - 1);
          const src = ns.map((n, i) => (i === 0 ? String(n) : ` ${ops[i - 1]} ${n}`)).join('');
          const r = parseExpression(src);
          expect('expr' in r && evaluate(r.expr.$expr, {})).toBe(reference(ns, ops));
        }
      )
    );
  });

  it('comparisons are total on numbers and on strings', () => {
    const pair = fc.oneof(fc.tuple(num, num), fc.tuple(fc.string(), fc.string()));
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const s = { a, b };
        const r = (op: string) => evaluate(bin(op, id('a'), id('b')), s) as boolean;
        expect([r('<'), r('=='), r('>')].filter(Boolean)).toHaveLength(1);
        expect(r('<=')).toBe(r('<') || r('=='));
        expect(r('>=')).toBe(r('>') || r('=='));
        expect(r('!=')).toBe(!r('=='));
      })
    );
  });

  it('never throws on arbitrary scope lookups and never yields undefined', () => {
    const key = fc.oneof(
      fc.string(),
      fc.constantFrom('__proto__', 'constructor', 'toString', 'length', 'prototype'),
      fc.integer({ min: -2, max: 5 })
    );
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.string(),
        fc.array(key, { maxLength: 6 }),
        (scope, root, path) => {
          const node = path.reduce<ExprNode>(
            (obj, k) => ({ t: 'member', obj, prop: { t: 'lit', v: k }, computed: true }),
            id(root)
          );
          const v = evaluate(node, scope);
          expect(v).not.toBeUndefined();
          expect(typeof v).not.toBe('function');
        }
      )
    );
  });

  const leaf = fc.oneof(
    fc.integer({ min: 0, max: 1000 }).map((v): ExprNode => ({ t: 'lit', v })),
    fc.stringMatching(/^[a-z ]{0,6}$/).map((v): ExprNode => ({ t: 'lit', v })),
    fc.boolean().map((v): ExprNode => ({ t: 'lit', v })),
    fc.constant<ExprNode>({ t: 'lit', v: null }),
    fc.constantFrom('a', 'b', 's', 'o', 'missing').map(id)
  );
  const { expr } = fc.letrec<{ expr: ExprNode }>((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.record({ t: fc.constant('un' as const), op: fc.constantFrom('!' as const, '-' as const), arg: tie('expr') }),
      fc.record({
        t: fc.constant('bin' as const),
        op: fc.constantFrom('+', '-', '*', '==', '!=', '<', '>=', '&&', '||', '??'),
        left: tie('expr'),
        right: tie('expr'),
      }),
      fc.record({ t: fc.constant('cond' as const), test: tie('expr'), then: tie('expr'), else: tie('expr') }),
      fc.record({
        t: fc.constant('member' as const),
        obj: tie('expr'),
        prop: fc.constantFrom<ExprNode>({ t: 'lit', v: 'x' }, { t: 'lit', v: 0 }),
        computed: fc.constant(true),
      }),
      fc.record({
        t: fc.constant('call' as const),
        fn: fc.constantFrom('len', 'coalesce', 'string', 'json'),
        args: fc.array(tie('expr'), { minLength: 1, maxLength: 2 }),
      })
    ),
  }));
  const fixedScope = () => ({ a: 3, b: -2.5, s: 'text', o: { x: [1, 2], y: null } });

  const outcome = (n: ExprNode, scope: Record<string, unknown>) => {
    try {
      return { value: evaluate(n, scope) };
    } catch (err) {
      expect(err).toBeInstanceOf(ExprError);
      return { error: (err as Error).message };
    }
  };

  it('is deterministic, throws only ExprError, and does not mutate its scope', () => {
    fc.assert(
      fc.property(expr, (n) => {
        const scope = fixedScope();
        const first = outcome(n, scope);
        expect(outcome(n, scope)).toEqual(first);
        expect(outcome(JSON.parse(JSON.stringify(n)), fixedScope())).toEqual(first);
        expect(scope).toEqual(fixedScope());
      })
    );
  });

  const print = (n: ExprNode): string => {
    switch (n.t) {
      case 'lit':
        return typeof n.v === 'string' ? JSON.stringify(n.v) : String(n.v);
      case 'id':
        return n.name;
      case 'un':
        return `${n.op}(${print(n.arg)})`;
      case 'bin':
        return `(${print(n.left)}) ${n.op} (${print(n.right)})`;
      case 'cond':
        return `(${print(n.test)}) ? (${print(n.then)}) : (${print(n.else)})`;
      case 'member':
        return `(${print(n.obj)})[${print(n.prop)}]`;
      case 'call':
        return `${n.fn}(${n.args.map(print).join(', ')})`;
      case 'arr':
        return `[${n.items.map(print).join(', ')}]`;
    }
  };

  it('parsing the printed form of an expression gives the same expression', () => {
    fc.assert(
      fc.property(expr, (n) => {
        const r = parseExpression(print(n));
        expect('expr' in r && r.expr.$expr).toEqual(n);
      })
    );
  });

  it('text without `${` is kept as is; templates render text around values', () => {
    const text = fc.string().filter((s) => !s.includes('${'));
    fc.assert(
      fc.property(text, (s) => {
        expect(parseTemplate(s).value).toBe(s);
      })
    );
    const part = fc.string().filter((s) => !s.includes('$') && !s.includes('}'));
    fc.assert(
      fc.property(part, part, fc.jsonValue(), (before, after, value) => {
        const t = parseTemplate(`${before}\${v}${after}`).value;
        const expected = before === '' && after === '' ? value : before + stringify(value) + after;
        expect(resolveValue(t, { v: value })).toEqual(expected);
      })
    );
  });
});
