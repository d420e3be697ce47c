// Retention: raw chunks older than the raw retention become hourly rollups; rollups older than
// their retention are dropped; a series with nothing left and an idle head is forgotten. Also
// seals the open chunk of a series that has moved on to a later chunk period.
import { ROLLUP } from './blocks.ts';
import type { TelemetryStore } from './store.ts';

export function maintain(
  store: TelemetryStore,
  now: number
): { rolledUp: number; dropped: number; removedSeries: number } {
  const { stepMs, chunkSlots, headSlots, rollupSlots, chunks: t } = store;
  const rawCut = Math.floor((now - store.retentionMs) / stepMs);
  const rollCut = Math.floor((now - store.rollupRetentionMs) / stepMs);
  const curK = Math.floor(now / stepMs / chunkSlots);
  let rolledUp = 0;
  let dropped = 0;
  let removedSeries = 0;
  for (let id = 0; id < store.count; id++) {
    if (!store.has(id)) continue;
    let prev = -1;
    for (let c = store.firstChunk[id]!; c >= 0; ) {
      const next = t.next[c]!;
      const end = (t.k[c]! + 1) * chunkSlots;
      if (end <= rollCut) {
        // unlink and free
        if (prev < 0) store.firstChunk[id] = next;
        else t.next[prev] = next;
        if (store.lastChunk[id] === c) store.lastChunk[id] = prev;
        t.free(c);
        dropped++;
        c = next;
        continue;
      }
      if (t.k[c]! < curK && t.open[c] && store.headStart[id]! >= end) t.open[c] = 0;
      if (t.codec[c] !== ROLLUP && end <= rawCut) {
        t.rollup(c, chunkSlots, rollupSlots);
        rolledUp++;
      }
      prev = c;
      c = next;
    }
    if (store.firstChunk[id]! < 0 && store.headStart[id]! + headSlots <= rawCut) {
      store.removeSeries(id);
      removedSeries++;
    }
  }
  return { rolledUp, dropped, removedSeries };
}
