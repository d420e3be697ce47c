// One simulated PowerEdge: power state, sensors, faults, logs and the action counters tests use
// to prove exactly-once. Time-based transitions (boot, iDRAC restart) are timers, so a reader
// sees `PoweringOn` and has to poll, as on real hardware.
import { formatMessage, type FaultName, type MessageKey, type Severity } from './messages.ts';

export type PowerState = 'On' | 'Off' | 'PoweringOn' | 'PoweringOff';

export interface LogEntry {
  Id: string;
  Created: string;
  Severity: Severity;
  Message: string;
  MessageId: string;
  EntryType: 'SEL' | 'Oem';
}

export interface Subscription {
  Id: string;
  Destination: string;
  Context: string;
  EventTypes: string[];
}

export interface SimTimings {
  /** Time from power-on (or a power cycle) to `On` with a running OS. */
  bootMs: number;
  /** Time an iDRAC takes to come back after Manager.Reset. */
  idracRestartMs: number;
  /** Time a job-queue clear task stays `Running`. */
  taskMs: number;
}

export const DEFAULT_TIMINGS: SimTimings = { bootMs: 6000, idracRestartMs: 8000, taskMs: 500 };

export const SYSTEM_RESET_TYPES = [
  'On',
  'ForceOff',
  'ForceRestart',
  'GracefulRestart',
  'GracefulShutdown',
  'PushPowerButton',
  'Nmi',
  'PowerCycle',
];
export const MANAGER_RESET_TYPES = ['GracefulRestart'];

export interface Task {
  id: string;
  state: 'Running' | 'Completed';
  startedAt: number;
}

export class SimHost {
  power: PowerState = 'On';
  readonly faults = new Set<FaultName>();
  sel: LogEntry[] = [];
  lclog: LogEntry[] = [];
  readonly subscriptions = new Map<string, Subscription>();
  readonly sessions = new Map<string, { id: string; user: string }>();
  /** Actions received, by action name. */
  readonly actionCounts = new Map<string, number>();
  /** Actions received, by the `X-Idempotency-Key` header the caller sent. */
  readonly keyCounts = new Map<string, number>();
  readonly tasks = new Map<string, Task>();
  jobs: string[] = ['JID_000000000001'];
  idracRestarting = false;
  assetTag = '';
  /** Delay before answering an action that was already applied (tests kill a worker in this window). */
  actionReplyDelayMs = 0;
  etagSeq = 1;
  private nextLogId = 1;
  private nextId = 1;
  private timers = new Set<NodeJS.Timeout>();
  /** Called for every new log entry (the server pushes it to event subscribers). */
  onEvent: (e: LogEntry, origin: string) => void = () => {};

  constructor(
    readonly name: string,
    readonly serviceTag: string,
    readonly timings: SimTimings
  ) {
    this.log('lclog', 'SYS1000');
  }

  /** Health as the iDRAC rolls it up: worst of the components. */
  health(): Severity {
    const s = [this.fanHealth(), this.psuHealth(), this.tempHealth(), this.memoryHealth(), this.hostHealth()];
    return s.includes('Critical') ? 'Critical' : s.includes('Warning') ? 'Warning' : 'OK';
  }
  fanHealth(): Severity {
    return this.faults.has('fan-failure') ? 'Critical' : 'OK';
  }
  psuHealth(): Severity {
    return this.faults.has('psu-loss') ? 'Critical' : 'OK';
  }
  tempHealth(): Severity {
    return this.faults.has('overheating') ? 'Warning' : 'OK';
  }
  memoryHealth(): Severity {
    return this.faults.has('memory-ecc') ? 'Warning' : 'OK';
  }
  hostHealth(): Severity {
    return this.faults.has('hung-host') ? 'Critical' : 'OK';
  }

  inject(fault: FaultName): void {
    if (this.faults.has(fault)) return;
    this.faults.add(fault);
    if (fault === 'fan-failure') this.logBoth('FAN0001', '4');
    if (fault === 'psu-loss') {
      this.logBoth('PSU0003', '2');
      this.logBoth('RDU0012');
    }
    if (fault === 'overheating') this.logBoth('TMP0120');
    if (fault === 'memory-ecc') this.logBoth('MEM0701', 'DIMM A1');
    if (fault === 'hung-host') this.logBoth('ASR0000');
    // An unresponsive iDRAC logs nothing: it is the thing that would log.
  }

