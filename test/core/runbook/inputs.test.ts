// Run inputs are checked against the plan before any workflow starts.
import { describe, expect, it } from 'vitest';
import { compileRunbook } from '../../../core/runbook/compile.ts';
import { parseInputPairs, validateInputs } from '../../../core/runbook/inputs.ts';

const source = `---
id: inputs-demo
title: Inputs
version: 1
inputs:
  host: { type: host, required: true }
  base_url: { type: url, required: true }
  port: { type: number, default: 80 }
  force: { type: boolean, default: false }
  grace: { type: duration, default: 30s }
  extra: { type: json }
  note: { type: string }
---

## Tell

\`\`\`notify
message: \${inputs.host}:\${inputs.port}
\`\`\`
`;
const plan = compileRunbook(source, { file: 'inputs.md' }).plan!;

describe('validateInputs', () => {
  it('types raw strings and applies defaults', () => {
    const r = validateInputs(plan, {
      host: 'web-1',
      base_url: 'http://127.0.0.1:8080',
      port: '8443',
      force: 'yes',
      extra: '{"a":[1]}',
    });
    expect(r).toEqual({
      ok: true,
      values: {
        host: 'web-1',
        base_url: 'http://127.0.0.1:8080',
        port: 8443,
        force: true,
        grace: '30s',
        extra: { a: [1] },
        note: null,
      },
    });
  });

  it('accepts already typed values (the HTTP API sends JSON)', () => {
    const r = validateInputs(plan, { host: 'web-1', base_url: 'https://x.example', port: 1, force: false, extra: [1] });
    expect(r.ok && r.values).toMatchObject({ port: 1, force: false, extra: [1] });
  });

  it('names every bad, missing or unknown input', () => {
    const r = validateInputs(plan, {
      host: 'not a host!',
      port: 'eighty',
      force: 'maybe',
      grace: 'soon',
      extra: '{',
      typo: '1',
    });
    expect(r).toEqual({
      ok: false,
      errors: [
        'unknown input `typo` for runbook inputs-demo, expected one of host, base_url, port, force, grace, extra, note',
        'input `host`: expected a host name (letters, digits, dots, dashes, optional :port), got `not a host!`',
        'missing required input `base_url` (url)',
        'input `port`: expected a number, got `eighty`',
        'input `force`: expected true or false, got `maybe`',
        'input `grace`: expected a duration such as 30s, 5m or 2h, got `soon`',
        'input `extra`: expected JSON, got `{`',
      ],
    });
  });

  it('parses --input pairs', () => {
    expect(parseInputPairs(['a=1', 'b=x=y', 'bad', '=v'])).toEqual({
      values: { a: '1', b: 'x=y' },
      errors: ['bad --input `bad`, expected name=value', 'bad --input `=v`, expected name=value'],
    });
  });
});
