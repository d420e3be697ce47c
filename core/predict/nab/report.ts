// One entry point for "score a detector on a NAB corpus": run (or read) results, score every
// profile, and render the table the CLI and the benchmark print.
import { join } from 'node:path';
import { detectors } from '../detectors/index.ts';
import { PROFILE_NAMES, listDetectors, loadCorpus, loadProfiles, loadResults, type ProfileName } from './corpus.ts';
import { scoreAllProfiles, type ProfileScore } from './evaluate.ts';
import { runOnCorpus, writeNabResults } from './run.ts';

export interface DetectorReport {
  detector: string;
  files: number;
  points: number;
  runMs?: number;
  profiles: Record<ProfileName, Omit<ProfileScore, 'perFile'>>;
}

function strip(s: Record<ProfileName, ProfileScore>): DetectorReport['profiles'] {
  const out = {} as DetectorReport['profiles'];
  for (const p of PROFILE_NAMES) {
    const { perFile: _perFile, ...rest } = s[p];
    out[p] = rest;
  }
  return out;
}

/** Runs detector `name` over every series of the corpus, writes NAB-layout results under `outDir`, scores them. */
export function evaluateDetector(nabDir: string, name: string, outDir: string): DetectorReport {
  const make = detectors[name];
  if (!make) throw new Error(`unknown detector '${name}', expected one of: ${Object.keys(detectors).join(', ')}`);
  const corpus = loadCorpus(nabDir);
  const started = performance.now();
  const results = runOnCorpus(corpus, () => make());
  const runMs = performance.now() - started;
  writeNabResults(outDir, name, corpus, results);
  const scores = scoreAllProfiles(corpus, results, loadProfiles(nabDir));
  const points = corpus.reduce((n, f) => n + f.values.length, 0);
  return { detector: name, files: corpus.length, points, runMs, profiles: strip(scores) };
}

/** Scores existing results (every detector folder under `resultsDir`, or those named). */
export function scoreExisting(nabDir: string, resultsDir: string, only?: string[]): DetectorReport[] {
  const corpus = loadCorpus(nabDir);
  const profiles = loadProfiles(nabDir);
  const names = only?.length ? only : listDetectors(resultsDir);
  const points = corpus.reduce((n, f) => n + f.values.length, 0);
  return names.map((d) => ({
    detector: d,
    files: corpus.length,
    points,
    profiles: strip(scoreAllProfiles(corpus, loadResults(resultsDir, d, corpus), profiles)),
  }));
}

export function renderReports(reports: readonly DetectorReport[]): string {
  const lines = ['| detector | standard | reward_low_FP_rate | reward_low_FN_rate |', '| --- | ---: | ---: | ---: |'];
  for (const r of reports) {
    const cells = PROFILE_NAMES.map((p) => r.profiles[p].score.toFixed(2));
    lines.push(`| ${r.detector} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

export const publishedResultsDir = (nabDir: string): string => join(nabDir, 'results');
