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

function write(value: unknown, path: string, out: string[]): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`non-finite number ${String(value)}`, path);
      // -0 prints as 0 in JSON.stringify, which is the canonical choice.
      out.push(JSON.stringify(value));
      return;
    case 'object': {
      if (Array.isArray(value)) {
        out.push('[');
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out.push(',');
          // Holes and undefined items would print as null in JSON.stringify: refuse them instead.
          if (!(i in value) || value[i] === undefined) throw new CanonicalJsonError('undefined array item', `${path}[${i}]`);
          write(value[i], `${path}[${i}]`, out);
        }
        out.push(']');
        return;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        throw new CanonicalJsonError(`non-plain object (${(value as object).constructor?.name ?? 'unknown'})`, path);
      }
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).sort();
      out.push('{');
      let first = true;
      for (const k of keys) {
        const v = obj[k];
        if (v === undefined) throw new CanonicalJsonError('undefined value', path ? `${path}.${k}` : k);
        if (!first) out.push(',');
        first = false;
        out.push(JSON.stringify(k), ':');
        write(v, path ? `${path}.${k}` : k, out);
      }
      out.push('}');
      return;
    }
    default:
      throw new CanonicalJsonError(`unsupported ${typeof value}`, path);
  }
}

/** Canonical JSON text of a JSON value (see file comment for the rules). */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, '', out);
  return out.join('');
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
