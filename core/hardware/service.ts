// The hardware service: inventory + one Redfish client per BMC + Dell operations + the safety
// guard. Everything that acts on hardware (activities, CLI, demo) goes through `perform`.
import { RedfishError } from './errors.ts';
import { Idrac, type LogRecord } from './idrac.ts';
import { resolvePassword, type Inventory, type InventoryHost } from './inventory.ts';
import { RedfishClient } from './redfish-client.ts';
import { ActionGuard, limitsFromEnv, type Reconciled, type SafetyLimits } from './safety.ts';

export const READ_ACTIONS = ['get', 'health', 'thermal', 'power', 'sel', 'lclog', 'discover'] as const;
export const WRITE_ACTIONS = ['reset', 'manager-reset', 'clear-sel', 'clear-jobs', 'reset-to-defaults'] as const;
export type RedfishAction = (typeof READ_ACTIONS)[number] | (typeof WRITE_ACTIONS)[number];
export const DESTRUCTIVE_ACTIONS: readonly RedfishAction[] = ['reset-to-defaults'];

export interface ActionRequest {
  host: string;
  action: RedfishAction;
  /** For `reset`: the ComputerSystem.Reset type (checked against the target's allowable values). */
  resetType?: string;
  /** For `get`: a Redfish path under /redfish/v1. */
  path?: string;
  limit?: number;
  /** `<workflowId>:<stepId>`: required for write actions. */
  key?: string;
  dryRun?: boolean;
  destructive?: boolean;
  approved?: boolean;
}

export interface PlannedRequest {
  method: string;
  url: string;
  body?: unknown;
  headers: Record<string, string>;
}

export interface HardwareServiceOptions {
  inventory: Inventory;
  dataDir: string;
  limits?: SafetyLimits;
  timeoutMs?: number;
  /** Where dry-run plans are printed (default console.log). */
  print?: (line: string) => void;
}

// BMC clocks are NTP-synced in a managed fleet; this slack absorbs the rest.
const CLOCK_SLACK_MS = 2000;
/** The Lifecycle-log entry each reset type leaves on a Dell iDRAC. */
const RESET_EVIDENCE: Record<string, string> = {
  PowerCycle: 'SYS1003',
  ForceRestart: 'SYS1003',
  GracefulRestart: 'SYS1003',
  ForceOff: 'SYS1001',
  GracefulShutdown: 'SYS1001',
  On: 'SYS1000',
  PushPowerButton: 'SYS1000',
};
const isWrite = (a: RedfishAction) => (WRITE_ACTIONS as readonly string[]).includes(a);

export class HardwareService {
  private readonly clients = new Map<string, RedfishClient>();
  readonly guard: ActionGuard;

  constructor(readonly opts: HardwareServiceOptions) {
    this.guard = new ActionGuard(opts.dataDir, opts.limits ?? limitsFromEnv());
  }

  client(name: string): RedfishClient {
    let c = this.clients.get(name);
    if (!c) {
      const h = this.opts.inventory.get(name);
      c = new RedfishClient({
        baseUrl: h.bmc,
        username: h.credentials.username,
        password: resolvePassword(h),
        tls: h.tls,
        timeoutMs: this.opts.timeoutMs ?? 15_000,
      });
      this.clients.set(name, c);
    }
    return c;
  }

  private readonly idracs = new Map<string, Idrac>();
  /** One Idrac per host: its discovery (resource paths) is cached across polls. */
  idrac(name: string): Idrac {
    let d = this.idracs.get(name);
    if (!d) this.idracs.set(name, (d = new Idrac(this.client(name))));
    return d;
  }

  /** The requests a write action would send, with Dell's standard resource ids (no network). */
  plan(h: InventoryHost, r: ActionRequest): PlannedRequest[] {
    const headers = { 'X-Idempotency-Key': r.key ?? '(none)', Authorization: '(redacted)' };
    const u = (p: string) => new URL(p, h.bmc).href;
    const mgr = '/redfish/v1/Managers/iDRAC.Embedded.1';
    switch (r.action) {
      case 'reset':
        return [
          {
            method: 'POST',
            url: u('/redfish/v1/Systems/System.Embedded.1/Actions/ComputerSystem.Reset'),
            body: { ResetType: r.resetType },
            headers,
          },
        ];
      case 'manager-reset':
        return [
          { method: 'POST', url: u(`${mgr}/Actions/Manager.Reset`), body: { ResetType: 'GracefulRestart' }, headers },
        ];
      case 'clear-sel':
        return [{ method: 'POST', url: u(`${mgr}/LogServices/Sel/Actions/LogService.ClearLog`), body: {}, headers }];
      case 'clear-jobs':
        return [
          {
            method: 'POST',
            url: u(`${mgr}/Oem/Dell/DellJobService/Actions/DellJobService.DeleteJobQueue`),
            body: { JobID: 'JID_CLEARALL' },
            headers,
          },
        ];
      case 'reset-to-defaults':
        return [
          {
            method: 'POST',
            url: u(`${mgr}/Actions/Oem/DellManager.ResetToDefaults`),
            body: { ResetType: 'Default' },
            headers,
          },
        ];
      default:
        return [{ method: 'GET', url: u(r.path ?? '/redfish/v1'), headers }];
    }
  }