  /** Sensor events go to the SEL and are mirrored in the Lifecycle log, as iDRAC9 does. */
  private logBoth(key: MessageKey, arg = ''): void {
    const e = this.log('sel', key, arg);
    this.lclog.push({ ...e, Id: String(this.nextLogId++), EntryType: 'Oem' });
  }

  /** Repair by hand (a technician swapped the part): the fault goes, a normal-range entry is logged. */
  repair(fault: FaultName): void {
    if (!this.faults.delete(fault)) return;
    if (fault === 'fan-failure') this.logBoth('FAN0005', '4');
    if (fault === 'idrac-unresponsive') this.idracRestarting = false;
  }

  countAction(action: string, key: string | undefined): void {
    this.actionCounts.set(action, (this.actionCounts.get(action) ?? 0) + 1);
    if (key) this.keyCounts.set(key, (this.keyCounts.get(key) ?? 0) + 1);
  }

  /** ComputerSystem.Reset (the type was checked against SYSTEM_RESET_TYPES by the router). */
  reset(type: string): void {
    const boot = () => {
      this.power = 'PoweringOn';
      this.log('lclog', 'SYS1000');
      // A power cycle is the remedy for a hung OS: it clears after the boot completes.
      this.later(this.timings.bootMs, () => {
        this.power = 'On';
        this.faults.delete('hung-host');
      });
    };
    switch (type) {
      case 'On':
      case 'PushPowerButton':
        if (this.power === 'Off') boot();
        else if (type === 'PushPowerButton' && this.power === 'On') this.powerOff(false);
        break;
      case 'ForceOff':
        this.powerOff(true);
        break;
      case 'GracefulShutdown':
        // A hung OS ignores the ACPI request: nothing happens, as on a real server.
        if (!this.faults.has('hung-host')) this.powerOff(false);
        break;
      case 'GracefulRestart':
        if (!this.faults.has('hung-host')) {
          this.log('lclog', 'SYS1003');
          boot();
        }
        break;
      case 'ForceRestart':
      case 'PowerCycle':
        this.log('lclog', 'SYS1003');
        this.power = 'Off';
        boot();
        break;
      case 'Nmi':
        break;
    }
  }

  private powerOff(force: boolean): void {
    if (this.power === 'Off') return;
    this.log('lclog', 'SYS1001');
    this.power = 'PoweringOff';
    this.later(force ? 200 : 1000, () => {
      this.power = 'Off';
      this.faults.delete('hung-host');
    });
  }

  /** Manager.Reset: the iDRAC goes away, then comes back (clearing an unresponsive state). */
  resetManager(): void {
    this.idracRestarting = true;
    this.later(this.timings.idracRestartMs, () => {
      this.idracRestarting = false;
      this.faults.delete('idrac-unresponsive');
      this.log('lclog', 'RAC0182');
    });
  }

  /** The iDRAC answers nothing while it restarts or is hung. */
  unresponsive(): boolean {
    return this.idracRestarting || this.faults.has('idrac-unresponsive');
  }

  clearSel(by: string): void {
    this.sel = [];
    this.log('lclog', 'SIM_SEL_CLEARED', by);
  }

  clearJobs(): Task {
    const task: Task = {
      id: `JID_${String(Date.now()).slice(-9)}${this.nextId++}`,
      state: 'Running',
      startedAt: Date.now(),
    };
    this.tasks.set(task.id, task);
    this.later(this.timings.taskMs, () => {
      task.state = 'Completed';
      this.jobs = [];
    });
    return task;
  }

  newId(prefix: string): string {
    return `${prefix}${this.nextId++}`;
  }

  log(which: 'sel' | 'lclog', key: MessageKey, arg = ''): LogEntry {
    const m = formatMessage(key, arg);
    const entry: LogEntry = {
      Id: String(this.nextLogId++),
      Created: new Date().toISOString(),
      Severity: m.severity,
      Message: m.text,
      MessageId: m.id,
      EntryType: which === 'sel' ? 'SEL' : 'Oem',
    };
    this[which].push(entry);
    this.onEvent(
      entry,
      which === 'sel' ? '/redfish/v1/Systems/System.Embedded.1' : '/redfish/v1/Managers/iDRAC.Embedded.1'
    );
    return entry;
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
