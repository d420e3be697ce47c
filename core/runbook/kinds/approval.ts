// `approval`: a human gate. Approvers are roles (config/users.yaml maps users to roles).
import { z } from 'zod';
import type { ApprovalParams } from '../plan.ts';
import { duration } from './schema-helpers.ts';
import type { StepKind } from './types.ts';

const role = z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a role name such as sre');

export const approvalParams = z
  .strictObject({
    /** Roles allowed to approve; defaults to the front matter's `approvers`. */
    approvers: z.array(role).optional(),
    /** Distinct approvals needed (quorum). */
    approvals: z.number().int().min(1).default(1),
    timeout: duration.default(3_600_000),
    'on-timeout': z.enum(['abort', 'escalate', 'reject']).default('abort'),
    escalate: z.strictObject({ notify: z.string().min(1), timeout: duration }).optional(),
    message: z.string().optional(),
  })
  .nullable()
  .transform((b) => b ?? { approvals: 1, timeout: 3_600_000, 'on-timeout': 'abort' as const });

type ApprovalBody = z.output<typeof approvalParams>;

export const approvalKind: StepKind = {
  kind: 'approval',
  exec: 'workflow',
  params: approvalParams,
  output: { object: { approved: 'boolean', approvers: { array: 'string' }, comments: { array: 'string' } } },
  defaults: { retries: 0, timeoutMs: 0 },
  mutating: false,
  doc: {
    summary: 'Waits for approvals from people holding one of the roles; on timeout aborts, rejects or escalates.',
    example: [
      '```approval as=gate',
      'approvers: [sre, oncall-lead]',
      'approvals: 2',
      'timeout: 30m',
      'on-timeout: escalate',
      'escalate: { notify: "Restart of ${inputs.host} needs approval", timeout: 15m }',
      '```',
    ].join('\n'),
  },
  build(body: ApprovalBody, ctx) {
    const approvers = body.approvers ?? ctx.approvers;
    const onTimeout = body['on-timeout'];
    if (onTimeout === 'escalate' && !body.escalate) {
      ctx.error(
        ['on-timeout'],
        'Unexpected `on-timeout: escalate` without `escalate`, expected `escalate: { notify, timeout }`'
      );
    }
    if (body.escalate && onTimeout !== 'escalate') {
      ctx.error(
        ['escalate'],
        `Unexpected \`escalate\` with \`on-timeout: ${onTimeout}\`, expected \`on-timeout: escalate\``
      );
    }
    const out: ApprovalParams = { approvers, approvals: body.approvals, timeoutMs: body.timeout, onTimeout };
    if (body.escalate)
      out.escalation = {
        notify: ctx.value(body.escalate.notify, ['escalate', 'notify']),
        timeoutMs: body.escalate.timeout,
      };
    if (body.message !== undefined) out.message = ctx.value(body.message, ['message']);
    return out;
  },
};
