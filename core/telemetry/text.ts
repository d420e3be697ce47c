// Query results as terminal text: one sparkline per series with min/max/last, or a table of
// every value (used by `ironthrone metrics query` and the demo).
import type { QueryResult } from './query/evaluate.ts';
import { sparkline } from './svg.ts';

const fmt = (v: number) => (Number.isNaN(v) ? 'NaN' : String(+v.toPrecision(6)));

export function renderResult(r: QueryResult, table: boolean): string {
  if (r.series.length === 0) return 'no data';
  const n = (r.end - r.start) / r.step;
  if (!table) {
    const width = Math.max(...r.series.map((s) => s.label.length));
    return r.series
      .map((s) => {
        const finite = [...s.data].filter(Number.isFinite);
        const stats = finite.length
          ? `min ${fmt(Math.min(...finite))} max ${fmt(Math.max(...finite))} last ${fmt(finite.at(-1)!)}`
          : 'no data';
        return `${s.label.padEnd(width)}  ${sparkline(s.data)}  ${stats}`;
      })
      .join('\n');
  }
  const head = ['time', ...r.series.map((s) => s.label)];
  const rows = Array.from({ length: n }, (_, i) => [
    new Date(r.start + i * r.step).toISOString().slice(0, 16) + 'Z',
    ...r.series.map((s) => fmt(s.data[i]!)),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  return [head, ...rows].map((row) => row.map((c, i) => c.padStart(widths[i]!)).join('  ')).join('\n');
}
