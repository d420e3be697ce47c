// Canonical JSON, the same rules as core/ledger/canonical.ts (the client): object keys sorted by
// UTF-16 code units, no whitespace, strings and numbers as JSON.stringify prints them. Values JSON
// cannot carry exactly (NaN, undefined, …) are refused. Used for hashing and for stored state, so
// every endorsing peer writes byte-identical values.
import { createHash } from 'crypto';

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
      if (!Number.isFinite(value)) throw new Error(`INVALID: non-finite number at ${path || '(root)'}`);
      out.push(JSON.stringify(value));
      return;
    case 'object': {
      if (Array.isArray(value)) {
        out.push('[');
        value.forEach((v: unknown, i) => {
          if (i > 0) out.push(',');
          write(v, `${path}[${i}]`, out);
        });
        out.push(']');
        return;
      }
      const obj = value as Record<string, unknown>;
      out.push('{');
      let first = true;
      for (const k of Object.keys(obj).sort()) {
        const v = obj[k];
        if (v === undefined) continue;
        if (!first) out.push(',');
        first = false;
        out.push(JSON.stringify(k), ':');
        write(v, path ? `${path}.${k}` : k, out);
      }
      out.push('}');
      return;
    }
    default:
      throw new Error(`INVALID: unsupported ${typeof value} at ${path || '(root)'}`);
  }
}

export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, '', out);
  return out.join('');
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
