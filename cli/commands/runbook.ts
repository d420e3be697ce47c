// `ironthrone runbook lint|compile|dry-run`: the compiler's doors. Nothing here talks to Temporal.
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { runbooksDir } from '../../core/config.ts';
import { compileRunbookFile, type CompileResult } from '../../core/runbook/compile.ts';
import { formatDiagnostic, type Diagnostic } from '../../core/runbook/diagnostics.ts';
import { renderDryRun } from '../../core/runbook/dry-run.ts';
import { parseInputPairs, validateInputs } from '../../core/runbook/inputs.ts';
import { stepKinds } from '../../core/runbook/kinds/index.ts';
import { CliError, EXIT, emit } from '../output.ts';

/** Child runbooks resolve from the file's own folder unless IRONTHRONE_RUNBOOKS_DIR says otherwise. */
function compileFile(file: string): CompileResult {
  const dir = process.env.IRONTHRONE_RUNBOOKS_DIR ? runbooksDir() : dirname(resolve(file));
  try {
    return compileRunbookFile(file, { file, runbooksDir: dir });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`no such runbook file: ${file}`, EXIT.usage);
    throw err;
  }
}

function failOn(diagnostics: Diagnostic[], json: boolean): void {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) return;
  if (json) console.log(JSON.stringify({ ok: false, diagnostics }, null, 2));
  else for (const d of diagnostics) console.error(formatDiagnostic(d));
  throw new CliError(`${errors.length} compile error(s)`, EXIT.usage);
}

const collect = (v: string, acc: string[]) => [...acc, v];

export function registerRunbookCommands(program: Command): void {
  const json = () => Boolean(program.opts().json);
  const runbook = program.command('runbook').description('check, compile and preview Markdown runbooks');

  runbook
    .command('lint <files...>')
    .description('compile each runbook and report problems as file:line:col: message (exit 2 on errors)')
    .action((files: string[]) => {
      const all = files.flatMap((f) => compileFile(f).diagnostics);
      const errors = all.filter((d) => d.severity === 'error').length;
      if (json()) console.log(JSON.stringify({ ok: errors === 0, files: files.length, diagnostics: all }, null, 2));
      else {
        for (const d of all) console.log(formatDiagnostic(d));
        console.error(
          errors === 0 ? `${files.length} runbook(s) OK` : `${errors} error(s) in ${files.length} runbook(s)`
        );
      }
      if (errors > 0) process.exitCode = EXIT.usage;
    });

  runbook
    .command('compile <file>')
    .description('compile a runbook to its JSON plan')
    .option('-o, --out <file>', 'write the plan to this file instead of stdout')
    .action((file: string, o: { out?: string }) => {
      const r = compileFile(file);
      failOn(r.diagnostics, json());
      const text = JSON.stringify(r.plan, null, 2) + '\n';
      if (o.out) {
        writeFileSync(o.out, text);
        emit(json(), { ok: true, out: o.out, id: r.plan?.id, sourceHash: r.plan?.sourceHash }, () => `wrote ${o.out}`);
      } else process.stdout.write(text);
    });

  runbook
    .command('dry-run <file>')
    .description('print the plan as a step list with resolved policies, conditions and approval gates')
    .option('-i, --input <name=value>', 'an input value (repeatable)', collect, [] as string[])
    .action((file: string, o: { input: string[] }) => {
      const r = compileFile(file);
      failOn(r.diagnostics, json());
      const plan = r.plan;
      if (!plan) throw new CliError('no plan', EXIT.failure);
      const pairs = parseInputPairs(o.input);
      if (pairs.errors.length > 0) throw new CliError(pairs.errors.join('\n'), EXIT.usage);
      let values: Record<string, unknown> | undefined;
      if (o.input.length > 0 || plan.inputs.every((i) => !i.required || i.default !== undefined)) {
        const v = validateInputs(plan, pairs.values);
        if (!v.ok) throw new CliError(`invalid inputs for ${plan.id}:\n  ${v.errors.join('\n  ')}`, EXIT.usage);
        values = v.values;
      }
      emit(json(), { plan, inputs: values ?? null, text: renderDryRun(plan, values) }, () =>
        renderDryRun(plan, values)
      );
    });

  runbook
    .command('kinds')
    .description('list the registered step kinds with an example of each')
    .action(() => {
      const kinds = [...stepKinds.values()].map((k) => ({
        kind: k.kind,
        exec: k.exec,
        activity: k.activity ?? null,
        mutating: k.mutating,
        ...k.doc,
      }));
      emit(json(), kinds, () =>
        kinds
          .map(
            (k) =>
              `${k.kind} (${k.activity ? `activity ${k.activity}` : 'workflow'}): ${k.summary}\n${k.example.replace(/^/gm, '    ')}`
          )
          .join('\n\n')
      );
    });
}
