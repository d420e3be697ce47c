// Dell iDRAC operations over Redfish: discovery by @odata.id navigation, health and sensors,
// logs, and the actions runbooks need. Actions take the idempotency key (sent as a header so
// the simulator can count them); at-most-once is enforced above this, in safety.ts.
/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return -- Redfish documents are vendor JSON, read defensively with optional chaining and checked where it matters */
import { RedfishError } from './errors.ts';
import type { ODataRef, RedfishClient } from './redfish-client.ts';

type Doc = Record<string, any>;
export type Health = 'OK' | 'Warning' | 'Critical' | 'Unknown';

export interface Discovery {
  system: string;
  chassis: string;
  manager: string;
  model?: string;
  serviceTag?: string;
  firmware?: string;
}

export interface HealthReport {
  health: Health;
  rollup: Health;
  powerState: string;
  components: { fans: Health; powerSupplies: Health; temperatures: Health; memory: Health; processors: Health };
}

export interface SensorReading {
  name: string;
  reading: number | null;
  units: 'RPM' | 'Cel' | 'W' | 'V';
  health: Health;
}

export interface LogRecord {
  id: string;
  created: string;
  severity: string;
  messageId: string;
  message: string;
}

const worst = (xs: Health[]): Health =>
  xs.includes('Critical')
    ? 'Critical'
    : xs.includes('Warning')
      ? 'Warning'
      : xs.every((x) => x === 'OK')
        ? 'OK'
        : 'Unknown';
const health_ = (d: Doc | undefined): Health => {
  const h = d?.Status?.Health;
  return h === 'OK' || h === 'Warning' || h === 'Critical' ? h : 'Unknown';
};
const ref = (d: Doc | undefined, what: string): string => {
  const id = (d as ODataRef | undefined)?.['@odata.id'];
  if (typeof id !== 'string')
    throw new RedfishError('RedfishMalformedResponseError', `the BMC's Redfish tree has no link to ${what}`);
  return id;
};

export class Idrac {
  private found?: Discovery;
  constructor(readonly client: RedfishClient) {}

  /** Find the system, chassis and manager from the service root (no hard-coded ids). */
  async discover(): Promise<Discovery> {
    if (this.found) return this.found;
    const root = await this.client.getJson<Doc>('/redfish/v1');
    const systems = await this.client.getJson<Doc>(ref(root.Systems, 'Systems'));
    const system = ref(systems.Members?.[0], 'a ComputerSystem');
    const sys = await this.client.getJson<Doc>(system);
    const chassis = sys.Links?.Chassis?.[0]
      ? ref(sys.Links.Chassis[0], 'Chassis')
      : ref((await this.client.getJson<Doc>(ref(root.Chassis, 'Chassis'))).Members?.[0], 'a Chassis');
    const manager = sys.Links?.ManagedBy?.[0]
      ? ref(sys.Links.ManagedBy[0], 'Manager')
      : ref((await this.client.getJson<Doc>(ref(root.Managers, 'Managers'))).Members?.[0], 'a Manager');
    const mgr = await this.client.getJson<Doc>(manager);
    this.found = { system, chassis, manager, model: sys.Model, serviceTag: sys.SKU, firmware: mgr.FirmwareVersion };
    return this.found;
  }

  async system(): Promise<Doc> {
    return this.client.getJson<Doc>((await this.discover()).system);
  }

  private async chassisDoc(): Promise<Doc> {
    return this.client.getJson<Doc>((await this.discover()).chassis);
  }

  async thermal(chassis?: Doc): Promise<{ fans: SensorReading[]; temperatures: SensorReading[] }> {
    const ch = chassis ?? (await this.chassisDoc());
    const t = await this.client.getJson<Doc>(ref(ch.Thermal, 'Thermal'));
    return {
      fans: (t.Fans ?? []).map((f: Doc) => ({
        name: f.Name ?? f.FanName,
        reading: f.Reading ?? null,
        units: 'RPM',
        health: health_(f),
      })),
      temperatures: (t.Temperatures ?? []).map((x: Doc) => ({
        name: x.Name,
        reading: x.ReadingCelsius ?? null,
        units: 'Cel',
        health: health_(x),
      })),
    };
  }

