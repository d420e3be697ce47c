// The `predict` and `insight` step kinds: a runbook using them compiles, and their activities
// validate params, score, and summarise (offline when no LLM endpoint is configured).
import { describe, expect, it } from 'vitest';
import { createInsightActivities } from '../../../activities/insight.ts';
import { createPredictActivities } from '../../../activities/predict.ts';
import { compileRunbook } from '../../../core/runbook/compile.ts';
import type { StepContext } from '../../../core/runbook/plan.ts';

const source = `---
id: fan-check
title: Fan check
version: 1
inputs:
  host: { type: host, required: true }
---

# Fan check

## Score the fan

\`\`\`predict as=risk
series: fan.rpm
points: [{ t: 1, v: 2 }]
threshold: 0.9
\`\`\`

## Explain

\`\`\`insight as=why
metrics:
  - series: fan.rpm
    summary: \${risk.explanation.summary}
\`\`\`
`;

const ctx: StepContext = { workflowId: 'w', runId: 'r', runbookId: 'fan-check', stepId: 's', idempotencyKey: 'w:s', target: 'r640-01', incidentId: 'inc-1', dryRun: false };

describe('predict and insight step kinds', () => {
  it('compile inside a runbook, and refuse a bad body with a located error', () => {
    const ok = compileRunbook(source, { file: 'fan.md' });
    expect(ok.diagnostics ?? []).toEqual([]);
    const bad = compileRunbook(source.replace('threshold: 0.9', 'threshold: 7'), { file: 'fan.md' });
    expect(bad.diagnostics?.[0]).toMatchObject({ file: 'fan.md', line: expect.any(Number) as number });
  });

  it('predictScore scores the points and says whether to alert', async () => {
    const acts = createPredictActivities();
    const points = Array.from({ length: 600 }, (_, i) => ({ t: Date.UTC(2026, 0, 1) + i * 60_000, v: 100 + (i % 7) }));
    points[599]!.v = 400;
    const r = await acts.predictScore({ series: 'fan.rpm', points, threshold: 0.6 }, ctx);
    expect(r).toMatchObject({ target: 'r640-01', series: 'fan.rpm', status: 'scored', alert: true });
    await expect(acts.predictScore({ series: 'fan.rpm', points: 'oops' }, ctx)).rejects.toThrow(/invalid params|expected/);
  });

  it('insightSummarize answers offline, labelled, when no endpoint is configured', async () => {
    const saved = { ...process.env };
    delete process.env.IRONTHRONE_LLM_BASE_URL;
    delete process.env.OPENAI_API_KEY;
    try {
      const r = await createInsightActivities().insightSummarize({ metrics: [{ series: 'fan.rpm', summary: 'dropped to 2100', anomaly: 0.95 }] }, ctx);
      expect(r).toMatchObject({ source: 'offline', probableCause: expect.stringContaining('fan.rpm') as string });
    } finally {
      process.env = saved;
    }
  });
});
