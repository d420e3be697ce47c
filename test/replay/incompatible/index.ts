// A deliberately incompatible change of the interpreter (a timer before the first command):
// replaying recorded histories against it must fail with a determinism violation.
import { sleep } from '@temporalio/workflow';
import { runRunbook as current } from '../../../workflows/runbook.ts';
import type { RunbookInput, RunbookResult } from '../../../workflows/runbook-types.ts';

export async function runRunbook(input: RunbookInput): Promise<RunbookResult> {
  await sleep('1 second');
  return current(input);
}
