// Brings the native Fabric network up (building Fabric once, creating the network on first use)
// and leaves it running; prints the connection info. Usage: tsx scripts/fabric-up.ts [--base-port N]
// Data folder: IRONTHRONE_FABRIC_DIR, default <data>/fabric.
import { resolve } from 'node:path';
import { dataDir } from '../core/config.ts';
import { readNetworkInfo, recordedRunning, startFabricNetwork } from './lib/fabric-network.ts';

export function fabricDataDir(): string {
  return process.env.IRONTHRONE_FABRIC_DIR ? resolve(process.env.IRONTHRONE_FABRIC_DIR) : dataDir('fabric');
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--base-port');
  const basePort = i > 0 ? Number(process.argv[i + 1]) : undefined;
  if (recordedRunning(fabricDataDir())) {
    console.error(`the fabric network in ${fabricDataDir()} is already running`);
    console.log(JSON.stringify(readNetworkInfo(fabricDataDir()), null, 2));
    process.exit(0);
  }
  const started = Date.now();
  const net = await startFabricNetwork({
    dataDir: fabricDataDir(),
    basePort,
    detached: true,
    log: (s) => console.error(s),
  });
  const info = readNetworkInfo(net.dataDir);
  console.error(
    `fabric network up in ${((Date.now() - started) / 1000).toFixed(1)} s (stop it with tsx scripts/fabric-down.ts)`
  );
  console.log(JSON.stringify(info, null, 2));
  process.exit(0);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    console.error((err as Error).message);
    process.exit(1);
  });
}
