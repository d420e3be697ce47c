// Thin activities over core/telemetry/probe-sweep.ts: run one probe sweep, hand confirmed
// availability events to the ledger when no `ledgerSubmit` activity is registered, and
// acknowledge them once handed off (they stay in the sweep's outbox until then).
import { ApplicationFailure } from '@temporalio/activity';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir } from '../core/config.ts';
import { openLedger } from '../core/ledger/index.ts';
import { canonicalJson, sha256Hex } from '../core/ledger/canonical.ts';
import type { LedgerRecordInput } from '../core/ledger/schema.ts';
import { sharedTelemetryStore } from '../core/telemetry/instance.ts';
import { ackProbeEvents, loadProbes, sweepProbes } from '../core/telemetry/probe-sweep.ts';
import { probeSpecSchema, type ProbeSpec } from '../core/telemetry/probes.ts';
import type { TelemetryStore } from '../core/telemetry/store.ts';
import type { Ledger } from '../core/ledger/ledger.ts';
import type { ActivityOptions } from './index.ts';

export interface ProbesSweepInput {
  /** Probes to run; default the probes file (config/probes.yaml or IRONTHRONE_PROBES_FILE). */
  specs?: unknown[];
  /** Name of the damping state (one per schedule), default `default`. */
  sweepId?: string;
}

export function createProbesActivities(
  opts: ActivityOptions & { telemetryStore?: TelemetryStore; ledger?: Ledger } = {}
) {
  const dir = () => (opts.dataDir ? join(opts.dataDir, 'probes') : dataDir('probes'));
  const stateFile = (sweepId = 'default') => {
    mkdirSync(dir(), { recursive: true });
    return join(dir(), `state-${sweepId.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
  };
  return {
    async probesSweep(input: ProbesSweepInput = {}) {
      let specs: ProbeSpec[];
      try {
        specs = input.specs
          ? input.specs.map((s, i) => probeSpecSchema.parse(s, { error: (iss) => `specs[${i}]: ${iss.message}` }))
          : loadProbes();
      } catch (err) {
        throw ApplicationFailure.nonRetryable((err as Error).message, 'ProbeConfigError');
      }
      const out = await sweepProbes(specs, {
        stateFile: stateFile(input.sweepId),
        store: opts.telemetryStore ?? sharedTelemetryStore(),
      });
      return {
        probed: out.results.length,
        down: out.results.filter((r) => !r.ok).map((r) => r.target),
        states: out.states,
        events: out.events,
      };
    },

    /** The events with these ids reached the ledger: remove them from the sweep's outbox. */
    async probesAck(input: { sweepId?: string; ids: string[] }) {
      return ackProbeEvents(stateFile(input.sweepId), input.ids);
    },

    /**
     * Hand-off used until the ledger capability's `ledgerSubmit` is wired: appends the events as
     * one batch whose id is derived from their content, so a retried activity is a no-op, and
     * skips events already in the ledger (an outbox re-sent after a crash before its ack).
     */
    async probesHandOffToLedger(events: LedgerRecordInput[]) {
      if (events.length === 0) return { appended: 0 };
      const ledger =
        opts.ledger ?? (await openLedger(undefined, opts.dataDir ? { dir: join(opts.dataDir, 'ledger') } : {}));
      try {
        const batchId = 'probes:' + sha256Hex(canonicalJson(events)).slice(0, 32);
        const receipt = await ledger.appendBatch(batchId, events, { skipExisting: true });
        return { appended: receipt.count, height: receipt.height, duplicate: receipt.duplicate };
      } finally {
        if (!opts.ledger) await ledger.close();
      }
    },
  };
}
