// SQLite layout of the embedded ledger. Records are keyed by their global leaf index, so a block's
// records and a proof's leaves are primary-key range reads; internal Merkle nodes live in `nodes`
// under their in-order id (levels ≥ MIN_STORED_LEVEL only), which makes an inclusion proof about
// 2·log2(n) primary-key lookups at any size.
import Database from 'better-sqlite3';
import type { BlockFields } from './block.ts';

export const DB_SCHEMA_VERSION = '1';
/**
 * Internal nodes are stored from this level up (subtrees of 16+ leaves): about n/16 rows instead
 * of n. Lower nodes are recomputed from at most 8 leaf hashes when a proof needs them (a few µs),
 * which keeps appends cheap.
 */
export const MIN_STORED_LEVEL = 4;

export function openDb(file: string, durability: 'full' | 'normal'): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // FULL: a committed block survives power loss too; NORMAL survives process crashes only.
  db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('busy_timeout = 10000');
  // Checkpoint every ~40 MB of WAL instead of 4 MB: index pages rewritten by many blocks are
  // copied back once, not once per few blocks.
  db.pragma('wal_autocheckpoint = 10000');
  db.pragma('cache_size = -65536');
  db.exec(`
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS blocks (
      height INTEGER PRIMARY KEY,
      batch_id TEXT NOT NULL UNIQUE,
      prev_hash TEXT NOT NULL,
      batch_root TEXT NOT NULL,
      first_index INTEGER NOT NULL,
      count INTEGER NOT NULL,
      tree_size INTEGER NOT NULL,
      tree_root TEXT NOT NULL,
      created_at TEXT NOT NULL,
      block_hash TEXT NOT NULL,
      signature TEXT NOT NULL,
      body_digest TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS records (
      idx INTEGER PRIMARY KEY,
      rid TEXT NOT NULL UNIQUE,
      height INTEGER NOT NULL,
      type TEXT NOT NULL,
      target TEXT,
      kind TEXT,
      at TEXT NOT NULL,
      json TEXT NOT NULL,
      leaf BLOB NOT NULL
    );
    CREATE INDEX IF NOT EXISTS records_target_at ON records(target, at) WHERE target IS NOT NULL;
    CREATE INDEX IF NOT EXISTS records_kind_at ON records(kind, at) WHERE kind IS NOT NULL;
    CREATE INDEX IF NOT EXISTS records_type_at ON records(type, at);
    CREATE TABLE IF NOT EXISTS nodes (id INTEGER PRIMARY KEY, hash BLOB NOT NULL);
  `);
  const version = db.prepare<[], { value: string }>(`SELECT value FROM meta WHERE key = 'schema'`).get();
  if (!version) db.prepare(`INSERT INTO meta (key, value) VALUES ('schema', ?)`).run(DB_SCHEMA_VERSION);
  else if (version.value !== DB_SCHEMA_VERSION)
    throw new Error(`${file}: ledger schema ${version.value}, this build reads ${DB_SCHEMA_VERSION}`);
  return db;
}

export interface BlockRow {
  height: number;
  batch_id: string;
  prev_hash: string;
  batch_root: string;
  first_index: number;
  count: number;
  tree_size: number;
  tree_root: string;
  created_at: string;
  block_hash: string;
  signature: string;
  body_digest: string;
}

export function statements(db: Database.Database) {
  return {
    lastBlock: db.prepare<[], BlockRow>('SELECT * FROM blocks ORDER BY height DESC LIMIT 1'),
    blockByHeight: db.prepare<[number], BlockRow>('SELECT * FROM blocks WHERE height = ?'),
    blockByBatch: db.prepare<[string], BlockRow>('SELECT * FROM blocks WHERE batch_id = ?'),
    blockRange: db.prepare<[number, number], BlockRow>(
      'SELECT * FROM blocks WHERE height >= ? AND height <= ? ORDER BY height'
    ),
    insertBlock: db.prepare(
      `INSERT INTO blocks (height, batch_id, prev_hash, batch_root, first_index, count, tree_size, tree_root, created_at, block_hash, signature, body_digest)
       VALUES (@height, @batch_id, @prev_hash, @batch_root, @first_index, @count, @tree_size, @tree_root, @created_at, @block_hash, @signature, @body_digest)`
    ),
    insertRecord: db.prepare<[number, string, number, string, string | null, string | null, string, string, Buffer]>(
      'INSERT INTO records (idx, rid, height, type, target, kind, at, json, leaf) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'
    ),
    insertNode: db.prepare<[number, Buffer]>('INSERT OR REPLACE INTO nodes (id, hash) VALUES (?, ?)'),
    node: db.prepare<[number], Buffer>('SELECT hash FROM nodes WHERE id = ?').pluck(),
    leaf: db.prepare<[number], Buffer>('SELECT leaf FROM records WHERE idx = ?').pluck(),
    leafRange: db
      .prepare<[number, number], Buffer>('SELECT leaf FROM records WHERE idx >= ? AND idx < ? ORDER BY idx')
      .pluck(),
    recordById: db.prepare<[string], { idx: number; height: number; json: string; leaf: Buffer }>(
      'SELECT idx, height, json, leaf FROM records WHERE rid = ?'
    ),
    recordsOfRange: db.prepare<[number, number], { idx: number; json: string }>(
      'SELECT idx, json FROM records WHERE idx >= ? AND idx < ? ORDER BY idx'
    ),
    leafById: db.prepare<[string], Buffer>('SELECT leaf FROM records WHERE rid = ?').pluck(),
    maxIdx: db.prepare<[], number | null>('SELECT MAX(idx) FROM records').pluck(),
    getMeta: db.prepare<[string], string>('SELECT value FROM meta WHERE key = ?').pluck(),
    setMeta: db.prepare<[string, string]>('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)'),
  };
}
export type Statements = ReturnType<typeof statements>;

/** The hashed fields of a stored block (what the block hash covers). */
export function blockFieldsOf(b: BlockRow): BlockFields {
  return {
    height: b.height,
    batchId: b.batch_id,
    prevHash: b.prev_hash,
    batchRoot: b.batch_root,
    firstIndex: b.first_index,
    count: b.count,
    treeSize: b.tree_size,
    treeRoot: b.tree_root,
    createdAt: b.created_at,
  };
}
