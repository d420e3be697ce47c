// Safety for hardware actions: at-most-once per idempotency key (SQLite, survives worker
// crashes), a per-host rate limit and a fleet-wide blast-radius limit, both persisted so they
// hold across workers and restarts.
//
// Protocol for one action with key K (`<workflowId>:<stepId>`):
//   1. K completed            -> return the recorded result, send nothing.
//   2. K has intent, no completion (a worker died between sending and recording): the request
//      may or may not have reached the BMC. We never resend blindly; `reconcile` asks the target
//      (Lifecycle log entries after the intent time, log state, the simulator's per-key count)
//      whether the action took effect. `done` -> record completion; `not-done` -> send once;
//      `unknown` -> refuse (non-retryable), a human decides. Actions whose effect is idempotent
//      (job-queue clear) reconcile to `not-done` and may be resent.
//   3. No record: check limits, record intent (in one transaction), send, record completion.
//      A request the BMC definitely refused (4xx, TLS pin, unsupported type) clears the intent,
//      since nothing happened; an ambiguous failure (timeout, reset connection, 5xx) keeps it.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { RedfishError } from './errors.ts';

export interface SafetyLimits {
  /** At most `max` actions on one host per `windowMs` (default 3 per 10 min). */
  perHost: { max: number; windowMs: number };
  /** At most `maxHosts` distinct hosts acted on per `windowMs`, fleet-wide (default 10 per hour). */
  fleet: { maxHosts: number; windowMs: number };
}

export const DEFAULT_LIMITS: SafetyLimits = {
  perHost: { max: 3, windowMs: 600_000 },
  fleet: { maxHosts: 10, windowMs: 3_600_000 },
};

/**
 * Limits from the environment (defaults otherwise): IRONTHRONE_HW_HOST_MAX_ACTIONS and
 * IRONTHRONE_HW_HOST_WINDOW (seconds), IRONTHRONE_HW_FLEET_MAX_HOSTS and IRONTHRONE_HW_FLEET_WINDOW (seconds).
 */
