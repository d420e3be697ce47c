// The inventory that matches a running simulator, so runbooks, sweeps and the CLI can target it
// like a real fleet. Pins the simulator's certificate by fingerprint; the password comes from an
// environment variable (never inline).
import { stringify } from 'yaml';
import type { RunningSimulator } from './server.ts';

export const SIM_PASSWORD_ENV = 'IRONTHRONE_SIM_BMC_PASSWORD';

const REGIONS = ['eu-west', 'us-east'];
const SERVICES = ['web', 'db', 'cache', 'batch'];

export function simulatorInventory(sim: RunningSimulator, passwordEnv = SIM_PASSWORD_ENV) {
  return {
    defaults: {
      credentials: { username: sim.credentials.user, passwordEnv },
      tls: { fingerprint256: sim.fingerprint256 },
    },
    hosts: sim.hosts.map((h, i) => ({
      name: h.name,
      bmc: h.url,
      service: SERVICES[i % SERVICES.length],
      region: REGIONS[Math.floor(i / 20) % REGIONS.length],
      rack: `r${String(Math.floor(i / 20) + 1).padStart(2, '0')}`,
    })),
  };
}

export function simulatorInventoryYaml(sim: RunningSimulator, passwordEnv = SIM_PASSWORD_ENV): string {
  return `# Written by \`ironthrone simulate idrac\`: the simulator's hosts. Password from $${passwordEnv}.\n${stringify(simulatorInventory(sim, passwordEnv))}`;
}
