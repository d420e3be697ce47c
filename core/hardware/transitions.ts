// Health transitions -> availability events. Pure and dependency-free: the fleet-sweep workflow
// imports it (deterministic code), the benchmark and tests use it directly.

export type SweepState = 'OK' | 'Warning' | 'Critical' | 'Unknown' | 'Unreachable';

export interface HostPollSummary {
  host: string;
  state: SweepState;
  /** Component that is worst, when not OK (fans, powerSupplies, temperatures, memory, processors, host). */
  components: Record<string, string>;
  observedAt: string;
  /** sha256:<hex> of the poll's canonical payload, computed by the activity. */
  payloadDigest: string;
  tags: Record<string, string>;
  error?: string;
}

/** Fields of the ledger's availability record (core/ledger/schema.ts). */
export interface HardwareAvailabilityEvent {
  id: string;
  type: 'availability';
  target: string;
  kind: string;
  from: string;
  to: string;
  severity: 'info' | 'warning' | 'minor' | 'major' | 'critical';
  observedAt: string;
  source: string;
  payloadDigest: string;
  tags?: Record<string, string>;
}

const SEVERITY: Record<SweepState, HardwareAvailabilityEvent['severity']> = {
  OK: 'info',
  Warning: 'warning',
  Critical: 'critical',
  Unknown: 'minor',
  Unreachable: 'major',
};
const KIND_OF: Record<string, string> = {
  fans: 'hardware.fan',
  powerSupplies: 'hardware.psu',
  temperatures: 'hardware.thermal',
  memory: 'hardware.memory',
  processors: 'hardware.cpu',
  host: 'hardware.host',
};

/** The event kind: the worst failing component names it (`hardware.fan`), else `hardware.health`. */
export function eventKind(p: HostPollSummary, prev?: HostPollSummary): string {
  if (p.state === 'Unreachable') return 'hardware.bmc-unreachable';
  const bad = (s?: HostPollSummary) =>
    Object.entries(s?.components ?? {}).filter(([, v]) => v === 'Critical' || v === 'Warning');
  const now = bad(p).sort(([, a], [, b]) => (a === b ? 0 : a === 'Critical' ? -1 : 1));
  const first = now[0] ?? bad(prev)[0];
  return first ? (KIND_OF[first[0]] ?? 'hardware.health') : 'hardware.health';
}

/**
 * Compare a sweep with the previous states and return one event per host whose state changed.
 * A host seen for the first time in a non-OK state also yields an event (from `Unknown`).
 */
export function healthTransitions(
  prev: Record<string, HostPollSummary>,
  polls: HostPollSummary[]
): HardwareAvailabilityEvent[] {
  const out: HardwareAvailabilityEvent[] = [];
  for (const p of polls) {
    const before = prev[p.host];
    const from: SweepState = before?.state ?? 'Unknown';
    if (from === p.state || (!before && p.state === 'OK')) continue;
    out.push({
      // Business key: the same transition observed twice is the same ledger record.
      // The ledger accepts letters, digits and . _ : @ / + = - in record ids.
      id: `hw:${p.host}:${from}-to-${p.state}:${p.observedAt}`,
      type: 'availability',
      target: p.host,
      kind: eventKind(p, before),
      from,
      to: p.state,
      severity: SEVERITY[p.state],
      observedAt: p.observedAt,
      source: 'redfish-sweep',
      payloadDigest: p.payloadDigest,
      tags: { ...p.tags, host: p.host },
    });
  }
  return out;
}
