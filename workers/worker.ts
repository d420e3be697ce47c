// Builds a worker for the project's task queue: the workflow bundle (by path, its own V8
// context) plus every activity from activities/index.ts.
import type { NativeConnection} from '@temporalio/worker';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities, type ActivityOptions } from '../activities/index.ts';
import { workflowsPath } from './paths.ts';

export interface WorkerOptions extends ActivityOptions {
  connection: NativeConnection;
  taskQueue: string;
  namespace?: string;
  /** A prebuilt bundle (tests build one per file); otherwise bundled from workflowsPath. */
  workflowBundle?: WorkflowBundleWithSourceMap;
  /** Extra or replacement activities (tests use this only to inject faults into real ones). */
  activities?: Record<string, (...args: never[]) => Promise<unknown>>;
}

export async function createWorker(opts: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace ?? 'default',
    taskQueue: opts.taskQueue,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath }),
    activities: { ...createActivities(opts), ...(opts.activities ?? {}) },
    // Graceful shutdown: let running activities finish their current attempt.
    shutdownGraceTime: '10s',
  });
}
