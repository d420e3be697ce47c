// The `notify` step kind: a line in the notifications log, or a webhook POST.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir } from '../config.ts';
import { httpCall } from './http-call.ts';

export interface NotifyParams {
  channel?: 'log' | 'webhook';
  url?: string;
  message: string;
  severity?: 'info' | 'warning' | 'critical';
}

export interface NotifyContext {
  runbookId: string;
  workflowId: string;
  stepId: string;
}

export async function notify(p: NotifyParams, ctx: NotifyContext): Promise<{ delivered: true; channel: string }> {
  const channel = p.channel ?? 'log';
  const event = { at: new Date().toISOString(), severity: p.severity ?? 'info', message: p.message, ...ctx };
  if (channel === 'webhook') {
    if (!p.url) throw new Error('notify: channel webhook needs url');
    await httpCall({ method: 'POST', url: p.url, json: event, expect: { status: [200, 201, 202, 204] } });
  } else {
    appendFileSync(join(dataDir(), 'notifications.jsonl'), JSON.stringify(event) + '\n');
  }
  return { delivered: true, channel };
}
