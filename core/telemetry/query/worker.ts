// Query worker: aggregates groups of stored series over the store's shared-memory tables
// (parallel.ts), with the main thread's own loader and accumulator code.
import { parentPort, workerData } from 'node:worker_threads';
import { StateReader } from '../reader.ts';
import { Acc, SeriesLoader } from './evaluate.ts';
import type { SumJob } from './parallel.ts';

parentPort?.on('message', (job: SumJob) => {
  try {
    const { n, fn } = job.spec;
    const loader = new SeriesLoader(new StateReader(job.state), job.spec);
    const acc = new Acc(fn, n);
    const groups = job.offsets.length - 1;
    for (let g = Atomics.add(job.next, 0, 1); g < groups; g = Atomics.add(job.next, 0, 1)) {
      for (let j = job.offsets[g]!; j < job.offsets[g + 1]!; j++) loader.add(job.ids[j]!, acc);
      acc.result(job.out.subarray(g * n, (g + 1) * n));
    }
    Atomics.store(job.done, 0, 1);
  } catch {
    Atomics.store(job.done, 0, 2);
  }
  Atomics.notify(job.done, 0);
});

Atomics.store((workerData as { ready: Int32Array }).ready, 0, 1);
