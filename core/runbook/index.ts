// The runbook capability: Markdown → plan compiler, expression language, inputs, dry-run.
// Workflow code must not import this barrel (it pulls in remark and zod): import
// `./plan.ts` and `./expr/evaluate.ts` directly instead.
export { compileRunbook, compileRunbookFile, type CompileOptions, type CompileResult } from './compile.ts';
export { formatDiagnostic, type Diagnostic } from './diagnostics.ts';
export { evaluate, resolveValue, truthy, stringify, ExprError, FUNCTION_ARITY } from './expr/evaluate.ts';
export { parseExpression, parseTemplate } from './expr/parse.ts';
export { parseDuration, formatDuration } from './duration.ts';
export { validateInputs, parseInputPairs, type InputsResult } from './inputs.ts';
export { renderDryRun } from './dry-run.ts';
export { stepKinds, type StepKind, type OutputShape } from './kinds/index.ts';
export type * from './plan.ts';
export { PLAN_SCHEMA_VERSION } from './plan.ts';
