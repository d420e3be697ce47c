// Durations as Atlas writes them: `30s`, `5m`, `3h`, `1d`, `1w` (and `min`, `hour`, `day`,
// `week` spelled out), or ISO 8601 `PT1H`, `P1D`.

const UNIT: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  w: 604_800_000,
  week: 604_800_000,
};

export function parseDuration(s: string): number | undefined {
  const simple = /^(\d+)(ms|s|m|min|h|hour|d|day|w|week)s?$/.exec(s);
  if (simple) return Number(simple[1]) * UNIT[simple[2]!]!;
  const iso = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(s);
  if (iso && s.length > 1 && !/T$/i.test(s)) {
    const [, w, d, h, m, sec] = iso;
    return (
      (Number(w ?? 0) * 7 + Number(d ?? 0)) * 86_400_000 +
      Number(h ?? 0) * 3_600_000 +
      Number(m ?? 0) * 60_000 +
      Math.round(Number(sec ?? 0) * 1000)
    );
  }
  return undefined;
}

/**
 * Atlas time parameters: `now`, epoch seconds or milliseconds, ISO date-times, and relative forms
 * `e-3h` / `s+1h` / `now-1d` against `refs`.
 */
export function parseTime(s: string, refs: { now: number; e?: number; s?: number }): number | undefined {
  const rel = /^(now|e|s)([-+])(.+)$/.exec(s);
  if (rel) {
    const base = rel[1] === 'now' ? refs.now : rel[1] === 'e' ? refs.e : refs.s;
    const d = parseDuration(rel[3]!);
    if (base === undefined || d === undefined) return undefined;
    return rel[2] === '-' ? base - d : base + d;
  }
  if (s === 'now') return refs.now;
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    return n < 1e11 ? n * 1000 : n;
  }
  const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : s + 'Z');
  return Number.isNaN(t) ? undefined : t;
}
