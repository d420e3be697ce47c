// The prompt: the incident's events, metric summaries, correlated log lines and candidate
// runbooks, each with the reference the answer must cite. Bounded in size so a noisy incident
// cannot blow the context window.
import { insightJsonSchema, type IncidentContext } from './schema.ts';

const MAX_LINES = 40;

const clip = (s: string, n = 300): string => (s.length > n ? s.slice(0, n) + '…' : s);

export function buildMessages(ctx: IncidentContext): { role: 'system' | 'user'; content: string }[] {
  const sections = [
    `Incident ${ctx.incidentId}${ctx.target ? ` on ${ctx.target}` : ''}.`,
    '## Events',
    ...ctx.events.slice(-MAX_LINES).map((e) => `- [${e.id}] ${e.at} ${e.kind}: ${clip(e.summary)}`),
    '## Metrics',
    ...ctx.metrics.slice(0, MAX_LINES).map((m) => `- [${m.series}] ${clip(m.summary)}${m.anomaly !== undefined ? ` (anomaly ${m.anomaly.toFixed(2)})` : ''}`),
    '## Correlated log lines',
    ...ctx.logs.slice(-MAX_LINES).map((l) => `- [${l.ref}] ${l.at ?? ''} ${clip(l.line)}`),
    '## Candidate runbooks',
    ...ctx.runbooks.map((r) => `- [${r.id}] ${r.title}${r.triggers.length ? ` (triggers: ${r.triggers.join(', ')})` : ''}`),
  ];
  return [
    {
      role: 'system',
      content:
        'You are an SRE assistant. From the incident data, state the most probable cause, cite evidence by the ' +
        'bracketed references given, suggest one candidate runbook id (or null), and give a confidence in [0, 1]. ' +
        `Answer with one JSON object only, matching this JSON schema: ${JSON.stringify(insightJsonSchema)}`,
    },
    { role: 'user', content: sections.join('\n') },
  ];
}
