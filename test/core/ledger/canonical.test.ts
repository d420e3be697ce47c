import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  canonicalJson,
  CanonicalJsonError,
  canonicalWithDerivedId,
  digestOf,
  sha256Hex,
} from '../../../core/ledger/canonical.ts';

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}'
    );
  });

  it('prints numbers and strings as JSON.stringify does', () => {
    expect(canonicalJson([1.5, -0, 1e21, 0.1 + 0.2, 'é\n"\u2028'])).toBe(
      JSON.stringify([1.5, 0, 1e21, 0.1 + 0.2, 'é\n"\u2028'])
    );
  });

  it('is independent of key insertion order', () => {
    expect(digestOf({ a: 1, b: 2 })).toBe(digestOf({ b: 2, a: 1 }));
    expect(digestOf({ a: 1, b: 2 })).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('refuses what JSON would silently change, naming where', () => {
    expect(() => canonicalJson({ a: { b: NaN } })).toThrow(/non-finite number NaN at a\.b/);
    expect(() => canonicalJson({ a: undefined })).toThrow(CanonicalJsonError);
    expect(() => canonicalJson([1, undefined])).toThrow(/\[1\]/);
    expect(() => canonicalJson({ d: new Date(0) })).toThrow(/non-plain object/);
    expect(() => canonicalJson({ n: 1n })).toThrow(/bigint/);
    expect(() => canonicalJson(Infinity)).toThrow(/Infinity/);
  });

  it('agrees with JSON.parse for any JSON value, whatever the key order (cached shapes included)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = canonicalJson(v);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(v)));
      }),
      { numRuns: 300 }
    );
    // Shapes whose joined key lists would collide must not share a cache entry.
    expect(canonicalJson({ 'a\u0000b': 1, c: 2 })).toBe('{"a\\u0000b":1,"c":2}');
    expect(canonicalJson({ a: 1, 'b\u0000c': 2 })).toBe('{"a":1,"b\\u0000c":2}');
    expect(canonicalJson({ '10': 'x', '9': 'y', a: 1 })).toBe('{"10":"x","9":"y","a":1}');
  });

  it('derives an id from the record without it and splices it in at its sorted place', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        delete (obj as Record<string, unknown>).id;
        const { id, canonical } = canonicalWithDerivedId(obj);
        expect(id).toBe(sha256Hex(canonicalJson(obj)));
        expect(canonical).toBe(canonicalJson({ ...obj, id }));
      }),
      { numRuns: 300 }
    );
    expect(() => canonicalWithDerivedId({ a: { b: NaN } })).toThrow(/non-finite number NaN at a\.b/);
  });
});
