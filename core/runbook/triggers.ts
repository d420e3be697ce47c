// Which runbooks an event or a prediction should start: a runbook's `triggers` name an event
// kind (`hardware.fan` or a glob such as `hardware.*`), tag conditions, a probability threshold
// for predictions and an optional expression over the event.
import { evaluate, truthy } from './expr/evaluate.ts';
import type { Plan, Trigger } from './plan.ts';

export interface TriggerEvent {
  /** e.g. `availability.down`, `hardware.fan`, `prediction`. */
  kind: string;
  target: string;
  severity?: string;
  tags?: Record<string, string>;
  /** For predictions. */
  probability?: number;
  [extra: string]: unknown;
}

function kindMatches(pattern: string, kind: string): boolean {
  if (pattern === kind || pattern === '*') return true;
  if (pattern.endsWith('.*')) return kind.startsWith(pattern.slice(0, -1));
  return false;
}

export function triggerMatches(t: Trigger, e: TriggerEvent): boolean {
  if (!kindMatches(t.event, e.kind)) return false;
  for (const [k, v] of Object.entries(t.match ?? {})) {
    const actual = e.tags?.[k] ?? (typeof e[k] === 'string' ? e[k] : undefined);
    if (actual !== v) return false;
  }
  if (t.threshold !== undefined && !(typeof e.probability === 'number' && e.probability >= t.threshold)) return false;
  if (t.when) {
    try {
      if (!truthy(evaluate(t.when.$expr, { event: e }))) return false;
    } catch {
      return false; // an expression that cannot be evaluated on this event does not match it
    }
  }
  return true;
}

/** Plans with at least one trigger matching the event, in a stable order (by id). */
export function matchingRunbooks(plans: Plan[], e: TriggerEvent): Plan[] {
  return plans.filter((p) => p.triggers.some((t) => triggerMatches(t, e))).sort((a, b) => a.id.localeCompare(b.id));
}
