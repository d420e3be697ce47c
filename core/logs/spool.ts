// Disk spool for batches the store could not take: append-only JSON-lines segments, replayed in
// order when the store is back and deleted only after every batch in them went through. Replays are
// safe because doc ids and batch ids are content-derived (stores ignore ids they already hold).
import {
  appendFileSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { join } from 'node:path';
import type { BatchDigest } from './store.ts';
import type { LogDoc } from './types.ts';

export interface SpooledBatch {
  digest: BatchDigest;
  docs: LogDoc[];
}

const SEGMENT = /^spool-(\d{12})\.jsonl$/;

export class Spool {
  private seq: number;
  private current?: string;

  constructor(
    readonly dir: string,
    private readonly maxSegmentBytes = 8 * 1024 * 1024
  ) {
    mkdirSync(dir, { recursive: true });
    const seqs = this.segments().map((f) => Number(SEGMENT.exec(f)![1]));
    this.seq = seqs.length ? Math.max(...seqs) : 0;
  }

  private segments(): string[] {
    return readdirSync(this.dir)
      .filter((f) => SEGMENT.test(f))
      .sort();
  }

  /** Durably appends one batch (fsync'd: the store is down, so disk is the only copy). */
  append(b: SpooledBatch): void {
    if (!this.current || (existsSync(this.current) && statSync(this.current).size >= this.maxSegmentBytes)) {
      this.current = join(this.dir, `spool-${String(++this.seq).padStart(12, '0')}.jsonl`);
    }
    appendFileSync(this.current, JSON.stringify(b) + '\n');
    const fd = openSync(this.current, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Batches waiting, without loading the docs into memory twice. */
  pendingSegments(): number {
    return this.segments().length;
  }

  isEmpty(): boolean {
    return this.pendingSegments() === 0;
  }

  /**
   * Hands every spooled batch, oldest first, to `send`; a segment is deleted once all its batches
   * went through. Stops at the first failure (that segment stays and is retried whole).
   */
  async drain(send: (b: SpooledBatch) => Promise<void>): Promise<number> {
    this.current = undefined; // later appends start a new segment, so the ones we read are closed
    let sent = 0;
    for (const f of this.segments()) {
      const path = join(this.dir, f);
      const lines = readFileSync(path, 'utf8').split('\n');
      for (const line of lines) {
        if (line.trim() === '') continue;
        let b: SpooledBatch;
        try {
          b = JSON.parse(line) as SpooledBatch;
        } catch {
          // A torn last line from a crash mid-append: nothing acknowledged it, so skipping loses nothing acknowledged.
          continue;
        }
        await send(b);
        sent++;
      }
      unlinkSync(path);
    }
    return sent;
  }
}
