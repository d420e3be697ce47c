import { sha256Raw } from '../core/ledger/merkle.ts';
const b = Buffer.alloc(65, 1); const n = 300000; const t = performance.now(); for (let i = 0; i < n; i++) sha256Raw(b); console.log('hash65/s', Math.round(n / (performance.now() - t) * 1000));
