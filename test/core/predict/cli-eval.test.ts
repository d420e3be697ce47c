// `ironthrone predict eval`: scores existing NAB results, and runs our detector end to end on a
// small NAB-layout corpus (two files copied from the development corpus), writing NAB's layout.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../core/config.ts';
import { defaultNabDir } from '../../../core/predict/nab/corpus.ts';

const run = promisify(execFile);
const nab = defaultNabDir();
const cli = (args: string[]) => run(process.execPath, [join(projectRoot, 'bin', 'ironthrone.js'), ...args], { cwd: projectRoot, maxBuffer: 1 << 24 });

describe.skipIf(!existsSync(join(nab, 'results')))('ironthrone predict eval', () => {
  it('--score-only prints the published detectors per profile', async () => {
    const { stdout } = await cli(['--json', 'predict', 'eval', '--nab', nab, '--score-only', join(nab, 'results')]);
    const reports = JSON.parse(stdout) as { detector: string; profiles: { standard: { score: number } } }[];
    const numenta = reports.find((r) => r.detector === 'numenta')!;
    expect(Math.abs(numenta.profiles.standard.score - 68.85)).toBeLessThan(0.05);
  }, 120_000);

  it('runs our detector on a NAB-layout folder and writes NAB results', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nab-'));
    for (const sub of ['config', 'labels']) cpSync(join(nab, sub), join(dir, sub), { recursive: true });
    mkdirSync(join(dir, 'data', 'realKnownCause'), { recursive: true });
    cpSync(join(nab, 'data', 'realKnownCause', 'nyc_taxi.csv'), join(dir, 'data', 'realKnownCause', 'nyc_taxi.csv'));
    const out = join(dir, 'out');
    const { stdout } = await cli(['predict', 'eval', '--nab', dir, '--out', out]);
    expect(stdout).toMatch(/\| ironthrone \| -?\d+\.\d\d \|/);
    const csv = readFileSync(join(out, 'ironthrone', 'realKnownCause', 'ironthrone_nyc_taxi.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe('timestamp,value,anomaly_score');
    expect(csv[1]).toMatch(/^2014-07-01 00:00:00,10844,0$/);
  }, 120_000);

  it('refuses a folder that is not a NAB corpus with a usage error', async () => {
    const err = (await cli(['predict', 'eval', '--nab', tmpdir()]).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(2);
    expect(err.stderr).toMatch(/not a NAB folder/);
  }, 60_000);
});
