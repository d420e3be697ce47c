// Parallel stored-series aggregation: a grouped aggregate over many stored series gives part of its
// groups to a worker thread, which reads the same shared-memory tables (the store allocates them
// on SharedArrayBuffers), while this thread does the rest. This thread then blocks on Atomics.wait
// until the worker is done, so the query stays synchronous and no ingest can change the tables
// while they are read: the main thread is the only writer. Anything unusual (no second core, the
// worker not started yet or failed, a timeout) falls back to doing every group here.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { LoadSpec } from './evaluate.ts';
import type { ReaderState } from '../reader.ts';

/** Below this many series a query is done on one thread: a worker round trip costs about 1 ms. */
export const PARALLEL_MIN_SERIES = 2000;
const WAIT_MS = 10_000;

export interface SumJob {
  state: ReaderState;
  spec: LoadSpec;
  ids: Int32Array;
  /** Group g's ids are ids[offsets[g]..offsets[g+1]). */
  offsets: Int32Array;
  /** Group g's result at [g*n, (g+1)*n) (shared). */
  out: Float64Array;
  /** The next group to take: both threads take groups from it, so neither waits on the other. */
  next: Int32Array;
  /** 0 while running, 1 done, 2 failed (shared). */
  done: Int32Array;
}

let worker: Worker | undefined;
let ready: Int32Array | undefined;
let disabled = process.env.IRONTHRONE_QUERY_THREADS === '1' || availableParallelism() < 2;

function startWorker(): void {
  ready = new Int32Array(new SharedArrayBuffer(4));
  try {
    // tsx (a runtime dependency) loads the TypeScript worker, as it loads the rest of the project;
    // Node 20 ignores `--import` in a worker's execArgv, so the worker registers it itself.
    const api = JSON.stringify(import.meta.resolve('tsx/esm/api'));
    const entry = JSON.stringify(new URL('./worker.ts', import.meta.url).href);
    worker = new Worker(`import(${api}).then((m) => { m.register(); return import(${entry}); })`, {
      eval: true,
      workerData: { ready },
    });
  } catch {
    disabled = true;
    return;
  }
  worker.unref();
  worker.on('error', () => {
    disabled = true;
    worker = undefined;
  });
  worker.on('exit', () => {
    worker = undefined;
  });
}

/** The worker if it is up (started on first use; until it is ready, queries run on one thread). */
function readyWorker(): Worker | undefined {
  if (disabled) return undefined;
  if (!worker) startWorker();
  return ready && Atomics.load(ready, 0) === 1 ? worker : undefined;
}

/** Starts the worker ahead of the first large query, so that one is not done on one thread. */
export function prestartQueryWorker(): void {
  readyWorker();
}

/** Queries that went parallel in this process (for tests and the internal metrics). */
export const parallelStats = { queries: 0 };

/** Starts the worker and resolves once it is ready (false: no worker in this process). */
export async function queryWorkerReady(timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!readyWorker()) {
    if (disabled || Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

/** Turns the worker off (true) or back on; queries then run on this thread only. */
export function setSingleThreaded(on: boolean): void {
  disabled = on;
}

/**
 * Aggregates of `groups` (ids per group), shared with the worker: each thread takes
 * the next group from a shared counter until none is left, so a thread the machine slows down does
 * fewer groups instead of holding the query up. `sumGroup(g, into)` does group g on this thread.
 * Undefined when not worth it or not possible (the caller then does everything).
 */
export function sumInParallel(
  state: () => ReaderState,
  spec: LoadSpec,
  groups: { ids: number[] }[],
  sumGroup: (g: { ids: number[] }, into: Float64Array) => void
): Float64Array[] | undefined {
  const { n } = spec;
  const total = groups.reduce((a, g) => a + g.ids.length, 0);
  if (total < PARALLEL_MIN_SERIES || groups.length < 2) return undefined;
  const w = readyWorker();
  if (!w) return undefined;
  const offsets = new Int32Array(groups.length + 1);
  groups.forEach((g, i) => (offsets[i + 1] = offsets[i]! + g.ids.length));
  const ids = new Int32Array(offsets[groups.length]!);
  groups.forEach((g, i) => ids.set(g.ids, offsets[i]));
  const shared = (bytes: number) => new SharedArrayBuffer(bytes);
  const job: SumJob = {
    state: state(),
    spec,
    ids,
    offsets,
    out: new Float64Array(shared(groups.length * n * 8)),
    next: new Int32Array(shared(4)),
    done: new Int32Array(shared(4)),
  };
  w.postMessage(job);
  const view = (g: number) => job.out.subarray(g * n, (g + 1) * n);
  for (let g = Atomics.add(job.next, 0, 1); g < groups.length; g = Atomics.add(job.next, 0, 1))
    sumGroup(groups[g]!, view(g));
  // The worker finishes the group it holds; if it failed or is late, redo everything here (its
  // late writes land in a buffer no one reads).
  Atomics.wait(job.done, 0, 0, WAIT_MS);
  if (Atomics.load(job.done, 0) !== 1) return undefined;
  parallelStats.queries++;
  return groups.map((_, g) => view(g));
}
