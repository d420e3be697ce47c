// Reading a stored series, shared by the store (main thread) and query workers, which read the
// same shared-memory tables (query/parallel.ts).
import type { HeadArena } from './blocks.ts';
import { bucketValue, ChunkTable, readChunks, type ChunkColumns, type SumSink } from './blocks.ts';
import { put } from './bits.ts';

/** The tables and parameters a reader needs: the store itself, or a worker's view of it. */
export interface StoredSource {
  readonly chunks: ChunkTable;
  readonly head: Pick<HeadArena, 'val' | 'cnt'>;
  readonly headSlots: number;
  readonly chunkSlots: number;
  readonly count: number;
  readonly headStart: Float64Array;
  readonly cf: Uint8Array;
  readonly live: Uint8Array;
  readonly firstChunk: Int32Array;
}

/** A store's tables as handed to a worker (every array on a SharedArrayBuffer). */
export interface ReaderState {
  headSlots: number;
  chunkSlots: number;
  count: number;
  headStart: Float64Array;
  cf: Uint8Array;
  live: Uint8Array;
  firstChunk: Int32Array;
  headVal: Float64Array;
  headCnt: Uint16Array;
  chunks: ChunkColumns;
}

/** A read-only store over a ReaderState (in a worker). */
export class StateReader {
  private readonly src: StoredSource;
  private readonly scratch: Float64Array;

  constructor(s: ReaderState) {
    const { headSlots, chunkSlots, count, headStart, cf, live, firstChunk } = s;
    this.src = {
      chunks: ChunkTable.view(s.chunks),
      head: { val: s.headVal, cnt: s.headCnt },
      ...{ headSlots, chunkSlots, count, headStart, cf, live, firstChunk },
    };
    this.scratch = new Float64Array(chunkSlots);
  }

  read(id: number, fromSlot: number, toSlot: number, out: Float64Array, sink?: SumSink): Float64Array {
    return readStored(this.src, this.scratch, id, fromSlot, toSlot, out, sink);
  }
}

/**
 * Values stored for slots [fromSlot, toSlot) of series `id` into `out` (untouched where none), or
 * with `sink` added to the query accumulator (`out` = `sink.sum`).
 */
export function readStored(
  src: StoredSource,
  scratch: Float64Array,
  id: number,
  fromSlot: number,
  toSlot: number,
  out: Float64Array,
  sink?: SumSink
): Float64Array {
  if (!(id >= 0 && id < src.count && src.live[id] === 1)) return out;
  const cf = src.cf[id]!;
  readChunks(src.chunks, src.firstChunk[id]!, src.chunkSlots, fromSlot, toSlot, out, scratch, cf, sink);
  const hs = src.headStart[id]!;
  if (hs >= 0) {
    const H = src.headSlots;
    const lo = Math.max(fromSlot, hs);
    const hi = Math.min(toSlot, hs + H);
    for (let slot = lo; slot < hi; slot++) {
      const i = id * H + (slot % H);
      const c = src.head.cnt[i]!;
      if (c > 0) put(out, sink?.cnt, slot - fromSlot, bucketValue(cf, src.head.val[i]!, c));
    }
  }
  return out;
}
