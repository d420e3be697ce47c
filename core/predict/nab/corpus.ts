// Reading a NAB-layout folder: data/<category>/<file>.csv, labels/combined_windows.json,
// config/profiles.json, and detectors' results/<detector>/<category>/<detector>_<file>.csv.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { projectRoot } from '../../config.ts';
import type { CostMatrix } from './sweeper.ts';

export const PROFILE_NAMES = ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export interface NabFile {
  /** `<category>/<file>.csv`, the key used by NAB's label files. */
  key: string;
  category: string;
  file: string;
  timestamps: string[];
  values: number[];
  windows: [string, string][];
}

/** Default corpus: `IRONTHRONE_NAB_DIR`, else shared/data/nab beside the checkout. */
export function defaultNabDir(): string {
  return process.env.IRONTHRONE_NAB_DIR ?? join(projectRoot, '..', 'shared', 'data', 'nab');
}

/** NAB writes timestamps as `YYYY-MM-DD HH:MM:SS` and windows with `.000000`: compare on the first 19 chars. */
export function canonicalTimestamp(t: string): string {
  return t.trim().slice(0, 19);
}

/** Parses a two-column CSV with a header; `column` names the numeric column to read. */
export function readSeriesCsv(path: string, column: string): { timestamps: string[]; values: number[] } {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const ti = header.indexOf('timestamp');
  const vi = header.indexOf(column);
  if (ti < 0 || vi < 0) throw new Error(`${path}:1: expected a header with 'timestamp' and '${column}', got '${lines[0]}'`);
  const timestamps: string[] = [];
  const values: number[] = [];
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n]!;
    if (!line.trim()) continue;
    const cells = line.split(',');
    const v = Number(cells[vi]);
    if (cells[ti] === undefined || cells[vi] === undefined || cells[vi].trim() === '') {
      throw new Error(`${path}:${n + 1}: expected ${header.length} columns, got '${line}'`);
    }
    timestamps.push(canonicalTimestamp(cells[ti]));
    values.push(v);
  }
  return { timestamps, values };
}

export function loadProfiles(nabDir: string): Record<ProfileName, CostMatrix> {
  const raw = JSON.parse(readFileSync(join(nabDir, 'config', 'profiles.json'), 'utf8')) as Record<
    string,
    { CostMatrix: CostMatrix }
  >;
  const out = {} as Record<ProfileName, CostMatrix>;
  for (const p of PROFILE_NAMES) {
    const m = raw[p]?.CostMatrix;
    if (!m) throw new Error(`${nabDir}/config/profiles.json: missing profile '${p}'`);
    out[p] = m;
  }
  return out;
}

export function loadWindows(nabDir: string): Record<string, [string, string][]> {
  const raw = JSON.parse(readFileSync(join(nabDir, 'labels', 'combined_windows.json'), 'utf8')) as Record<
    string,
    [string, string][]
  >;
  const out: Record<string, [string, string][]> = {};
  for (const [k, ws] of Object.entries(raw)) {
    out[k] = ws.map(([a, b]) => [canonicalTimestamp(a), canonicalTimestamp(b)]);
  }
  return out;
}

/** Every labelled data file of the corpus, sorted by key. */
export function loadCorpus(nabDir: string): NabFile[] {
  if (!existsSync(join(nabDir, 'data'))) throw new Error(`${nabDir}: not a NAB folder (no data/ inside)`);
  const windows = loadWindows(nabDir);
  const files: NabFile[] = [];
  for (const category of readdirSync(join(nabDir, 'data'), { withFileTypes: true })) {
    if (!category.isDirectory()) continue;
    for (const f of readdirSync(join(nabDir, 'data', category.name))) {
      if (!f.endsWith('.csv')) continue;
      const key = `${category.name}/${f}`;
      const w = windows[key];
      if (!w) continue; // not labelled: NAB does not score it
      const { timestamps, values } = readSeriesCsv(join(nabDir, 'data', key), 'value');
      files.push({ key, category: category.name, file: f, timestamps, values, windows: w });
    }
  }
  return files.sort((a, b) => a.key.localeCompare(b.key));
}

/** Path of a detector's results for one data file, in NAB's layout. */
export function resultPath(resultsDir: string, detector: string, key: string): string {
  const [category, file] = key.split('/') as [string, string];
  return join(resultsDir, detector, category, `${detector}_${file}`);
}

/** Reads a detector's results for every file of the corpus (missing files are an error). */
export function loadResults(resultsDir: string, detector: string, corpus: readonly NabFile[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const f of corpus) {
    const path = resultPath(resultsDir, detector, f.key);
    if (!existsSync(path)) throw new Error(`${path}: missing results for ${f.key}`);
    const { timestamps, values } = readSeriesCsv(path, 'anomaly_score');
    if (timestamps.length !== f.timestamps.length) {
      throw new Error(`${path}: ${timestamps.length} rows, the data file has ${f.timestamps.length}`);
    }
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new Error(`${path}:${bad + 2}: anomaly_score is not a number`);
    out.set(f.key, values);
  }
  return out;
}

/** Detector names present under a results folder (sub-folders). */
export function listDetectors(resultsDir: string): string[] {
  return readdirSync(resultsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => basename(d.name))
    .sort();
}