  async power(chassis?: Doc): Promise<{ supplies: SensorReading[]; consumedWatts: number | null }> {
    const ch = chassis ?? (await this.chassisDoc());
    const p = await this.client.getJson<Doc>(ref(ch.Power, 'Power'));
    return {
      supplies: (p.PowerSupplies ?? []).map((s: Doc) => ({
        name: s.Name,
        reading: s.LastPowerOutputWatts ?? null,
        units: 'W',
        health: health_(s),
      })),
      consumedWatts: p.PowerControl?.[0]?.PowerConsumedWatts ?? null,
    };
  }

  async processors(): Promise<{ name: string; health: Health }[]> {
    const sys = await this.system();
    return (await this.client.members<Doc>(ref(sys.Processors, 'Processors'))).map((p) => ({
      name: p.Id,
      health: health_(p),
    }));
  }

  async memory(): Promise<{ name: string; health: Health }[]> {
    const sys = await this.system();
    return (await this.client.members<Doc>(ref(sys.Memory, 'Memory'))).map((m) => ({ name: m.Id, health: health_(m) }));
  }

  /** Health rollup plus the component view a runbook branches on. */
  async health(): Promise<HealthReport> {
    return (await this.healthWithSensors()).health;
  }

  /** Health and the sensor readings it was computed from (the sweep keeps both). */
  async healthWithSensors(): Promise<{
    health: HealthReport;
    thermal: Awaited<ReturnType<Idrac['thermal']>>;
    power: Awaited<ReturnType<Idrac['power']>>;
  }> {
    const [sys, ch] = await Promise.all([this.system(), this.chassisDoc()]);
    const [thermal, power] = await Promise.all([this.thermal(ch), this.power(ch)]);
    const health: HealthReport = {
      health: health_(sys),
      rollup: (sys.Status?.HealthRollup as Health | undefined) ?? health_(sys),
      powerState: sys.PowerState,
      components: {
        fans: worst(thermal.fans.map((f) => f.health)),
        temperatures: worst(thermal.temperatures.map((f) => f.health)),
        powerSupplies: worst(power.supplies.map((f) => f.health)),
        memory: health_(sys.MemorySummary),
        processors: health_(sys.ProcessorSummary),
      },
    };
    return { health, thermal, power };
  }

  private async logEntries(which: 'Sel' | 'Lclog', limit: number): Promise<LogRecord[]> {
    const mgr = await this.client.getJson<Doc>((await this.discover()).manager);
    const services = await this.client.getJson<Doc>(ref(mgr.LogServices, 'LogServices'));
    const svc = (services.Members ?? []).find((m: ODataRef) => m['@odata.id'].endsWith(`/${which}`));
    const entries = await this.client.getJson<Doc>(`${ref(svc, `the ${which} log`)}/Entries`);
    return (entries.Members ?? []).slice(0, limit).map((e: Doc) => ({
      id: e.Id,
      created: e.Created,
      severity: e.Severity,
      messageId: e.MessageId,
      message: e.Message,
    }));
  }

  sel(limit = 200): Promise<LogRecord[]> {
    return this.logEntries('Sel', limit);
  }

  lclog(limit = 200): Promise<LogRecord[]> {
    return this.logEntries('Lclog', limit);
  }

  /** Reset types this system accepts, read from the target at run time. */
  async allowedResetTypes(): Promise<{ target: string; allowed: string[] }> {
    const a = (await this.system()).Actions?.['#ComputerSystem.Reset'];
    if (!a?.target)
      throw new RedfishError('RedfishNotSupportedError', 'this system offers no ComputerSystem.Reset action');
    return { target: a.target, allowed: a['ResetType@Redfish.AllowableValues'] ?? [] };
  }

  async reset(resetType: string, key?: string): Promise<void> {
    const { target, allowed } = await this.allowedResetTypes();
    await this.postReset(target, resetType, allowed, key, 'ComputerSystem.Reset');
  }

