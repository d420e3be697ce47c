// Inventory: the sample file parses, and bad files fail with file:line:col and the field.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory, parseInventory, resolvePassword } from '../../../core/hardware/inventory.ts';
import { projectRoot } from '../../../core/config.ts';

const base = `defaults:\n  credentials: { username: root, passwordEnv: BMC_PW }\n  tls: { fingerprint256: "${'AB:'.repeat(31)}AB" }\nhosts:\n`;

describe('inventory', () => {
  it('loads the sample config/inventory.yaml that matches the simulator', () => {
    const inv = loadInventory(join(projectRoot, 'config', 'inventory.yaml'));
    expect(inv.hosts.map((h) => h.name)).toEqual(['sim-001', 'sim-002', 'sim-003']);
    expect(inv.get('sim-002')).toMatchObject({
      bmc: 'https://127.0.0.1:8444',
      service: 'db',
      region: 'eu-west',
      rack: 'r01',
      credentials: { username: 'root', passwordEnv: 'IRONTHRONE_SIM_BMC_PASSWORD' },
    });
  });

  it('refuses an inline password, naming the line and field', () => {
    const text = `hosts:\n  - name: a\n    bmc: https://10.0.0.1\n    credentials: { username: root, password: calvin }\n    tls: { insecure: true }\n`;
    expect(() => parseInventory(text, 'inv.yaml')).toThrow(
      /^inv\.yaml:4:\d+: hosts\.0\.credentials\.password: inline passwords are not allowed/
    );
  });

  it('refuses http BMCs, missing TLS policy, duplicate names and YAML errors', () => {
    expect(() => parseInventory(`${base}  - { name: a, bmc: "http://10.0.0.1" }\n`, 'i.yaml')).toThrow(
      /i\.yaml:5:\d+: hosts\.0\.bmc: expected an https:\/\/ URL/
    );
    expect(() =>
      parseInventory(
        `hosts:\n  - name: a\n    bmc: https://10.0.0.1\n    credentials: { username: r, passwordEnv: X }\n`,
        'i.yaml'
      )
    ).toThrow(/hosts\.0\.tls: missing .*pin the BMC certificate/);
    expect(() =>
      parseInventory(
        `${base}  - { name: a, bmc: "https://10.0.0.1" }\n  - { name: a, bmc: "https://10.0.0.2" }\n`,
        'i.yaml'
      )
    ).toThrow(/duplicate host 'a'/);
    expect(() => parseInventory(`hosts: [\n`, 'i.yaml')).toThrow(/^i\.yaml:\d+:\d+: /);
    expect(() =>
      parseInventory(
        `${base}  - { name: a, bmc: "https://10.0.0.1", tls: { insecure: true, caFile: x.pem } }\n`,
        'i.yaml'
      )
    ).toThrow(/exactly one of fingerprint256, certFile/);
  });

  it('reads the password from the environment only when used, and says which variable is missing', () => {
    const inv = parseInventory(`${base}  - { name: a, bmc: "https://10.0.0.1" }\n`, 'i.yaml');
    delete process.env.BMC_PW;
    expect(() => resolvePassword(inv.get('a'))).toThrow(/environment variable BMC_PW is not set/);
    process.env.BMC_PW = 's3cret';
    expect(resolvePassword(inv.get('a'))).toBe('s3cret');
    expect(JSON.stringify(inv.hosts)).not.toContain('s3cret');
    expect(() => inv.get('b')).toThrow(/unknown host 'b'/);
  });
});
