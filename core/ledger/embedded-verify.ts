// Full verification of the embedded ledger: recomputes every block from its records and names
// the first block that is wrong and why. Checks, per block: contiguous height, header hash,
// signature, link to the previous block, leaf range, each record's leaf hash and indexed columns,
// the batch root and the global tree root; then that no rows lie beyond the head and that the
// head checkpoint outside the database (head.json) is still there (catches deleted tail blocks).
import type Database from 'better-sqlite3';
import type { KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { blockHashOf, GENESIS_PREV_HASH, nodeId } from './block.ts';
import { blockFieldsOf, MIN_STORED_LEVEL, type BlockRow, type Statements } from './embedded-db.ts';
import { normaliseTime } from './embedded-query.ts';
import type { VerifyRange, VerifyReport } from './ledger.ts';
import { foldFrontier, frontierOf, leafHash, nodeHash, rootOfLeaves, type NodeReader } from './merkle.ts';
import { verifyHashSignature } from './node-key.ts';
import { recordKind, recordTarget, recordTime, type LedgerRecord } from './schema.ts';

/** The stored `at` is the record time normalised; most times are stored as given (fast path). */
const sameTime = (t: string, at: string) => t === at || normaliseTime(t, 'time') === at;

export const checkpointFile = (dir: string) => join(dir, 'head.json');

export interface VerifyContext {
  db: Database.Database;
  st: Statements;
  dir: string;
  publicKey: KeyObject;
  reader: NodeReader;
}

class Bad extends Error {
  constructor(
    readonly height: number,
    reason: string
  ) {
    super(reason);
  }
}

/** Blocks are read in windows of about this many records, to bound memory at any batch size. */
const WINDOW_RECORDS = 50_000;

export function verifyEmbedded(ctx: VerifyContext, range: VerifyRange): VerifyReport {
  let checked = 0;
  let records = 0;
  let current = range.fromHeight ?? 1;
  try {
    const run = ctx.db.transaction(() => {
      const last = ctx.st.lastBlock.get();
      const headHeight = last?.height ?? 0;
      const from = range.fromHeight ?? 1;
      const to = Math.min(range.toHeight ?? headHeight, headHeight);
      if (!Number.isSafeInteger(from) || from < 1) throw new RangeError(`fromHeight must be ≥ 1, got ${from}`);
      let prevHash = GENESIS_PREV_HASH;
      let size = 0;
      let frontier: Buffer[] = [];
      if (from > 1 && from <= to) {
        const prev = ctx.st.blockByHeight.get(from - 1);
        if (!prev) throw new Bad(from - 1, `block ${from - 1} is missing`);
        prevHash = prev.block_hash;
        size = prev.tree_size;
        frontier = frontierOf(ctx.reader, size);
        if (foldFrontier(frontier).toString('hex') !== prev.tree_root) {
          throw new Bad(from - 1, `stored tree nodes do not give block ${from - 1}'s tree root`);
        }
      }
      const nodeStmt = ctx.db.prepare('SELECT id, hash FROM nodes WHERE id >= ? AND id < ? ORDER BY id').raw();
      const recStmt = ctx.db
        .prepare(
          'SELECT idx, rid, height, type, target, kind, at, json, leaf FROM records WHERE idx >= ? AND idx < ? ORDER BY idx'
        )
        .raw();
      let h = from;
      while (h <= to) {
        // A window of blocks with about WINDOW_RECORDS records between them.
        const blocks: BlockRow[] = [];
        let n = 0;
        for (const b of ctx.st.blockRange.all(h, Math.min(to, h + 999))) {
          blocks.push(b);
          n += Math.max(0, b.count);
          if (n >= WINDOW_RECORDS) break;
        }
        if (blocks.length === 0) throw new Bad(h, `block ${h} is missing`);
        const lo = Math.min(size, blocks[0]!.first_index);
        const hi = Math.max(...blocks.map((b) => b.tree_size));
        const rows = recStmt.all(lo, Math.max(lo, hi)) as [
          number,
          string,
          number,
          string,
          string | null,
          string | null,
          string,
          string,
          Buffer,
        ][];
        // Stored internal nodes whose span lies inside this window, by (id - 2·lo - 1) / 2.
        const stored: (Buffer | undefined)[] = new Array<Buffer | undefined>(Math.max(0, hi - lo));
        for (const [id, hash] of nodeStmt.all(2 * lo, 2 * hi) as [number, Buffer][])
          stored[(id - 2 * lo - 1) / 2] = hash;
        const checkNode = (level: number, leafIdx: number, hash: Buffer) => {
          const id = nodeId(level, Math.floor(leafIdx / 2 ** level));
          const have = id >= 2 * lo && id < 2 * hi ? stored[(id - 2 * lo - 1) / 2] : ctx.st.node.get(id);
          if (!have || !have.equals(hash))
            throw new Bad(
              h,
              `stored Merkle node (level ${level}, over leaf ${leafIdx}) differs from the recomputed tree (proofs would fail)`
            );
        };
        let r = 0;
        while (r < rows.length && rows[r]![0] < size) r++;
        for (const b of blocks) {
          current = h;
          if (b.height !== h) throw new Bad(h, `block ${h} is missing (next stored block is ${b.height})`);
          const fields = blockFieldsOf(b);
          if (blockHashOf(fields) !== b.block_hash)
            throw new Bad(h, 'block header does not hash to its stored block hash (a header field was edited)');
          if (!verifyHashSignature(ctx.publicKey, b.block_hash, b.signature))
            throw new Bad(h, 'signature does not verify with the node key');
          if (b.prev_hash !== prevHash)
            throw new Bad(
              h,
              `previous-hash link broken: block points to ${b.prev_hash.slice(0, 16)}…, block ${h - 1} is ${prevHash.slice(0, 16)}…`
            );
          if (b.first_index !== size || b.tree_size !== size + b.count) {
            throw new Bad(
              h,
              `leaf range [${b.first_index}, ${b.tree_size}) does not follow the previous tree size ${size} with ${b.count} records`
            );
          }
          const leaves: Buffer[] = [];
          for (let i = b.first_index; i < b.tree_size; i++) {
            const row = rows[r];
            if (!row || row[0] !== i) throw new Bad(h, `record at leaf ${i} is missing (row deleted?)`);
            r++;
            const [, rid, rh, type, target, kind, at, json, leaf] = row;
            if (rh !== h) throw new Bad(h, `record at leaf ${i} claims block ${rh}`);
            const lh = leafHash(json);
            if (!lh.equals(leaf))
              throw new Bad(h, `record ${rid} at leaf ${i}: stored JSON does not hash to its leaf (record edited)`);
            let rec: LedgerRecord;
            try {
              rec = JSON.parse(json) as LedgerRecord;
            } catch {
              throw new Bad(h, `record at leaf ${i} is not valid JSON`);
            }
            if (
              rec.id !== rid ||
              rec.type !== type ||
              (recordTarget(rec) ?? null) !== target ||
              (recordKind(rec) ?? null) !== kind ||
              !sameTime(recordTime(rec), at)
            ) {
              throw new Bad(
                h,
                `record ${rec.id} at leaf ${i}: indexed columns (id, type, target, kind, time) differ from the record`
              );
            }
            leaves.push(lh);
            let cur = lh;
            let level = 0;
            for (let k = i; k % 2 === 1; k = Math.floor(k / 2)) {
              cur = nodeHash(frontier.pop()!, cur);
              if (++level >= MIN_STORED_LEVEL) checkNode(level, i, cur);
            }
            frontier.push(cur);
          }
          if (rootOfLeaves(leaves).toString('hex') !== b.batch_root)
            throw new Bad(h, 'batch root recomputed from the records differs from the signed batch root');
          size = b.tree_size;
          if (foldFrontier(frontier).toString('hex') !== b.tree_root)
            throw new Bad(h, 'tree root recomputed from all records differs from the signed tree root');
          prevHash = b.block_hash;
          checked++;
          records += b.count;
          h++;
        }
      }
      if (to === headHeight) {
        current = headHeight + 1;
        const maxIdx = ctx.st.maxIdx.get() ?? -1;
        if (maxIdx >= size)
          throw new Bad(headHeight, `records beyond the head: leaf ${maxIdx} exists but the tree has ${size} leaves`);
        if (size > 0) {
          const stored = frontierOf(ctx.reader, size);
          if (stored.some((s, i) => !s.equals(frontier[i]!)))
            throw new Bad(headHeight, 'stored Merkle tree nodes differ from the recomputed tree (proofs would fail)');
        }
        checkCheckpoint(ctx, headHeight);
      }
    });
    run();
    return { ok: true, checked, records };
  } catch (err) {
    if (err instanceof Bad)
      return { ok: false, checked, records, firstBad: { height: err.height, reason: err.message } };
    if (err instanceof RangeError) throw err;
    return {
      ok: false,
      checked,
      records,
      firstBad: { height: current, reason: `database unreadable: ${(err as Error).message}` },
    };
  }
}

function checkCheckpoint(ctx: VerifyContext, headHeight: number): void {
  const file = checkpointFile(ctx.dir);
  if (!existsSync(file)) return;
  let cp: { height: number; blockHash: string };
  try {
    cp = JSON.parse(readFileSync(file, 'utf8')) as { height: number; blockHash: string };
  } catch {
    return; // an unreadable checkpoint is only a lost witness, not evidence against the database
  }
  if (cp.height > headHeight) {
    throw new Bad(
      headHeight + 1,
      `blocks ${headHeight + 1}..${cp.height} are missing: the head checkpoint says height ${cp.height} (blocks deleted or file truncated)`
    );
  }
  const b = ctx.st.blockByHeight.get(cp.height);
  if (b && b.block_hash !== cp.blockHash)
    throw new Bad(cp.height, `block ${cp.height} differs from the head checkpoint (history rewritten)`);
}

/** Verifies a ledger folder without trusting it to open: an unreadable file is a failed verify. */
export function unreadable(err: unknown): VerifyReport {
  return {
    ok: false,
    checked: 0,
    records: 0,
    firstBad: { height: 0, reason: `database unreadable: ${(err as Error).message}` },
  };
}
