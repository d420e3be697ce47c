// A report as a text table and as an SVG chart (uptime per group against the objective, with
// the error budget left), for the CLI, the HTTP API and the README.
import { escapeXml } from '../telemetry/svg.ts';
import type { AvailabilityReport } from './report.ts';

export function formatDuration(ms: number | null): string {
  if (ms === null) return '-';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ''}`;
  const h = Math.floor(s / 3600);
  const m = Math.round((s % 3600) / 60);
  return h < 48 ? `${h}h${m ? `${m}m` : ''}` : `${Math.round(h / 24)}d`;
}

const pct = (x: number, digits = 3) => `${(x * 100).toFixed(digits)}%`;

export function reportTable(r: AvailabilityReport): string {
  const head = [
    'group',
    'targets',
    'uptime',
    'SLO',
    'met',
    'budget left',
    'burn',
    'burn 1h',
    'incidents',
    'MTTD',
    'MTTR',
    'down',
    'maint',
  ];
  const rows = r.figures.map((f) => [
    f.group,
    String(f.targets),
    pct(f.uptime),
    pct(f.objective, 2),
    f.attained ? 'yes' : 'NO',
    pct(f.errorBudgetLeft, 1),
    f.burnRate.toFixed(2),
    f.burnRateRecent.toFixed(2),
    `${f.incidents}${f.openIncidents ? ` (${f.openIncidents} open)` : ''}`,
    formatDuration(f.mttdMs),
    formatDuration(f.mttrMs),
    formatDuration(f.downMs),
    formatDuration(f.maintenanceMs),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const l = r.ledger;
  return [
    `Availability ${r.window.from} .. ${r.window.to}, by ${r.params.groupBy}, objective ${pct(r.params.objective, 2)}`,
    `Ledger ${l.kind}: height ${l.height}, tree size ${l.treeSize}, root ${l.root}`,
    `Events: ${l.events} (leaves ${l.firstLeaf ?? '-'}..${l.lastLeaf ?? '-'}, read ${l.eventsFrom} .. ${l.eventsTo}), digest ${l.eventsDigest}`,
    r.params.maintenance.length
      ? `Maintenance excluded: ${r.params.maintenance.map((m) => m.id).join(', ')}`
      : 'Maintenance excluded: none',
    '',
    line(head),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
  ].join('\n');
}

/** Horizontal bars of uptime per group, scaled so the objective sits in the middle of the chart. */
export function reportSvg(r: AvailabilityReport): string {
  const rows = r.figures;
  const W = 720;
  const rowH = 26;
  const L = 140;
  const R = 170;
  const T = 48;
  const H = T + rows.length * rowH + 30;
  const obj = r.params.objective;
  // axis from (1 - 2·(1-objective)) to 100 %: the interesting part of the scale
  const lo = Math.max(0, 1 - 2 * (1 - obj) * 5);
  const x = (u: number) => L + ((Math.max(lo, u) - lo) / (1 - lo)) * (W - L - R);
  const p: string[] = [];
  p.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`
  );
  p.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  p.push(
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="13">${escapeXml(`Availability by ${r.params.groupBy}, ${r.window.from.slice(0, 16)} .. ${r.window.to.slice(0, 16)}`)}</text>`
  );
  p.push(
    `<text x="${W / 2}" y="34" text-anchor="middle" fill="#666" font-size="10">${escapeXml(`ledger height ${r.ledger.height}, root ${r.ledger.root.slice(0, 16)}…, ${r.ledger.events} events`)}</text>`
  );
  rows.forEach((f, i) => {
    const y = T + i * rowH;
    const color = f.attained ? '#2e9d4a' : '#d43f3a';
    p.push(`<text x="${L - 8}" y="${y + 16}" text-anchor="end">${escapeXml(f.group)}</text>`);
    p.push(
      `<rect x="${L}" y="${y + 4}" width="${(x(f.uptime) - L).toFixed(1)}" height="${rowH - 8}" fill="${color}"/>`
    );
    p.push(
      `<text x="${W - R + 8}" y="${y + 16}">${(f.uptime * 100).toFixed(3)}%  budget ${(f.errorBudgetLeft * 100).toFixed(0)}%</text>`
    );
  });
  const ox = x(obj).toFixed(1);
  p.push(`<line x1="${ox}" x2="${ox}" y1="${T}" y2="${T + rows.length * rowH}" stroke="#000" stroke-dasharray="4 3"/>`);
  p.push(
    `<text x="${ox}" y="${T + rows.length * rowH + 16}" text-anchor="middle">SLO ${(obj * 100).toFixed(2)}%</text>`
  );
  p.push(
    `<text x="${L}" y="${T + rows.length * rowH + 16}" text-anchor="start" fill="#666">${(lo * 100).toFixed(2)}%</text>`
  );
  p.push('</svg>');
  return p.join('\n');
}
