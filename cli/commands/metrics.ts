// `ironthrone metrics …`: query the telemetry store with Atlas's stack language.
import type { Command } from 'commander';
import { dataDir } from '../../core/config.ts';
import { graphJson, graphQuery, GraphParamError } from '../../core/telemetry/graph.ts';
import { QueryError } from '../../core/telemetry/query/compile.ts';
import type { QueryResult } from '../../core/telemetry/query/evaluate.ts';
import { renderResult } from '../../core/telemetry/text.ts';
import { TelemetryStore } from '../../core/telemetry/store.ts';
import { CliError, EXIT, emit } from '../output.ts';

interface QueryOptions {
  start: string;
  end: string;
  step?: string;
  table?: boolean;
  url?: string;
}

export function registerMetricsCommands(program: Command): void {
  const metrics = program.command('metrics').description('dimensional telemetry: Atlas stack-language queries');
  metrics
    .command('query <expr>')
    .description(
      "evaluate a stack-language expression, e.g. 'name,cpu,:eq,(,host,),:by' (sparklines; --table for values)"
    )
    .option('-s, --start <time>', 'start: e-3h, now-1d, ISO time or epoch', 'e-3h')
    .option('-e, --end <time>', 'end: now, ISO time or epoch', 'now')
    .option('--step <duration>', 'step, e.g. 1m or 5m (default: about 60 points)')
    .option('--table', 'print every value in a table')
    .option('--url <base>', 'ask a running server (GET /api/v1/graph) instead of reading the local store')
    .action(async (expr: string, opts: QueryOptions, cmd: Command) => {
      const json = Boolean(cmd.optsWithGlobals<{ json?: boolean }>().json);
      const params = { q: expr, s: opts.start, e: opts.end, step: opts.step, w: opts.step ? undefined : '60' };
      let r: QueryResult;
      if (opts.url) {
        const u = new URL('/api/v1/graph', opts.url);
        for (const [k, v] of Object.entries({ ...params, format: 'json' })) if (v) u.searchParams.set(k, v);
        const res = await fetch(u, {
          headers: process.env.IRONTHRONE_TOKEN ? { authorization: `Bearer ${process.env.IRONTHRONE_TOKEN}` } : {},
        }).catch((err: Error) => {
          throw new CliError(`${opts.url}: ${err.message}`, EXIT.unavailable);
        });
        const body = (await res.json()) as {
          message?: string;
          start: number;
          step: number;
          legend: string[];
          metrics: Record<string, string>[];
          values: (number | null)[][];
        };
        if (!res.ok)
          throw new CliError(body.message ?? `HTTP ${res.status}`, res.status === 400 ? EXIT.usage : EXIT.failure);
        r = {
          start: body.start,
          step: body.step,
          end: body.start + body.values.length * body.step,
          series: body.legend.map((label, j) => ({
            label,
            tags: body.metrics[j] ?? {},
            data: Float64Array.from(body.values, (row) => row[j] ?? NaN),
          })),
        };
      } else {
        const store = TelemetryStore.open({
          dir: dataDir('telemetry'),
          readOnly: true,
          stepMs: Number(process.env.IRONTHRONE_TELEMETRY_STEP_MS ?? 60_000),
        });
        try {
          r = graphQuery(store, params);
        } catch (err) {
          if (err instanceof QueryError)
            throw new CliError(`query: ${err.message}\n  ${expr}\n  ${' '.repeat(err.position)}^`, EXIT.usage);
          if (err instanceof GraphParamError) throw new CliError(err.message, EXIT.usage);
          throw err;
        }
      }
      emit(json, graphJson(r), () => renderResult(r, Boolean(opts.table)));
    });
}
