// `ironthrone slo report --verify` and `slo verify` as an operator runs them (the real binary,
// a real ledger in a temp data folder): exit 0 on an intact ledger, 1 once a record was edited.
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../core/config.ts';
import { EmbeddedLedger } from '../../core/ledger/embedded.ts';

const run = (env: NodeJS.ProcessEnv, ...argv: string[]) =>
  new Promise<{ code: number; out: string }>((resolve) =>
    execFile(
      process.execPath,
      [join(projectRoot, 'bin', 'ironthrone.js'), ...argv],
      { env: { ...process.env, ...env }, encoding: 'utf8' },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: stdout + stderr })
    )
  );

describe('ironthrone slo', () => {
  it('report --verify passes, then fails after tampering; slo verify agrees', { timeout: 120_000 }, async () => {
    const data = mkdtempSync(join(tmpdir(), 'it-slo-cli-'));
    const env = {
      IRONTHRONE_DATA_DIR: data,
      IRONTHRONE_LEDGER: 'embedded',
      IRONTHRONE_MAINTENANCE_FILE: join(data, 'none.yaml'),
    };
    const ledger = new EmbeddedLedger({ dir: join(data, 'ledger') });
    const t = Date.now() - 5 * 3_600_000;
    const ev = (to: string, at: number) => ({
      type: 'availability' as const,
      target: 'db-1',
      kind: `availability.${to}`,
      from: to === 'down' ? 'up' : 'down',
      to,
      severity: 'major' as const,
      observedAt: new Date(at).toISOString(),
      source: 'test',
      payloadDigest: 'sha256:' + 'b'.repeat(64),
      tags: { service: 'db' },
    });
    await ledger.appendBatch('cli-1', [ev('down', t), ev('up', t + 1_800_000)]);
    await ledger.close();

    const ok = await run(
      env,
      'slo',
      'report',
      '--window',
      '1d',
      '--objective',
      '99%',
      '--verify',
      '--out',
      join(data, 'report.json')
    );
    expect(ok.out).toMatch(/verify: OK/);
    expect(ok.out).toMatch(/^db\s+1\s+97\.917%/m); // 30 min down in 24 h
    expect(ok.code).toBe(0);

    const db = new Database(join(data, 'ledger', 'ledger.sqlite'));
    db.prepare(
      `UPDATE records SET json = replace(json, '"to":"down"', '"to":"degraded"') WHERE json LIKE '%"to":"down"%'`
    ).run();
    db.close();

    const bad = await run(env, 'slo', 'report', '--window', '1d', '--verify', '--json');
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/report verification failed/);
    const saved = await run(env, 'slo', 'verify', join(data, 'report.json'));
    expect(saved.code).toBe(1);
    expect(saved.out).toMatch(/FAIL ledger chain verifies/);
  });
});
