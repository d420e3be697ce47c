// Availability reports computed from the ledger's availability events. A report names the exact
// ledger state it used (tree size, Merkle root, block height) and a digest of the event ids, so
// `verifyReport` can recompute it: the ledger chain must verify, the root at that tree size must
// match, every event must prove its inclusion under that root, and the figures must come out equal.
import { canonicalJson, sha256Hex } from '../ledger/canonical.ts';
import type { Ledger, StoredRecord } from '../ledger/ledger.ts';
import { verifyInclusion } from '../ledger/proofs.ts';
import type { AvailabilityEvent } from '../ledger/schema.ts';
import { computeAvailability, type AvailabilityOptions, type Figures, type GroupBy } from './compute.ts';
import type { MaintenanceWindow } from './maintenance.ts';

export const REPORT_VERSION = 1;
/** How far before the window events are read, to know each target's state at the window start. */
export const DEFAULT_LOOKBACK_MS = 30 * 86_400_000;
const MAX_EVENTS = 10_000;

export interface ReportRequest {
  from: number;
  to: number;
  objective?: number;
  groupBy?: GroupBy;
  filter?: Record<string, string>;
  maintenance?: MaintenanceWindow[];
  downStates?: string[];
  lookbackMs?: number;
}

export interface AvailabilityReport {
  version: typeof REPORT_VERSION;
  window: { from: string; to: string };
  params: {
    objective: number;
    groupBy: GroupBy;
    filter: Record<string, string>;
    maintenance: MaintenanceWindow[];
    downStates?: string[];
    lookbackMs: number;
  };
  ledger: {
    kind: string;
    height: number;
    treeSize: number;
    root: string;
    /** Event time range read from the ledger (lookback included). */
    eventsFrom: string;
    eventsTo: string;
    events: number;
    /** Leaf index range of the events used. */
    firstLeaf: number | null;
    lastLeaf: number | null;
    /** sha256 of the canonical JSON list of the event ids, in leaf order. */
    eventsDigest: string;
  };
  figures: Figures[];
}

async function readEvents(ledger: Ledger, from: number, to: number, treeSize: number): Promise<StoredRecord[]> {
  const rows = await ledger.query({
    type: 'availability',
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    limit: MAX_EVENTS,
  });
  if (rows.length >= MAX_EVENTS)
    throw new Error(
      `more than ${MAX_EVENTS - 1} availability events in ${new Date(from).toISOString()}..${new Date(to).toISOString()}: narrow the window or the lookback`
    );
  // only what the head we cite covers: appends racing with the report are left out
  return rows.filter((r) => r.leafIndex < treeSize).sort((a, b) => a.leafIndex - b.leafIndex);
}

function compute(
  rows: StoredRecord[],
  req: AvailabilityReport['params'],
  window: { from: number; to: number }
): Figures[] {
  const events = rows.map((r) => r.record as AvailabilityEvent);
  const opts: AvailabilityOptions = {
    from: window.from,
    to: window.to,
    objective: req.objective,
    groupBy: req.groupBy,
    filter: req.filter,
    maintenance: req.maintenance,
    ...(req.downStates ? { downStates: req.downStates } : {}),
  };
  return computeAvailability(events, opts);
}

export async function buildReport(ledger: Ledger, req: ReportRequest): Promise<AvailabilityReport> {
  const head = await ledger.head();
  const lookbackMs = req.lookbackMs ?? DEFAULT_LOOKBACK_MS;
  const eventsFrom = req.from - lookbackMs;
  const rows = await readEvents(ledger, eventsFrom, req.to, head.treeSize);
  const params = {
    objective: req.objective ?? 0.999,
    groupBy: req.groupBy ?? 'service',
    filter: req.filter ?? {},
    maintenance: req.maintenance ?? [],
    ...(req.downStates ? { downStates: req.downStates } : {}),
    lookbackMs,
  };
  return {
    version: REPORT_VERSION,
    window: { from: new Date(req.from).toISOString(), to: new Date(req.to).toISOString() },
    params,
    ledger: {
      kind: ledger.kind,
      height: head.height,
      treeSize: head.treeSize,
      root: head.root,
      eventsFrom: new Date(eventsFrom).toISOString(),
      eventsTo: new Date(req.to).toISOString(),
      events: rows.length,
      firstLeaf: rows[0]?.leafIndex ?? null,
      lastLeaf: rows.at(-1)?.leafIndex ?? null,
      eventsDigest: 'sha256:' + sha256Hex(canonicalJson(rows.map((r) => r.record.id))),
    },
    figures: compute(rows, params, req),
  };
}

export interface ReportCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

/** Recompute a report against the ledger; `ok` only when every check passes. */
export async function verifyReport(
  ledger: Ledger,
  report: AvailabilityReport
): Promise<{ ok: boolean; checks: ReportCheck[] }> {
  const checks: ReportCheck[] = [];
  const add = (name: string, ok: boolean, detail?: string) => checks.push({ name, ok, ...(detail ? { detail } : {}) });
  try {
    const chain = await ledger.verify({ toHeight: report.ledger.height });
    add(
      'ledger chain verifies',
      chain.ok,
      chain.firstBad
        ? `block ${chain.firstBad.height}: ${chain.firstBad.reason}`
        : `${chain.checked} blocks, ${chain.records} records`
    );
  } catch (err) {
    add('ledger chain verifies', false, (err as Error).message);
  }
  try {
    const root = await ledger.rootAt(report.ledger.treeSize);
    add(
      'Merkle root at the cited tree size',
      root === report.ledger.root,
      root === report.ledger.root ? root : `ledger has ${root}, report cites ${report.ledger.root}`
    );
  } catch (err) {
    add('Merkle root at the cited tree size', false, (err as Error).message);
  }
  const window = { from: Date.parse(report.window.from), to: Date.parse(report.window.to) };
  let rows: StoredRecord[] = [];
  try {
    rows = await readEvents(
      ledger,
      Date.parse(report.ledger.eventsFrom),
      Date.parse(report.ledger.eventsTo),
      report.ledger.treeSize
    );
    const digest = 'sha256:' + sha256Hex(canonicalJson(rows.map((r) => r.record.id)));
    add(
      'same events',
      digest === report.ledger.eventsDigest,
      digest === report.ledger.eventsDigest
        ? `${rows.length} events`
        : `ledger now yields ${rows.length} events with digest ${digest}`
    );
  } catch (err) {
    add('same events', false, (err as Error).message);
  }
  let bad = 0;
  let firstBad = '';
  for (const r of rows) {
    try {
      const proof = await ledger.proveInclusion(r.record.id, report.ledger.treeSize);
      const v = verifyInclusion(proof, r.record, report.ledger.root);
      if (!v.ok) {
        bad++;
        firstBad ||= `${r.record.id}: ${v.reason}`;
      }
    } catch (err) {
      bad++;
      firstBad ||= `${r.record.id}: ${(err as Error).message}`;
    }
  }
  add(
    'every event proves inclusion under the root',
    bad === 0,
    bad ? `${bad} failed, first ${firstBad}` : `${rows.length} proofs`
  );
  const again = compute(rows, report.params, window);
  const same = canonicalJson(again) === canonicalJson(report.figures);
  add('figures recompute identically', same, same ? undefined : 'recomputed figures differ from the report');
  return { ok: checks.every((c) => c.ok), checks };
}
