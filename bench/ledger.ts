// Ledger benchmark: events appended per second at batch sizes 1, 100, 1000, 10000; full-chain
// verification speed; inclusion-proof time at 1M and 10M records. Everything is set next to the
// machine's own SHA-256 speed measured in the same run (each event costs about three short
// hashes: its leaf, a global tree node, a batch tree node), reported as ratios.
// Flags: --quick (smaller runs, proofs at 100k and 1M), --keep (keep the ledgers built).
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedLedger } from '../core/ledger/embedded.ts';
import { verifyInclusion } from '../core/ledger/proofs.ts';
import type { LedgerRecordInput } from '../core/ledger/schema.ts';
import { sha256Raw } from '../core/ledger/merkle.ts';
import { percentile, printTable, writeResults, type BenchRow } from './lib.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick') || process.env.BENCH_QUICK === '1';
const keep = args.includes('--keep');
const root = mkdtempSync(join(process.env.IRONTHRONE_BENCH_DIR ?? tmpdir(), 'ledger-bench-'));

const event = (i: number): LedgerRecordInput => ({
  type: 'availability',
  target: `host-${i % 5000}`,
  kind: i % 2 ? 'availability.down' : 'availability.up',
  from: i % 2 ? 'up' : 'down',
  to: i % 2 ? 'down' : 'up',
  severity: 'major',
  observedAt: new Date(1_780_000_000_000 + i * 10).toISOString(),
  source: 'bench',
  payloadDigest: `sha256:${((i * 2654435761) >>> 0).toString(16).padStart(64, '0')}`,
  tags: { region: `r${i % 7}`, service: `svc-${i % 31}` },
});

function shaBaseline() {
  const small = Buffer.alloc(65, 7);
  const n = 400_000;
  let t = performance.now();
  for (let i = 0; i < n; i++) sha256Raw(small);
  const smallPerSec = n / ((performance.now() - t) / 1000);
  const big = Buffer.alloc(256 << 20, 3);
  t = performance.now();
  createHash('sha256').update(big).digest();
  const mbPerSec = 256 / ((performance.now() - t) / 1000);
  return { smallPerSec, mbPerSec, eventLimit: smallPerSec / 3 };
}

async function fill(l: EmbeddedLedger, total: number, batch: number, start = 0, label = 'b'): Promise<number> {
  const t = performance.now();
  for (let done = 0, b = 0; done < total; b++) {
    const n = Math.min(batch, total - done);
    await l.appendBatch(
      `${label}-${b}`,
      Array.from({ length: n }, (_, i) => event(start + done + i))
    );
    done += n;
    // Progress for long builds (10M records take a while), on stderr so the table stays clean.
    if (total >= 1_000_000 && done % 1_000_000 === 0) {
      console.error(
        `  ${label}: ${(start + done).toLocaleString('en-US')} records, ${Math.round(done / ((performance.now() - t) / 1000))} events/s so far`
      );
    }
  }
  return total / ((performance.now() - t) / 1000);
}

async function proofTimes(l: EmbeddedLedger, size: number, samples: number) {
  const head = await l.head();
  const ids: string[] = [];
  for (let s = 0; s < samples; s++) {
    const leaf = Math.floor((s * 7919 * 104729) % size);
    const r = (
      await l.query({ type: 'availability', limit: 1, from: new Date(1_780_000_000_000 + leaf * 10).toISOString() })
    )[0];
    if (r) ids.push(r.record.id);
  }
  const times: number[] = [];
  let ok = 0;
  for (const id of ids) {
    const t = performance.now();
    const p = await l.proveInclusion(id);
    times.push(performance.now() - t);
    if (verifyInclusion(p, undefined, head.root).ok) ok++;
  }
  times.sort((a, b) => a - b);
  return {
    meanMs: times.reduce((a, b) => a + b, 0) / times.length,
    p50Ms: percentile(times, 50),
    p99Ms: percentile(times, 99),
    verified: `${ok}/${ids.length}`,
    pathLen: (await l.proveInclusion(ids[0]!)).path.length,
  };
}

