// The expression language: parse + evaluate examples, and what parse rejects.
import { describe, expect, it } from 'vitest';
import { evaluate, ExprError, resolveValue, truthy } from '../../../core/runbook/expr/evaluate.ts';
import { parseExpression, parseTemplate } from '../../../core/runbook/expr/parse.ts';

function run(src: string, scope: Record<string, unknown> = {}): unknown {
  const r = parseExpression(src);
  if ('problem' in r) throw new Error(r.problem.message);
  return evaluate(r.expr.$expr, scope);
}

const scope = {
  inputs: { host: 'web-1', port: 8080, tags: ['a', 'b'], flags: { x: true } },
  health: { status: 503, json: { status: 'degraded', error_rate: 0.27, list: [1, 2, 3] } },
};

describe('evaluate', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['7 % 4', 3],
    ['-inputs.port', -8080],
    ['"a" + 1', 'a1'],
    ['inputs.host + ":" + inputs.port', 'web-1:8080'],
    ['health.status == 503', true],
    ['health.status === 503 && health.json.status != "ok"', true],
    ['health.json.error_rate > 0.1 ? "bad" : "good"', 'bad'],
    ['health.json.list[1]', 2],
    ['inputs["host"]', 'web-1'],
    ['health.json.missing.deeper', null],
    ['nothing.at.all', null],
    ['health.json.list[10]', null],
    ['null ?? "fallback"', 'fallback'],
    ['0 || "x"', 'x'],
    ['!health.json.missing', true],
    ['[1, 2] == [1, 2]', true],
    ['inputs.flags == inputs.flags', true],
    ['len(inputs.tags) + len("abc") + len(inputs.flags) + len(null)', 6],
    ['lower("AbC") + upper("x")', 'abcX'],
    ['contains(inputs.tags, "b") && contains("hello", "ell") && contains(inputs.flags, "x")', true],
    ['startsWith(inputs.host, "web") && endsWith(inputs.host, "-1")', true],
    ['coalesce(null, health.json.nope, 3)', 3],
    ['round(2.345, 2)', 2.35],
    ['round(2.5)', 3],
    ['min(3, 1, 2) + max(health.json.list)', 4],
    ['string(12) + string(null) + string(true)', '12true'],
    ['number("42") + number(true)', 43],
    ['number("x")', null],
    ['json(inputs.tags)', '["a","b"]'],
    ['matches(inputs.host, "^web-[0-9]+$")', true],
    ['join(inputs.tags, "/") + join(health.json.list)', 'a/b1,2,3'],
    ['keys(inputs.flags)', ['x']],
  ])('%s', (src, expected) => {
    expect(run(src, scope)).toEqual(expected);
  });

  it('never reaches prototype properties', () => {
    expect(run('inputs.constructor', scope)).toBeNull();
    expect(run('inputs["__proto__"]', scope)).toBeNull();
    expect(run('health.json.list.length', scope)).toBeNull();
    expect(run('toString', scope)).toBeNull();
  });

  it('raises ExprError on runtime type errors', () => {
    expect(() => run('"a" * 2')).toThrow(ExprError);
    expect(() => run('1 < "2"')).toThrow(/cannot compare number with string/);
    expect(() => run('lower(1)')).toThrow(/lower expects a string/);
    expect(() => run('matches("a", "(")')).toThrow(/invalid regular expression/);
  });

  it('truthy follows JS truthiness', () => {
    expect([0, '', null, undefined, false, NaN].map(truthy)).toEqual([false, false, false, false, false, false]);
    expect([1, 'x', [], {}, true].map(truthy)).toEqual([true, true, true, true, true]);
  });
});

describe('templates and resolveValue', () => {
  it('keeps the type of a lone expression and renders mixed text', () => {
    const lone = parseTemplate('${inputs.port}').value;
    const mixed = parseTemplate('http://${inputs.host}:${inputs.port}/x').value;
    expect(resolveValue(lone, scope)).toBe(8080);
    expect(resolveValue(mixed, scope)).toBe('http://web-1:8080/x');
    expect(resolveValue({ a: [lone, 'plain', { b: mixed }], n: null }, scope)).toEqual({
      a: [8080, 'plain', { b: 'http://web-1:8080/x' }],
      n: null,
    });
    expect(resolveValue(parseTemplate('tags=${inputs.tags} none=${nope}').value, scope)).toBe('tags=["a","b"] none=');
  });

  it('skips quotes and braces inside expressions', () => {
    expect(resolveValue(parseTemplate('${"}" + \'{\'}!').value, {})).toBe('}{!');
  });

  it('reports unterminated templates at the `${`', () => {
    expect(parseTemplate('abc ${inputs.x').problems).toEqual([
      { offset: 4, message: 'Unexpected end of text, expected `}` to close `${`' },
    ]);
  });
});

describe('parse rejects what is not in the language', () => {
  it.each([
    ['a = 1', 'Unexpected assignment `=`, expected `==` to compare', 2],
    ['this.x', 'Unexpected `this`, expected a variable such as `inputs`', 0],
    [
      'foo(1)',
      'Unexpected unknown function `foo`, expected one of len, lower, upper, contains, startsWith, endsWith, coalesce, round, min, max, string, number, json, matches, join, keys',
      0,
    ],
    ['a.b(1)', 'Unexpected method call, expected a function call such as `len(x)`', 0],
    ['a | b', 'Unexpected operator `|`, expected one of == != === !== < <= > >= && || ?? + - * / %', 2],
    ['~a', 'Unexpected operator `~`, expected one of !, -, +', 0],
    ['a b', 'Unexpected second expression, expected one expression (missing operator?)', 0],
    ['', 'Unexpected empty expression, expected an expression', 0],
    ['1 +', 'Unexpected syntax in expression (Expected expression after +), expected a valid expression', 3],
  ])('%s', (src, message, offset) => {
    const r = parseExpression(src);
    expect('problem' in r && r.problem).toEqual({ message, offset });
  });
});

describe('workflow-safe modules', () => {
  it('evaluate.ts and plan.ts import nothing but types', async () => {
    const { readFileSync } = await import('node:fs');
    for (const file of ['core/runbook/expr/evaluate.ts', 'core/runbook/plan.ts']) {
      const imports = readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => /^\s*(import|export)\b.*\bfrom\b/.test(l));
      expect(imports.filter((l) => !/^\s*(import|export) type\b/.test(l))).toEqual([]);
    }
  });
});
