import { z } from 'zod';
const A = z.object({ type: z.literal('a'), at: z.iso.datetime({ offset: true }), d: z.json(), t: z.record(z.string(), z.string()).optional() }).strict();
const B = z.object({ type: z.literal('b'), p: z.number().min(0).max(1) }).strict();
const U = z.discriminatedUnion('type', [A, B]);
console.log(JSON.stringify(z.toJSONSchema(U, { io: 'input' })).slice(0, 1500));
const r = U.safeParse({ type: 'a', at: '2024-01-01T00:00:00Z', d: { x: [1] }, extra: 1 });
console.log(JSON.stringify(r.error?.issues));
console.log(U.safeParse({ type: 'c' }).error?.issues);
