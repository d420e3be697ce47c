// The documented example of each core step kind compiles (`ironthrone runbook kinds` prints them).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRunbook } from '../../../core/runbook/compile.ts';
import { formatDiagnostic } from '../../../core/runbook/diagnostics.ts';
import { stepKinds } from '../../../core/runbook/kinds/index.ts';

const CORE = ['http', 'notify', 'wait', 'check', 'approval', 'runbook'];

describe('core kind examples', () => {
  for (const name of CORE) {
    it(`${name}`, () => {
      const kind = stepKinds.get(name)!;
      const inputs = [...new Set([...kind.doc.example.matchAll(/inputs\.(\w+)/g)].map((m) => m[1]!))];
      const source = [
        '---',
        'id: example',
        'title: Example',
        'version: 1',
        'approvers: [sre]',
        `inputs: { ${inputs.map((i) => `${i}: { type: json }`).join(', ')} }`,
        '---',
        '',
        '## Prelude',
        '',
        kind.doc.example.includes('as=health') ? '```http' : '```http as=health',
        'url: http://127.0.0.1:9/health',
        '```',
        '',
        '## Approve first',
        '',
        '```approval',
        '```',
        '',
        '## Example',
        '',
        kind.doc.example,
        '',
      ].join('\n');
      const child = `---\nid: drain-node\ntitle: Drain\nversion: 1\ninputs: { host: { type: json } }\n---\n\n## Log\n\n\`\`\`notify\nmessage: x\n\`\`\`\n`;
      const dir = name === 'runbook' ? writeChild(child) : undefined;
      const r = compileRunbook(source, dir ? { file: 'example.md', runbooksDir: dir } : { file: 'example.md' });
      expect(r.diagnostics.map(formatDiagnostic)).toEqual([]);
    });
  }
});

function writeChild(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kind-example-'));
  writeFileSync(join(dir, 'drain-node.md'), text);
  return dir;
}
