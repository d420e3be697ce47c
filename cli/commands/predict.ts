// `ironthrone predict …`: evaluate detectors on the Numenta Anomaly Benchmark and score series.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { dataDir } from '../../core/config.ts';
import { defaultNabDir } from '../../core/predict/nab/corpus.ts';
import { evaluateDetector, renderReports, scoreExisting, type DetectorReport } from '../../core/predict/nab/report.ts';
import { CliError, EXIT, emit } from '../output.ts';

interface EvalOptions {
  nab?: string;
  detector: string;
  out?: string;
  scoreOnly?: string;
}

export function registerPredictCommands(program: Command): void {
  const predict = program.command('predict').description('downtime predictor: detectors, NAB evaluation');
  predict
    .command('eval')
    .description("run a detector over a NAB-layout corpus, write NAB results, print each profile's score")
    .option('--nab <dir>', 'NAB folder (data/, labels/, config/); default $IRONTHRONE_NAB_DIR or ../shared/data/nab')
    .option('--detector <name>', 'detector to run', 'ironthrone')
    .option('--out <dir>', 'results folder (NAB layout), default <data>/nab-results')
    .option('--score-only <resultsDir>', 'do not run: score the results already in this folder (all detectors in it)')
    .action((opts: EvalOptions, cmd: Command) => {
      const json = Boolean(cmd.optsWithGlobals<{ json?: boolean }>().json);
      const nab = resolve(opts.nab ?? defaultNabDir());
      if (!existsSync(join(nab, 'data')) || !existsSync(join(nab, 'labels', 'combined_windows.json'))) {
        throw new CliError(`${nab}: not a NAB folder (expected data/ and labels/combined_windows.json)`, EXIT.usage);
      }
      let reports: DetectorReport[];
      try {
        if (opts.scoreOnly) {
          const only = cmd.getOptionValueSource('detector') === 'cli' ? [opts.detector] : undefined;
          reports = scoreExisting(nab, resolve(opts.scoreOnly), only);
        } else {
          const out = resolve(opts.out ?? dataDir('nab-results'));
          reports = [evaluateDetector(nab, opts.detector, out)];
          if (!json) console.log(`results written under ${join(out, opts.detector)}`);
        }
      } catch (err) {
        throw new CliError(err instanceof Error ? err.message : String(err), EXIT.usage);
      }
      emit(json, reports, () => renderReports(reports));
    });
}
