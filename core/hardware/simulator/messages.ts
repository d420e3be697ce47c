// Dell event message ids the simulator writes to the SEL and the Lifecycle log. Ids and wording
// follow Dell's Event and Error Message Reference (EEMI) so that log parsers and runbooks written
// against the simulator match a real iDRAC. `%1` is filled with the component.
export type Severity = 'OK' | 'Warning' | 'Critical';

export interface DellMessage {
  id: string;
  severity: Severity;
  text: string;
}

export const DELL_MESSAGES = {
  FAN0001: { id: 'FAN0001', severity: 'Critical', text: 'Fan %1 RPM is less than the lower critical threshold.' },
  FAN0005: { id: 'FAN0005', severity: 'OK', text: 'Fan %1 RPM is within the normal operating range.' },
  PSU0003: { id: 'PSU0003', severity: 'Critical', text: 'The power input for power supply %1 is lost.' },
  RDU0012: { id: 'RDU0012', severity: 'Critical', text: 'Power supply redundancy is lost.' },
  TMP0120: {
    id: 'TMP0120',
    severity: 'Warning',
    text: 'The system inlet temperature is greater than the upper warning threshold.',
  },
  TMP0121: {
    id: 'TMP0121',
    severity: 'Critical',
    text: 'The system inlet temperature is greater than the upper critical threshold.',
  },
  MEM0701: { id: 'MEM0701', severity: 'Warning', text: 'Correctable memory error rate exceeded for %1.' },
  MEM0001: {
    id: 'MEM0001',
    severity: 'Critical',
    text: 'Multi-bit memory errors detected on a memory device at location(s) %1.',
  },
  ASR0000: { id: 'ASR0000', severity: 'Critical', text: 'The watchdog timer expired.' },
  SYS1000: { id: 'SYS1000', severity: 'OK', text: 'System is turning on.' },
  SYS1001: { id: 'SYS1001', severity: 'OK', text: 'System is turning off.' },
  SYS1003: { id: 'SYS1003', severity: 'OK', text: 'System CPU Resetting.' },
  RAC0182: {
    id: 'RAC0182',
    severity: 'OK',
    text: 'The iDRAC firmware was rebooted with the following reason: user initiated.',
  },
  // Not a Dell id: the simulator's own note that the SEL was cleared, named as such.
  SIM_SEL_CLEARED: { id: 'IronThroneSim.SelCleared', severity: 'OK', text: 'The System Event Log was cleared by %1.' },
} as const satisfies Record<string, DellMessage>;

export type MessageKey = keyof typeof DELL_MESSAGES;

export function formatMessage(key: MessageKey, arg = ''): DellMessage {
  const m: DellMessage = DELL_MESSAGES[key];
  return { id: m.id, severity: m.severity, text: m.text.replace('%1', arg) };
}

/** Faults that can be injected, with the component each one damages. */
export const FAULTS = [
  'fan-failure',
  'psu-loss',
  'overheating',
  'memory-ecc',
  'hung-host',
  'idrac-unresponsive',
] as const;
export type FaultName = (typeof FAULTS)[number];

export function isFault(x: string): x is FaultName {
  return (FAULTS as readonly string[]).includes(x);
}
