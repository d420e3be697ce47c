// Read paths of the contract: blocks with their records, single records, and record queries over
// the hour index (keys.ts).
import { gunzipSync } from 'zlib';
import type { Context } from 'fabric-contract-api';
import { canonicalJson } from './canonical';
import { hourOf, keys } from './keys';
import { recordKind, recordTarget, recordTime, type LedgerRecord } from './records';
import { readJson, type Block, type HourEntry, type StoredRecord } from './state';

async function readText(ctx: Context, key: string): Promise<string | undefined> {
  const bytes = await ctx.stub.getState(key);
  return bytes && bytes.length > 0 ? Buffer.from(bytes).toString('utf8') : undefined;
}

/** The stored records of a block as JSON text (stored plain, or gzipped as the writer sent them). */
async function recordsText(ctx: Context, stream: string, height: number): Promise<string> {
  const bytes = await ctx.stub.getState(keys.records(stream, height));
  if (!bytes || bytes.length === 0)
    throw new Error(
      `NOT_FOUND: the records of block ${height} are missing (a stream written before 2026-12-01 kept a key per record: recreate the network with scripts/fabric-reset.ts)`
    );
  const buf = Buffer.from(bytes);
  return (buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf) : buf).toString('utf8');
}

async function blockRecords(ctx: Context, stream: string, height: number): Promise<LedgerRecord[]> {
  return JSON.parse(await recordsText(ctx, stream, height)) as LedgerRecord[];
}

/** The block at a height with its records (JSON), or '' when there is none. */
export async function blockWithRecords(ctx: Context, stream: string, height: number): Promise<string> {
  const block = await readText(ctx, keys.block(stream, height));
  if (block === undefined) return '';
  const records = await recordsText(ctx, stream, height);
  // Both are JSON: splice rather than parse and print thousands of records again.
  return `${block.slice(0, -1)},"records":${records}}`;
}

export async function recordAt(ctx: Context, stream: string, height: number, position: number): Promise<string> {
  const block = await readJson<Block>(ctx, keys.block(stream, height));
  if (!block || position >= block.count) return '';
  const record = (await blockRecords(ctx, stream, height))[position];
  if (!record) throw new Error(`NOT_FOUND: record ${position} of block ${height} is missing`);
  return canonicalJson({ record, height, leafIndex: block.firstIndex + position });
}

/** The hour index of a block's records: each hour they fall in, with the sorted targets named then. */
export function hourIndex(records: readonly LedgerRecord[]): Map<string, string[]> {
  const hours = new Map<string, Set<string>>();
  for (const r of records) {
    const hour = hourOf(recordTime(r));
    let set = hours.get(hour);
    if (!set) hours.set(hour, (set = new Set()));
    const target = recordTarget(r);
    if (target !== undefined) set.add(target);
  }
  return new Map([...hours].map(([h, s]) => [h, [...s].sort()]));
}

interface Query {
  target?: string;
  kind?: string;
  type?: string;
  from?: string;
  to?: string;
  limit?: number;
}

function parseQuery(queryJson: string): Required<Pick<Query, 'limit'>> & Query {
  let q: Query;
  try {
    q = JSON.parse(queryJson || '{}') as Query;
  } catch (err) {
    throw new Error(`INVALID: query is not JSON: ${(err as Error).message}`);
  }
  const iso = (t: string | undefined, name: string) => {
    if (t === undefined) return undefined;
    const d = new Date(t);
    if (Number.isNaN(d.getTime()))
      throw new Error(`INVALID: query ${name}: expected an ISO date-time, got ${JSON.stringify(t)}`);
    return d.toISOString();
  };
  return {
    ...q,
    from: iso(q.from, 'from'),
    to: iso(q.to, 'to'),
    limit: Math.min(Math.max(1, q.limit ?? 1000), 10_000),
  };
}

/**
 * Records by target and/or time (UTC ISO, `from` inclusive, `to` exclusive), filtered by kind and
 * type, ordered by time then id, at most `limit` (default 1000, at most 10000). Walks the hour
 * index in time order and reads only the blocks that have records in the hour (and name the
 * target, when one is asked for).
 */
export async function queryRecords(ctx: Context, stream: string, queryJson: string): Promise<string> {
  const q = parseQuery(queryJson);
  const out: StoredRecord[] = [];
  const cache = new Map<number, LedgerRecord[]>();
  const matches = (r: LedgerRecord, time: string) =>
    (q.from === undefined || time >= q.from) &&
    (q.to === undefined || time < q.to) &&
    (q.target === undefined || recordTarget(r) === q.target) &&
    (q.type === undefined || r.type === q.type) &&
    (q.kind === undefined || recordKind(r) === q.kind);
  let hour: string | undefined;
  let found: { s: StoredRecord; time: string }[] = [];
  const flush = () => {
    found.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.s.record.id < b.s.record.id ? -1 : 1));
    for (const f of found) if (out.length < q.limit) out.push(f.s);
    found = [];
  };
  const [start, end] = keys.hourRange(stream, q.from, q.to);
  const it = await ctx.stub.getStateByRange(start, end);
  try {
    for (let r = await it.next(); !r.done; r = await it.next()) {
      const [, , h, heightText] = r.value.key.split('|') as [string, string, string, string];
      if (h !== hour) {
        flush();
        if (out.length >= q.limit) break;
        hour = h;
      }
      const entry = JSON.parse(Buffer.from(r.value.value).toString('utf8')) as HourEntry;
      if (q.target !== undefined && !entry.targets.includes(q.target)) continue;
      const height = Number(heightText);
      let records = cache.get(height);
      if (!records) cache.set(height, (records = await blockRecords(ctx, stream, height)));
      records.forEach((record, i) => {
        const time = recordTime(record);
        if (hourOf(time) === h && matches(record, time))
          found.push({ s: { record, height, leafIndex: entry.firstIndex + i }, time });
      });
    }
    flush();
  } finally {
    await it.close();
  }
  return canonicalJson(out);
}
