// The process-wide store under dataDir('telemetry'), opened on first use and snapshotted every
// 5 minutes; internal metrics are flushed into it once per step.
import { dataDir } from '../config.ts';
import { flushInternalMetrics } from './internal-metrics.ts';
import { PARALLEL_MIN_SERIES, prestartQueryWorker } from './query/parallel.ts';
import { TelemetryStore } from './store.ts';

let shared: TelemetryStore | undefined;

export function sharedTelemetryStore(): TelemetryStore {
  if (!shared) {
    const stepMs = Number(process.env.IRONTHRONE_TELEMETRY_STEP_MS ?? 60_000);
    const store = TelemetryStore.open({ dir: dataDir('telemetry'), stepMs, snapshotEveryMs: 5 * 60_000 });
    // a store big enough for parallel queries gets its query worker before the first one comes
    const warm = () => store.count >= PARALLEL_MIN_SERIES && prestartQueryWorker();
    warm();
    const t = setInterval(() => {
      flushInternalMetrics(store);
      store.maintain();
      warm();
    }, stepMs);
    t.unref();
    shared = store;
  }
  return shared;
}

export async function closeSharedTelemetryStore(): Promise<void> {
  await shared?.close();
  shared = undefined;
}
