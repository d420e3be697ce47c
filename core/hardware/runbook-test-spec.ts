// Runbook tests declared beside a runbook (`runbooks/<id>.test.yaml`): which simulated fault to
// inject, who approves gates, and the expected outcome (run status, host state, actions sent).
// This file parses specs and checks outcomes; the runner (cli/commands/hardware-test.ts) wires
// the simulator, a worker and the interpreter.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { FAULTS } from './simulator/messages.ts';

const testCase = z.strictObject({
  name: z.string().min(1),
  /** Simulated host the runbook targets (sim-001 …); its faults are injected before the run. */
  host: z.string().regex(/^sim-\d{3,}$/, 'expected a simulator host name such as sim-001'),
  faults: z.array(z.enum(FAULTS)).default([]),
  inputs: z.record(z.string(), z.unknown()).default({}),
  /** Approve every pending approval as this user (from config/users.yaml), or reject. */
  approve: z
    .strictObject({
      user: z.string(),
      decision: z.enum(['approve', 'reject']).default('approve'),
      comment: z.string().optional(),
    })
    .optional(),
  expect: z.strictObject({
    status: z.enum(['completed', 'failed', 'rejected', 'rolled-back']),
    host: z
      .strictObject({
        power: z.string().optional(),
        health: z.string().optional(),
        faults: z.array(z.enum(FAULTS)).optional(),
        idracResponding: z.boolean().optional(),
        selEntries: z.number().int().optional(),
      })
      .optional(),
    /** Exact action counts by action name (`ComputerSystem.Reset:PowerCycle`, `Manager.Reset`, …); `{}` means none. */
    actions: z.record(z.string(), z.number().int()).optional(),
    /** Each write step's idempotency key reached the BMC exactly once. */
    exactlyOnce: z.boolean().default(true),
  }),
});

export const runbookTestSpec = z.strictObject({
  runbook: z.string().min(1),
  hosts: z.number().int().min(1).max(50).default(2),
  cases: z.array(testCase).min(1),
});
export type RunbookTestSpec = z.output<typeof runbookTestSpec>;
export type RunbookTestCase = RunbookTestSpec['cases'][number];

export function loadRunbookTestSpec(file: string): RunbookTestSpec {
  const text = readFileSync(file, 'utf8');
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  if (doc.errors.length) throw new Error(`${file}:${doc.errors[0]!.linePos?.[0].line ?? 1}: ${doc.errors[0]!.message}`);
  const r = runbookTestSpec.safeParse(doc.toJS());
  if (!r.success) {
    const i = r.error.issues[0]!;
    const node = doc.getIn(i.path as (string | number)[], true) as { range?: [number, number] } | undefined;
    const pos = node?.range ? lc.linePos(node.range[0]) : { line: 1, col: 1 };
    throw new Error(`${file}:${pos.line}:${pos.col}: ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  return r.data;
}

export interface ObservedOutcome {
  status: string;
  host: {
    power: string;
    health: string;
    faults: string[];
    idracResponding: boolean;
    selEntries: number;
    actions: Record<string, number>;
    actionsByKey: Record<string, number>;
  };
}

/** Differences between expected and observed, as readable lines (empty = pass). */
export function checkOutcome(c: RunbookTestCase, o: ObservedOutcome): string[] {
  const bad: string[] = [];
  const e = c.expect;
  if (o.status !== e.status) bad.push(`status: expected ${e.status}, got ${o.status}`);
  for (const [k, v] of Object.entries(e.host ?? {})) {
    const got = o.host[k as keyof ObservedOutcome['host']];
    if (
      JSON.stringify(Array.isArray(v) ? [...v].sort() : v) !==
      JSON.stringify(Array.isArray(got) ? [...got].sort() : got)
    )
      bad.push(`host.${k}: expected ${JSON.stringify(v)}, got ${JSON.stringify(got)}`);
  }
  if (
    e.actions &&
    JSON.stringify(Object.entries(e.actions).sort()) !== JSON.stringify(Object.entries(o.host.actions).sort())
  )
    bad.push(`actions: expected ${JSON.stringify(e.actions)}, got ${JSON.stringify(o.host.actions)}`);
  if (e.exactlyOnce)
    for (const [k, n] of Object.entries(o.host.actionsByKey))
      if (n !== 1) bad.push(`idempotency key ${k} reached the BMC ${n} times`);
  return bad;
}
