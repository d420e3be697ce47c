// Every runbook in runbooks/ has a recorded history (scripts/record-histories.ts) that must
// replay against the current workflow bundle; one deliberately incompatible change must not.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { projectRoot, runbooksDir } from '../../core/config.ts';
import { workflowBundle } from '../helpers/temporal.ts';

const dir = join(projectRoot, 'test', 'replay', 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const load = (f: string) => historyFromJSON(JSON.parse(readFileSync(join(dir, f), 'utf8')));
const quiet = { log() {}, info() {}, warn() {}, error() {}, debug() {}, trace() {} };

describe('replay of recorded histories', () => {
  it('has a recorded history for every runbook in runbooks/', () => {
    const runbooks = readdirSync(runbooksDir()).filter((f) => f.endsWith('.md')).map((f) => basename(f, '.md'));
    const recorded = new Set(files.map((f) => f.replace(/\.json$/, '')));
    expect(runbooks.filter((r) => !recorded.has(r))).toEqual([]);
  });

  it.each(files)('%s replays against the current bundle', async (file) => {
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), replayName: file }, load(file), `record:${file.replace(/\.json$/, "")}`); // the id it was recorded under (child ids derive from it)
  });

  it('catches a deliberately incompatible change', async () => {
    const bad = await bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('./incompatible/index.ts', import.meta.url)), logger: quiet });
    const file = files[0]!;
    await expect(Worker.runReplayHistory({ workflowBundle: bad, replayName: 'incompatible' }, load(file), `replay-bad-${file}`)).rejects.toThrow(DeterminismViolationError);
  });
});
