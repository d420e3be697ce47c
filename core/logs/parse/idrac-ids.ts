// Dell event message ids (EEMI: Event and Error Message Reference): a 3–4 letter prefix names the
// component, the number the event. Severities of the ids our runbooks and simulator use are listed;
// others take the line's own Severity field or fall back to wording.
import type { Severity } from '../types.ts';

export const COMPONENTS: Record<string, string> = {
  AMP: 'current',
  ASR: 'watchdog',
  BAT: 'battery',
  BIOS: 'bios',
  CPU: 'cpu',
  CTL: 'storage-controller',
  ENC: 'enclosure',
  FAN: 'fan',
  HWC: 'hardware-config',
  JCP: 'job',
  LIC: 'license',
  LOG: 'log',
  MEM: 'memory',
  NIC: 'nic',
  OSE: 'os',
  PCI: 'pci',
  PDR: 'physical-disk',
  PSU: 'power-supply',
  PST: 'post',
  PWR: 'power',
  RAC: 'idrac',
  RDU: 'redundancy',
  RED: 'firmware-update',
  SEL: 'sel',
  STOR: 'storage',
  SUP: 'firmware-update',
  SYS: 'system',
  TMP: 'temperature',
  USR: 'user',
  VDR: 'virtual-disk',
  VLT: 'voltage',
};

export const KNOWN_SEVERITY: Record<string, Severity> = {
  FAN0001: 'critical',
  FAN0002: 'warning',
  FAN0005: 'info',
  PSU0003: 'critical',
  PSU0001: 'critical',
  PSU0031: 'critical',
  RDU0012: 'critical',
  TMP0118: 'warning',
  TMP0120: 'warning',
  TMP0121: 'critical',
  MEM0001: 'critical',
  MEM0701: 'warning',
  MEM8000: 'warning',
  ASR0000: 'critical',
  SYS1000: 'info',
  SYS1001: 'info',
  SYS1003: 'info',
  RAC0182: 'info',
  PDR1001: 'critical',
  CPU0000: 'critical',
};

/** A Dell message id, optionally registry-qualified (`IDRAC.2.9.FAN0001`). */
export const RE_MESSAGE_ID =
  /\b(?:[A-Za-z]+\.\d+\.\d+\.)?((AMP|ASR|BAT|BIOS|CPU|CTL|ENC|FAN|HWC|JCP|LIC|LOG|MEM|NIC|OSE|PCI|PDR|PSU|PST|PWR|RAC|RDU|RED|SEL|STOR|SUP|SYS|TMP|USR|VDR|VLT)\d{4})\b/;

export function componentOf(messageId: string): string | undefined {
  const prefix = /^[A-Z]+/.exec(messageId)?.[0];
  return prefix ? COMPONENTS[prefix] : undefined;
}

/** When neither the id nor the line says: wording such as "lost", "failed", "returned to normal". */
export function severityFromWording(text: string): Severity {
  if (/\b(lost|failed|failure|critical|not responding|is absent|multi-bit|expired)\b/i.test(text)) return 'critical';
  if (/\b(warning|exceeded|degraded|predictive|correctable)\b/i.test(text)) return 'warning';
  return 'info';
}
