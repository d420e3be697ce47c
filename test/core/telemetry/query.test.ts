// Query semantics against Atlas's documented examples (the sample table used throughout the
// stack-language reference: ssCpuUser/ssCpuSystem/numRequests over three intervals) and
// hand-computed expectations.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TelemetryStore } from '../../../core/telemetry/store.ts';
import { runQuery } from '../../../core/telemetry/query/evaluate.ts';
import { compile, QueryError } from '../../../core/telemetry/query/compile.ts';

const STEP = 60_000;
const T0 = Date.UTC(2026, 0, 1, 12, 0);
const NOW = T0 + 10 * STEP;

const sample: [Record<string, string>, number[]][] = [
  [{ name: 'ssCpuUser', 'nf.app': 'alerttest', 'nf.node': 'i-0123' }, [1, 2, NaN]],
  [{ name: 'ssCpuSystem', 'nf.app': 'alerttest', 'nf.node': 'i-0123' }, [3, 4, 5]],
  [{ name: 'ssCpuUser', 'nf.app': 'nccp', 'nf.node': 'i-0abc' }, [8, 7, 6]],
  [{ name: 'ssCpuSystem', 'nf.app': 'nccp', 'nf.node': 'i-0abc' }, [6, 7, 8]],
  [{ name: 'numRequests', 'nf.app': 'nccp', 'nf.node': 'i-0abc' }, [1, 2, 4]],
  [{ name: 'ssCpuUser', 'nf.app': 'api', 'nf.node': 'i-0456' }, [1, 2, 2]],
];

function sampleStore(): TelemetryStore {
  const s = TelemetryStore.open({ clock: () => NOW });
  for (const [tags, vals] of sample)
    vals.forEach((v, i) => {
      if (!Number.isNaN(v)) expect(s.ingest([{ tags, timestamp: T0 + i * STEP, value: v }]).errors).toEqual([]);
    });
  return s;
}

const q = (s: TelemetryStore, expr: string, step = STEP) => runQuery(s, expr, { start: T0, end: T0 + 3 * STEP, step });
const arr = (d: Float64Array) => [...d].map((v) => (Number.isNaN(v) ? 'NaN' : Math.round(v * 100) / 100));

describe('Atlas documented examples', () => {
  const s = sampleStore();
  it(':sum (bare query plots as sum)', () => {
    expect(arr(q(s, 'name,ssCpuUser,:eq,:sum').series[0]!.data)).toEqual([10, 11, 8]);
    expect(arr(q(s, 'name,ssCpuUser,:eq').series[0]!.data)).toEqual([10, 11, 8]);
  });
  it(':count counts series with a value (reference: [3, 3, 2])', () => {
    expect(arr(q(s, 'name,ssCpuUser,:eq,:count').series[0]!.data)).toEqual([3, 3, 2]);
  });
  it(':avg = sum / count (reference: [3.33, 3.66, 4.0]) and equals its documented rewrite', () => {
    expect(arr(q(s, 'name,ssCpuUser,:eq,:avg').series[0]!.data)).toEqual([3.33, 3.67, 4]);
    // the rewrite leaves the original query below the quotient, as in Atlas
    const rewritten = q(s, 'name,ssCpuUser,:eq,:dup,:dup,:sum,:swap,:count,:div').series;
    expect(rewritten.length).toBe(2);
    expect(arr(rewritten[1]!.data)).toEqual([3.33, 3.67, 4]);
  });
  it(':max and :min ignore NaN', () => {
    expect(arr(q(s, 'name,ssCpuUser,:eq,:max').series[0]!.data)).toEqual([8, 7, 6]);
    expect(arr(q(s, 'name,ssCpuUser,:eq,:min').series[0]!.data)).toEqual([1, 2, 2]);
  });
  it(':by name over :re (reference: ssCpuSystem [9, 11, 13], ssCpuUser [10, 11, 8])', () => {
    const r = q(s, 'name,ssCpu,:re,(,name,),:by');
    expect(r.series.map((x) => [x.tags.name, arr(x.data)])).toEqual([
      ['ssCpuSystem', [9, 11, 13]],
      ['ssCpuUser', [10, 11, 8]],
    ]);
  });
  it('aggregate tags are the :eq tags plus group keys', () => {
    expect(q(s, 'name,ssCpuUser,:eq,nf.app,nccp,:eq,:and,:sum').series[0]!.tags).toEqual({
      name: 'ssCpuUser',
      'nf.app': 'nccp',
    });
    expect(q(s, 'name,ssCpuUser,:eq,:max,(,nf.app,),:by').series.map((x) => x.tags)).toEqual([
      { name: 'ssCpuUser', 'nf.app': 'alerttest' },
      { name: 'ssCpuUser', 'nf.app': 'api' },
      { name: 'ssCpuUser', 'nf.app': 'nccp' },
    ]);
  });
  it(':add uses addNaN (reference table [1,0,1,1,NaN] + [2,0,0,NaN,NaN])', () => {
    // alerttest user [1,2,NaN] + nccp user [8,7,6] → [9, 9, 6]
    const r = q(s, 'name,ssCpuUser,:eq,nf.app,alerttest,:eq,:and,name,ssCpuUser,:eq,nf.app,nccp,:eq,:and,:add');
    expect(arr(r.series[0]!.data)).toEqual([9, 9, 6]);
  });
});

