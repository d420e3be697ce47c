import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { createHash } from 'node:crypto';
for (const variant of ['none', 'rid', 'rid+3', 'all-nodes']) {
  const db = new Database(mkdtempSync('/tmp/sq-') + '/x.db');
  db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL'); db.pragma('cache_size = -65536');
  db.exec(`CREATE TABLE records (idx INTEGER PRIMARY KEY, rid TEXT NOT NULL ${variant === 'none' ? '' : 'UNIQUE'}, height INTEGER, type TEXT, target TEXT, kind TEXT, at TEXT, json TEXT, leaf BLOB); CREATE TABLE nodes (id INTEGER PRIMARY KEY, hash BLOB)`);
  if (variant.startsWith('rid+') || variant === 'all-nodes') db.exec(`CREATE INDEX a ON records(target, at) WHERE target IS NOT NULL; CREATE INDEX b ON records(kind, at) WHERE kind IS NOT NULL; CREATE INDEX c ON records(type, at);`);
  const ins = db.prepare('INSERT INTO records VALUES (?,?,?,?,?,?,?,?,?)'); const insN = db.prepare('INSERT INTO nodes VALUES (?,?)');
  const json = 'x'.repeat(300); const leaf = Buffer.alloc(32, 1);
  let idx = 0; const N = 200; const B = 1000;
  const t = performance.now();
  for (let b = 0; b < N; b++) db.transaction(() => { for (let i = 0; i < B; i++) { const rid = createHash('sha256').update(String(idx)).digest('hex'); ins.run(idx, rid, b, 'availability', 'host-' + (idx % 500), 'availability.down', new Date(1.7e12 + idx * 1000).toISOString(), json, leaf); if (variant === 'all-nodes') insN.run(idx * 2 + 1, leaf); idx++; } })();
  console.log(variant, Math.round(N * B / (performance.now() - t) * 1000), '/s');
}
