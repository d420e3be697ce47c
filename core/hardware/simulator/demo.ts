// For `npm start`'s demo and anything that wants a simulated fleet in-process: start the
// simulator, write the matching inventory, and point this process's hardware activities at it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulatorInventoryYaml, SIM_PASSWORD_ENV } from './inventory-file.ts';
import { startSimulator, type RunningSimulator } from './server.ts';
import type { SimTimings } from './host.ts';

export interface DemoHardware {
  sim: RunningSimulator;
  inventoryFile: string;
  /** Environment a separate worker process needs to reach the simulated fleet. */
  env: Record<string, string>;
}

export async function startDemoHardware(opts: {
  hosts?: number;
  dir: string;
  basePort?: number;
  timings?: Partial<SimTimings>;
  setEnv?: boolean;
}): Promise<DemoHardware> {
  const sim = await startSimulator({
    hosts: opts.hosts ?? 3,
    certDir: opts.dir,
    basePort: opts.basePort,
    timings: opts.timings,
  });
  const inventoryFile = join(opts.dir, 'inventory.yaml');
  writeFileSync(inventoryFile, simulatorInventoryYaml(sim));
  const env = { IRONTHRONE_INVENTORY: inventoryFile, [SIM_PASSWORD_ENV]: sim.credentials.password };
  if (opts.setEnv ?? true) Object.assign(process.env, env);
  return { sim, inventoryFile, env };
}
