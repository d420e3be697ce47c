import { EmbeddedLedger } from '../core/ledger/embedded.ts';
import { verifyInclusion, verifyConsistency } from '../core/ledger/ledger.ts';
import { mkdtempSync } from 'node:fs';
const dir = mkdtempSync('/tmp/ledger-smoke-');
const l = new EmbeddedLedger({ dir, durability: 'normal' });
const ev = (i: number) => ({ type: 'availability' as const, target: `host-${i % 7}`, kind: 'availability.down', from: 'up', to: 'down', severity: 'critical' as const, observedAt: new Date(1700000000000 + i * 1000).toISOString(), source: 'smoke', payloadDigest: 'sha256:' + 'a'.repeat(64) });
for (let b = 0; b < 13; b++) {
  const r = await l.appendBatch(`b${b}`, Array.from({ length: b + 1 }, (_, i) => ev(b * 100 + i)));
  if (b === 3) console.log(r);
}
console.log(await l.head());
const r2 = await l.appendBatch('b3', Array.from({ length: 4 }, (_, i) => ev(300 + i)));
console.log('dup', r2.duplicate);
const q = await l.query({ target: 'host-3', limit: 3 });
console.log(q.length, q[0]);
for (const s of q) { const p = await l.proveInclusion(s.record.id); console.log(p.leafIndex, p.path.length, verifyInclusion(p, s.record)); }
const p5 = await l.proveInclusion(q[0]!.record.id, 50); console.log(verifyInclusion(p5, q[0]!.record, await l.rootAt(50)));
for (const [a, b] of [[1, 91], [7, 91], [8, 91], [50, 64], [64, 91], [91, 91]]) { const c = await l.proveConsistency(a!, b); console.log(a, b, verifyConsistency(c)); }
console.log(await l.verify());
await l.close();
