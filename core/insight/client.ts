// The insight step: ask an OpenAI-compatible endpoint (the `openai` package, any base URL) for a
// structured answer, validate it with the zod schema, and fall back to the offline summariser on
// any failure (no endpoint, network error, timeout, HTTP error, malformed or invalid answer).
// The API key is read from the environment here and never returned, logged or put in an error.
import OpenAI from 'openai';
import { offlineInsight } from './offline.ts';
import { buildMessages } from './prompt.ts';
import { incidentContext, insightAnswer, type Insight } from './schema.ts';

export interface LlmSettings {
  baseURL?: string;
  model: string;
  apiKey?: string;
  timeoutMs: number;
}

export function llmSettings(env: NodeJS.ProcessEnv = process.env): LlmSettings {
  return {
    baseURL: env.IRONTHRONE_LLM_BASE_URL || undefined,
    model: env.IRONTHRONE_LLM_MODEL || 'gpt-4o-mini',
    apiKey: env.OPENAI_API_KEY || undefined,
    timeoutMs: Number(env.IRONTHRONE_LLM_TIMEOUT_MS) || 30_000,
  };
}

/** Removes the key (and bearer tokens) from any text that might be logged or stored. */
export function redact(text: string, settings: Pick<LlmSettings, 'apiKey'>): string {
  let out = text.replace(/Bearer\s+[A-Za-z0-9._-]+/g, 'Bearer [redacted]').replace(/sk-[A-Za-z0-9_-]{8,}/g, 'sk-[redacted]');
  if (settings.apiKey) out = out.split(settings.apiKey).join('[redacted]');
  return out;
}

/** Extracts the first JSON object of a reply (models sometimes wrap it in a code fence). */
function parseJsonObject(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text);
  const body = (fenced?.[1] ?? text).trim();
  return JSON.parse(body) as unknown;
}

export async function summarizeIncident(rawContext: unknown, settings: LlmSettings = llmSettings()): Promise<Insight> {
  const ctx = incidentContext.parse(rawContext);
  if (!settings.baseURL && !settings.apiKey) return offlineInsight(ctx, 'no LLM endpoint configured');
  const client = new OpenAI({
    apiKey: settings.apiKey ?? 'not-needed',
    baseURL: settings.baseURL,
    timeout: settings.timeoutMs,
    maxRetries: 1,
  });
  let reply: string;
  try {
    const res = await client.chat.completions.create({
      model: settings.model,
      messages: buildMessages(ctx),
      response_format: { type: 'json_object' },
      temperature: 0,
    });
    reply = res.choices[0]?.message?.content ?? '';
  } catch (err) {
    const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return offlineInsight(ctx, `LLM call failed: ${redact(msg, settings)}`);
  }
  let parsed: unknown;
  try {
    parsed = parseJsonObject(reply);
  } catch {
    return offlineInsight(ctx, `LLM answer is not JSON: ${redact(reply.slice(0, 120), settings)}`);
  }
  const checked = insightAnswer.safeParse(parsed);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    return offlineInsight(ctx, `LLM answer refused by the schema: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  const runbookIds = new Set(ctx.runbooks.map((r) => r.id));
  const answer = checked.data;
  if (answer.suggestedRunbook !== null && !runbookIds.has(answer.suggestedRunbook)) {
    return offlineInsight(ctx, `LLM suggested runbook '${answer.suggestedRunbook}', which is not a candidate`);
  }
  return { ...answer, source: 'llm', model: settings.model };
}