export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): SafetyLimits {
  const num = (name: string, fallback: number): number => {
    const v = env[name];
    if (v === undefined || v === '') return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}: expected a positive number, got '${v}'`);
    return n;
  };
  const d = DEFAULT_LIMITS;
  return {
    perHost: {
      max: num('IRONTHRONE_HW_HOST_MAX_ACTIONS', d.perHost.max),
      windowMs: num('IRONTHRONE_HW_HOST_WINDOW', d.perHost.windowMs / 1000) * 1000,
    },
    fleet: {
      maxHosts: num('IRONTHRONE_HW_FLEET_MAX_HOSTS', d.fleet.maxHosts),
      windowMs: num('IRONTHRONE_HW_FLEET_WINDOW', d.fleet.windowMs / 1000) * 1000,
    },
  };
}

export type Reconciled = 'done' | 'not-done' | 'unknown';

export interface GuardedAction {
  key: string;
  host: string;
  action: string;
  params?: unknown;
}

export interface GuardedResult<T> {
  result: T;
  /** true when the result came from the store and nothing was sent. */
  replayed: boolean;
  reconciled?: Reconciled;
}

interface Row {
  key: string;
  state: 'intent' | 'done';
  intent_at: number;
  result: string | null;
}

/** Errors after which the BMC certainly did not act (a refusal, or nothing reached it). */
const NOT_SENT = new Set([
  'RedfishAuthError',
  'RedfishForbiddenError',
  'RedfishNotFoundError',
  'RedfishBadRequestError',
  'RedfishNotSupportedError',
  'RedfishUnsupportedResetTypeError',
  'RedfishPreconditionError',
  'RedfishPinMismatchError',
  'RedfishTlsError',
  'SafetyRefusedError',
]);
function definitelyNotSent(e: unknown): boolean {
  return e instanceof RedfishError && NOT_SENT.has(e.type);
}

export class ActionGuard {
  private readonly db: Database.Database;
  constructor(
    dir: string,
    readonly limits: SafetyLimits = DEFAULT_LIMITS,
    private readonly now: () => number = Date.now
  ) {
    this.db = new Database(join(dir, 'actions.db'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS actions (
      key TEXT PRIMARY KEY, host TEXT NOT NULL, action TEXT NOT NULL, params TEXT,
      state TEXT NOT NULL, intent_at INTEGER NOT NULL, done_at INTEGER, result TEXT, attempts INTEGER NOT NULL DEFAULT 1);
      CREATE INDEX IF NOT EXISTS actions_host_at ON actions(host, intent_at);`);
  }

  lookup(key: string): Row | undefined {
    return this.db.prepare('SELECT key, state, intent_at, result FROM actions WHERE key = ?').get(key) as
      Row | undefined;
  }

  private checkLimits(host: string): void {
    const t = this.now();
    const { perHost, fleet } = this.limits;
    const onHost = (
      this.db
        .prepare('SELECT COUNT(*) n FROM actions WHERE host = ? AND intent_at > ?')
        .get(host, t - perHost.windowMs) as { n: number }
    ).n;
    if (onHost >= perHost.max)
      throw new RedfishError(
        'RateLimitedError',
        `rate limit: ${onHost} actions on ${host} in the last ${perHost.windowMs / 1000}s (limit ${perHost.max}); try later`
      );
    const hosts = (
      this.db.prepare('SELECT DISTINCT host FROM actions WHERE intent_at > ?').all(t - fleet.windowMs) as {
        host: string;
      }[]
    ).map((r) => r.host);
    if (!hosts.includes(host) && hosts.length >= fleet.maxHosts) {
      throw new RedfishError(
        'SafetyRefusedError',
        `blast-radius limit: ${hosts.length} hosts already acted on in the last ${fleet.windowMs / 1000}s (limit ${fleet.maxHosts}); refusing to act on ${host} without a human`
      );
    }
  }

  /** Run `send` at most once for `a.key` (see the protocol at the top of this file). */
  async run<T>(
    a: GuardedAction,
    send: () => Promise<T>,
    reconcile: (intentAt: number) => Promise<Reconciled>
  ): Promise<GuardedResult<T>> {
    const row = this.lookup(a.key);
    if (row?.state === 'done') return { result: (row.result ? JSON.parse(row.result) : null) as T, replayed: true };
    if (row?.state === 'intent') {
      const r = await reconcile(row.intent_at);
      if (r === 'done') {
        this.complete(a.key, { reconciled: true });
        return { result: { reconciled: true } as T, replayed: true, reconciled: r };
      }
      if (r === 'unknown')
        throw new RedfishError(
          'SafetyRefusedError',
          `action ${a.action} on ${a.host} (key ${a.key}) was started by an earlier attempt that did not finish, and the BMC cannot tell whether it took effect: refusing to send it again; check the host and complete or abort the run by hand`
        );
      this.db.prepare('UPDATE actions SET attempts = attempts + 1, intent_at = ? WHERE key = ?').run(this.now(), a.key);
    } else {
      this.db
        .transaction(() => {
          this.checkLimits(a.host);
          this.db
            .prepare('INSERT INTO actions (key, host, action, params, state, intent_at) VALUES (?, ?, ?, ?, ?, ?)')
            .run(a.key, a.host, a.action, JSON.stringify(a.params ?? null), 'intent', this.now());
        })
        .immediate();
    }
    let result: T;
    try {
      result = await send();
    } catch (e) {
      if (definitelyNotSent(e)) this.db.prepare('DELETE FROM actions WHERE key = ?').run(a.key);
      throw e;
    }
    this.complete(a.key, result);
    return { result, replayed: false };
  }

  private complete(key: string, result: unknown): void {
    this.db
      .prepare("UPDATE actions SET state = 'done', done_at = ?, result = ? WHERE key = ?")
      .run(this.now(), JSON.stringify(result ?? null), key);
  }

  close(): void {
    this.db.close();
  }
}
