// One host's poll for the fleet sweep: health rollup, components, sensor readings (the
// telemetry hand-off) and a digest of what was seen. A BMC that does not answer is data
// (state Unreachable), not an exception: only inventory problems throw.
import { createHash } from 'node:crypto';
import { isRedfishError } from './errors.ts';
import type { HardwareService } from './service.ts';
import type { HostPollSummary, SweepState } from './transitions.ts';

export interface SensorSample {
  /** Atlas-style series name and tags, e.g. `hardware.fan.rpm` {host, sensor}. */
  name: string;
  tags: Record<string, string>;
  value: number;
  at: number;
}

export interface HostPoll extends HostPollSummary {
  latencyMs: number;
  sensors: SensorSample[];
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

export async function pollHost(service: HardwareService, name: string): Promise<HostPoll> {
  const inv = service.opts.inventory.get(name); // unknown host throws (permanent)
  const tags: Record<string, string> = Object.fromEntries(
    Object.entries({ service: inv.service, region: inv.region, rack: inv.rack }).filter(
      (e): e is [string, string] => typeof e[1] === 'string'
    )
  );
  const t0 = Date.now();
  const d = service.idrac(name);
  try {
    const { health, thermal, power } = await d.healthWithSensors();
    const at = Date.now();
    const state: SweepState =
      health.rollup === 'OK' || health.rollup === 'Warning' || health.rollup === 'Critical' ? health.rollup : 'Unknown';
    const components: Record<string, string> = { ...health.components, host: health.health };
    const sensors: SensorSample[] = [
      ...thermal.fans
        .filter((f) => f.reading !== null)
        .map((f) => ({
          name: 'hardware.fan.rpm',
          tags: { ...tags, host: name, sensor: f.name },
          value: f.reading!,
          at,
        })),
      ...thermal.temperatures
        .filter((f) => f.reading !== null)
        .map((f) => ({
          name: 'hardware.temperature.celsius',
          tags: { ...tags, host: name, sensor: f.name },
          value: f.reading!,
          at,
        })),
      ...(power.consumedWatts === null
        ? []
        : [{ name: 'hardware.power.watts', tags: { ...tags, host: name }, value: power.consumedWatts, at }]),
    ];
    const payload = { host: name, health, thermal, power };
    return {
      host: name,
      state,
      components,
      observedAt: new Date(at).toISOString(),
      payloadDigest: `sha256:${createHash('sha256').update(canonical(payload)).digest('hex')}`,
      tags,
      latencyMs: at - t0,
      sensors,
    };
  } catch (err) {
    if (!isRedfishError(err) || err.type === 'UnknownHostError') throw err;
    const at = Date.now();
    const error = `${err.type}: ${err.message}`;
    return {
      host: name,
      state: 'Unreachable',
      components: {},
      observedAt: new Date(at).toISOString(),
      payloadDigest: `sha256:${createHash('sha256').update(error).digest('hex')}`,
      tags,
      latencyMs: at - t0,
      sensors: [],
      error,
    };
  }
}
