// Redfish documents of a simulated Dell PowerEdge R750 with iDRAC9, shaped like the real ones
// (ids, @odata.type versions, Dell Oem links) so clients written against it work on hardware.
import { MANAGER_RESET_TYPES, SYSTEM_RESET_TYPES, type LogEntry, type SimHost } from './host.ts';
import type { Severity } from './messages.ts';

const SYS = '/redfish/v1/Systems/System.Embedded.1';
const CHASSIS = '/redfish/v1/Chassis/System.Embedded.1';
const MGR = '/redfish/v1/Managers/iDRAC.Embedded.1';
const status = (health: Severity, rollup: Severity = health) => ({
  State: 'Enabled',
  Health: health,
  HealthRollup: rollup,
});
const collection = (id: string, type: string, members: string[]) => ({
  '@odata.id': id,
  '@odata.type': `#${type}Collection.${type}Collection`,
  Name: `${type} Collection`,
  Members: members.map((m) => ({ '@odata.id': m })),
  'Members@odata.count': members.length,
});

export function serviceRoot() {
  return {
    '@odata.id': '/redfish/v1',
    '@odata.type': '#ServiceRoot.v1_11_0.ServiceRoot',
    Id: 'RootService',
    Name: 'Root Service',
    RedfishVersion: '1.15.0',
    Vendor: 'Dell',
    Product: 'Integrated Dell Remote Access Controller',
    Systems: { '@odata.id': '/redfish/v1/Systems' },
    Chassis: { '@odata.id': '/redfish/v1/Chassis' },
    Managers: { '@odata.id': '/redfish/v1/Managers' },
    SessionService: { '@odata.id': '/redfish/v1/SessionService' },
    EventService: { '@odata.id': '/redfish/v1/EventService' },
    TaskService: { '@odata.id': '/redfish/v1/TaskService' },
    Links: { Sessions: { '@odata.id': '/redfish/v1/SessionService/Sessions' } },
  };
}

export function system(h: SimHost) {
  return {
    '@odata.id': SYS,
    '@odata.type': '#ComputerSystem.v1_20_0.ComputerSystem',
    Id: 'System.Embedded.1',
    Name: 'System',
    Manufacturer: 'Dell Inc.',
    Model: 'PowerEdge R750',
    SKU: h.serviceTag,
    SerialNumber: `CN7${h.serviceTag}`,
    HostName: h.name,
    AssetTag: h.assetTag,
    BiosVersion: '1.13.2',
    PowerState: h.power,
    Status: status(h.hostHealth(), h.health()),
    ProcessorSummary: {
      Count: 2,
      Model: 'Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz',
      LogicalProcessorCount: 128,
      Status: status('OK'),
    },
    MemorySummary: { TotalSystemMemoryGiB: 512, MemoryMirroring: 'System', Status: status(h.memoryHealth()) },
    Processors: { '@odata.id': `${SYS}/Processors` },
    Memory: { '@odata.id': `${SYS}/Memory` },
    LogServices: { '@odata.id': `${SYS}/LogServices` },
    Links: { Chassis: [{ '@odata.id': CHASSIS }], ManagedBy: [{ '@odata.id': MGR }] },
    Actions: {
      '#ComputerSystem.Reset': {
        target: `${SYS}/Actions/ComputerSystem.Reset`,
        'ResetType@Redfish.AllowableValues': SYSTEM_RESET_TYPES,
      },
    },
    Oem: {
      Dell: {
        DellSystem: {
          '@odata.type': '#DellSystem.v1_3_0.DellSystem',
          CurrentRollupStatus: h.health(),
          FanRollupStatus: h.fanHealth(),
          PSRollupStatus: h.psuHealth(),
          TempRollupStatus: h.tempHealth(),
          SysMemPrimaryStatus: h.memoryHealth(),
        },
      },
    },
  };
}

export function memoryCollection() {
  return collection(
    `${SYS}/Memory`,
    'Memory',
    ['A1', 'A2', 'B1', 'B2'].map((d) => `${SYS}/Memory/DIMM.Socket.${d}`)
  );
}

