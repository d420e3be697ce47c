// Run inputs: raw values (strings from `--input k=v`, or JSON from the API) checked against the
// plan's declared inputs, defaults applied. Used before any workflow starts.
import { fitsType } from './front-matter.ts';
import type { InputSpec, Plan } from './plan.ts';

export type InputsResult = { ok: true; values: Record<string, unknown> } | { ok: false; errors: string[] };

const EXPECTED: Record<InputSpec['type'], string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  duration: 'a duration such as 30s, 5m or 2h',
  host: 'a host name (letters, digits, dots, dashes, optional :port)',
  url: 'an absolute URL such as http://127.0.0.1:8080',
  json: 'JSON',
};

/** Convert a raw string to the input's type; other raw values are checked as they are. */
function coerce(spec: InputSpec, raw: unknown): { value: unknown } | undefined {
  let value = raw;
  if (typeof raw === 'string') {
    const s = raw.trim();
    if (spec.type === 'number') value = s === '' ? NaN : Number(s);
    else if (spec.type === 'boolean') {
      const b = { true: true, yes: true, '1': true, false: false, no: false, '0': false }[s.toLowerCase()];
      if (b === undefined) return undefined;
      value = b;
    } else if (spec.type === 'json') {
      try {
        value = JSON.parse(s) as unknown;
      } catch {
        return undefined;
      }
    } else value = s;
  }
  return fitsType(spec.type, value) ? { value } : undefined;
}

const show = (v: unknown) => (typeof v === 'string' ? `\`${v}\`` : JSON.stringify(v));

export function validateInputs(plan: Pick<Plan, 'id' | 'inputs'>, raw: Record<string, unknown>): InputsResult {
  const errors: string[] = [];
  const values: Record<string, unknown> = {};
  const names = plan.inputs.map((i) => i.name);
  for (const key of Object.keys(raw)) {
    if (!names.includes(key)) {
      errors.push(`unknown input \`${key}\` for runbook ${plan.id}, expected one of ${names.join(', ') || '(none)'}`);
    }
  }
  for (const spec of plan.inputs) {
    const given = Object.hasOwn(raw, spec.name) ? raw[spec.name] : undefined;
    if (given === undefined || given === null) {
      if (spec.default !== undefined) values[spec.name] = spec.default;
      else if (spec.required)
        errors.push(
          `missing required input \`${spec.name}\` (${spec.type}${spec.description ? `: ${spec.description}` : ''})`
        );
      else values[spec.name] = null;
      continue;
    }
    const r = coerce(spec, given);
    if (r) values[spec.name] = r.value;
    else errors.push(`input \`${spec.name}\`: expected ${EXPECTED[spec.type]}, got ${show(given)}`);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, values };
}

/** Parse repeated `k=v` options (CLI `--input`). */
export function parseInputPairs(pairs: string[]): { values: Record<string, string>; errors: string[] } {
  const values: Record<string, string> = {};
  const errors: string[] = [];
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) errors.push(`bad --input \`${p}\`, expected name=value`);
    else values[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return { values, errors };
}
