// The fleet health sweep (run by a Temporal Schedule): poll every BMC with bounded concurrency,
// turn health transitions (OK -> Warning -> Critical and back, or Unreachable) into availability
// events, and hand them on. Sensor readings go to telemetry inside the poll activity.
import { proxyActivities } from '@temporalio/workflow';
import type { createRedfishActivities } from '../activities/redfish.ts';
import type { HardwareAvailabilityEvent, HostPollSummary } from '../core/hardware/transitions.ts';
import type { TriggerEvent } from '../core/runbook/triggers.ts';

type RedfishActivities = ReturnType<typeof createRedfishActivities>;

export interface FleetSweepInput {
  /** Hosts to poll; default every inventory host (optionally of one service or region). */
  hosts?: string[];
  service?: string;
  region?: string;
  /** Polls in flight at once (default 32). */
  concurrency?: number;
  /**
   * `outbox` (default): events stay in the hardware outbox for the ledger batcher to take.
   * `ledger`: also call the ledger capability's `ledgerSubmit` activity with each event and mark
   * it delivered (requires that activity to be registered on the worker).
   */
  handOff?: 'outbox' | 'ledger';
  /** Start the runbooks whose triggers match each transition (incident dispatch). */
  dispatch?: boolean;
}

export interface FleetSweepResult {
  polled: number;
  unreachable: number;
  states: Record<string, string>;
  events: HardwareAvailabilityEvent[];
  maxLatencyMs: number;
}

const acts = proxyActivities<RedfishActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 3, initialInterval: '1s', nonRetryableErrorTypes: ['UnknownHostError', 'InventoryError'] },
});

const ledger = proxyActivities<{ ledgerSubmit(records: HardwareAvailabilityEvent[]): Promise<unknown> }>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 5 },
});

const incidents = proxyActivities<{ incidentDispatch(event: TriggerEvent): Promise<unknown> }>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 5 },
});

export async function fleetSweep(input: FleetSweepInput = {}): Promise<FleetSweepResult> {
  const hosts = input.hosts ?? (await acts.redfishListHosts({ service: input.service, region: input.region }));
  const limit = Math.max(1, input.concurrency ?? 32);
  const polls: (HostPollSummary & { latencyMs: number })[] = [];
  let next = 0;
  // A fixed pool of `limit` lanes, each taking the next host: deterministic and bounded.
  const lane = async () => {
    while (next < hosts.length) {
      const host = hosts[next++]!;
      polls.push(await acts.redfishPollHost({ host }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, hosts.length) }, lane));
  polls.sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
  const events = await acts.redfishRecordSweep({ polls: polls.map(({ latencyMs: _l, ...p }) => p) });
  if (input.handOff === 'ledger' && events.length) {
    // One submission for the whole sweep; record ids make a retried submission a no-op.
    await ledger.ledgerSubmit(events);
    await acts.redfishMarkDelivered({ ids: events.map((e) => e.id) });
  }
  if (input.dispatch) {
    for (const e of events) {
      await incidents.incidentDispatch({ kind: e.kind, target: e.target, severity: e.severity, tags: e.tags, from: e.from, to: e.to, observedAt: e.observedAt });
    }
  }
  return {
    polled: polls.length,
    unreachable: polls.filter((p) => p.state === 'Unreachable').length,
    states: Object.fromEntries(polls.map((p) => [p.host, p.state])),
    events,
    maxLatencyMs: Math.max(0, ...polls.map((p) => p.latencyMs)),
  };
}
