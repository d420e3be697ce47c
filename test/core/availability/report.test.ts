// Reports from a real embedded ledger: they cite the head they used, verify, and stop verifying
// when the ledger underneath is tampered with.
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbeddedLedger } from '../../../core/ledger/embedded.ts';
import type { LedgerRecordInput } from '../../../core/ledger/schema.ts';
import { buildReport, verifyReport } from '../../../core/availability/report.ts';
import { reportSvg, reportTable } from '../../../core/availability/render.ts';

const D = Date.UTC(2026, 2, 2);
const H = 3_600_000;
const iso = (t: number) => new Date(t).toISOString();
const digest = 'sha256:' + '0'.repeat(64);
const event = (target: string, from: string, to: string, t: number, service: string): LedgerRecordInput => ({
  type: 'availability',
  target,
  kind: to === 'down' ? 'availability.down' : 'availability.up',
  from,
  to,
  severity: to === 'down' ? 'major' : 'info',
  observedAt: iso(t),
  source: 'probe',
  payloadDigest: digest,
  tags: { service },
});

async function seeded() {
  const dir = mkdtempSync(join(tmpdir(), 'it-avail-ledger-'));
  const ledger = new EmbeddedLedger({ dir, durability: 'normal' });
  await ledger.appendBatch('b1', [
    event('web-1', 'up', 'down', D + 2 * H, 'web'),
    event('web-1', 'down', 'up', D + 3 * H, 'web'),
  ]);
  await ledger.appendBatch('b2', [
    event('db-1', 'up', 'down', D + 6 * H, 'db'),
    event('db-1', 'down', 'up', D + 6 * H + 12 * 60_000, 'db'),
  ]);
  return { dir, ledger };
}

describe('availability report from the ledger', () => {
  it('cites the head, computes the figures and verifies', async () => {
    const { ledger } = await seeded();
    const report = await buildReport(ledger, { from: D, to: D + 24 * H, objective: 0.99, groupBy: 'service' });
    const head = await ledger.head();
    expect(report.ledger).toMatchObject({
      height: 2,
      treeSize: 4,
      root: head.root,
      events: 4,
      firstLeaf: 0,
      lastLeaf: 3,
    });
    const web = report.figures.find((f) => f.group === 'web')!;
    expect(web.downMs).toBe(H);
    expect(web.uptime).toBeCloseTo(23 / 24, 12);
    expect(report.figures.find((f) => f.group === 'db')!.mttrMs).toBe(12 * 60_000);
    const v = await verifyReport(ledger, report);
    expect(v.checks.filter((c) => !c.ok)).toEqual([]);
    expect(v.ok).toBe(true);
    expect(reportTable(report)).toMatch(/root [0-9a-f]{64}/);
    expect(reportSvg(report)).toMatch(/^<svg[\s\S]*SLO 99\.00%/);
    // later appends do not change what the report cites
    await ledger.appendBatch('b3', [event('web-2', 'up', 'down', D + 4 * H, 'web')]);
    expect((await verifyReport(ledger, report)).ok).toBe(true);
    await ledger.close();
  });

  it('fails verification when an event was altered in the ledger store', async () => {
    const { dir, ledger } = await seeded();
    const report = await buildReport(ledger, { from: D, to: D + 24 * H, objective: 0.99 });
    await ledger.close();
    // an attacker shortens web-1's outage by editing the stored record
    const db = new Database(join(dir, 'ledger.sqlite'));
    const row = db
      .prepare(`SELECT idx, json FROM records WHERE json LIKE '%web-1%' AND json LIKE '%"to":"up"%'`)
      .get() as { idx: number; json: string };
    db.prepare('UPDATE records SET json = ?, at = ? WHERE idx = ?').run(
      row.json.replace(iso(D + 3 * H), iso(D + 2 * H + 60_000)),
      iso(D + 2 * H + 60_000),
      row.idx
    );
    db.close();
    const reopened = new EmbeddedLedger({ dir, durability: 'normal' });
    const v = await verifyReport(reopened, report);
    expect(v.ok).toBe(false);
    const failed = v.checks.filter((c) => !c.ok).map((c) => c.name);
    expect(failed).toContain('ledger chain verifies');
    expect(failed).toContain('figures recompute identically');
    await reopened.close();
  });

  it('fails verification when the report itself was edited', async () => {
    const { ledger } = await seeded();
    const report = await buildReport(ledger, { from: D, to: D + 24 * H, objective: 0.99 });
    report.figures[0]!.uptime = 1;
    const v = await verifyReport(ledger, report);
    expect(v.ok).toBe(false);
    expect(v.checks.find((c) => !c.ok)!.name).toBe('figures recompute identically');
    await ledger.close();
  });
});
