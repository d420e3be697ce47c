// The embedded default: logs in one SQLite file with an FTS5 index over message and raw text.
// better-sqlite3 is synchronous; the interface is async so both stores look alike to callers.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { dataDir } from '../config.ts';
import { checkQuery, textWords, utcDayStart, type BatchDigest, type LogStore, type WriteResult } from './store.ts';
import { SEVERITIES, severityRank, type LogDoc, type LogQuery, type LogSearchResult } from './types.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS logs (
  rowid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  ts TEXT NOT NULL,
  host TEXT,
  service TEXT,
  severity INTEGER NOT NULL,
  message_id TEXT,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS logs_ts ON logs (ts DESC, id);
CREATE INDEX IF NOT EXISTS logs_host_ts ON logs (host, ts DESC);
CREATE INDEX IF NOT EXISTS logs_service_ts ON logs (service, ts DESC);
-- '_' is a token character so request_id stays one word, as in Elasticsearch's standard analyzer.
CREATE VIRTUAL TABLE IF NOT EXISTS logs_fts USING fts5 (message, raw, tokenize = "unicode61 tokenchars '_'");
CREATE TABLE IF NOT EXISTS log_batches (id TEXT PRIMARY KEY, body TEXT NOT NULL);
`;

export interface SqliteLogStoreOptions {
  /** Database file; default `<dataDir>/logs/logs.db`. */
  file?: string;
}

/** An FTS5 phrase per word: quotes doubled, so any input is a literal, never FTS syntax. */
function ftsQuery(text: string | undefined): string | undefined {
  const words = textWords(text);
  return words.length ? words.map((w) => `"${w.replaceAll('"', '""')}"`).join(' ') : undefined;
}

export class SqliteLogStore implements LogStore {
  readonly kind = 'sqlite' as const;
  readonly location: string;
  private readonly db: Database.Database;
  private readonly insertLog: Database.Statement;
  private readonly insertFts: Database.Statement;
  private readonly writeTx: (docs: LogDoc[]) => WriteResult;

  constructor(opts: SqliteLogStoreOptions = {}) {
    const file = opts.file ?? join(dataDir('logs'), 'logs.db');
    this.location = `sqlite:${file}`;
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    this.insertLog = this.db.prepare(
      'INSERT OR IGNORE INTO logs (id, ts, host, service, severity, message_id, doc) VALUES (?, ?, ?, ?, ?, ?, ?)'
    );
    this.insertFts = this.db.prepare('INSERT INTO logs_fts (rowid, message, raw) VALUES (?, ?, ?)');
    this.writeTx = this.db.transaction((docs: LogDoc[]) => {
      let written = 0;
      for (const d of docs) {
        const r = this.insertLog.run(
          d.id,
          d.ts,
          d.host ?? null,
          d.service ?? null,
          severityRank(d.severity),
          d.messageId ?? null,
          JSON.stringify(d)
        );
        if (r.changes === 0) continue;
        this.insertFts.run(r.lastInsertRowid, d.message, d.raw);
        written++;
      }
      return { written, existing: docs.length - written };
    });
  }

  async write(docs: LogDoc[]): Promise<WriteResult> {
    return this.writeTx(docs);
  }

  async get(id: string): Promise<LogDoc | undefined> {
    const row = this.db.prepare('SELECT doc FROM logs WHERE id = ?').get(id) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as LogDoc) : undefined;
  }

  async search(q: LogQuery): Promise<LogSearchResult> {
    const { limit } = checkQuery(q);
    const where: string[] = [];
    const args: unknown[] = [];
    const fts = ftsQuery(q.text);
    if (fts) {
      where.push('l.rowid IN (SELECT rowid FROM logs_fts WHERE logs_fts MATCH ?)');
      args.push(fts);
    }
    const eq = (col: string, v: string | undefined) => {
      if (v === undefined) return;
      where.push(`l.${col} = ?`);
      args.push(v);
    };
    eq('host', q.host);
    eq('service', q.service);
    eq('message_id', q.messageId);
    if (q.severity) where.push(`l.severity = ${SEVERITIES.indexOf(q.severity)}`);
    if (q.minSeverity) where.push(`l.severity >= ${SEVERITIES.indexOf(q.minSeverity)}`);
    const cond = (sql: string, v: string | undefined) => {
      if (v === undefined) return;
      where.push(sql);
      args.push(v);
    };
    cond('l.ts >= ?', q.since && new Date(q.since).toISOString());
    cond('l.ts < ?', q.until && new Date(q.until).toISOString());
    cond("EXISTS (SELECT 1 FROM json_each(l.doc, '$.correlationIds') WHERE value = ?)", q.correlationId);
    cond("EXISTS (SELECT 1 FROM json_each(l.doc, '$.tags') WHERE value = ?)", q.tag);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT count(*) AS n FROM logs l ${clause}`).get(...args) as { n: number }).n;
    const rows = this.db
      .prepare(`SELECT l.doc FROM logs l ${clause} ORDER BY l.ts DESC, l.id LIMIT ?`)
      .all(...args, limit) as { doc: string }[];
    return { total, hits: rows.map((r) => JSON.parse(r.doc) as LogDoc) };
  }

  async putBatch(batch: BatchDigest): Promise<void> {
    this.db
      .prepare('INSERT INTO log_batches (id, body) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body')
      .run(batch.id, JSON.stringify(batch));
  }

  async getBatch(id: string): Promise<BatchDigest | undefined> {
    const row = this.db.prepare('SELECT body FROM log_batches WHERE id = ?').get(id) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as BatchDigest) : undefined;
  }

  async deleteBefore(time: string): Promise<number> {
    const iso = utcDayStart(time).toISOString();
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM logs_fts WHERE rowid IN (SELECT rowid FROM logs WHERE ts < ?)').run(iso);
      return this.db.prepare('DELETE FROM logs WHERE ts < ?').run(iso).changes;
    })();
  }

  async ping(): Promise<boolean> {
    return this.db.open;
  }

  async refresh(): Promise<void> {}

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