export function dimm(h: SimHost, slot: string) {
  const bad = slot === 'A1' ? h.memoryHealth() : 'OK';
  return {
    '@odata.id': `${SYS}/Memory/DIMM.Socket.${slot}`,
    '@odata.type': '#Memory.v1_16_0.Memory',
    Id: `DIMM.Socket.${slot}`,
    Name: `DIMM ${slot}`,
    CapacityMiB: 131072,
    MemoryDeviceType: 'DDR4',
    OperatingSpeedMhz: 3200,
    Status: status(bad),
  };
}

export function processorCollection() {
  return collection(
    `${SYS}/Processors`,
    'Processor',
    ['CPU.Socket.1', 'CPU.Socket.2'].map((c) => `${SYS}/Processors/${c}`)
  );
}

export function processor(id: string) {
  return {
    '@odata.id': `${SYS}/Processors/${id}`,
    '@odata.type': '#Processor.v1_16_0.Processor',
    Id: id,
    Name: id,
    Model: 'Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz',
    TotalCores: 32,
    TotalThreads: 64,
    Status: status('OK'),
  };
}

export function chassis(h: SimHost) {
  return {
    '@odata.id': CHASSIS,
    '@odata.type': '#Chassis.v1_21_0.Chassis',
    Id: 'System.Embedded.1',
    Name: 'Computer System Chassis',
    ChassisType: 'RackMount',
    Manufacturer: 'Dell Inc.',
    Model: 'PowerEdge R750',
    SKU: h.serviceTag,
    PowerState: h.power,
    Status: status(h.health()),
    Thermal: { '@odata.id': `${CHASSIS}/Thermal` },
    Power: { '@odata.id': `${CHASSIS}/Power` },
    Links: { ComputerSystems: [{ '@odata.id': SYS }], ManagedBy: [{ '@odata.id': MGR }] },
  };
}

export function thermal(h: SimHost) {
  const on = h.power === 'On';
  const fans = [1, 2, 3, 4, 5, 6].map((n) => {
    const failed = n === 4 && h.faults.has('fan-failure');
    return {
      '@odata.id': `${CHASSIS}/Thermal#/Fans/${n - 1}`,
      MemberId: `0x17||Fan.Embedded.${n}A`,
      Name: `System Board Fan${n}A`,
      Reading: failed || !on ? 0 : 8400 + n * 60 + (h.faults.has('overheating') ? 4200 : 0),
      ReadingUnits: 'RPM',
      LowerThresholdCritical: 480,
      LowerThresholdNonCritical: 840,
      Status: status(failed ? 'Critical' : 'OK'),
    };
  });
  const inlet = h.faults.has('overheating') ? 44 : 23;
  const temps = [
    { n: 'System Board Inlet Temp', r: inlet, w: 42, c: 47 },
    { n: 'System Board Exhaust Temp', r: inlet + 17, w: 70, c: 75 },
    { n: 'CPU1 Temp', r: on ? inlet + 31 : inlet, w: 93, c: 98 },
    { n: 'CPU2 Temp', r: on ? inlet + 29 : inlet, w: 93, c: 98 },
  ].map((t, i) => ({
    '@odata.id': `${CHASSIS}/Thermal#/Temperatures/${i}`,
    MemberId: `iDRAC.Embedded.1#Temp${i}`,
    Name: t.n,
    ReadingCelsius: t.r,
    UpperThresholdNonCritical: t.w,
    UpperThresholdCritical: t.c,
    Status: status(t.r >= t.c ? 'Critical' : t.r >= t.w ? 'Warning' : 'OK'),
  }));
  return {
    '@odata.id': `${CHASSIS}/Thermal`,
    '@odata.type': '#Thermal.v1_7_0.Thermal',
    Id: 'Thermal',
    Name: 'Thermal',
    Fans: fans,
    Temperatures: temps,
  };
}

