// Canonical JSON, the same rules as core/ledger/canonical.ts (the client): object keys sorted by
// UTF-16 code units, no whitespace, strings and numbers as JSON.stringify prints them. Values JSON
// cannot carry exactly (NaN, undefined, …) are refused. Used for hashing and for stored state, so
// every endorsing peer writes byte-identical values.
import { createHash } from 'crypto';

// Hot path: string concatenation (V8 ropes) and no path bookkeeping; a batch of 10,000 records is
// printed on every endorsing peer. Only when a value is refused does slowWrite run again to name
// where.
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
        for (let i = 0; i < value.length; i++) s += (i > 0 ? ',' : '') + fast(value[i]);
        return s + ']';
      }
      const obj = value as Record<string, unknown>;
      let s = '{';
      let first = true;
      for (const k of Object.keys(obj).sort()) {
        const v = obj[k];
        if (v === undefined) continue;
        s += (first ? '' : ',') + JSON.stringify(k) + ':' + fast(v);
        first = false;
      }
      return s + '}';
    }
    default:
      throw REFUSED;
  }
}

const REFUSED = new Error('refused');

/** Finds and names the first value canonical JSON cannot carry. */
function slowWrite(value: unknown, path: string): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`INVALID: non-finite number at ${path || '(root)'}`);
    return;
  }
  if (typeof value !== 'object') throw new Error(`INVALID: unsupported ${typeof value} at ${path || '(root)'}`);
  if (Array.isArray(value)) {
    value.forEach((v: unknown, i) => slowWrite(v, `${path}[${i}]`));
    return;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>))
    if (v !== undefined) slowWrite(v, path ? `${path}.${k}` : k);
}

/**
 * True when every object's keys are already in canonical order and every number is finite: then
 * JSON.stringify, native and about three times faster, prints the canonical form. Records arrive
 * as the client's canonical JSON, so this is the common case. (Integer-like keys, which V8 lists
 * first, fail the order check and take the slow path.)
 */
function inCanonicalOrder(value: unknown): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (Array.isArray(value)) return value.every(inCanonicalOrder);
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      let prev: string | undefined;
      for (const k in value) {
        if (prev !== undefined && !(prev < k)) return false;
        const v = (value as Record<string, unknown>)[k];
        if (v === undefined || !inCanonicalOrder(v)) return false;
        prev = k;
      }
      return true;
    }
    default:
      return false;
  }
}

export function canonicalJson(value: unknown): string {
  if (inCanonicalOrder(value)) return JSON.stringify(value);
  try {
    return fast(value);
  } catch (err) {
    if (err !== REFUSED) throw err;
    slowWrite(value, '');
    throw new Error('INVALID: value cannot be printed as canonical JSON');
  }
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
