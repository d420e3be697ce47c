// Every declared runbook test (runbooks/hw-*.test.yaml) passes, through the same runner the
// `ironthrone hardware test-runbook` command uses.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../core/config.ts';
import { loadRunbookTestSpec } from '../../../core/hardware/runbook-test-spec.ts';
import { runRunbookTests } from '../../../cli/commands/hardware-test.ts';
import { nativeConnection, testClient, workflowBundle } from '../../helpers/temporal.ts';

const ROLES = { carol: ['dc-ops'], alice: ['sre'] };
const specs = readdirSync(join(projectRoot, 'runbooks')).filter((f) => /^hw-.*\.test\.yaml$/.test(f));

describe('declared runbook tests', () => {
  it('finds the hardware runbook tests', () => {
    expect(specs).toEqual(
      expect.arrayContaining(['hw-hung-host.test.yaml', 'hw-idrac-unresponsive.test.yaml', 'hw-sel-full.test.yaml'])
    );
  });

  for (const file of specs) {
    it(`${file}`, async () => {
      const results = await runRunbookTests(join(projectRoot, 'runbooks', file), {
        client: await testClient(),
        connection: await nativeConnection(),
        roles: ROLES,
        workflowBundle: await workflowBundle(),
      });
      expect(results.filter((r) => !r.passed)).toEqual([]);
    }, 300_000);
  }

  it('rejects a malformed spec with file, line and field', () => {
    expect(() => loadRunbookTestSpec(join(projectRoot, 'test/core/hardware/fixtures/bad.test.yaml'))).toThrow(
      /bad\.test\.yaml:5:\d+: cases\.0\.faults\.0: .*fan-failure/
    );
  });
});