export function power(h: SimHost) {
  const watts = h.power === 'On' ? 412 : h.power === 'Off' ? 18 : 220;
  const supplies = [1, 2].map((n) => {
    const lost = n === 2 && h.faults.has('psu-loss');
    return {
      '@odata.id': `${CHASSIS}/Power#/PowerSupplies/${n - 1}`,
      MemberId: `PSU.Slot.${n}`,
      Name: `PS${n} Status`,
      PowerCapacityWatts: 1400,
      LineInputVoltage: lost ? 0 : 230,
      LastPowerOutputWatts: lost ? 0 : h.faults.has('psu-loss') ? watts : watts / 2,
      Status: lost ? { State: 'UnavailableOffline', Health: 'Critical' } : status('OK'),
    };
  });
  return {
    '@odata.id': `${CHASSIS}/Power`,
    '@odata.type': '#Power.v1_7_1.Power',
    Id: 'Power',
    Name: 'Power',
    PowerSupplies: supplies,
    PowerControl: [
      {
        '@odata.id': `${CHASSIS}/Power#/PowerControl/0`,
        MemberId: 'PowerControl',
        Name: 'System Power Control',
        PowerConsumedWatts: watts,
        PowerCapacityWatts: 2800,
        PowerMetrics: { AverageConsumedWatts: watts, MaxConsumedWatts: watts + 60, MinConsumedWatts: watts - 40 },
      },
    ],
    Redundancy: [{ Name: 'System Board PS Redundancy', Mode: 'N+m', Status: status(h.psuHealth()) }],
  };
}

export function manager(h: SimHost) {
  return {
    '@odata.id': MGR,
    '@odata.type': '#Manager.v1_17_0.Manager',
    Id: 'iDRAC.Embedded.1',
    Name: 'Manager',
    ManagerType: 'BMC',
    Model: '15G Monolithic',
    FirmwareVersion: '7.00.00.171',
    Status: status('OK'),
    LogServices: { '@odata.id': `${MGR}/LogServices` },
    Links: {
      ManagerForServers: [{ '@odata.id': SYS }],
      Oem: { Dell: { DellJobService: { '@odata.id': `${MGR}/Oem/Dell/DellJobService` } } },
    },
    Actions: {
      '#Manager.Reset': {
        target: `${MGR}/Actions/Manager.Reset`,
        'ResetType@Redfish.AllowableValues': MANAGER_RESET_TYPES,
      },
      Oem: {
        '#DellManager.ResetToDefaults': {
          target: `${MGR}/Actions/Oem/DellManager.ResetToDefaults`,
          'ResetType@Redfish.AllowableValues': ['All', 'Default', 'ResetAllWithRootDefaults'],
        },
      },
    },
    Oem: { Dell: { JobQueueCount: h.jobs.length } },
  };
}

export function logServices() {
  return collection(`${MGR}/LogServices`, 'LogService', [`${MGR}/LogServices/Sel`, `${MGR}/LogServices/Lclog`]);
}

export function logService(which: 'Sel' | 'Lclog', count: number) {
  const base = `${MGR}/LogServices/${which}`;
  return {
    '@odata.id': base,
    '@odata.type': '#LogService.v1_3_0.LogService',
    Id: which,
    Name: which === 'Sel' ? 'SEL Log Service' : 'LifeCycle Controller Log Service',
    MaxNumberOfRecords: which === 'Sel' ? 1024 : 800000,
    OverWritePolicy: which === 'Sel' ? 'WrapsWhenFull' : 'WrapsWhenFull',
    Entries: { '@odata.id': `${base}/Entries` },
    Status: status('OK'),
    'Entries@odata.count': count,
    ...(which === 'Sel'
      ? { Actions: { '#LogService.ClearLog': { target: `${base}/Actions/LogService.ClearLog` } } }
      : {}),
  };
}

export function logEntries(which: 'Sel' | 'Lclog', entries: LogEntry[]) {
  const base = `${MGR}/LogServices/${which}/Entries`;
  // Newest first, as iDRAC returns them.
  const members = [...entries]
    .reverse()
    .map((e) => ({ '@odata.id': `${base}/${e.Id}`, '@odata.type': '#LogEntry.v1_15_0.LogEntry', ...e }));
  return {
    '@odata.id': base,
    '@odata.type': '#LogEntryCollection.LogEntryCollection',
    Name: `${which} Entries`,
    Members: members,
    'Members@odata.count': members.length,
  };
}

export { collection, SYS, CHASSIS, MGR };
