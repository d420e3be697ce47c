// Write-ahead log of accepted datapoints. Records are framed `[u32 length][u32 crc32][payload]`
// so a torn tail (a crash mid-write) is detected and cut off on replay; everything before it is
// intact. Durability policy: the store buffers records in memory and `commit()` writes them with
// one write + one fsync (group commit: every caller waiting at that moment shares the fsync).
// A datapoint is acknowledged to a client only after its commit resolved, so a kill -9 loses
// nothing acknowledged. Segments are numbered; a snapshot names the first segment it does not
// cover, and older segments are deleted once the snapshot is on disk.
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  unlinkSync,
  writeSync,
  ftruncateSync,
} from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

export const REC_SERIES = 1;
export const REC_POINTS = 2;

export type WalRecord =
  | { type: typeof REC_SERIES; id: number; cf: number; key: string }
  | { type: typeof REC_POINTS; ids: Uint32Array; ts: Float64Array; vals: Float64Array };

export function segmentName(seq: number): string {
  return `wal-${String(seq).padStart(8, '0')}.log`;
}

export function listSegments(dir: string): number[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => /^wal-(\d{8})\.log$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

function frame(payload: Buffer): Buffer {
  const head = Buffer.allocUnsafe(8);
  head.writeUInt32LE(payload.length, 0);
  head.writeUInt32LE(crc32(payload), 4);
  return Buffer.concat([head, payload]);
}

export function encodeSeries(id: number, cf: number, key: string): Buffer {
  const k = Buffer.from(key, 'utf8');
  const p = Buffer.allocUnsafe(6 + k.length);
  p.writeUInt8(REC_SERIES, 0);
  p.writeUInt32LE(id, 1);
  p.writeUInt8(cf, 5);
  k.copy(p, 6);
  return frame(p);
}

export function encodePoints(ids: Uint32Array, ts: Float64Array, vals: Float64Array, n: number): Buffer {
  const p = Buffer.allocUnsafe(5 + n * 20);
  p.writeUInt8(REC_POINTS, 0);
  p.writeUInt32LE(n, 1);
  let o = 5;
  for (let i = 0; i < n; i++) {
    p.writeUInt32LE(ids[i]!, o);
    p.writeDoubleLE(ts[i]!, o + 4);
    p.writeDoubleLE(vals[i]!, o + 12);
    o += 20;
  }
  return frame(p);
}

/** Read every intact record of a segment; a torn or corrupt tail is truncated away. */
export function readSegment(
  file: string,
  onRecord: (r: WalRecord) => void,
  truncate = true
): { records: number; truncatedAt?: number } {
  const buf = readFileSync(file);
  let o = 0;
  let records = 0;
  while (o + 8 <= buf.length) {
    const len = buf.readUInt32LE(o);
    const sum = buf.readUInt32LE(o + 4);
    if (o + 8 + len > buf.length) break;
    const p = buf.subarray(o + 8, o + 8 + len);
    if (crc32(p) !== sum || len < 1) break;
    const type = p.readUInt8(0);
    if (type === REC_SERIES) {
      onRecord({ type, id: p.readUInt32LE(1), cf: p.readUInt8(5), key: p.subarray(6).toString('utf8') });
    } else if (type === REC_POINTS) {
      const n = p.readUInt32LE(1);
      const ids = new Uint32Array(n);
      const ts = new Float64Array(n);
      const vals = new Float64Array(n);
      let q = 5;
      for (let i = 0; i < n; i++) {
        ids[i] = p.readUInt32LE(q);
        ts[i] = p.readDoubleLE(q + 4);
        vals[i] = p.readDoubleLE(q + 12);
        q += 20;
      }
      onRecord({ type, ids, ts, vals });
    } else break;
    records++;
    o += 8 + len;
  }
  if (o < buf.length && truncate) {
    const fd = openSync(file, 'r+');
    ftruncateSync(fd, o);
    fsyncSync(fd);
    closeSync(fd);
    return { records, truncatedAt: o };
  }
  return { records };
}

/** The open segment being appended to. */
export class WalWriter {
  private fd: number;
  bytes = 0;
  constructor(
    readonly dir: string,
    readonly seq: number,
    private readonly fsync: boolean
  ) {
    this.fd = openSync(join(dir, segmentName(seq)), 'a');
  }
  write(chunks: Buffer[]): void {
    const buf = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off);
    this.bytes += buf.length;
    if (this.fsync) fsyncSync(this.fd);
  }
  close(): void {
    closeSync(this.fd);
  }
}

export function deleteSegmentsBefore(dir: string, seq: number): void {
  for (const s of listSegments(dir)) if (s < seq) unlinkSync(join(dir, segmentName(s)));
}

/** Records accepted since the last commit, in order: series definitions, then points. */
export class WalBuffer {
  private series: Buffer[] = [];
  private ids = new Uint32Array(1024);
  private ts = new Float64Array(1024);
  private vals = new Float64Array(1024);
  private n = 0;

  get empty(): boolean {
    return this.n === 0 && this.series.length === 0;
  }

  addSeries(record: Buffer): void {
    this.series.push(record);
  }

  addPoint(id: number, ts: number, v: number): void {
    if (this.n === this.ids.length) {
      const ids = new Uint32Array(this.n * 2);
      ids.set(this.ids);
      const t = new Float64Array(this.n * 2);
      t.set(this.ts);
      const vals = new Float64Array(this.n * 2);
      vals.set(this.vals);
      [this.ids, this.ts, this.vals] = [ids, t, vals];
    }
    this.ids[this.n] = id;
    this.ts[this.n] = ts;
    this.vals[this.n] = v;
    this.n++;
  }

  /** Framed records to write, emptying the buffer. */
  drain(): Buffer[] {
    const out = this.series;
    if (this.n > 0) out.push(encodePoints(this.ids, this.ts, this.vals, this.n));
    this.series = [];
    this.n = 0;
    return out;
  }
}
