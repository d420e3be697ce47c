// GET /api/v1/slo: the availability report (JSON by default, format=svg for the chart,
// format=text for the table), with verify=1 to recompute it against the ledger.
import type { Hono } from 'hono';
import type { AppDeps } from '../app.ts';
import { loadMaintenance, reportRequest, ReportParamError } from '../../core/availability/config.ts';
import { reportSvg, reportTable } from '../../core/availability/render.ts';
import { buildReport, verifyReport } from '../../core/availability/report.ts';
import { openLedger } from '../../core/ledger/index.ts';
import type { Ledger } from '../../core/ledger/ledger.ts';

let shared: Promise<Ledger> | undefined;

export function mountAvailabilityRoutes(app: Hono, _deps: AppDeps, ledger?: Ledger): void {
  const getLedger = () => (ledger ? Promise.resolve(ledger) : (shared ??= openLedger()));
  app.get('/api/v1/slo', async (c) => {
    const p = c.req.query();
    let req;
    try {
      req = { ...reportRequest({ ...p, groupBy: p.groupBy ?? p['group-by'] }), maintenance: loadMaintenance() };
    } catch (err) {
      if (err instanceof ReportParamError || err instanceof Error) return c.json({ error: err.message }, 400);
      throw err;
    }
    const l = await getLedger();
    const report = await buildReport(l, req);
    if (p.format === 'svg') return c.body(reportSvg(report), 200, { 'content-type': 'image/svg+xml' });
    if (p.format === 'text') return c.text(reportTable(report));
    const verification = p.verify === '1' || p.verify === 'true' ? await verifyReport(l, report) : undefined;
    return c.json(verification ? { report, verification } : report);
  });
}