export async function run(): Promise<unknown> {
  const results: Record<string, unknown> = { quick };
  const base = shaBaseline();
  results.sha256 = base;
  const rows: BenchRow[] = [
    {
      name: 'SHA-256 baseline: 65-byte hashes/s (crypto.hash)',
      value: Math.round(base.smallPerSec),
      unit: 'hash/s',
      target: '',
      ratio: '',
    },
    { name: 'SHA-256 baseline: bulk', value: Math.round(base.mbPerSec), unit: 'MB/s', target: '', ratio: '' },
    {
      name: 'hashing limit (3 short hashes an event)',
      value: Math.round(base.eventLimit),
      unit: 'events/s',
      target: '',
      ratio: '1.000',
    },
  ];

  // Appends, fresh ledger per batch size, default durability (fsync per block).
  const plan: [number, number][] = quick
    ? [
        [1, 500],
        [100, 10_000],
        [1000, 50_000],
        [10_000, 100_000],
      ]
    : [
        [1, 2000],
        [100, 50_000],
        [1000, 200_000],
        [10_000, 500_000],
      ];
  let verifyLedger: EmbeddedLedger | undefined;
  for (const [batch, total] of plan) {
    const l = new EmbeddedLedger({ dir: join(root, `append-${batch}`) });
    const rate = await fill(l, total, batch);
    results[`append_${batch}`] = rate;
    rows.push({
      name: `append, batch ${batch} (${total.toLocaleString('en-US')} events)`,
      value: Math.round(rate),
      unit: 'events/s',
      target: batch === 1000 ? '≥ 200,000' : '',
      ratio: (rate / base.eventLimit).toFixed(3),
    });
    if (batch === 1000) verifyLedger = l;
    else await l.close();
  }

  // Full-chain verification over the batch-1000 ledger.
  const t = performance.now();
  const v = await verifyLedger!.verify();
  const vRate = v.records / ((performance.now() - t) / 1000);
  if (!v.ok) throw new Error(`verify failed: ${JSON.stringify(v.firstBad)}`);
  results.verify = { ...v, perSec: vRate };
  rows.push({
    name: `verify full chain (${v.records.toLocaleString('en-US')} events, ${v.checked} blocks)`,
    value: Math.round(vRate),
    unit: 'events/s',
    target: '≥ 1,000,000',
    ratio: (vRate / base.eventLimit).toFixed(3),
  });
  await verifyLedger!.close();

  // Inclusion proofs at 1M and 10M (quick: 100k and 1M), one ledger grown in place.
  const sizes = quick ? [100_000, 1_000_000] : [1_000_000, 10_000_000];
  const big = new EmbeddedLedger({ dir: join(root, 'proofs'), durability: 'normal' });
  let have = 0;
  for (const size of sizes) {
    const started = performance.now();
    const rate = await fill(big, size - have, 10_000, have, `p${size}`);
    have = size;
    const buildS = (performance.now() - started) / 1000;
    const p = await proofTimes(big, size, 500);
    results[`proof_${size}`] = { ...p, buildSeconds: buildS, buildRate: rate };
    rows.push({
      name: `build to ${size.toLocaleString('en-US')} records (batch 10000, durability normal)`,
      value: Math.round(rate),
      unit: 'events/s',
      target: '',
      ratio: (rate / base.eventLimit).toFixed(3),
    });
    rows.push({
      name: `inclusion proof at ${size.toLocaleString('en-US')} records (mean; p99 ${p.p99Ms.toFixed(3)} ms; ${p.pathLen} hashes)`,
      value: Number(p.meanMs.toFixed(4)),
      unit: 'ms',
      target: size >= 10_000_000 ? '< 1 ms' : '',
      ratio: '',
    });
  }
  await big.close();
  printTable('ledger', rows);
  const file = writeResults('ledger', { results, rows });
  console.log(`\nresults: ${file}`);
  if (!keep) rmSync(root, { recursive: true, force: true });
  else console.log(`ledgers kept in ${root}`);
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
