// `redfish`: Dell iDRAC reads and actions through Redfish (activity `redfishAction`). Actions
// carry the step's idempotency key and pass the hardware safety guard (at most once per key,
// per-host rate limit, fleet blast radius); reset types are checked against the target's
// allowable values at run time.
import { z } from 'zod';
import { templated } from './schema-helpers.ts';
import type { StepKind } from './types.ts';

export const REDFISH_ACTIONS = [
  'get',
  'discover',
  'health',
  'thermal',
  'power',
  'sel',
  'lclog',
  'reset',
  'manager-reset',
  'clear-sel',
  'clear-jobs',
  'reset-to-defaults',
] as const;

export const redfishParams = z
  .strictObject({
    /** Inventory host name (usually `${target}` or `${inputs.host}`). */
    host: z.string().min(1, 'expected an inventory host name'),
    action: z.enum(REDFISH_ACTIONS),
    /** ComputerSystem.Reset type for `reset` (PowerCycle, ForceRestart, GracefulRestart, On, ForceOff, …). */
    reset_type: z.string().min(1).optional(),
    /** Redfish path for `get`. */
    path: z.string().startsWith('/redfish/v1', 'expected a path under /redfish/v1').optional(),
    /** Entries to return for `sel` / `lclog`. */
    limit: z.number().int().min(1).max(10_000).optional(),
    /** Must be true for destructive actions (reset-to-defaults), with `approved` from an approval step. */
    destructive: z.boolean().optional(),
    approved: templated(z.boolean()).optional(),
  })
  .refine((b) => b.action !== 'reset' || b.reset_type !== undefined, {
    message: 'expected `reset_type` for action reset',
    path: ['reset_type'],
  })
  .refine((b) => b.action !== 'reset-to-defaults' || b.destructive === true, {
    message: '`destructive: true` for action reset-to-defaults (and an approval before the step)',
    path: ['destructive'],
  });

export type RedfishStepParams = z.output<typeof redfishParams>;

export const redfishKind: StepKind = {
  kind: 'redfish',
  exec: 'activity',
  activity: 'redfishAction',
  params: redfishParams,
  output: 'any',
  defaults: { retries: 3, timeoutMs: 120_000 },
  mutating: true,
  doc: {
    summary:
      'Reads a Dell iDRAC (health, thermal, power, SEL, Lifecycle log) or acts on it (reset, iDRAC restart, clear SEL, clear job queue) through Redfish, at most once per step.',
    example: [
      '```redfish retries=3 timeout=5m as=cycle',
      'host: ${target}',
      'action: reset',
      'reset_type: PowerCycle',
      '```',
    ].join('\n'),
  },
};
