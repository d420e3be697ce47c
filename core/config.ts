// One place for process configuration. Everything stateful lives under the data folder so
// two instances (or a test run) can live side by side without touching the user's data.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Root data folder (`IRONTHRONE_DATA_DIR`, default `<checkout>/.data`). Created on first use. */
export function dataDir(...sub: string[]): string {
  const root = resolve(process.env.IRONTHRONE_DATA_DIR ?? join(projectRoot, '.data'));
  const dir = join(root, ...sub);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Cache for slow-to-build servers, shared by clones and CI, keyed by version below it. */
export function cacheDir(...sub: string[]): string {
  const root = resolve(process.env.IRONTHRONE_CACHE_DIR ?? join(process.env.HOME ?? projectRoot, '.cache', 'ironthrone'));
  const dir = join(root, ...sub);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export interface TemporalSettings {
  address: string;
  namespace: string;
  taskQueue: string;
}

export function temporalSettings(): TemporalSettings {
  return {
    address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: process.env.IRONTHRONE_TASK_QUEUE ?? 'ironthrone',
  };
}

/** Path of the users-and-roles file used to check approvers. */
export function usersFile(): string {
  return resolve(process.env.IRONTHRONE_USERS_FILE ?? join(projectRoot, 'config', 'users.yaml'));
}

/** Folder of runbooks (the wiki). */
export function runbooksDir(): string {
  return resolve(process.env.IRONTHRONE_RUNBOOKS_DIR ?? join(projectRoot, 'runbooks'));
}
