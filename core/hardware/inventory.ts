// The fleet inventory (YAML): hosts, BMC address, credentials reference, service/region/rack
// tags and the TLS policy. Secrets are never inline: a password comes from an environment
// variable or a file at the moment of use, so it never lands in workflow history or git.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { fingerprintOf } from './simulator/cert.ts';
import { RedfishError } from './errors.ts';
import type { TlsSettings } from './tls.ts';

const credentials = z
  .object({
    username: z.string().min(1),
    passwordEnv: z.string().min(1).optional(),
    passwordFile: z.string().min(1).optional(),
    password: z.never({ error: 'inline passwords are not allowed: use passwordEnv or passwordFile' }).optional(),
  })
  .strict()
  .refine((c) => Boolean(c.passwordEnv) !== Boolean(c.passwordFile), {
    message: 'give exactly one of passwordEnv or passwordFile',
  });

const tls = z
  .object({
    fingerprint256: z.string().optional(),
    certFile: z.string().optional(),
    caFile: z.string().optional(),
    insecure: z.boolean().optional(),
  })
  .strict()
  .refine(
    (t) =>
      [t.fingerprint256, t.certFile, t.caFile, t.insecure].filter((x) => x !== undefined && x !== false).length === 1,
    { message: 'give exactly one of fingerprint256, certFile (pin that certificate), caFile, or insecure: true' }
  );

const host = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash, underscore'),
    bmc: z.url({ protocol: /^https$/, error: 'expected an https:// URL of the BMC' }),
    service: z.string().optional(),
    region: z.string().optional(),
    rack: z.string().optional(),
    credentials: credentials.optional(),
    tls: tls.optional(),
  })
  .strict();

export const inventorySchema = z
  .object({
    defaults: z.object({ credentials: credentials.optional(), tls: tls.optional() }).strict().optional(),
    hosts: z.array(host).min(1),
  })
  .strict();

export interface InventoryHost {
  name: string;
  bmc: string;
  service?: string;
  region?: string;
  rack?: string;
  credentials: { username: string; passwordEnv?: string; passwordFile?: string };
  tls: TlsSettings;
}

export interface Inventory {
  file: string;
  hosts: InventoryHost[];
  get(name: string): InventoryHost;
}

export class InventoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InventoryError';
  }
}

export function parseInventory(text: string, file: string): Inventory {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw new InventoryError(`${file}:${e.linePos?.[0].line ?? 1}:${e.linePos?.[0].col ?? 1}: ${e.message}`);
  }
  const parsed = inventorySchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const node = doc.getIn(issue.path as (string | number)[], true) as { range?: [number, number] } | undefined;
    const pos = node?.range ? lc.linePos(node.range[0]) : { line: 1, col: 1 };
    throw new InventoryError(`${file}:${pos.line}:${pos.col}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const base = dirname(file);
  const d = parsed.data.defaults ?? {};
  const seen = new Set<string>();
  const hosts = parsed.data.hosts.map((h, i): InventoryHost => {
    if (seen.has(h.name)) throw new InventoryError(`${file}: hosts.${i}.name: duplicate host '${h.name}'`);
    seen.add(h.name);
    const creds = h.credentials ?? d.credentials;
    const t = h.tls ?? d.tls;
    if (!creds) throw new InventoryError(`${file}: hosts.${i}.credentials: missing (and no defaults.credentials)`);
    if (!t) throw new InventoryError(`${file}: hosts.${i}.tls: missing (and no defaults.tls); pin the BMC certificate`);
    const tlsOut: TlsSettings = t.certFile
      ? { fingerprint256: undefined, caFile: undefined }
      : {
          fingerprint256: t.fingerprint256,
          caFile: t.caFile ? resolve(base, t.caFile) : undefined,
          insecure: t.insecure,
        };
    if (t.certFile) {
      // Resolved lazily: the simulator creates its certificate on first start.
      const path = resolve(base, t.certFile);
      Object.defineProperty(tlsOut, 'fingerprint256', {
        enumerable: true,
        get: () => fingerprintOf(readFileSync(path, 'utf8')),
      });
    }
    return {
      ...h,
      credentials: {
        username: creds.username,
        passwordEnv: creds.passwordEnv,
        passwordFile: creds.passwordFile ? resolve(base, creds.passwordFile) : undefined,
      },
      tls: tlsOut,
    };
  });
  const byName = new Map(hosts.map((h) => [h.name, h]));
  return {
    file,
    hosts,
    get(name) {
      const h = byName.get(name);
      if (!h) {
        const some = hosts
          .slice(0, 5)
          .map((x) => x.name)
          .join(', ');
        throw new RedfishError(
          'UnknownHostError',
          `unknown host '${name}': not in inventory ${file} (hosts: ${some}${hosts.length > 5 ? ', …' : ''})`
        );
      }
      return h;
    },
  };
}

export function loadInventory(file: string): Inventory {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InventoryError(`${file}: cannot read inventory: ${(e as Error).message}`);
  }
  return parseInventory(text, resolve(file));
}

/** Read the password at the moment of use; never stored in any object that is logged or returned. */
export function resolvePassword(h: InventoryHost): string {
  const c = h.credentials;
  if (c.passwordEnv) {
    const v = process.env[c.passwordEnv];
    if (v === undefined)
      throw new RedfishError(
        'RedfishAuthError',
        `credentials for ${h.name}: environment variable ${c.passwordEnv} is not set`
      );
    return v;
  }
  try {
    return readFileSync(c.passwordFile!, 'utf8').trim();
  } catch (e) {
    throw new RedfishError(
      'RedfishAuthError',
      `credentials for ${h.name}: cannot read password file ${c.passwordFile}: ${(e as Error).message}`
    );
  }
}

/** Inventory path: `IRONTHRONE_INVENTORY` or config/inventory.yaml. */
export function inventoryPath(root: string): string {
  return resolve(process.env.IRONTHRONE_INVENTORY ?? resolve(root, 'config', 'inventory.yaml'));
}
