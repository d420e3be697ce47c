// Canonical JSON: the byte form that is hashed, signed and stored, so that a record hashes the same
// in every process and language (the Fabric chaincode reimplements these few rules).
// Rules: object keys sorted by UTF-16 code units (JS default sort), no whitespace, strings and
// numbers as JSON.stringify prints them, arrays in order. NaN, Infinity, undefined, functions,
// symbols, bigints and non-plain objects are refused rather than silently dropped or coerced.
import { createHash } from 'node:crypto';

export class CanonicalJsonError extends Error {
  constructor(
    message: string,
    readonly path: string
  ) {
    super(`${message} at ${path || '(root)'}`);
    this.name = 'CanonicalJsonError';
  }
}

// String concatenation (V8 ropes) is about 3× faster here than collecting parts and joining.
function write(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`non-finite number ${String(value)}`, path);
      // -0 prints as 0 in JSON.stringify, which is the canonical choice.
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        let s = '[';
        for (let i = 0; i < value.length; i++) {
          // Holes and undefined items would print as null in JSON.stringify: refuse them instead.
          if (!(i in value) || value[i] === undefined)
            throw new CanonicalJsonError('undefined array item', `${path}[${i}]`);
          s += (i > 0 ? ',' : '') + write(value[i], `${path}[${i}]`);
        }
        return s + ']';
      }
      return '{' + canonicalEntries(value as Record<string, unknown>, path).join(',') + '}';
    }
    default:
      throw new CanonicalJsonError(`unsupported ${typeof value}`, path);
  }
}

/** The `"key":value` members of a plain object, canonical and sorted by key. */
export function canonicalEntries(obj: Record<string, unknown>, path = ''): string[] {
  const proto = Object.getPrototypeOf(obj) as unknown;
  if (proto !== Object.prototype && proto !== null) {
    throw new CanonicalJsonError(`non-plain object (${(obj as object).constructor?.name ?? 'unknown'})`, path);
  }
  const keys = Object.keys(obj).sort();
  const out: string[] = [];
  for (const k of keys) {
    const v = obj[k];
    const p = path ? `${path}.${k}` : k;
    if (v === undefined) throw new CanonicalJsonError('undefined value', p);
    out.push(JSON.stringify(k) + ':' + write(v, p));
  }
  return out;
}

/** Canonical JSON text of a JSON value (see file comment for the rules). */
export function canonicalJson(value: unknown): string {
  return write(value, '');
}

/** SHA-256 as lowercase hex. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** SHA-256 as raw bytes. */
export function sha256(data: string | Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

/** Digest of a JSON value's canonical form, `sha256:<hex>` (the format of every `*Digest` field). */
export function digestOf(value: unknown): string {
  return `sha256:${sha256Hex(canonicalJson(value))}`;
}
