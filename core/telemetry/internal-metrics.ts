// Iron Throne's own metrics: a tiny registry other capabilities increment (counters) or set
// (gauges); `flushInternalMetrics` writes them into a store as ordinary series tagged
// `nf.app=ironthrone`, so they are queried and graphed like everything else.
import type { TelemetryStore } from './store.ts';

type Kind = 'counter' | 'gauge';
interface Metric {
  kind: Kind;
  tags: Record<string, string>;
  value: number;
}

const registry = new Map<string, Metric>();

function get(kind: Kind, name: string, tags: Record<string, string>): Metric {
  const all = { ...tags, name, 'nf.app': 'ironthrone', 'atlas.dstype': kind === 'counter' ? 'sum' : 'gauge' };
  const key = JSON.stringify(Object.entries(all).sort());
  let m = registry.get(key);
  if (!m) registry.set(key, (m = { kind, tags: all, value: 0 }));
  return m;
}

/** Count something; the flushed value is the increase since the previous flush (a delta per step). */
export function counter(name: string, tags: Record<string, string> = {}): { inc(n?: number): void } {
  const m = get('counter', name, tags);
  return { inc: (n = 1) => void (m.value += n) };
}

/** Report a level; the flushed value is the last one set. */
export function gauge(name: string, tags: Record<string, string> = {}): { set(v: number): void } {
  const m = get('gauge', name, tags);
  return { set: (v: number) => void (m.value = v) };
}

/** Write every registered metric as one datapoint at `now`; counters restart from zero. */
export function flushInternalMetrics(store: TelemetryStore, now = store.clock()): number {
  const points = [];
  for (const m of registry.values()) {
    points.push({ tags: m.tags, timestamp: now, value: m.value });
    if (m.kind === 'counter') m.value = 0;
  }
  return store.ingest(points).accepted;
}

/** Snapshot of the registry (for tests and the status page). */
export function internalMetricsSnapshot(): { name: string; tags: Record<string, string>; value: number }[] {
  return [...registry.values()].map((m) => ({ name: m.tags.name!, tags: m.tags, value: m.value }));
}
