#!/usr/bin/env node
// Entry point of `npm start|stop|test|bench`. Plain JavaScript with Node built-ins only, because
// it runs before dependencies exist: it installs what is missing, then hands over to the
// TypeScript scripts through tsx.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [command = 'start', ...rest] = process.argv.slice(2);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

/** npm install when node_modules is missing or older than the lock file. */
function ensureDependencies() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs + 1000);
  if (!stale) return;
  console.log('installing npm dependencies (npm ci)…');
  const code = run('npm', existsSync(lock) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund']);
  if (code !== 0) process.exit(code);
  // better-sqlite3 is native: make sure its binding was built (install scripts are allow-listed).
  const probe = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:')"], { cwd: root });
  if (probe.status !== 0) {
    console.log('building better-sqlite3…');
    if (run('npm', ['rebuild', 'better-sqlite3']) !== 0) process.exit(1);
  }
}

function tsx(script, args) {
  return run(process.execPath, ['--import', 'tsx', join(root, script), ...args]);
}

ensureDependencies();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
switch (command) {
  case 'start':
    process.exit(tsx('scripts/start.ts', rest));
    break;
  case 'stop':
    process.exit(tsx('scripts/stop.ts', rest));
    break;
  case 'bench':
    process.exit(tsx('bench/run.ts', rest));
    break;
  case 'test': {
    // Type-check and lint first: the test runner does neither.
    for (const [label, args] of [
      ['type-check', ['exec', '--', 'tsc', '--noEmit', '-p', 'tsconfig.json']],
      ['lint', ['exec', '--', 'eslint', '--max-warnings', '0', '.']],
    ]) {
      console.log(`\n> ${label}`);
      const code = run('npm', args);
      if (code !== 0) {
        console.error(`${label} failed`);
        process.exit(code);
      }
    }
    if (existsSync(join(root, 'chaincode', 'package.json')) && pkg.scripts['test:chaincode']) {
      console.log('\n> chaincode tests');
      const code = run('npm', ['run', 'test:chaincode']);
      if (code !== 0) process.exit(code);
    }
    console.log('\n> servers the tests run (built once, cached)');
    const prepared = tsx('scripts/prepare-test-servers.ts', []);
    if (prepared !== 0) process.exit(prepared);
    console.log('\n> vitest');
    process.exit(run('npm', ['exec', '--', 'vitest', 'run', ...rest]));
    break;
  }
  default:
    console.error(`unknown command ${command}, expected start, stop, test or bench`);
    process.exit(2);
}
