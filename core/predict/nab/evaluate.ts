// Corpus-level NAB score: one threshold per profile chosen to maximise the corpus total (NAB's
// optimiser), then normalised between the null detector (detects nothing: every window missed)
// and the perfect one (every window detected at its left edge): 100·(raw − null)/(perfect − null).
import { PROFILE_NAMES, type NabFile, type ProfileName } from './corpus.ts';
import { scoreAtThreshold, scoresByThreshold, sweepRows, type CostMatrix, type SweepRow } from './sweeper.ts';

export interface ProfileScore {
  profile: ProfileName;
  threshold: number;
  raw: number;
  nullScore: number;
  perfect: number;
  /** Normalised NAB score (0 = null detector, 100 = perfect). */
  score: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  perFile: { key: string; score: number }[];
}

export function scoreProfile(
  corpus: readonly NabFile[],
  results: ReadonlyMap<string, readonly number[]>,
  profile: ProfileName,
  cost: CostMatrix,
  fixedThreshold?: number
): ProfileScore {
  const perFileRows = new Map<string, SweepRow[]>();
  const all: SweepRow[] = [];
  let windows = 0;
  for (const f of corpus) {
    const scores = results.get(f.key);
    if (!scores) throw new Error(`no results for ${f.key}`);
    const rows = sweepRows(f.timestamps, scores, f.windows, f.key, cost);
    perFileRows.set(f.key, rows);
    for (const r of rows) all.push(r);
    windows += f.windows.length;
  }
  const table = scoresByThreshold(all, cost);
  let best = table[0]!;
  if (fixedThreshold !== undefined) best = scoreAtThreshold(table, fixedThreshold);
  else for (const row of table) if (row.score > best.score) best = row;
  const perFile = [...perFileRows].map(([key, rows]) => ({
    key,
    score: scoreAtThreshold(scoresByThreshold(rows, cost), best.threshold).score,
  }));
  const nullScore = -cost.fnWeight * windows;
  const perfect = cost.tpWeight * windows;
  return {
    profile,
    threshold: best.threshold,
    raw: best.score,
    nullScore,
    perfect,
    score: (100 * (best.score - nullScore)) / (perfect - nullScore),
    tp: best.tp,
    fp: best.fp,
    fn: best.fn,
    tn: best.tn,
    perFile,
  };
}

export function scoreAllProfiles(
  corpus: readonly NabFile[],
  results: ReadonlyMap<string, readonly number[]>,
  profiles: Record<ProfileName, CostMatrix>
): Record<ProfileName, ProfileScore> {
  const out = {} as Record<ProfileName, ProfileScore>;
  for (const p of PROFILE_NAMES) out[p] = scoreProfile(corpus, results, p, profiles[p]);
  return out;
}
