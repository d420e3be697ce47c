// The offline summariser: builds the same structured answer from the data alone, without a
// model. Cause = the most anomalous metric (else the latest event); evidence = the top metrics,
// the events and the log lines that mention error words; runbook = the candidate whose
// triggers or title share the most words with the events and metrics.
import type { IncidentContext, Insight } from './schema.ts';

const ERROR_WORDS = /\b(error|fail(ed|ure)?|critical|fatal|timeout|timed out|down|unreachable|panic|exception|oom)\b/i;

const words = (s: string): Set<string> => new Set(s.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 2));

export function offlineInsight(ctx: IncidentContext, fallbackReason: string): Insight {
  const metrics = [...ctx.metrics].sort((a, b) => (b.anomaly ?? 0) - (a.anomaly ?? 0));
  const errorLogs = ctx.logs.filter((l) => ERROR_WORDS.test(l.line));
  const top = metrics[0];
  const lastEvent = ctx.events[ctx.events.length - 1];
  let probableCause: string;
  if (top && (top.anomaly ?? 0) >= 0.5) probableCause = `${top.series} deviated: ${top.summary}`;
  else if (errorLogs.length) probableCause = `errors in the logs: ${errorLogs[errorLogs.length - 1]!.line.slice(0, 200)}`;
  else if (lastEvent) probableCause = `${lastEvent.kind}: ${lastEvent.summary}`;
  else probableCause = `no events, metrics or logs were given for incident ${ctx.incidentId}`;

  const evidence = [
    ...metrics.slice(0, 3).map((m) => ({ ref: m.series, detail: m.summary })),
    ...ctx.events.slice(-3).map((e) => ({ ref: e.id, detail: `${e.at} ${e.kind}: ${e.summary}` })),
    ...errorLogs.slice(-3).map((l) => ({ ref: l.ref, detail: l.line.slice(0, 300) })),
  ];
  if (!evidence.length) evidence.push({ ref: ctx.incidentId, detail: 'the incident carried no data' });

  const context = words([...ctx.events.map((e) => `${e.kind} ${e.summary}`), ...metrics.slice(0, 3).map((m) => m.series)].join(' '));
  let best: { id: string; overlap: number } | null = null;
  for (const r of ctx.runbooks) {
    const overlap = [...words(`${r.title} ${r.triggers.join(' ')}`)].filter((w) => context.has(w)).length;
    if (overlap > 0 && (!best || overlap > best.overlap)) best = { id: r.id, overlap };
  }
  // Extractive answers are never confident: the confidence says how much data backed the guess.
  const confidence = Math.min(0.5, 0.1 + 0.1 * Math.min(evidence.length, 4));
  return { probableCause, evidence, suggestedRunbook: best?.id ?? null, confidence, source: 'offline', fallbackReason };
}