  async perform(r: ActionRequest): Promise<unknown> {
    const h = this.opts.inventory.get(r.host);
    if (r.action === 'reset' && !r.resetType)
      throw new RedfishError(
        'RedfishBadRequestError',
        'action reset needs reset_type (e.g. PowerCycle, ForceRestart, GracefulRestart)'
      );
    if (r.action === 'get' && r.path && !r.path.startsWith('/redfish/v1'))
      throw new RedfishError('RedfishBadRequestError', `path '${r.path}' must start with /redfish/v1`);
    if (DESTRUCTIVE_ACTIONS.includes(r.action) && !(r.destructive && r.approved)) {
      throw new RedfishError(
        'SafetyRefusedError',
        `${r.action} is destructive: the step must be marked destructive and come after an approval`
      );
    }
    if (r.dryRun && isWrite(r.action)) {
      const requests = this.plan(h, r);
      const print = this.opts.print ?? console.log;
      for (const q of requests)
        print(
          `[dry-run] ${h.name}: ${q.method} ${q.url} ${q.body === undefined ? '' : JSON.stringify(q.body)} (X-Idempotency-Key: ${q.headers['X-Idempotency-Key']})`
        );
      return { dryRun: true, host: h.name, action: r.action, requests };
    }
    const d = this.idrac(r.host);
    switch (r.action) {
      case 'discover':
        return d.discover();
      case 'health':
        return d.health();
      case 'thermal':
        return d.thermal();
      case 'power':
        return d.power();
      case 'sel':
        return d.sel(r.limit);
      case 'lclog':
        return d.lclog(r.limit);
      case 'get':
        return this.client(r.host).getJson(r.path ?? '/redfish/v1');
    }
    if (!r.key) throw new RedfishError('RedfishBadRequestError', `write action ${r.action} needs an idempotency key`);
    const key = r.key;
    const guarded = await this.guard.run(
      { key, host: h.name, action: r.action, params: { resetType: r.resetType } },
      async () => {
        if (r.action === 'reset') await d.reset(r.resetType!, key);
        else if (r.action === 'manager-reset') await d.managerReset(key);
        else if (r.action === 'clear-sel') await d.clearSel(key);
        else if (r.action === 'clear-jobs') await d.clearJobs(key);
        else await d.resetToDefaults(key, r);
        return { host: h.name, action: r.action, resetType: r.resetType, sentAt: new Date().toISOString() };
      },
      (intentAt) => this.reconcile(d, r.action, intentAt, r.resetType)
    );
    return {
      ...(guarded.result as object),
      replayed: guarded.replayed,
      ...(guarded.reconciled ? { reconciled: guarded.reconciled } : {}),
    };
  }

  /** Did an action whose completion was never recorded take effect? Asks the BMC's own logs. */
  private async reconcile(d: Idrac, action: RedfishAction, intentAt: number, resetType?: string): Promise<Reconciled> {
    const after = (e: LogRecord) => Date.parse(e.created) >= intentAt - CLOCK_SLACK_MS;
    try {
      if (action === 'clear-jobs') return 'not-done'; // clearing an empty queue is harmless
      if (action === 'reset-to-defaults') return 'unknown';
      if (action === 'clear-sel') return (await d.sel(1000)).some((e) => !after(e)) ? 'not-done' : 'done';
      const lc = (await d.lclog(200)).filter(after).map((e) => e.messageId);
      if (action === 'reset') return lc.includes(RESET_EVIDENCE[resetType ?? ''] ?? 'SYS1003') ? 'done' : 'not-done';
      if (action === 'manager-reset') return lc.includes('RAC0182') ? 'done' : 'unknown';
    } catch {
      return 'unknown';
    }
    return 'unknown';
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.close()));
    this.clients.clear();
    this.guard.close();
  }
}
