// Retention: raw chunks older than the raw retention become hourly rollups; rollups older than
// their retention are dropped; a series with nothing left and an idle head is forgotten. Also
// seals the open chunk of a series that has moved on to a later chunk period.
import { rollup, sealChunk } from './blocks.ts';
import type { TelemetryStore } from './store.ts';

export function maintain(
  store: TelemetryStore,
  now: number
): { rolledUp: number; dropped: number; removedSeries: number } {
  const { stepMs, chunkSlots, headSlots, rollupSlots } = store;
  const rawCut = Math.floor((now - store.retentionMs) / stepMs);
  const rollCut = Math.floor((now - store.rollupRetentionMs) / stepMs);
  const curK = Math.floor(now / stepMs / chunkSlots);
  const scratch = new Float64Array(chunkSlots);
  let rolledUp = 0;
  let dropped = 0;
  let removedSeries = 0;
  for (const s of store.series) {
    if (!s) continue;
    const before = s.chunks.length;
    s.chunks = s.chunks.filter((c) => (c.k + 1) * chunkSlots > rollCut);
    dropped += before - s.chunks.length;
    for (let i = 0; i < s.chunks.length; i++) {
      const c = s.chunks[i]!;
      if (c.kind !== 'raw') continue;
      if (c.k < curK && c.enc && s.headStart >= (c.k + 1) * chunkSlots) sealChunk(c);
      if ((c.k + 1) * chunkSlots <= rawCut) {
        s.chunks[i] = rollup(c, chunkSlots, rollupSlots, scratch);
        rolledUp++;
      }
    }
    if (s.chunks.length === 0 && s.headStart + headSlots <= rawCut) {
      store.removeSeries(s.id);
      removedSeries++;
    }
  }
  return { rolledUp, dropped, removedSeries };
}
