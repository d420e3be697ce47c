// A small SVG line-chart renderer (what Atlas's graph API does with PNG): time axis, value axis
// with round ticks, one polyline per series (broken at NaN), legend. Text is escaped; the output
// is a standalone SVG document.

export interface ChartSeries {
  label: string;
  data: ArrayLike<number>;
  color?: string;
}

export interface ChartOptions {
  title?: string;
  start: number;
  step: number;
  series: ChartSeries[];
  width?: number;
  height?: number;
  yLabel?: string;
  /** Fixed value range, e.g. [0, 100] for percentages. */
  yRange?: [number, number];
}

// Atlas's default palette (armytage) in spirit: distinct, readable on white.
const PALETTE = [
  '#ff0000',
  '#00ff00',
  '#0000ff',
  '#ff00ff',
  '#ffff00',
  '#00ffff',
  '#808080',
  '#ff8000',
  '#8000ff',
  '#008040',
  '#804000',
  '#000080',
].map((c, i) => (i === 4 ? '#c8a000' : c));

export const escapeXml = (s: string) =>
  s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

function niceTicks(lo: number, hi: number, n = 5): number[] {
  if (lo === hi) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function fmtValue(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${+(v / 1e9).toFixed(1)}G`;
  if (a >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toFixed(1)}k`;
  return String(+v.toPrecision(4));
}

function fmtTime(t: number, span: number): string {
  const iso = new Date(t).toISOString();
  return span > 2 * 86_400_000 ? iso.slice(5, 10) : iso.slice(11, 16);
}

export function renderLineChart(o: ChartOptions): string {
  const W = o.width ?? 700;
  const legendH = 16 * o.series.length + 8;
  const H = (o.height ?? 300) + legendH;
  const L = 60;
  const R = 15;
  const T = o.title ? 28 : 12;
  const B = 30 + legendH;
  const pw = W - L - R;
  const ph = H - T - B;
  const n = Math.max(0, ...o.series.map((s) => s.data.length));
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of o.series)
    for (let i = 0; i < s.data.length; i++) {
      const v = s.data[i]!;
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  if (o.yRange) [lo, hi] = o.yRange;
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  if (lo === hi) [lo, hi] = [lo - 1, hi + 1];
  if (lo > 0 && lo < hi / 2) lo = 0;
  const x = (i: number) => L + (n <= 1 ? 0 : (i / (n - 1)) * pw);
  const y = (v: number) => T + ph - ((v - lo) / (hi - lo)) * ph;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`
  );
  parts.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  if (o.title) parts.push(`<text x="${W / 2}" y="18" text-anchor="middle" font-size="13">${escapeXml(o.title)}</text>`);
  parts.push(`<rect x="${L}" y="${T}" width="${pw}" height="${ph}" fill="none" stroke="#444"/>`);
  for (const v of niceTicks(lo, hi)) {
    const yy = y(v).toFixed(1);
    parts.push(
      `<line x1="${L}" x2="${L + pw}" y1="${yy}" y2="${yy}" stroke="#ddd"/><text x="${L - 4}" y="${yy}" text-anchor="end" dominant-baseline="middle">${fmtValue(v)}</text>`
    );
  }
  const span = n * o.step;
  const tickEvery = Math.max(1, Math.ceil(n / 6));
  for (let i = 0; i < n; i += tickEvery)
    parts.push(
      `<text x="${x(i).toFixed(1)}" y="${T + ph + 14}" text-anchor="middle">${fmtTime(o.start + i * o.step, span)}</text>`
    );
  if (o.yLabel)
    parts.push(
      `<text transform="translate(12 ${T + ph / 2}) rotate(-90)" text-anchor="middle">${escapeXml(o.yLabel)}</text>`
    );
  o.series.forEach((s, si) => {
    const color = s.color ?? PALETTE[si % PALETTE.length]!;
    let d = '';
    let pen = false;
    for (let i = 0; i < s.data.length; i++) {
      const v = s.data[i]!;
      if (!Number.isFinite(v)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)} ${y(Math.min(hi, Math.max(lo, v))).toFixed(1)}`;
      pen = true;
    }
    if (d) parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.5"/>`);
    const ly = T + ph + 30 + si * 16;
    parts.push(
      `<rect x="${L}" y="${ly - 9}" width="10" height="10" fill="${color}"/><text x="${L + 16}" y="${ly}">${escapeXml(s.label)}</text>`
    );
  });
  if (o.series.length === 0)
    parts.push(`<text x="${L + pw / 2}" y="${T + ph / 2}" text-anchor="middle" fill="#888">NO DATA</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}

const BARS = '▁▂▃▄▅▆▇█';
/** A one-line terminal sparkline; gaps (NaN) print as spaces. */
export function sparkline(data: ArrayLike<number>): string {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) continue;
    lo = Math.min(lo, data[i]!);
    hi = Math.max(hi, data[i]!);
  }
  let out = '';
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    out += Number.isFinite(v) ? BARS[hi === lo ? 3 : Math.min(7, Math.floor(((v - lo) / (hi - lo)) * 8))] : ' ';
  }
  return out;
}
