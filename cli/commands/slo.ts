// `ironthrone slo …`: availability / SLO reports computed from the ledger's availability events,
// and their verification against the ledger.
import type { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadMaintenance, reportRequest, ReportParamError, type ReportParams } from '../../core/availability/config.ts';
import { reportSvg, reportTable } from '../../core/availability/render.ts';
import { buildReport, verifyReport, type AvailabilityReport } from '../../core/availability/report.ts';
import { openLedger } from '../../core/ledger/index.ts';
import { CliError, EXIT, emit } from '../output.ts';

interface ReportOptions extends ReportParams {
  maintenance?: string;
  verify?: boolean;
  svg?: string;
  out?: string;
}

const checksText = (v: Awaited<ReturnType<typeof verifyReport>>) =>
  [
    `verify: ${v.ok ? 'OK' : 'FAILED'}`,
    ...v.checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.detail ? `: ${c.detail}` : ''}`),
  ].join('\n');

export function registerSloCommands(program: Command): void {
  const slo = program.command('slo').description('availability and SLO reports from the ledger');
  slo
    .command('report')
    .description(
      'uptime, SLO attainment, error budget, burn rate, MTTD and MTTR per group, citing the ledger root used'
    )
    .option('--window <duration>', 'window ending at --to (e.g. 7d, 30d)', '30d')
    .option('--from <time>', 'window start (ISO, epoch or now-7d) instead of --window')
    .option('--to <time>', 'window end', 'now')
    .option('--group-by <key>', 'service, host, region or target', 'service')
    .option('--objective <slo>', 'SLO objective, e.g. 99.9% or 0.999', '99.9%')
    .option('--service <name>', 'only this service')
    .option('--host <name>', 'only this host')
    .option('--region <name>', 'only this region')
    .option('--target <name>', 'only this target')
    .option('--maintenance <file>', 'maintenance windows YAML (default config/maintenance.yaml)')
    .option('--verify', 'recompute the report against the ledger and check proofs; exit 1 if anything differs')
    .option('--svg <file>', 'also write the chart as SVG')
    .option('--out <file>', 'also save the report JSON (for `slo verify` later)')
    .action(async (opts: ReportOptions, cmd: Command) => {
      const json = Boolean(cmd.optsWithGlobals<{ json?: boolean }>().json);
      let req;
      let maintenance;
      try {
        req = reportRequest(opts);
        maintenance = loadMaintenance(opts.maintenance, Boolean(opts.maintenance));
      } catch (err) {
        if (err instanceof ReportParamError || err instanceof Error) throw new CliError(err.message, EXIT.usage);
        throw err;
      }
      const ledger = await openLedger();
      try {
        const report = await buildReport(ledger, { ...req, maintenance });
        if (opts.svg) writeFileSync(opts.svg, reportSvg(report));
        if (opts.out) writeFileSync(opts.out, JSON.stringify(report, null, 2) + '\n');
        const verification = opts.verify ? await verifyReport(ledger, report) : undefined;
        emit(
          json,
          verification ? { report, verification } : report,
          () => reportTable(report) + (verification ? '\n\n' + checksText(verification) : '')
        );
        if (verification && !verification.ok) throw new CliError('report verification failed', EXIT.failure);
      } finally {
        await ledger.close();
      }
    });
  slo
    .command('verify <reportJson>')
    .description('recompute a saved report (from `slo report --out`) against the ledger')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      const json = Boolean(cmd.optsWithGlobals<{ json?: boolean }>().json);
      let report: AvailabilityReport;
      try {
        report = JSON.parse(readFileSync(file, 'utf8')) as AvailabilityReport;
        if (report.version !== 1 || !report.ledger?.root) throw new Error('not an availability report (version 1)');
      } catch (err) {
        throw new CliError(`${file}: ${(err as Error).message}`, EXIT.usage);
      }
      const ledger = await openLedger();
      try {
        const v = await verifyReport(ledger, report);
        emit(json, v, () => checksText(v));
        if (!v.ok) throw new CliError('report verification failed', EXIT.failure);
      } finally {
        await ledger.close();
      }
    });
}
