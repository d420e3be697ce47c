// Query worker: sums groups of stored series over the store's shared-memory tables (parallel.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { StateReader } from '../reader.ts';
import { Acc } from './evaluate.ts';
import type { SumJob } from './parallel.ts';

parentPort?.on('message', (job: SumJob) => {
  try {
    const reader = new StateReader(job.state);
    const acc = new Acc(job.fn, job.n);
    const groups = job.offsets.length - 1;
    for (let g = Atomics.add(job.next, 0, 1); g < groups; g = Atomics.add(job.next, 0, 1)) {
      for (let j = job.offsets[g]!; j < job.offsets[g + 1]!; j++)
        reader.read(job.ids[j]!, job.from, job.from + job.n, acc.sum, acc);
      acc.result(job.out.subarray(g * job.n, (g + 1) * job.n));
    }
    Atomics.store(job.done, 0, 1);
  } catch {
    Atomics.store(job.done, 0, 2);
  }
  Atomics.notify(job.done, 0);
});

Atomics.store((workerData as { ready: Int32Array }).ready, 0, 1);
