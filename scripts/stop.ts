// `npm stop`: ask a running `npm start` (found through its pid file) to shut down cleanly.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir } from '../core/config.ts';

const pidFile = join(dataDir('run'), 'stack.pid');
if (!existsSync(pidFile)) {
  console.log(`no stack running for ${dataDir()}`);
  process.exit(0);
}
const pid = Number(readFileSync(pidFile, 'utf8'));
try {
  process.kill(pid, 'SIGTERM');
} catch {
  console.log(`stack (pid ${pid}) was not running`);
  process.exit(0);
}
const deadline = Date.now() + 60_000;
for (;;) {
  try {
    process.kill(pid, 0);
  } catch {
    console.log('stopped');
    process.exit(0);
  }
  if (Date.now() > deadline) {
    console.error(`pid ${pid} still running after 60 s`);
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 250));
}
