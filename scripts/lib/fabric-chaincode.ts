// The chaincode package (chaincode/, its own npm package): installs its dependencies and compiles
// it with tsc when its output is missing or older than its sources. (Decorator metadata, which the
// contract API needs, comes only from tsc, not from tsx/esbuild.)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../core/config.ts';

export const chaincodeDir = join(projectRoot, 'chaincode');

function newest(dir: string): number {
  let t = 0;
  for (const f of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, f.name);
    t = Math.max(t, f.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/**
 * Test files run in parallel processes: one builds while the others wait (a mkdir lock), so no
 * process loads a half-written dist/ or runs `npm ci` twice at once.
 */
function withBuildLock(fn: () => void): void {
  const lock = join(chaincodeDir, '.build-lock');
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than ten minutes is left over from a killed build.
      const st = statSync(lock, { throwIfNoEntry: false });
      if (Date.now() > deadline || (st && Date.now() - st.mtimeMs > 10 * 60_000))
        rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export function ensureChaincodeBuilt(log: (s: string) => void = console.log): void {
  withBuildLock(() => build(log));
}

function build(log: (s: string) => void): void {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  if (!existsSync(join(chaincodeDir, 'node_modules', 'fabric-shim'))) {
    log('chaincode: installing its dependencies (npm ci in chaincode/)…');
    execFileSync(npm, ['ci', '--no-audit', '--no-fund'], {
      cwd: chaincodeDir,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  }
  const out = join(chaincodeDir, 'dist', 'index.js');
  const schema = join(projectRoot, 'docs', 'ledger-record.schema.json');
  const srcTime = Math.max(newest(join(chaincodeDir, 'src')), existsSync(schema) ? statSync(schema).mtimeMs : 0);
  if (
    !existsSync(out) ||
    statSync(out).mtimeMs < srcTime ||
    !existsSync(join(chaincodeDir, 'dist', 'ledger-record.schema.json'))
  ) {
    log('chaincode: compiling (tsc)…');
    execFileSync(npm, ['run', 'build'], { cwd: chaincodeDir, stdio: ['ignore', 'inherit', 'inherit'] });
  }
}
