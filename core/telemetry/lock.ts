// One writer per data folder: two processes appending to the same WAL and deleting each other's
// segments would corrupt it. The LOCK file holds the owner's pid; a lock left by a dead process
// (kill -9) is taken over.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireLock(dir: string): void {
  const file = join(dir, 'LOCK');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (pid === process.pid)
        throw new Error(
          `${dir}: this process already has a telemetry store open on it; share that instance (sharedTelemetryStore())`
        );
      if (Number.isInteger(pid) && pid > 0 && alive(pid))
        throw new Error(`${dir}: telemetry store in use by process ${pid}; stop it, or open the store readOnly`);
      unlinkSync(file); // stale: its owner is gone
    }
  }
  throw new Error(`${dir}: could not take the telemetry store lock`);
}

export function releaseLock(dir: string): void {
  try {
    if (Number(readFileSync(join(dir, 'LOCK'), 'utf8').trim()) === process.pid) unlinkSync(join(dir, 'LOCK'));
  } catch {
    // already gone
  }
}
