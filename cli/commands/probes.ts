// `ironthrone probes …`: run the service probes once, or put the sweep on a Temporal Schedule.
import type { Command } from 'commander';
import { Client, Connection } from '@temporalio/client';
import { dataDir, temporalSettings } from '../../core/config.ts';
import { join } from 'node:path';
import { loadProbes, probesFile, sweepProbes } from '../../core/telemetry/probe-sweep.ts';
import { ensureProbeSchedule } from '../../core/telemetry/probe-schedule.ts';
import { CliError, EXIT, emit } from '../output.ts';

export function registerProbesCommands(program: Command): void {
  const probes = program.command('probes').description('HTTP(S)/TCP service probes with flap damping');
  probes
    .command('run')
    .description(`run every probe of ${probesFile()} once (damping state is shared with the scheduled sweep)`)
    .action(async (_o: unknown, cmd: Command) => {
      const json = Boolean(cmd.optsWithGlobals<{ json?: boolean }>().json);
      let specs;
      try {
        specs = loadProbes();
      } catch (err) {
        throw new CliError((err as Error).message, EXIT.usage);
      }
      const out = await sweepProbes(specs, { stateFile: join(dataDir('probes'), 'state-cli.json') });
      emit(
        json,
        out,
        () =>
          out.results
            .map(
              (r) =>
                `${r.ok ? 'up  ' : 'DOWN'}  ${r.target.padEnd(24)} ${String(r.latencyMs).padStart(8)} ms${r.status ? `  HTTP ${r.status}` : ''}${r.certDaysLeft !== undefined ? `  cert ${r.certDaysLeft}d` : ''}${r.error ? `  ${r.error}` : ''}`
            )
            .join('\n') || 'no probes configured'
      );
    });
  probes
    .command('schedule')
    .description('create or update the Temporal Schedule that runs the probe sweep')
    .option('--every <interval>', 'interval, e.g. 30s or 60s', '60s')
    .option('--hand-off <how>', 'ledger (ledgerSubmit) or probes (direct append)', 'ledger')
    .action(async (o: { every: string; handOff: string }, cmd: Command) => {
      const json = Boolean(cmd.optsWithGlobals<{ json?: boolean }>().json);
      if (!/^\d+s$/.test(o.every))
        throw new CliError(`--every ${JSON.stringify(o.every)}: expected seconds, e.g. 60s`, EXIT.usage);
      if (o.handOff !== 'ledger' && o.handOff !== 'probes')
        throw new CliError(`--hand-off: expected ledger or probes`, EXIT.usage);
      const { address, namespace, taskQueue } = temporalSettings();
      let client: Client;
      try {
        client = new Client({ connection: await Connection.connect({ address, connectTimeout: 5000 }), namespace });
      } catch (err) {
        throw new CliError(`cannot reach Temporal at ${address}: ${String(err)}`, EXIT.unavailable);
      }
      const id = await ensureProbeSchedule(client, { taskQueue, every: o.every, input: { handOff: o.handOff } });
      emit(json, { scheduleId: id }, () => `schedule ${id}: probeSweep every ${o.every} on ${taskQueue}`);
      await client.connection.close();
    });
}
