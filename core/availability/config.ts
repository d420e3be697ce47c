// Maintenance windows declared in YAML (default config/maintenance.yaml, or
// IRONTHRONE_MAINTENANCE_FILE), and the report request parsed from CLI or HTTP parameters.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { projectRoot } from '../config.ts';
import { parseDuration, parseTime } from '../telemetry/query/duration.ts';
import type { GroupBy } from './compute.ts';
import { maintenanceWindowSchema, type MaintenanceWindow } from './maintenance.ts';
import type { ReportRequest } from './report.ts';

export function maintenanceFile(): string {
  return resolve(process.env.IRONTHRONE_MAINTENANCE_FILE ?? join(projectRoot, 'config', 'maintenance.yaml'));
}

/** Read the windows; a bad entry is an error naming the file, the entry and the field. */
export function loadMaintenance(file = maintenanceFile(), required = false): MaintenanceWindow[] {
  if (!existsSync(file)) {
    if (required) throw new Error(`${file}: no such maintenance file`);
    return [];
  }
  const doc = parse(readFileSync(file, 'utf8')) as unknown;
  const list = z.object({ windows: z.array(z.unknown()) }).safeParse(doc ?? { windows: [] });
  if (!list.success) throw new Error(`${file}: expected a mapping with a \`windows:\` list`);
  return list.data.windows.map((w, i) => {
    const r = maintenanceWindowSchema.safeParse(w);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new Error(`${file}: windows[${i}]${issue.path.length ? '.' + issue.path.join('.') : ''}: ${issue.message}`);
    }
    return r.data;
  });
}

export class ReportParamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportParamError';
  }
}

const GROUPS: GroupBy[] = ['service', 'host', 'region', 'target'];

/** `window` (e.g. 30d, ending at `to` or now) or `from`/`to`; group, objective and filters. */
export interface ReportParams {
  window?: string;
  from?: string;
  to?: string;
  groupBy?: string;
  objective?: string;
  service?: string;
  host?: string;
  region?: string;
  target?: string;
}

export function reportRequest(
  p: ReportParams,
  now = Date.now()
): Omit<ReportRequest, 'maintenance'> {
  const to = parseTime(p.to ?? 'now', { now });
  if (to === undefined)
    throw new ReportParamError(`to: cannot read ${JSON.stringify(p.to)}, expected now, an ISO time or epoch`);
  let from: number | undefined;
  if (p.from) {
    from = parseTime(p.from, { now, e: to });
    if (from === undefined)
      throw new ReportParamError(`from: cannot read ${JSON.stringify(p.from)}, expected an ISO time, epoch or now-7d`);
  } else {
    const w = parseDuration(p.window ?? '30d');
    if (w === undefined)
      throw new ReportParamError(
        `window: cannot read ${JSON.stringify(p.window)}, expected a duration such as 7d, 30d or 24h`
      );
    from = to - w;
  }
  if (from >= to) throw new ReportParamError('from must be before to');
  const groupBy = (p.groupBy ?? 'service') as GroupBy;
  if (!GROUPS.includes(groupBy))
    throw new ReportParamError(`group-by: ${JSON.stringify(p.groupBy)}, expected one of ${GROUPS.join(', ')}`);
  let objective = 0.999;
  if (p.objective !== undefined) {
    const raw = Number(String(p.objective).replace(/%$/, ''));
    objective = String(p.objective).endsWith('%') || raw > 1 ? raw / 100 : raw;
    if (!(objective > 0 && objective < 1))
      throw new ReportParamError(`objective: ${JSON.stringify(p.objective)}, expected e.g. 99.9% or 0.999`);
  }
  const filter: Record<string, string> = {};
  for (const k of ['service', 'host', 'region', 'target'] as const) if (p[k]) filter[k] = p[k];
  return { from, to, groupBy, objective, filter };
}
