// RFC 6587 syslog-over-TCP framing: octet counting (`123 <34>1 …`) and newline-terminated frames,
// chosen per frame by its first byte (a digit means octet counting, as rsyslog and syslog-ng do).
// Memory is bounded: a frame longer than `maxFrameBytes` is emitted cut (decode tags it truncated)
// and the rest of it is skipped.

/** One frame; `dropped` counts bytes cut from an oversize frame (at least that many for LF frames). */
export interface Frame {
  data: Buffer;
  dropped: number;
}

export class SyslogFramer {
  private buf: Buffer = Buffer.alloc(0);
  /** Bytes still to skip from an oversize frame; -1 means "skip to the next LF". */
  private skip = 0;

  constructor(private readonly maxFrameBytes = 64 * 1024) {}

  /** Frames completed by this chunk. */
  push(chunk: Buffer): Frame[] {
    const out: Frame[] = [];
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      if (this.skip !== 0) {
        if (this.skip === -1) {
          const lf = this.buf.indexOf(0x0a);
          if (lf < 0) return ((this.buf = Buffer.alloc(0)), out);
          this.buf = this.buf.subarray(lf + 1);
          this.skip = 0;
        } else {
          const n = Math.min(this.skip, this.buf.length);
          this.buf = this.buf.subarray(n);
          this.skip -= n;
          if (this.skip > 0) return out;
        }
      }
      if (this.buf.length === 0) return out;
      const first = this.buf[0]!;
      if (first >= 0x31 && first <= 0x39) {
        const sp = this.buf.indexOf(0x20);
        const header = sp > 0 && sp <= 10 ? this.buf.subarray(0, sp).toString('latin1') : undefined;
        if (header !== undefined && /^\d+$/.test(header)) {
          const len = Number(header);
          if (len > this.maxFrameBytes) {
            // Keep the first maxFrameBytes, skip the rest as it arrives.
            if (this.buf.length < sp + 1 + this.maxFrameBytes) return out;
            out.push({
              data: Buffer.from(this.buf.subarray(sp + 1, sp + 1 + this.maxFrameBytes)),
              dropped: len - this.maxFrameBytes,
            });
            this.skip = len - this.maxFrameBytes;
            this.buf = this.buf.subarray(sp + 1 + this.maxFrameBytes);
            continue;
          }
          if (this.buf.length < sp + 1 + len) return out;
          out.push({ data: Buffer.from(this.buf.subarray(sp + 1, sp + 1 + len)), dropped: 0 });
          this.buf = this.buf.subarray(sp + 1 + len);
          continue;
        }
        if (sp < 0 && this.buf.length <= 10) return out; // the count may still be arriving
      }
      const lf = this.buf.indexOf(0x0a);
      if (lf < 0) {
        if (this.buf.length > this.maxFrameBytes) {
          out.push({
            data: Buffer.from(this.buf.subarray(0, this.maxFrameBytes)),
            dropped: this.buf.length - this.maxFrameBytes,
          });
          this.buf = Buffer.alloc(0);
          this.skip = -1;
        }
        return out;
      }
      if (lf > this.maxFrameBytes)
        out.push({ data: Buffer.from(this.buf.subarray(0, this.maxFrameBytes)), dropped: lf - this.maxFrameBytes });
      else if (lf > 0) out.push({ data: Buffer.from(this.buf.subarray(0, lf)), dropped: 0 });
      this.buf = this.buf.subarray(lf + 1);
    }
  }

  /** A trailing frame without LF when the connection closes. */
  end(): Frame[] {
    const rest = this.skip === 0 && this.buf.length ? [{ data: Buffer.from(this.buf), dropped: 0 }] : [];
    this.buf = Buffer.alloc(0);
    return rest;
  }
}
