import { compileRunbookFile } from './core/runbook/compile.ts';
import { formatDiagnostic } from './core/runbook/diagnostics.ts';
const r = compileRunbookFile(process.argv[2]!, process.argv[3] ? { runbooksDir: process.argv[3] } : {});
for (const d of r.diagnostics) console.log(formatDiagnostic(d), `[${d.rule}]`);
if (r.plan && process.argv[4] !== 'q') console.log(JSON.stringify(r.plan, null, 1));
