// Where the sweep's output goes. Availability events are kept in an outbox (SQLite, keyed by the
// event id so a retried activity adds nothing twice) until the ledger takes them: the workflow
// hands them to the ledger's `ledgerSubmit` activity when one is registered (see
// workflows/fleet-sweep.ts); sensor readings go to the telemetry store as Atlas-style datapoints.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { healthTransitions, type HardwareAvailabilityEvent, type HostPollSummary } from './transitions.ts';
import type { SensorSample } from './sweep.ts';

export class SweepStore {
  private readonly db: Database.Database;
  constructor(dir: string) {
    this.db = new Database(join(dir, 'sweep.db'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS host_state (host TEXT PRIMARY KEY, summary TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS event_outbox (id TEXT PRIMARY KEY, event TEXT NOT NULL, created_at INTEGER NOT NULL, delivered_at INTEGER);`);
  }

  previous(): Record<string, HostPollSummary> {
    const rows = this.db.prepare('SELECT host, summary FROM host_state').all() as { host: string; summary: string }[];
    return Object.fromEntries(rows.map((r) => [r.host, JSON.parse(r.summary) as HostPollSummary]));
  }

  /** Compare with the stored states, store the new ones and queue the transitions, atomically. */
  record(polls: HostPollSummary[]): HardwareAvailabilityEvent[] {
    return this.db.transaction(() => {
      const events = healthTransitions(this.previous(), polls);
      const put = this.db.prepare(
        'INSERT INTO host_state (host, summary) VALUES (?, ?) ON CONFLICT(host) DO UPDATE SET summary = excluded.summary'
      );
      for (const p of polls) put.run(p.host, JSON.stringify(p));
      const add = this.db.prepare('INSERT OR IGNORE INTO event_outbox (id, event, created_at) VALUES (?, ?, ?)');
      for (const e of events) add.run(e.id, JSON.stringify(e), Date.now());
      return events;
    })();
  }

  /** Events not yet taken by the ledger (oldest first). */
  pending(limit = 1000): HardwareAvailabilityEvent[] {
    return (
      this.db
        .prepare('SELECT event FROM event_outbox WHERE delivered_at IS NULL ORDER BY created_at, id LIMIT ?')
        .all(limit) as { event: string }[]
    ).map((r) => JSON.parse(r.event) as HardwareAvailabilityEvent);
  }

  markDelivered(ids: string[]): void {
    const st = this.db.prepare('UPDATE event_outbox SET delivered_at = ? WHERE id = ?');
    this.db.transaction(() => ids.forEach((id) => st.run(Date.now(), id)))();
  }

  close(): void {
    this.db.close();
  }
}

/** Atlas-style datapoints (`name` is a tag) for the telemetry store's ingest. */
export function sensorDatapoints(
  samples: SensorSample[]
): { tags: Record<string, string>; timestamp: number; value: number }[] {
  return samples.map((s) => ({ tags: { name: s.name, ...s.tags }, timestamp: s.at, value: s.value }));
}
