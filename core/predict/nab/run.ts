// Running a streaming detector over a NAB corpus and writing its results in NAB's layout
// (results/<detector>/<category>/<detector>_<file>.csv with `timestamp,anomaly_score`).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StreamingScorer } from '../detectors/types.ts';
import { resultPath, type NabFile } from './corpus.ts';

/** `YYYY-MM-DD HH:MM:SS` (NAB's format, UTC) to epoch milliseconds. */
export function parseNabTime(t: string): number {
  const ms = Date.parse(t.replace(' ', 'T') + 'Z');
  if (Number.isNaN(ms)) throw new Error(`unparseable timestamp '${t}', expected YYYY-MM-DD HH:MM:SS`);
  return ms;
}

export function runOnCorpus(
  corpus: readonly NabFile[],
  makeScorer: () => StreamingScorer,
  onFile?: (key: string, ms: number) => void
): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const f of corpus) {
    const started = performance.now();
    const scorer = makeScorer();
    const scores = f.values.map((v, i) => scorer.update(parseNabTime(f.timestamps[i]!), v).score);
    out.set(f.key, scores);
    onFile?.(f.key, performance.now() - started);
  }
  return out;
}

export function writeNabResults(
  resultsDir: string,
  detector: string,
  corpus: readonly NabFile[],
  results: ReadonlyMap<string, readonly number[]>
): number {
  let written = 0;
  for (const f of corpus) {
    const scores = results.get(f.key);
    if (!scores) continue;
    const path = resultPath(resultsDir, detector, f.key);
    mkdirSync(dirname(path), { recursive: true });
    const lines = ['timestamp,value,anomaly_score'];
    for (let i = 0; i < scores.length; i++) lines.push(`${f.timestamps[i]},${f.values[i]},${scores[i]}`);
    writeFileSync(path, lines.join('\n') + '\n');
    written++;
  }
  return written;
}
