// `notify`: tell people something, to the run log or a webhook (activity `notifySend`).
import { z } from 'zod';
import type { StepKind } from './types.ts';

export const notifyParams = z
  .strictObject({
    channel: z.enum(['log', 'webhook']).default('log'),
    /** Required for `webhook`: receives a JSON POST `{ message, severity, title, runbookId, workflowId }`. */
    url: z.string().min(1).optional(),
    title: z.string().optional(),
    message: z.string().min(1, 'expected a message'),
    severity: z.enum(['info', 'warning', 'critical']).default('info'),
  })
  .refine((b) => b.channel !== 'webhook' || b.url !== undefined, {
    message: 'expected a `url` for the webhook channel',
    path: ['url'],
  });

/** The resolved notification the `notifySend` activity receives after `notifyParams.parse`. */
export type NotifyRequest = z.output<typeof notifyParams>;

export const notifyKind: StepKind = {
  kind: 'notify',
  exec: 'activity',
  activity: 'notifySend',
  params: notifyParams,
  output: { object: { delivered: 'boolean', channel: 'string' } },
  defaults: { retries: 3, timeoutMs: 30_000 },
  mutating: false,
  doc: {
    summary: 'Sends a message to the run log or to a webhook.',
    example: ['```notify', 'channel: webhook', 'url: ${inputs.chat_webhook}', 'message: Restarted ${inputs.host}', '```'].join(
      '\n'
    ),
  },
};
