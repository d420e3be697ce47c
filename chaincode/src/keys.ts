// State keys. Fabric's composite-key API cannot do range scans (the shim refuses range queries on
// composite keys), so index keys are simple keys built the same way: fixed prefix, components
// joined by '|', free text percent-encoded so it cannot contain the separator. Times are UTC ISO
// (fixed width), so a key range is a time range.
export const STREAM_RE = /^[A-Za-z0-9._-]{1,64}$/;
export const MAX_KEY_CHAR = '\u{10ffff}';

const enc = encodeURIComponent;
const pad = (n: number) => String(n).padStart(12, '0');

export const keys = {
  head: (s: string) => `head|${s}`,
  batch: (s: string, batchId: string) => `batch|${s}|${enc(batchId)}`,
  block: (s: string, height: number) => `block|${s}|${pad(height)}`,
  record: (s: string, id: string) => `rec|${s}|${enc(id)}`,
  byTime: (s: string, time: string, id: string) => `ts|${s}|${time}|${enc(id)}`,
  byTarget: (s: string, target: string, time: string, id: string) => `tg|${s}|${enc(target)}|${time}|${enc(id)}`,
  /** [start, end) of the time index between two UTC ISO bounds (either open). */
  timeRange: (s: string, from?: string, to?: string): [string, string] => [
    `ts|${s}|${from ?? ''}`,
    to ? `ts|${s}|${to}` : `ts|${s}|${MAX_KEY_CHAR}`,
  ],
  targetRange: (s: string, target: string, from?: string, to?: string): [string, string] => {
    const p = `tg|${s}|${enc(target)}|`;
    return [p + (from ?? ''), to ? p + to : p + MAX_KEY_CHAR];
  },
};

export function checkStream(stream: string): void {
  if (!STREAM_RE.test(stream))
    throw new Error(`INVALID: stream ${JSON.stringify(stream)}: expected 1-64 of A-Z a-z 0-9 . _ -`);
}
