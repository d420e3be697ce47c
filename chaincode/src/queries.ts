// Read paths of the contract: blocks with their records, and record queries over the index keys.
import type { Context } from 'fabric-contract-api';
import { canonicalJson } from './canonical';
import { keys } from './keys';
import { recordKind, type LedgerRecord } from './records';
import { readJson, type Block, type StoredRecord } from './state';

/** The block at a height with its records (canonical JSON), or '' when there is none. */
export async function blockWithRecords(ctx: Context, stream: string, height: number): Promise<string> {
  const block = await readJson<Block>(ctx, keys.block(stream, height));
  if (!block) return '';
  const records: LedgerRecord[] = [];
  for (const id of block.recordIds) {
    const s = await readJson<StoredRecord>(ctx, keys.record(stream, id));
    if (!s) throw new Error(`NOT_FOUND: record ${id} of block ${height} is missing`);
    records.push(s.record);
  }
  return canonicalJson({ ...block, records });
}

/**
 * Records by target and/or time (UTC ISO, `from` inclusive, `to` exclusive), filtered by kind and
 * type, ordered by time then id, at most `limit` (default 1000, at most 10000).
 */
export async function queryRecords(ctx: Context, stream: string, queryJson: string): Promise<string> {
  const q = JSON.parse(queryJson || '{}') as {
    target?: string;
    kind?: string;
    type?: string;
    from?: string;
    to?: string;
    limit?: number;
  };
  const limit = Math.min(Math.max(1, q.limit ?? 1000), 10_000);
  const iso = (t: string | undefined, name: string) => {
    if (t === undefined) return undefined;
    const d = new Date(t);
    if (Number.isNaN(d.getTime()))
      throw new Error(`INVALID: query ${name}: expected an ISO date-time, got ${JSON.stringify(t)}`);
    return d.toISOString();
  };
  const from = iso(q.from, 'from');
  const to = iso(q.to, 'to');
  const [start, end] =
    q.target !== undefined ? keys.targetRange(stream, q.target, from, to) : keys.timeRange(stream, from, to);
  const out: StoredRecord[] = [];
  const it = await ctx.stub.getStateByRange(start, end);
  try {
    for (let r = await it.next(); !r.done && out.length < limit; r = await it.next()) {
      const id = decodeURIComponent(r.value.key.slice(r.value.key.lastIndexOf('|') + 1));
      const s = await readJson<StoredRecord>(ctx, keys.record(stream, id));
      if (!s) continue;
      if (q.type !== undefined && s.record.type !== q.type) continue;
      if (q.kind !== undefined && recordKind(s.record) !== q.kind) continue;
      out.push(s);
    }
  } finally {
    await it.close();
  }
  return canonicalJson(out.map(({ record, height, leafIndex }) => ({ record, height, leafIndex })));
}
