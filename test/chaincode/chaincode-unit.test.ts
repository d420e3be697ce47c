// Runs the chaincode's own unit tests (node:test on its tsc output, see chaincode/test/) as part of
// the project's test run, so CI covers them without a separate step.
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { chaincodeDir, ensureChaincodeBuilt } from '../../scripts/lib/fabric-chaincode.ts';

describe('chaincode unit tests', () => {
  it('pass on the compiled chaincode', { timeout: 300_000 }, async () => {
    ensureChaincodeBuilt(() => {});
    const out = await new Promise<string>((resolve, reject) => {
      execFile(
        'npm',
        ['test'],
        {
          cwd: chaincodeDir,
          env: { ...process.env, CORE_CHAINCODE_LOGGING_LEVEL: 'error' },
          maxBuffer: 32 * 1024 * 1024,
        },
        (err, stdout, stderr) =>
          err ? reject(new Error(`chaincode tests failed:\n${stdout}\n${stderr}`)) : resolve(stdout)
      );
    });
    const pass = Number(/^# pass (\d+)/m.exec(out)?.[1] ?? 0);
    const fail = Number(/^# fail (\d+)/m.exec(out)?.[1] ?? -1);
    expect(fail).toBe(0);
    expect(pass).toBeGreaterThanOrEqual(6);
  });
});
