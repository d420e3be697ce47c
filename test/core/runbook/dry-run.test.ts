// The dry-run rendering: policies, conditions and approval gates, inputs resolved where possible.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRunbookFile } from '../../../core/runbook/compile.ts';
import { renderDryRun } from '../../../core/runbook/dry-run.ts';

const dir = join('test', 'fixtures', 'runbooks');
const plan = compileRunbookFile(join(dir, 'all-constructs.md'), { runbooksDir: dir }).plan!;

describe('renderDryRun', () => {
  it('resolves inputs, shows policies, gates, conditions and rollback', () => {
    const text = renderDryRun(plan, {
      host: 'web-1',
      base_url: 'http://127.0.0.1:9',
      retries: 2,
      dry: false,
      grace: '30s',
      extra: {},
    });
    const lines = text.split('\n');
    expect(lines[0]).toBe(`Every construct once (all-constructs v3, sha256 ${plan.sourceHash.slice(0, 12)})`);
    expect(text).toContain('target: web-1   approvers: sre, oncall   timeout: 2h   schedule: */15 * * * 1-5');
    expect(text).toContain(
      '1. Read health [http → httpRequest]  (retries 3, timeout 2m, as health, continue-on-error, if !inputs.dry (true now))'
    );
    expect(text).toContain('GET http://127.0.0.1:9/health  expect status [200, 503]');
    expect(text).toContain('2. in parallel: Look around');
    expect(text).toContain(
      'APPROVAL GATE: 2 approval(s) from role(s) sre-lead; timeout 30m, then escalate (notify "Still waiting on web-1", then wait 15m)'
    );
    expect(text).toContain('(retries 1, timeout 30s, as restart, DESTRUCTIVE)');
    expect(text).toContain('sleep 1m30s');
    expect(text).toContain(
      'until probe.status == 200 && probe.json.status == "ok": probe http http://127.0.0.1:9/health every 5s, give up after 2m'
    );
    expect(text).toContain('child runbook child-notify (Child that notifies, 1 steps) with inputs { host: web-1 }');
    expect(text).toContain('else fail: Not healthy after ${recovered.polls} polls');
    expect(text).toContain('on failure, roll back:');
    expect(text).toContain('R1. Undo [http → httpRequest]');
  });

  it('without inputs shows expressions as written', () => {
    const text = renderDryRun(plan);
    expect(text).toContain('GET ${inputs.base_url}/health');
    expect(text).toContain('if !inputs.dry)');
  });
});