describe('query language', () => {
  const s = sampleStore();
  it(':and :or :not :has :lt :gt :in select the expected series', () => {
    const count = (e: string) => arr(q(s, `${e},:count`).series[0]!.data)[1];
    expect(count('nf.app,nccp,:eq')).toBe(3);
    expect(count('nf.app,nccp,:eq,name,numRequests,:eq,:not,:and')).toBe(2);
    expect(count('name,numRequests,:eq,nf.app,api,:eq,:or')).toBe(2);
    expect(count('nf.node,:has')).toBe(6);
    expect(count('nf.app,b,:lt')).toBe(3); // alerttest, api
    expect(count('nf.app,b,:gt')).toBe(3); // nccp
    expect(count('nf.app,(,api,nccp,),:in')).toBe(4);
    expect(count('name,sscpu,:reic')).toBe(5);
  });
  it('math: constants, :sub, :mul, :div with NaN rules, :neg', () => {
    const user = 'name,ssCpuUser,:eq,nf.app,alerttest,:eq,:and';
    expect(arr(q(s, `${user},10,:mul`).series[0]!.data)).toEqual([10, 20, 10]); // productNaN: NaN*10 → 10
    expect(arr(q(s, `${user},1,:sub`).series[0]!.data)).toEqual([0, 1, -1]);
    expect(arr(q(s, `${user},0,:div`).series[0]!.data)).toEqual(['NaN', 'NaN', 'NaN']);
    expect(arr(q(s, `${user},2,:div`).series[0]!.data)).toEqual([0.5, 1, 0]);
    expect(arr(q(s, `${user},:neg`).series[0]!.data)).toEqual([-1, -2, 'NaN']);
  });
  it('grouped math joins on group keys', () => {
    const r = q(s, 'name,ssCpuUser,:eq,(,nf.app,),:by,name,ssCpuSystem,:eq,(,nf.app,),:by,:add');
    expect(r.series.map((x) => [x.tags['nf.app'], arr(x.data)])).toEqual([
      ['alerttest', [4, 6, 5]],
      ['nccp', [14, 14, 14]],
    ]);
  });
  it('math :by regroups an aggregate (count of nodes per app)', () => {
    const r = q(s, 'name,ssCpuUser,:eq,:sum,(,nf.app,nf.node,),:by,:count,(,nf.app,),:by');
    expect(r.series.map((x) => arr(x.data))).toEqual([
      [1, 1, 'NaN'],
      [1, 1, 1],
      [1, 1, 1],
    ]);
  });
  it(':offset shifts the window', () => {
    const r = q(s, 'name,numRequests,:eq,1m,:offset');
    expect(arr(r.series[0]!.data)).toEqual(['NaN', 1, 2]);
    expect(r.series[0]!.label).toContain('offset=1m');
    expect(arr(q(s, 'name,numRequests,:eq,PT2M,:offset').series[0]!.data)).toEqual(['NaN', 'NaN', 1]);
  });
  it('consolidation over a larger step: avg by default, :cf-max/:cf-sum on request', () => {
    const w = { start: T0, end: T0 + 3 * STEP, step: 3 * STEP };
    expect(arr(runQuery(s, 'name,numRequests,:eq,:sum', w).series[0]!.data)).toEqual([2.33]);
    expect(arr(runQuery(s, 'name,numRequests,:eq,:sum,:cf-max', w).series[0]!.data)).toEqual([4]);
    expect(arr(runQuery(s, 'name,numRequests,:eq,:sum,:cf-sum', w).series[0]!.data)).toEqual([7]);
  });
  it('stack words :dup :swap :over :drop leave several expressions', () => {
    expect(compile('a,b,:eq,:dup').length).toBe(2);
    expect(compile('a,b,:eq,c,d,:eq,:swap,:drop').map((e) => (e.t === 'data' && e.q.t === 'eq' ? e.q.k : ''))).toEqual([
      'c',
    ]);
    expect(compile('a,b,:eq,c,d,:eq,:over').length).toBe(3);
  });
});

