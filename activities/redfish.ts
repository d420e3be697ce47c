// Redfish activities: the `redfish` step kind (`redfishAction`) and the fleet sweep's poll.
// Thin: validate, derive the idempotency key from the step context, call core/hardware, map
// typed errors to ApplicationFailures (permanent ones non-retryable, with a stable type).
import { ApplicationFailure, log } from '@temporalio/activity';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir, projectRoot } from '../core/config.ts';
import { isRedfishError } from '../core/hardware/errors.ts';
import { InventoryError, inventoryPath, loadInventory } from '../core/hardware/inventory.ts';
import { HardwareService } from '../core/hardware/service.ts';
import { pollHost } from '../core/hardware/sweep.ts';
import { sensorDatapoints, SweepStore } from '../core/hardware/handoff.ts';
import type { HardwareAvailabilityEvent, HostPollSummary } from '../core/hardware/transitions.ts';
import { sharedTelemetryStore } from '../core/telemetry/instance.ts';
import { sharedLogPipeline } from '../core/logs/open.ts';
import { ingestIdracLog } from '../core/logs/ingest/idrac-log.ts';
import { redfishParams } from '../core/runbook/kinds/redfish.ts';
import type { StepContext } from '../core/runbook/plan.ts';
import type { ActivityOptions } from './index.ts';
import { parseOrFail } from './steps.ts';

export interface RedfishActivityOptions extends ActivityOptions {
  /** Inventory file (default IRONTHRONE_INVENTORY or config/inventory.yaml). */
  inventoryFile?: string;
  /** Per-request BMC timeout (default 15 s). */
  redfishTimeoutMs?: number;
  /** Where sensor readings go (default: the shared telemetry store). */
  telemetrySink?: (points: ReturnType<typeof sensorDatapoints>) => void;
}

const mkdir = (d: string) => (mkdirSync(d, { recursive: true }), d);

function toFailure(err: unknown): unknown {
  if (isRedfishError(err))
    return err.retryable
      ? ApplicationFailure.retryable(err.message, err.type)
      : ApplicationFailure.nonRetryable(err.message, err.type, err.details);
  if (err instanceof InventoryError) return ApplicationFailure.nonRetryable(err.message, 'InventoryError');
  return err;
}

export function createRedfishActivities(opts: RedfishActivityOptions = {}) {
  let service: HardwareService | undefined;
  let loadedFrom: string | undefined;
  const hw = (): HardwareService => {
    const file = opts.inventoryFile ?? inventoryPath(projectRoot);
    if (!service || loadedFrom !== file) {
      service = new HardwareService({
        inventory: loadInventory(file),
        dataDir: mkdir(hwDir()),
        timeoutMs: opts.redfishTimeoutMs,
      });
      loadedFrom = file;
    }
    return service;
  };
  const hwDir = () => (opts.dataDir ? join(opts.dataDir, 'hardware') : dataDir('hardware'));
  let sweepStore: SweepStore | undefined;
  const sweep = () => (sweepStore ??= new SweepStore(hwDir()));
  const sink = opts.telemetrySink ?? ((points) => void sharedTelemetryStore().ingest(points));
  return {
    async redfishAction(params: unknown, ctx: StepContext): Promise<unknown> {
      const p = parseOrFail(redfishParams, params, `redfish step ${ctx.stepId}`);
      if (typeof p.approved === 'string')
        throw ApplicationFailure.nonRetryable(
          `redfish step ${ctx.stepId}: approved: expected a boolean, got an unresolved expression`,
          'BadInput'
        );
      try {
        return await hw().perform({
          host: p.host,
          action: p.action,
          resetType: p.reset_type,
          path: p.path,
          limit: p.limit,
          key: ctx.idempotencyKey,
          dryRun: ctx.dryRun,
          destructive: p.destructive,
          approved: p.approved,
        });
      } catch (err) {
        throw toFailure(err);
      }
    },
    /**
     * One host's health for the fleet sweep. Sensor readings go straight to telemetry (they would
     * bloat workflow history); the summary comes back. A BMC that does not answer is data.
     */
    async redfishPollHost(input: { host: string }): Promise<HostPollSummary & { latencyMs: number }> {
      try {
        const { sensors, ...summary } = await pollHost(hw(), input.host);
        if (sensors.length) sink(sensorDatapoints(sensors));
        return summary;
      } catch (err) {
        throw toFailure(err);
      }
    },
    /** Store the sweep's states and queue (idempotently) the health transitions as availability events. */
    async redfishRecordSweep(input: { polls: HostPollSummary[] }): Promise<HardwareAvailabilityEvent[]> {
      const events = sweep().record(input.polls);
      // A host that turned unhealthy: bring its SEL and Lifecycle log into the log store, so the
      // incident (and the runbook's `logs` step) sees the BMC's own account of what happened.
      for (const e of events.filter((x) => x.to !== 'OK' && x.to !== 'Unreachable')) {
        try {
          const d = hw().idrac(e.target);
          const { pipeline } = await sharedLogPipeline();
          await ingestIdracLog(pipeline, e.target, 'Sel', await d.sel(50));
          await ingestIdracLog(pipeline, e.target, 'Lclog', await d.lclog(50));
          await pipeline.flush();
        } catch (err) {
          log.warn('could not collect BMC logs for the incident', { host: e.target, error: String(err) });
        }
      }
      return events;
    },
    /** Mark outbox events as taken by the ledger. */
    async redfishMarkDelivered(input: { ids: string[] }): Promise<void> {
      sweep().markDelivered(input.ids);
    },
    /** Inventory host names (optionally one service or region), for the sweep. */
    async redfishListHosts(input: { service?: string; region?: string } = {}): Promise<string[]> {
      try {
        return hw()
          .opts.inventory.hosts.filter(
            (h) => (!input.service || h.service === input.service) && (!input.region || h.region === input.region)
          )
          .map((h) => h.name);
      } catch (err) {
        throw toFailure(err);
      }
    },
  };
}
