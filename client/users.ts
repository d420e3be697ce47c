// The users-and-roles file: who may approve what. Read when a run starts; the map travels in
// the workflow input so the approval validator stays deterministic.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { usersFile } from '../core/config.ts';

const usersSchema = z.object({
  users: z.record(
    z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'expected a user name of letters, digits, . _ -'),
    z.object({ roles: z.array(z.string()).min(1), name: z.string().optional() })
  ),
});

export function loadRoles(file = usersFile()): Record<string, string[]> {
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const r = usersSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new Error(`${file}: ${i.path.join('.')}: ${i.message}`);
  }
  return Object.fromEntries(Object.entries(r.data.users).map(([u, v]) => [u, v.roles]));
}
