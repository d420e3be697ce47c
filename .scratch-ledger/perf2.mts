import { validateBatch } from '../core/ledger/validate.ts';
import { leafHash } from '../core/ledger/merkle.ts';
const ev = (i: number) => ({ type: 'availability' as const, target: `host-${i % 500}`, kind: 'availability.down', from: 'up', to: 'down', severity: 'critical' as const, observedAt: new Date(1700000000000 + i * 1000).toISOString(), source: 'perf', payloadDigest: 'sha256:' + 'a'.repeat(64), tags: { region: 'eu-west', service: 'api' } });
const recs = Array.from({ length: 20000 }, (_, i) => ev(i));
let t = performance.now(); const v = validateBatch(recs); console.log('validate µs/rec', (performance.now() - t) * 1000 / recs.length);
t = performance.now(); for (const x of v) leafHash(x.canonical); console.log('leaf µs/rec', (performance.now() - t) * 1000 / recs.length);
t = performance.now(); for (const x of v) JSON.parse(x.canonical); console.log('parse µs/rec', (performance.now() - t) * 1000 / recs.length);
t = performance.now(); for (const x of v) new Date(Date.parse(x.record.type === 'availability' ? x.record.observedAt : '')).toISOString(); console.log('time µs/rec', (performance.now() - t) * 1000 / recs.length);
