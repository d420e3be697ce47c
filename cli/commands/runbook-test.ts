// `ironthrone runbook test <runbook…>`: runs the tests declared beside a runbook
// (runbooks/<id>.test.yaml: a fault to inject and the expected outcome) against the iDRAC
// simulator on the Temporal server, through `hardware test-runbook`.
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import { runbooksDir } from '../../core/config.ts';
import { CliError, EXIT } from '../output.ts';

export function specFor(runbook: string): string {
  if (runbook.endsWith('.test.yaml') && existsSync(runbook)) return runbook;
  const candidates = runbook.endsWith('.md') ? [join(dirname(runbook), `${basename(runbook, '.md')}.test.yaml`)] : [join(runbooksDir(), `${runbook}.test.yaml`)];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new CliError(`no declared tests for ${runbook}: expected ${candidates.join(' or ')}`, EXIT.notFound);
  return found;
}

export function registerRunbookTestCommand(program: Command): void {
  const runbook = program.commands.find((c) => c.name() === 'runbook');
  if (!runbook) return;
  runbook
    .command('test <runbook...>')
    .description('run the tests declared beside a runbook (<id>.test.yaml) against the iDRAC simulator')
    .action(async (runbooks: string[]) => {
      const specs = runbooks.map(specFor);
      await program.parseAsync(['hardware', 'test-runbook', ...specs], { from: 'user' });
    });
}