  /** The manager alone, without touching the system: works while the iDRAC's data back end is hung. */
  private async managerPath(): Promise<string> {
    if (this.found) return this.found.manager;
    const root = await this.client.getJson<Doc>('/redfish/v1');
    return ref((await this.client.getJson<Doc>(ref(root.Managers, 'Managers'))).Members?.[0], 'a Manager');
  }

  async managerReset(key?: string, resetType = 'GracefulRestart'): Promise<void> {
    const mgr = await this.client.getJson<Doc>(await this.managerPath());
    const a = mgr.Actions?.['#Manager.Reset'];
    if (!a?.target) throw new RedfishError('RedfishNotSupportedError', 'this manager offers no Manager.Reset action');
    await this.postReset(
      a.target,
      resetType,
      a['ResetType@Redfish.AllowableValues'] ?? [resetType],
      key,
      'Manager.Reset'
    );
  }

  private async postReset(
    target: string,
    resetType: string,
    allowed: string[],
    key: string | undefined,
    action: string
  ): Promise<void> {
    const unsupported = () =>
      new RedfishError(
        'RedfishUnsupportedResetTypeError',
        `${action} type '${resetType}' is not supported by ${this.client.base.host}; allowed: ${allowed.join(', ') || '(none advertised)'}`,
        { allowed }
      );
    if (allowed.length && !allowed.includes(resetType)) throw unsupported();
    try {
      await this.client.post(target, { ResetType: resetType }, key);
    } catch (e) {
      // Some BMCs advertise a type and then refuse it (sushy's fake driver answers 501 for Nmi).
      if (
        e instanceof RedfishError &&
        (e.details.status === 501 || e.details.messageIds?.some((m) => m.includes('NotInList')))
      )
        throw unsupported();
      throw e;
    }
  }

  async clearSel(key?: string): Promise<void> {
    const mgr = await this.client.getJson<Doc>((await this.discover()).manager);
    const services = await this.client.getJson<Doc>(ref(mgr.LogServices, 'LogServices'));
    const sel = await this.client.getJson<Doc>(
      ref(
        (services.Members ?? []).find((m: ODataRef) => m['@odata.id'].endsWith('/Sel')),
        'the SEL'
      )
    );
    const target = sel.Actions?.['#LogService.ClearLog']?.target;
    if (!target) throw new RedfishError('RedfishNotSupportedError', 'the SEL offers no LogService.ClearLog action');
    await this.client.post(target, {}, key);
  }

  /** Dell job queue clear (JID_CLEARALL); follows the task monitor when the iDRAC answers 202. */
  async clearJobs(key?: string, waitMs = 120_000): Promise<void> {
    const mgr = await this.client.getJson<Doc>((await this.discover()).manager);
    const svc = ref(mgr.Links?.Oem?.Dell?.DellJobService, 'DellJobService');
    const r = await this.client.post(`${svc}/Actions/DellJobService.DeleteJobQueue`, { JobID: 'JID_CLEARALL' }, key);
    if (r.status === 202 && r.location) await this.client.waitTask(r.location, { timeoutMs: waitMs, pollMs: 250 });
  }

  /** iDRAC reset to factory defaults: destructive, refused unless the caller says destructive and approved. */
  async resetToDefaults(key: string | undefined, guard: { destructive?: boolean; approved?: boolean }): Promise<void> {
    if (!guard.destructive || !guard.approved)
      throw new RedfishError(
        'SafetyRefusedError',
        'iDRAC reset-to-defaults is destructive: the step must be marked destructive and follow an approval'
      );
    const mgr = await this.client.getJson<Doc>((await this.discover()).manager);
    const target = mgr.Actions?.Oem?.['#DellManager.ResetToDefaults']?.target;
    if (!target)
      throw new RedfishError('RedfishNotSupportedError', 'this iDRAC offers no DellManager.ResetToDefaults action');
    await this.client.post(target, { ResetType: 'Default' }, key);
  }
}
