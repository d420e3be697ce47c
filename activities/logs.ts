// Log activities: `logsSearch` backs the `logs` step kind (incident context around a time). Thin:
// validate with the kind's schema, call core/logs, map bad queries to non-retryable failures and
// an unreachable store to retryable ones.
import { ApplicationFailure } from '@temporalio/activity';
import { correlate } from '../core/logs/correlate.ts';
import { openLogStore } from '../core/logs/open.ts';
import { timeArg } from '../core/logs/query-args.ts';
import { LogQueryError, type LogStore } from '../core/logs/store.ts';
import { logsParams } from '../core/runbook/kinds/logs.ts';
import type { StepContext } from '../core/runbook/plan.ts';
import type { ActivityOptions } from './index.ts';
import { parseOrFail } from './steps.ts';

export function createLogsActivities(opts: ActivityOptions = {}) {
  let store: LogStore | undefined;
  const getStore = () => (store ??= openLogStore(undefined, opts.dataDir));
  return {
    /** Retention job (for a Temporal Schedule): drops whole UTC days older than `keep` (e.g. `14d`). */
    async logsRetention(params: { keep: string }) {
      try {
        const cutoff = timeArg(params.keep, 'keep');
        return { cutoff, removed: await getStore().deleteBefore(cutoff) };
      } catch (err) {
        if (err instanceof LogQueryError)
          throw ApplicationFailure.nonRetryable(`logs retention: ${err.message}`, 'BadInput');
        throw err;
      }
    },
    async logsSearch(params: unknown, ctx: StepContext) {
      const p = parseOrFail(logsParams, params, `logs step ${ctx.stepId}`);
      if (typeof p.limit !== 'number')
        throw ApplicationFailure.nonRetryable(
          `logs step ${ctx.stepId}: limit: expected a number, got ${JSON.stringify(p.limit)}`,
          'BadInput'
        );
      try {
        const r = await correlate(
          getStore(),
          { target: p.host, service: p.service, at: p.at ?? new Date().toISOString() },
          { before: p.before, after: p.after },
          { text: p.query, minSeverity: p.minSeverity, messageId: p.messageId, limit: p.limit }
        );
        const hits = r.hits.map((h) => ({
          id: h.id,
          ts: h.ts,
          host: h.host ?? '',
          service: h.service ?? '',
          severity: h.severity,
          message: h.message,
          messageId: h.messageId ?? '',
        }));
        return { total: r.total, since: r.since, until: r.until, hits, bySeverity: r.bySeverity };
      } catch (err) {
        if (err instanceof LogQueryError)
          throw ApplicationFailure.nonRetryable(`logs step ${ctx.stepId}: ${err.message}`, 'BadInput');
        throw err;
      }
    },
  };
}
