// `notify`: tell people something, to the run log or a webhook (activity `notifySend`).
import { z } from 'zod';
import type { StepKind } from './types.ts';

export const notifyParams = z
  .strictObject({
    channel: z.enum(['log', 'webhook']).default('log'),
    /** Required for `webhook`: receives a JSON POST of the message (core/actions/notify.ts). */
    url: z.string().min(1).optional(),
    message: z.string().min(1, 'expected a message'),
    severity: z.enum(['info', 'warning', 'critical']).default('info'),
  })
  .refine((b) => b.channel !== 'webhook' || b.url !== undefined, {
    message: 'expected a `url` for the webhook channel',
    path: ['url'],
  });

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
    example: [
      '```notify',
      'channel: webhook',
      'url: ${inputs.chat_webhook}',
      'message: Restarted ${inputs.host}',
      '```',
    ].join('\n'),
  },
};
