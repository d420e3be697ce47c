// The `ironthrone` CLI. Each capability registers its subcommands from cli/commands/.
import { Command, CommanderError } from 'commander';
import { CliError } from './output.ts';
import { registerLogsCommands } from './commands/logs.ts';
import { registerRunbookCommands } from './commands/runbook.ts';
import { registerRunCommands } from './commands/runs.ts';
import { registerRunbookTestCommand } from './commands/runbook-test.ts';
import { registerPredictCommands } from './commands/predict.ts';
import { registerMetricsCommands } from './commands/metrics.ts';
import { registerSloCommands } from './commands/slo.ts';
import { registerProbesCommands } from './commands/probes.ts';
import { registerHardwareCommands } from './commands/hardware.ts';
import { registerLedgerCommands } from './commands/ledger.ts';

const program = new Command('ironthrone')
  .description('Iron Throne: availability monitoring and runbook remediation on Temporal')
  .option('--json', 'machine-readable output')
  .showHelpAfterError()
  .exitOverride();

const registrations: ((p: Command) => void)[] = [
  // capabilities register here, one line each
  registerLogsCommands,
  registerMetricsCommands,
  registerSloCommands,
  registerProbesCommands,
  registerRunbookCommands,
  registerRunCommands,
  registerPredictCommands,
  registerHardwareCommands,
  registerLedgerCommands,
];
for (const register of registrations) register(program);
registerRunbookTestCommand(program); // after `runbook` and `hardware` exist

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  if (err instanceof CliError) {
    console.error(`error: ${err.message}`);
    process.exit(err.exitCode);
  }
  console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
