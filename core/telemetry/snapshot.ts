// Snapshots: the whole store (series, head buckets, compressed chunks with the open encoders'
// state) as one JSON file, written to a temp file, fsynced and renamed, so a crash leaves either
// the old or the new snapshot. It names the first WAL segment it does not cover.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DeltaEncoder } from './delta.ts';
import { XorEncoder } from './gorilla.ts';
import type { Chunk } from './blocks.ts';
import type { TelemetryStore } from './store.ts';

const FILE = 'snapshot.json';
const VERSION = 1;

type ChunkJson =
  | { kind: 'raw'; k: number; start: number; n: number; words: string; state?: number[]; scale?: number }
  | {
      kind: 'rollup';
      k: number;
      per: number;
      sum: number[];
      cnt: number[];
      min: (number | null)[];
      max: (number | null)[];
    };

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
  const snap: SnapshotJson = {
    version: VERSION,
    stepMs: store.stepMs,
    headSlots: H,
    chunkSlots: store.chunkSlots,
    walSeq,
    series: [],
  };
  for (const s of store.series) {
    if (!s) continue;
    const head = nn(store.head.val.subarray(s.id * H, s.id * H + H));
    const cnt = [...store.head.cnt.subarray(s.id * H, s.id * H + H)];
    const chunks: ChunkJson[] = s.chunks.map((c) =>
      c.kind === 'raw'
        ? c.enc
          ? {
              kind: 'raw',
              k: c.k,
              start: c.start,
              n: c.n,
              words: b64(c.enc.trimmed()),
              state: c.enc.state(),
              ...(c.scale !== undefined ? { scale: c.scale } : {}),
            }
          : {
              kind: 'raw',
              k: c.k,
              start: c.start,
              n: c.n,
              words: b64(c.words!),
              ...(c.scale !== undefined ? { scale: c.scale } : {}),
            }
        : { kind: 'rollup', k: c.k, per: c.per, sum: [...c.sum], cnt: [...c.cnt], min: nn(c.min), max: nn(c.max) }
    );
    snap.series.push({ id: s.id, tags: s.tags, cf: s.cf, headStart: s.headStart, head, cnt, chunks });
  }
  const tmp = join(dir, FILE + '.tmp');
  const fd = openSync(tmp, 'w');
  writeSync(fd, JSON.stringify(snap));
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, join(dir, FILE));
  const dfd = openSync(dir, 'r');
  fsyncSync(dfd); // make the rename itself durable
  closeSync(dfd);
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
  for (const j of snap.series) {
    const { key } = canonicalKey(j.tags);
    const s = store.defineSeries(j.id, key, j.tags, j.cf);
    s.headStart = j.headStart;
    store.head.val.set(fromNn(j.head), j.id * H);
    store.head.cnt.set(j.cnt, j.id * H);
    s.chunks = j.chunks.map((c): Chunk => {
      if (c.kind === 'rollup')
        return {
          kind: 'rollup',
          k: c.k,
          per: c.per,
          sum: Float64Array.from(c.sum),
          cnt: Float64Array.from(c.cnt),
          min: fromNn(c.min),
          max: fromNn(c.max),
        };
      const words = fromB64(c.words);
      const scale = c.scale !== undefined ? { scale: c.scale } : {};
      if (!c.state) return { kind: 'raw', k: c.k, start: c.start, n: c.n, words, ...scale };
      const enc =
        c.scale !== undefined
          ? DeltaEncoder.resume(c.scale, grow(words), c.state)
          : XorEncoder.resume(grow(words), c.state);
      return { kind: 'raw', k: c.k, start: c.start, n: c.n, enc, ...scale };
    });
  }
  return { walSeq: snap.walSeq };
}

function grow(w: Uint32Array): Uint32Array {
  const out = new Uint32Array(w.length + 4);
  out.set(w);
  return out;
}

function canonicalKey(tags: Record<string, string>): { key: string } {
  return {
    key: Object.keys(tags)
      .sort()
      .map((k) => `${k}=${tags[k]}`)
      .join(','),
  };
}
