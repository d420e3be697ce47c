// Snapshots: the whole store (series, head buckets, compressed chunks with the open encoders'
// state) as one JSON file, written to a temp file, fsynced and renamed, so a crash leaves either
// the old or the new snapshot. It names the first WAL segment it does not cover.
import { existsSync, readFileSync } from 'node:fs';
import { writeFileDurably } from './durable-file.ts';
import { join } from 'node:path';
import type { TelemetryStore } from './store.ts';

const FILE = 'snapshot.json';
/** 2: chunks as bitstreams with their encoder state (the column layout of blocks.ts). */
const VERSION = 2;

interface ChunkJson {
  k: number;
  start: number;
  /** Values (rollup: slots per bucket). */
  n: number;
  bits: number;
  codec: number;
  open: number;
  /** Encoder state: st0, st1, lead, trail. */
  state: number[];
  words: string;
}

interface SnapshotJson {
  version: number;
  stepMs: number;
  headSlots: number;
  chunkSlots: number;
  walSeq: number;
  series: {
    id: number;
    tags: Record<string, string>;
    cf: number;
    headStart: number;
    head: (number | null)[];
    cnt: number[];
    chunks: ChunkJson[];
  }[];
}

const b64 = (w: Uint32Array) => Buffer.from(w.buffer, w.byteOffset, w.byteLength).toString('base64');
function fromB64(s: string): Uint32Array {
  const b = Buffer.from(s, 'base64');
  const out = new Uint32Array(b.length / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}
const nn = (a: Float64Array) => [...a].map((x) => (Number.isNaN(x) ? null : x));
const fromNn = (a: (number | null)[]) => Float64Array.from(a, (x) => (x === null ? NaN : x));

export function writeSnapshot(dir: string, store: TelemetryStore, walSeq: number): void {
  const H = store.headSlots;
  const t = store.chunks;
  const snap: SnapshotJson = {
    version: VERSION,
    stepMs: store.stepMs,
    headSlots: H,
    chunkSlots: store.chunkSlots,
    walSeq,
    series: [],
  };
  for (let id = 0; id < store.count; id++) {
    if (!store.has(id)) continue;
    const head = nn(store.head.val.subarray(id * H, id * H + H));
    const cnt = [...store.head.cnt.subarray(id * H, id * H + H)];
    const chunks: ChunkJson[] = [];
    for (let c = store.firstChunk[id]!; c >= 0; c = t.next[c]!)
      chunks.push({
        k: t.k[c]!,
        start: t.start[c]!,
        n: t.n[c]!,
        bits: t.bits[c]!,
        codec: t.codec[c]!,
        open: t.open[c]!,
        state: [t.st0[c]!, t.st1[c]!, t.lead[c]!, t.trail[c]!],
        words: b64(t.gather(c).slice(0, t.byteLength(c) / 4)),
      });
    snap.series.push({
      id,
      tags: store.tagsOf(id),
      cf: store.cf[id]!,
      headStart: store.headStart[id]!,
      head,
      cnt,
      chunks,
    });
  }
  writeFileDurably(join(dir, FILE), JSON.stringify(snap));
}

/** Load the snapshot into an empty store; returns the WAL segment to replay from. */
export function loadSnapshot(dir: string, store: TelemetryStore): { walSeq: number } | undefined {
  const file = join(dir, FILE);
  if (!existsSync(file)) return undefined;
  const snap = JSON.parse(readFileSync(file, 'utf8')) as SnapshotJson;
  if (snap.version !== VERSION) throw new Error(`${file}: snapshot version ${snap.version}, expected ${VERSION}`);
  if (snap.stepMs !== store.stepMs || snap.headSlots !== store.headSlots || snap.chunkSlots !== store.chunkSlots)
    throw new Error(
      `${file}: written with step ${snap.stepMs} ms / head ${snap.headSlots} / chunk ${snap.chunkSlots}, store opened with ${store.stepMs} / ${store.headSlots} / ${store.chunkSlots}`
    );
  const H = store.headSlots;
  const t = store.chunks;
  for (const j of snap.series) {
    store.defineSeries(j.id, canonicalKey(j.tags), j.tags, j.cf);
    store.headStart[j.id] = j.headStart;
    store.head.val.set(fromNn(j.head), j.id * H);
    store.head.cnt.set(j.cnt, j.id * H);
    let prev = -1;
    for (const x of j.chunks) {
      const c = t.alloc(x.k, x.start, x.codec);
      t.load(c, fromB64(x.words), x.bits);
      t.n[c] = x.n;
      t.open[c] = x.open;
      [t.st0[c], t.st1[c], t.lead[c], t.trail[c]] = x.state as [number, number, number, number];
      if (prev < 0) store.firstChunk[j.id] = c;
      else t.next[prev] = c;
      store.lastChunk[j.id] = prev = c;
    }
  }
  return { walSeq: snap.walSeq };
}

function canonicalKey(tags: Record<string, string>): string {
  return Object.keys(tags)
    .sort()
    .map((k) => `${k}=${tags[k]}`)
    .join(',');
}