describe('malformed queries: position and expected token', () => {
  const cases: [string, number, RegExp][] = [
    ['name,cpu,:eq,:bogus', 13, /expected one of :eq/],
    ['name,:eq', 5, /expected a tag key/],
    ['name,cpu,:eq,host,:by', 18, /expected a non-empty list of keys/],
    ['name,cpu,:eq,(,host', 19, /expected `\)` to close the list opened at position 13/],
    ['name,cpu,:eq,x,:offset', 15, /expected a duration/],
    ['(,name,),cpu,:eq', 13, /expected a tag key .*found a list/],
    ['name,cpu,:eq,name,:and', 18, /expected a query, found the word `name`/],
    ['name,cpu,:eq,foo', 13, /expected a time series expression left on the stack, found the word `foo`/],
    ['name,[,:re', 7, /expected a valid regular expression/],
  ];
  for (const [src, pos, msg] of cases)
    it(src, () => {
      let err: unknown;
      try {
        compile(src);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(QueryError);
      expect((err as QueryError).position).toBe(pos);
      expect((err as QueryError).message).toMatch(msg);
    });
});

describe('aggregation paths (decoded into the accumulator, integer differences, fallbacks)', () => {
  // naive reference: read each series, consolidate it to the query step (`m` slots, with `cf`),
  // then aggregate slot by slot in series order
  function naive(s: TelemetryStore, ids: number[], fn: string, from: number, n: number, m = 1, cf = 'avg'): number[] {
    const data = ids.map((id) => {
      const raw = Array.from(s.read(id, from, from + n * m));
      return Array.from({ length: n }, (_, j) => {
        const vs = raw.slice(j * m, j * m + m).filter((v) => !Number.isNaN(v));
        if (vs.length === 0) return NaN;
        if (cf === 'max') return Math.max(...vs);
        if (cf === 'min') return Math.min(...vs);
        const sum = vs.reduce((a, b) => a + b, 0);
        return cf === 'avg' ? sum / vs.length : sum;
      });
    });
    return Array.from({ length: n }, (_, j) => {
      const vs = data.map((d) => d[j]!).filter((v) => !Number.isNaN(v));
      if (vs.length === 0) return NaN;
      if (fn === 'count') return vs.length;
      if (fn === 'max') return Math.max(...vs);
      if (fn === 'min') return Math.min(...vs);
      const sum = vs.reduce((a, b) => a + b, 0);
      return fn === 'avg' ? sum / vs.length : sum;
    });
  }
  const close = (a: number, b: number) =>
    (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

  it('agree with a naive evaluation over chunk boundaries, gaps, every codec and consolidation', () => {
    const value = fc.oneof(
      { arbitrary: fc.constantFrom(1, 2.5), weight: 6 }, // runs of unchanged values
      fc.integer({ min: -3000, max: 3000 }),
      fc.integer({ min: -400, max: 400 }).map((x) => x / 4),
      fc.integer({ min: -4000, max: 4000 }).map((x) => x / 10),
      fc.double({ min: -1e6, max: 1e6, noNaN: true })
    );
    const series = fc.array(fc.array(fc.option(value, { nil: undefined, freq: 4 }), { minLength: 1, maxLength: 40 }), {
      minLength: 1,
      maxLength: 6,
    });
    fc.assert(
      fc.property(
        series,
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom('sum', 'avg', 'count', 'max', 'min'),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom('avg', 'sum', 'max', 'min'),
        (vals, startOff, len, fn, m, cf) => {
          const t0 = Math.floor(T0 / STEP / 8) * 8 * STEP; // chunk-aligned, so chunks start at slot 0, 8, 16…
          const s = TelemetryStore.open({ clock: () => t0 + 50 * STEP, chunkSlots: 8, headSlots: 2 });
          vals.forEach((vs, i) =>
            vs.forEach((v, m) => {
              if (v !== undefined)
                s.ingest([{ tags: { name: 'p', g: String(i % 2), i: String(i) }, timestamp: t0 + m * STEP, value: v }]);
            })
          );
          // a window aligned to the query step, so step j covers slots from + j*m .. + m
          const w = { start: t0 + startOff * m * STEP, end: t0 + (startOff + len) * m * STEP, step: m * STEP };
          const r = runQuery(s, `name,p,:eq,:${fn},:cf-${cf},(,g,),:by`, w);
          const from = w.start / STEP;
          return r.series.every((x) => {
            const ids = s.index.eq('g', x.tags.g!);
            return naive(s, ids, fn, from, len, m, cf).every((v, j) => close(x.data[j]!, v));
          });
        }
      ),
      { numRuns: 300 }
    );
  });

  it('integer sums that could pass 2^53 fall back to float adds and stay right', () => {
    // 40 steps, so all but the last 16 are sealed into delta chunks (the head holds 16): past
    // about 2,250 of these series the chunks' bound passes 2^52 and the rest are added as floats
    const M = 40;
    const s = TelemetryStore.open({ clock: () => T0 + M * STEP });
    for (let i = 0; i < 2400; i++)
      for (let m = 0; m < M; m++)
        s.ingest([{ tags: { name: 'big', i: String(i) }, timestamp: T0 + m * STEP, value: 2_000_000_000 - m }]);
    const r = runQuery(s, 'name,big,:eq,:sum', { start: T0, end: T0 + M * STEP, step: STEP });
    expect([...r.series[0]!.data]).toEqual(Array.from({ length: M }, (_, m) => 2400 * (2_000_000_000 - m)));
  });
});
