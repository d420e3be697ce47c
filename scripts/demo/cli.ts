// Run the `ironthrone` CLI as a separate process, the same path an operator uses. Asynchronous:
// the worker lives in the demo's process and must keep serving what the CLI asks of it.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../core/config.ts';

export function cli(...argv: string[]): Promise<{ status: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(projectRoot, 'bin', 'ironthrone.js'), ...argv], { encoding: 'utf8', env: process.env, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const status = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ status, out: `${stdout}${stderr}`.trim() });
    });
  });
}

/** Wait until `check` returns a value, polling; undefined after the deadline. */
export async function until<T>(check: () => Promise<T | undefined>, timeoutMs = 120_000, everyMs = 500): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await check().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return undefined;
}
