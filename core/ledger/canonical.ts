// Canonical JSON: the byte form that is hashed, signed and stored, so that a record hashes the same
// in every process and language (the Fabric chaincode reimplements these few rules).
// Rules: object keys sorted by UTF-16 code units (JS default sort), no whitespace, strings and
// numbers as JSON.stringify prints them, arrays in order. NaN, Infinity, undefined, functions,
// symbols, bigints and non-plain objects are refused rather than silently dropped or coerced.
import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';

// crypto.hash (Node >= 20.12): a one-shot without a Hash object, several times faster on the small
// inputs (one record) hashed here by the thousand.
const oneShot = (crypto as { hash?: (alg: string, data: string | Uint8Array, enc: 'hex') => string }).hash;

export class CanonicalJsonError extends Error {
  constructor(
    message: string,
    readonly path: string
  ) {
    super(`${message} at ${path || '(root)'}`);
    this.name = 'CanonicalJsonError';
  }
}

// Two passes: `fast` prints without any path bookkeeping (string concatenation, V8 ropes) and
// throws a sentinel at the first value it must refuse; only then does `write` run again, building
// the path that the error names. Ledger batches print thousands of records, so the common case
// pays for no path strings.
// One preallocated error: throwing it costs no stack capture.
const REFUSED = new Error('refused by canonical JSON');

function isPlain(obj: object): boolean {
  const proto = Object.getPrototypeOf(obj) as unknown;
  return proto === Object.prototype || proto === null;
}

function fast(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw REFUSED;
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        let s = '[';
        for (let i = 0; i < value.length; i++) {
          if (!(i in value) || value[i] === undefined) throw REFUSED;
          s += (i > 0 ? ',' : '') + fast(value[i]);
        }
        return s + ']';
      }
      return '{' + fastEntries(value).join(',') + '}';
    }
    default:
      throw REFUSED;
  }
}

/**
 * Sorted keys of an object shape with their printed `"key":` heads, cached by the shape (the own
 * keys in order): records of one type share a handful of shapes, so sorting and quoting keys
 * happens once per shape, not once per record. Bounded, since shapes come from caller data.
 */
interface Shape {
  keys: string[];
  heads: string[];
}
const shapes = new Map<string, Shape>();
const MAX_SHAPES = 4096;

function shapeOf(own: string[]): Shape {
  // JSON of the key list: exact (a joined list could collide on a key holding the separator).
  const sig = JSON.stringify(own);
  let shape = shapes.get(sig);
  if (!shape) {
    const keys = [...own].sort();
    shape = { keys, heads: keys.map((k) => JSON.stringify(k) + ':') };
    if (shapes.size < MAX_SHAPES) shapes.set(sig, shape);
  }
  return shape;
}

function fastEntries(obj: object, shape?: Shape): string[] {
  if (!isPlain(obj)) throw REFUSED;
  const { keys, heads } = shape ?? shapeOf(Object.keys(obj));
  const out = new Array<string>(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const v = (obj as Record<string, unknown>)[keys[i]!];
    if (v === undefined) throw REFUSED;
    out[i] = heads[i]! + fast(v);
  }
  return out;
}

/** The slow pass: the same rules, throwing CanonicalJsonError with the path of the refused value. */
function write(value: unknown, path: string): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`non-finite number ${String(value)}`, path);
      return;
    case 'object': {
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          // Holes and undefined items would print as null in JSON.stringify: refuse them instead.
          if (!(i in value) || value[i] === undefined)
            throw new CanonicalJsonError('undefined array item', `${path}[${i}]`);
          write(value[i], `${path}[${i}]`);
        }
        return;
      }
      if (!isPlain(value))
        throw new CanonicalJsonError(`non-plain object (${value.constructor?.name ?? 'unknown'})`, path);
      for (const k of Object.keys(value).sort()) {
        const v = (value as Record<string, unknown>)[k];
        const p = path ? `${path}.${k}` : k;
        if (v === undefined) throw new CanonicalJsonError('undefined value', p);
        write(v, p);
      }
      return;
    }
    default:
      throw new CanonicalJsonError(`unsupported ${typeof value}`, path);
  }
}

function withPaths<T>(value: unknown, print: () => T): T {
  try {
    return print();
  } catch (err) {
    if (err !== REFUSED) throw err;
    write(value, '');
    throw new CanonicalJsonError('value refused', '');
  }
}

/**
 * For a record without an id: the id (SHA-256 hex of its canonical JSON) and the canonical JSON of
 * the record with that id added at its sorted place, printing the members only once.
 */
export function canonicalWithDerivedId(obj: Record<string, unknown>): { id: string; canonical: string } {
  return withPaths(obj, () => {
    const shape = shapeOf(Object.keys(obj));
    const members = fastEntries(obj, shape);
    const { keys } = shape;
    let at = keys.findIndex((k) => k > 'id');
    if (at < 0) at = keys.length;
    const before = members.slice(0, at).join(',');
    const after = members.slice(at).join(',');
    const id = sha256Hex('{' + before + (before && after ? ',' : '') + after + '}');
    // A hex id needs no escaping.
    const idMember = `"id":"${id}"`;
    return { id, canonical: '{' + (before ? before + ',' : '') + idMember + (after ? ',' + after : '') + '}' };
  });
}

/** Canonical JSON text of a JSON value (see file comment for the rules). */
export function canonicalJson(value: unknown): string {
  return withPaths(value, () => fast(value));
}

/** SHA-256 as lowercase hex. */
export function sha256Hex(data: string | Uint8Array): string {
  return oneShot ? oneShot('sha256', data, 'hex') : createHash('sha256').update(data).digest('hex');
}

/** SHA-256 as raw bytes. */
export function sha256(data: string | Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

/** Digest of a JSON value's canonical form, `sha256:<hex>` (the format of every `*Digest` field). */
export function digestOf(value: unknown): string {
  return `sha256:${sha256Hex(canonicalJson(value))}`;
}
