// `ironthrone runbook lint|compile|dry-run`, run as the real CLI process.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../core/config.ts';

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [join(projectRoot, 'bin', 'ironthrone.js'), ...args], {
    cwd: projectRoot,
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const bad = 'test/fixtures/runbooks/bad';

describe('ironthrone runbook', () => {
  it('lint prints file:line:col: message and exits 2 on errors, 0 when clean', () => {
    const r = cli(
      'runbook',
      'lint',
      `${bad}/duplicate-step.md`,
      `${bad}/unknown-variable.md`,
      'runbooks/demo-service-recovery.md'
    );
    expect(r.status).toBe(2);
    expect(r.stdout.trim().split('\n')).toEqual([
      `${bad}/duplicate-step.md:19:1: Unexpected duplicate step \`restart\` (first at line 12), expected unique step headings`,
      `${bad}/unknown-variable.md:15:23: Unexpected unknown variable \`inptus\`, expected one of inputs, run`,
    ]);
    const ok = cli(
      '--json',
      'runbook',
      'lint',
      'runbooks/demo-service-recovery.md',
      'runbooks/service-restart-verify.md'
    );
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ ok: true, files: 2, diagnostics: [] });
  }, 60_000);

  it('compile writes the plan; a bad runbook exits 2 with its diagnostics and writes nothing', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'rb-')), 'plan.json');
    expect(cli('runbook', 'compile', 'runbooks/demo-service-recovery.md', '-o', out).status).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ schemaVersion: 1, id: 'demo-service-recovery' });
    const badOut = join(mkdtempSync(join(tmpdir(), 'rb-')), 'plan.json');
    const r = cli('runbook', 'compile', `${bad}/approval-no-approvers.md`, '-o', badOut);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${bad}/approval-no-approvers.md:9:1: Unexpected approval step without approvers`);
    expect(() => readFileSync(badOut)).toThrow();
  }, 60_000);

  it('dry-run resolves --input values and refuses bad ones', () => {
    const r = cli('runbook', 'dry-run', 'runbooks/demo-service-recovery.md', '--input', 'base_url=http://127.0.0.1:9');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('GET http://127.0.0.1:9/health');
    expect(r.stdout).toContain('APPROVAL GATE: 1 approval(s) from role(s) sre');
    const badInput = cli(
      'runbook',
      'dry-run',
      'runbooks/demo-service-recovery.md',
      '--input',
      'base_url=nope',
      '--input',
      'max_error_rate=x'
    );
    expect(badInput.status).toBe(2);
    expect(badInput.stderr).toContain('input `base_url`: expected an absolute URL');
    expect(badInput.stderr).toContain('input `max_error_rate`: expected a number, got `x`');
    expect(cli('runbook', 'dry-run', 'no/such/file.md').stderr).toContain('no such runbook file: no/such/file.md');
  }, 60_000);

  it('kinds lists every registered kind with its example', () => {
    const r = cli('--json', 'runbook', 'kinds');
    expect(r.status).toBe(0);
    const kinds = JSON.parse(r.stdout) as { kind: string; example: string }[];
    expect(kinds.map((k) => k.kind)).toEqual(
      expect.arrayContaining(['http', 'notify', 'wait', 'check', 'approval', 'runbook'])
    );
    expect(kinds.find((k) => k.kind === 'wait')!.example).toContain('until: probe.status == 200');
  }, 60_000);
});
