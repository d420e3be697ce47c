import { createHash, hash } from 'node:crypto';
const b = Buffer.alloc(65, 1); const big = Buffer.alloc(300, 2);
for (const [name, f] of [['createHash65', () => createHash('sha256').update(b).digest()], ['hash65', () => hash('sha256', b, 'buffer')], ['createHash300', () => createHash('sha256').update(big).digest()],['hash300', () => hash('sha256', big, 'buffer')]] as const) {
  for (let w = 0; w < 2; w++) { const n = 500000; const t = performance.now(); for (let i = 0; i < n; i++) f(); const dt = performance.now() - t; if (w) console.log(name, (n / dt * 1000 | 0), '/s'); }
}
const mb = Buffer.alloc(64 << 20); let t = performance.now(); createHash('sha256').update(mb).digest(); console.log('MB/s', 64 / ((performance.now() - t) / 1000));
