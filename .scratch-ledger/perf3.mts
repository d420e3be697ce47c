import { ledgerRecordSchema, deriveRecordId } from '../core/ledger/schema.ts';
import { canonicalJson } from '../core/ledger/canonical.ts';
const ev = (i: number) => ({ type: 'availability' as const, target: `host-${i % 500}`, kind: 'availability.down', from: 'up', to: 'down', severity: 'critical' as const, observedAt: new Date(1700000000000 + i * 1000).toISOString(), source: 'perf', payloadDigest: 'sha256:' + 'a'.repeat(64), tags: { region: 'eu-west', service: 'api' } });
const recs = Array.from({ length: 20000 }, (_, i) => ev(i));
for (let w = 0; w < 2; w++) {
let t = performance.now(); for (const r of recs) ledgerRecordSchema.safeParse(r); console.log('zod µs/rec', (performance.now() - t) * 1000 / recs.length);
t = performance.now(); for (const r of recs) canonicalJson(r); console.log('canon µs/rec', (performance.now() - t) * 1000 / recs.length);
t = performance.now(); for (const r of recs) JSON.stringify(r); console.log('stringify µs/rec', (performance.now() - t) * 1000 / recs.length);
t = performance.now(); for (const r of recs) deriveRecordId(r); console.log('derive µs/rec', (performance.now() - t) * 1000 / recs.length);
}
