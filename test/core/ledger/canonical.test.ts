import { describe, expect, it } from 'vitest';
import { canonicalJson, CanonicalJsonError, digestOf } from '../../../core/ledger/canonical.ts';

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
});
