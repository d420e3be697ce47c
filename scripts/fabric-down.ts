// Stops the native Fabric network started by fabric-up (the processes recorded in its data folder).
import { stopRecorded } from './lib/fabric-network.ts';
import { fabricDataDir } from './fabric-up.ts';

const stopped = stopRecorded(fabricDataDir());
console.log(stopped.length ? `stopped ${stopped.join(', ')}` : 'no fabric process was running');
