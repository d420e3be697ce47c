// Stops the native Fabric network and deletes its data folder (crypto, channel, ledgers); the next
// fabric-up creates a new network. The Fabric build cache is kept.
import { rmSync } from 'node:fs';
import { stopRecorded } from './lib/fabric-network.ts';
import { fabricDataDir } from './fabric-up.ts';

const dir = fabricDataDir();
stopRecorded(dir);
// Give the processes a moment to exit before their files go.
await new Promise((r) => setTimeout(r, 2000));
rmSync(dir, { recursive: true, force: true });
console.log(`removed ${dir}`);
