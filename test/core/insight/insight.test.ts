// The insight path against a local HTTP server speaking the Chat Completions wire protocol: a
// STAND-IN for the OpenAI API (the only fake the project allows), plus the offline fallback.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarizeIncident, redact, type LlmSettings } from '../../../core/insight/client.ts';

type Reply = { status?: number; content?: string; delayMs?: number };
let next: Reply = {};
const seen: { auth?: string; body: { model: string; messages: { role: string; content: string }[] } }[] = [];
let server: Server;
let baseURL = '';

function completion(content: string) {
  return {
    id: 'chatcmpl-standin',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: 'stand-in',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
}

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404).end();
        return;
      }
      seen.push({ auth: req.headers.authorization, body: JSON.parse(data) as (typeof seen)[number]['body'] });
      const r = next;
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(r.status ?? 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(r.status && r.status >= 400 ? { error: { message: 'boom', type: 'server_error' } } : completion(r.content ?? '')));
      }, r.delayMs ?? 0);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

const ctx = {
  incidentId: 'inc-1',
  target: 'r640-01',
  events: [{ id: 'ev-1', at: '2026-01-01T00:00:00Z', kind: 'prediction', summary: 'fan speed anomaly on r640-01' }],
  metrics: [
    { series: 'fan.rpm{host=r640-01}', summary: 'dropped from 9000 to 2100 rpm', anomaly: 0.97 },
    { series: 'cpu.temp{host=r640-01}', summary: 'rising 2 °C/min', anomaly: 0.7 },
  ],
  logs: [{ ref: 'log:42', line: 'iDRAC: Fan 3 failure detected' }],
  runbooks: [{ id: 'fan-failure', title: 'Replace or reset a failed fan', triggers: ['fan'] }],
};
const settings = (): LlmSettings => ({ baseURL, model: 'stand-in-model', apiKey: 'sk-test-secret-123456', timeoutMs: 2000 });

describe('insight via an OpenAI-compatible endpoint (local stand-in server)', () => {
  it('returns the validated LLM answer and sends the incident data in the prompt', async () => {
    next = { content: JSON.stringify({ probableCause: 'fan 3 failed', evidence: [{ ref: 'log:42', detail: 'Fan 3 failure' }], suggestedRunbook: 'fan-failure', confidence: 0.8 }) };
    const r = await summarizeIncident(ctx, settings());
    expect(r.source).toBe('llm');
    expect(r.suggestedRunbook).toBe('fan-failure');
    const last = seen[seen.length - 1]!;
    expect(last.body.model).toBe('stand-in-model');
    expect(last.auth).toBe('Bearer sk-test-secret-123456');
    const prompt = last.body.messages.map((m) => m.content).join('\n');
    for (const s of ['ev-1', 'fan.rpm{host=r640-01}', 'log:42', 'fan-failure']) expect(prompt).toContain(s);
  });

  it('refuses a malformed answer and falls back to the offline summariser', async () => {
    next = { content: JSON.stringify({ probableCause: 'x', evidence: [], confidence: 3 }) };
    const r = await summarizeIncident(ctx, settings());
    expect(r.source).toBe('offline');
    expect(r.fallbackReason).toMatch(/refused by the schema/);
    expect(r.probableCause).toMatch(/fan\.rpm/);
    expect(r.suggestedRunbook).toBe('fan-failure');
  });

  it('falls back on non-JSON text, on an unknown runbook, on HTTP errors and on timeouts', async () => {
    next = { content: 'I think the fan broke.' };
    expect((await summarizeIncident(ctx, settings())).fallbackReason).toMatch(/not JSON/);
    next = { content: JSON.stringify({ probableCause: 'x', evidence: [{ ref: 'a', detail: 'b' }], suggestedRunbook: 'rm-rf', confidence: 0.5 }) };
    expect((await summarizeIncident(ctx, settings())).fallbackReason).toMatch(/not a candidate/);
    next = { status: 500 };
    const failed = await summarizeIncident(ctx, settings());
    expect(failed.source).toBe('offline');
    expect(failed.fallbackReason).not.toContain('sk-test-secret-123456');
    next = { delayMs: 5000, content: '{}' };
    const slow = await summarizeIncident(ctx, { ...settings(), timeoutMs: 300 });
    expect(slow.source).toBe('offline');
    expect(slow.fallbackReason).toMatch(/LLM call failed/);
  }, 60_000);

  it('uses the offline summariser when no endpoint is configured', async () => {
    const r = await summarizeIncident(ctx, { model: 'x', timeoutMs: 1000 });
    expect(r).toMatchObject({ source: 'offline', fallbackReason: 'no LLM endpoint configured' });
    expect(r.evidence.length).toBeGreaterThan(0);
  });

  it('never lets the key through redact()', () => {
    expect(redact('auth Bearer sk-abc.def and sk-test-secret-123456', { apiKey: 'sk-test-secret-123456' })).not.toMatch(/sk-test|abc\.def/);
  });
});
