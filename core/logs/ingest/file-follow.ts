// Follows a log file like `tail -F`: reads appended lines, survives rotation by rename (drains the
// old file, then opens the new one at its start) and by truncation (copytruncate: starts over).
// Line keys are `<dev>:<inode>:<byte offset>`, so re-reading a file never duplicates a line.
import { closeSync, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import type { LogPipeline } from '../pipeline.ts';

export interface FollowOptions {
  pipeline: LogPipeline;
  path: string;
  /** Read from the start of the file that exists now (default) or only what is appended later. */
  from?: 'start' | 'end';
  pollMs?: number;
  maxLineBytes?: number;
}

export interface Follower {
  /** Lines handed to the pipeline so far. */
  readonly lines: number;
  /** Reads whatever is there now (tests call it instead of waiting for the poll). */
  poll(): Promise<void>;
  close(): Promise<void>;
}

const CHUNK = 64 * 1024;

export function followFile(o: FollowOptions): Follower {
  const source = `file:${o.path}`;
  const maxLine = o.maxLineBytes ?? 64 * 1024;
  let fd: number | undefined;
  let st: Stats | undefined;
  let offset = 0;
  let partial: Buffer = Buffer.alloc(0);
  let partialStart = 0;
  let lines = 0;
  let closed = false;
  let busy: Promise<void> | undefined;
  const buf = Buffer.alloc(CHUNK);

  const open = (atEnd: boolean): boolean => {
    try {
      fd = openSync(o.path, 'r');
    } catch {
      return false; // not there yet (between rename and create): try on the next poll
    }
    st = fstatSync(fd);
    offset = atEnd ? st.size : 0;
    partial = Buffer.alloc(0);
    partialStart = offset;
    return true;
  };

  const emit = async (line: Buffer, at: number) => {
    lines++;
    await o.pipeline.submit(line, { source, key: `${st!.dev}:${st!.ino}:${at}`, received: new Date() });
  };

  /** Reads the open file to its current end, handing complete lines to the pipeline. */
  const drain = async () => {
    for (;;) {
      const n = readSync(fd!, buf, 0, CHUNK, offset);
      if (n === 0) return;
      offset += n;
      let data = partial.length ? Buffer.concat([partial, buf.subarray(0, n)]) : Buffer.from(buf.subarray(0, n));
      let start = partialStart;
      for (let lf = data.indexOf(0x0a); lf >= 0; lf = data.indexOf(0x0a)) {
        await emit(data.subarray(0, lf), start);
        start += lf + 1;
        data = data.subarray(lf + 1);
      }
      if (data.length > maxLine) {
        // A line with no end in sight: emit it cut (decode tags it truncated) and go on from here.
        await emit(data, start);
        start += data.length;
        data = Buffer.alloc(0);
      }
      partial = data;
      partialStart = start;
    }
  };

  const pollOnce = async () => {
    if (closed) return;
    if (fd === undefined && !open(false)) return;
    await drain();
    let now: Stats | undefined;
    try {
      now = statSync(o.path);
    } catch {
      now = undefined;
    }
    if (!now || now.ino !== st!.ino || now.dev !== st!.dev) {
      // Rotated by rename: the old file is drained above; a last line without LF still counts.
      if (partial.length) await emit(partial, partialStart);
      closeSync(fd!);
      fd = undefined;
      if (now && open(false)) await drain();
    } else if (now.size < offset) {
      // Truncated in place (copytruncate): the file starts over.
      offset = 0;
      partial = Buffer.alloc(0);
      partialStart = 0;
      await drain();
    }
  };

  const poll = () => (busy ??= pollOnce().finally(() => (busy = undefined)));
  if (o.from === 'end') open(true);
  const timer = setInterval(() => void poll().catch(() => {}), o.pollMs ?? 250);

  return {
    get lines() {
      return lines;
    },
    poll,
    async close() {
      closed = true;
      clearInterval(timer);
      await busy;
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
