// Host inventory for enrichment: host → service, region, rack. Read from config/inventory.yaml
// (IRONTHRONE_INVENTORY overrides). The hardware capability may own a richer loader later; this one
// reads only what logs need and accepts both a list and a map of hosts. Bad files fail loudly with
// file and field; a missing file means no enrichment.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { projectRoot } from '../config.ts';

export interface HostInfo {
  name: string;
  service?: string;
  region?: string;
  rack?: string;
}

const hostFields = {
  service: z.string().min(1).optional(),
  region: z.string().min(1).optional(),
  rack: z
    .union([z.string().min(1), z.number()])
    .transform(String)
    .optional(),
  aliases: z.array(z.string().min(1)).optional(),
};
const listEntry = z.looseObject({ name: z.string().min(1), ...hostFields });
const fileSchema = z.looseObject({
  hosts: z.union([z.array(listEntry), z.record(z.string().min(1), z.looseObject(hostFields))]).optional(),
});

export class Inventory {
  private readonly byName = new Map<string, HostInfo>();

  constructor(hosts: (HostInfo & { aliases?: string[] })[] = []) {
    for (const h of hosts) {
      const info: HostInfo = { name: h.name, service: h.service, region: h.region, rack: h.rack };
      for (const key of [h.name, ...(h.aliases ?? [])]) this.byName.set(key.toLowerCase(), info);
    }
  }

  /** Exact name or alias, then the short name (`r740-01.dc1.example` → `r740-01`). */
  lookup(host: string | undefined): HostInfo | undefined {
    if (!host) return undefined;
    const h = host.toLowerCase();
    return this.byName.get(h) ?? this.byName.get(h.split('.')[0]!);
  }

  get size(): number {
    return this.byName.size;
  }
}

export function inventoryFile(): string {
  return resolve(process.env.IRONTHRONE_INVENTORY ?? join(projectRoot, 'config', 'inventory.yaml'));
}

export function parseInventory(text: string, file = 'inventory.yaml'): Inventory {
  let doc: unknown;
  try {
    doc = parse(text) ?? {};
  } catch (err) {
    throw new Error(`${file}: not valid YAML: ${(err as Error).message}`);
  }
  const r = fileSchema.safeParse(doc);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new Error(`${file}: ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  const hosts = r.data.hosts;
  if (!hosts) return new Inventory();
  if (Array.isArray(hosts)) return new Inventory(hosts);
  return new Inventory(Object.entries(hosts).map(([name, h]) => ({ name, ...h })));
}

export function loadInventory(file = inventoryFile()): Inventory {
  if (!existsSync(file)) return new Inventory();
  return parseInventory(readFileSync(file, 'utf8'), file);
}
