// Log pipeline benchmark: parser throughput against a baseline that only splits lines (same run,
// same input), lines/s parsed and indexed into SQLite FTS5 and into a real Elasticsearch (bulk),
// and search latency p50/p99 on the loaded stores. Default 100k lines (quick); set
// BENCH_LOG_LINES=1000000 for the 1M-line figures. ES is skipped with BENCH_LOG_ES=0.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBatch } from '../core/logs/digest.ts';
import { EsLogStore } from '../core/logs/es-store.ts';
import { Inventory } from '../core/logs/inventory.ts';
import { processLine } from '../core/logs/pipeline-parse.ts';
import { SqliteLogStore } from '../core/logs/sqlite-store.ts';
import type { LogStore } from '../core/logs/store.ts';
import type { LogDoc, LogQuery } from '../core/logs/types.ts';
import { freePort } from '../scripts/lib/procs.ts';
import { startElasticsearch } from '../scripts/lib/elasticsearch.ts';
import { percentile, printTable, writeResults, type BenchRow } from './lib.ts';

const HOSTS = Array.from({ length: 40 }, (_, i) => `r740-${String(i + 1).padStart(2, '0')}`);
const WORDS = [
  'timeout',
  'retry',
  'connection',
  'refused',
  'payment',
  'gateway',
  'cache',
  'miss',
  'disk',
  'latency',
  'queue',
  'worker',
  'shard',
  'replica',
  'token',
];
const IDRAC = [
  ['Critical', 'FAN0001', 'Fan 1A RPM is less than the lower critical threshold.'],
  ['Critical', 'PSU0003', 'The power input for power supply 2 is lost.'],
  ['Warning', 'TMP0120', 'The system inlet temperature is greater than the upper warning threshold.'],
  ['Critical', 'MEM0001', 'Multi-bit memory errors detected on a memory device at location(s) DIMM A1.'],
] as const;

/** A deterministic mix of the supported formats (xorshift, no Math.random). */
export function sampleLines(n: number): string[] {
  let s = 0x9e3779b9;
  const rnd = (k: number) => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), (s >>> 0) % k);
  const t0 = Date.UTC(2026, 10, 25, 0, 0, 0);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const host = HOSTS[rnd(HOSTS.length)]!;
    const t = new Date(t0 + i * 50);
    const w = `${WORDS[rnd(WORDS.length)]} ${WORDS[rnd(WORDS.length)]} ${rnd(100000)}`;
    switch (i % 6) {
      case 0:
        out.push(
          `<${8 + rnd(8)}>1 ${t.toISOString()} ${host} checkout-api ${rnd(9999)} - [req@32473 request_id="${rnd(1e9).toString(16)}"] ${w}`
        );
        break;
      case 1:
        out.push(`<${24 + rnd(8)}>Nov 25 ${t.toISOString().slice(11, 19)} ${host} kernel: ${w}`);
        break;
      case 2: {
        const [sev, id, text] = IDRAC[rnd(IDRAC.length)]!;
        out.push(
          `<10>Nov 25 ${t.toISOString().slice(11, 19)} idrac-${host} Severity: ${sev}, Category: System Health, MessageID: ${id}, Message: ${text}`
        );
        break;
      }
      case 3:
        out.push(
          `10.0.${rnd(255)}.${rnd(255)} - - [25/Nov/2026:${t.toISOString().slice(11, 19)} +0000] "GET /api/v1/${WORDS[rnd(WORDS.length)]} HTTP/1.1" ${[200, 200, 200, 404, 502][rnd(5)]} ${rnd(9000)} "-" "curl/8.5.0"`
        );
        break;
      case 4:
        out.push(
          JSON.stringify({
            __REALTIME_TIMESTAMP: String(t.getTime() * 1000),
            PRIORITY: String(rnd(8)),
            _HOSTNAME: host,
            SYSLOG_IDENTIFIER: 'inventory',
            MESSAGE: w,
          })
        );
        break;
      default:
        out.push(
          `ts=${t.toISOString()} level=${['info', 'warn', 'error'][rnd(3)]} host=${host} msg="${w}" trace_id=${rnd(1e9).toString(16)}`
        );
    }
  }
  return out;
}

const inventory = new Inventory(
  HOSTS.map((h, i) => ({
    name: h,
    aliases: [`idrac-${h}`],
    service: ['checkout', 'storefront', 'inventory'][i % 3],
    region: 'eu-west-1',
    rack: `A${i % 8}`,
  }))
);

function parseAll(buf: Buffer): LogDoc[] {
  const received = new Date();
  const docs: LogDoc[] = [];
  let start = 0;
  for (let i = buf.indexOf(0x0a); i >= 0; start = i + 1, i = buf.indexOf(0x0a, start)) {
    docs.push(processLine(buf.subarray(start, i), { source: 'bench', key: String(start), received }, { inventory }));
  }
  return docs;
}

function splitOnly(buf: Buffer): number {
  let n = 0;
  let start = 0;
  for (let i = buf.indexOf(0x0a); i >= 0; start = i + 1, i = buf.indexOf(0x0a, start))
    n += buf.toString('utf8', start, i).length > 0 ? 1 : 0;
  return n;
}

async function index(store: LogStore, docs: LogDoc[], batch: number): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < docs.length; i += batch) {
    const b = buildBatch(docs.slice(i, i + batch), store.location);
    await store.write(b.docs);
    await store.putBatch(b.digest);
  }
  await store.refresh();
  return performance.now() - t;
}

function queries(n: number): LogQuery[] {
  const qs: LogQuery[] = [];
  for (let i = 0; i < n; i++) {
    const w = WORDS[i % WORDS.length]!;
    const host = HOSTS[(i * 7) % HOSTS.length]!;
    const since = new Date(Date.UTC(2026, 10, 25) + ((i * 997) % 3600) * 1000).toISOString();
    const variants: LogQuery[] = [
      { text: w },
      { text: `${w} ${WORDS[(i + 3) % WORDS.length]}`, limit: 20 },
      { host, minSeverity: 'warning' },
      { text: w, host, since },
      { messageId: 'FAN0001', limit: 10 },
    ];
    qs.push(variants[i % 5]!);
  }
  return qs;
}

async function latency(store: LogStore, qs: LogQuery[]): Promise<{ p50: number; p99: number }> {
  for (const q of qs.slice(0, 10)) await store.search(q); // warm-up
  const ms: number[] = [];
  for (const q of qs) {
    const t = performance.now();
    await store.search(q);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p99: percentile(ms, 99) };
}

export async function run(): Promise<void> {
  const n = Number(process.env.BENCH_LOG_LINES ?? 100_000);
  const buf = Buffer.from(sampleLines(n).join('\n') + '\n');
  const rows: BenchRow[] = [];

  // Warm both paths up (JIT) on a slice first, so neither side of the ratio pays for compilation.
  const warm = buf.subarray(0, buf.indexOf(0x0a, Math.min(buf.length - 1, 2_000_000)) + 1);
  splitOnly(warm);
  parseAll(warm);
  let t = performance.now();
  const split = splitOnly(buf);
  const splitMs = performance.now() - t;
  t = performance.now();
  const docs = parseAll(buf);
  const parseMs = performance.now() - t;
  const parseErrors = docs.filter((d) => d.tags.includes('parse_error')).length;
  rows.push({
    name: 'baseline: split lines only',
    lines: split,
    'lines/s': Math.round(split / (splitMs / 1000)),
    ratio: 1,
  });
  rows.push({
    name: 'decode + parse + enrich',
    lines: docs.length,
    'lines/s': Math.round(docs.length / (parseMs / 1000)),
    ratio: +(splitMs / parseMs).toFixed(3),
    parse_errors: parseErrors,
  });

  const dir = mkdtempSync(join(tmpdir(), 'ironthrone-bench-logs-'));
  chmodSync(dir, 0o755);
  const qs = queries(500);
  try {
    const sqlite = new SqliteLogStore({ file: join(dir, 'logs.db') });
    const sqlMs = await index(sqlite, docs, 1000);
    const sqlLat = await latency(sqlite, qs);
    rows.push({
      name: 'SQLite FTS5: index (batches of 1000, digests)',
      lines: n,
      'lines/s': Math.round(n / (sqlMs / 1000)),
      'parse+index lines/s': Math.round(n / ((sqlMs + parseMs) / 1000)),
      ratio: +(splitMs / (sqlMs + parseMs)).toFixed(4),
      'search p50 ms': +sqlLat.p50.toFixed(2),
      'search p99 ms': +sqlLat.p99.toFixed(2),
    });
    await sqlite.close();

    if (process.env.BENCH_LOG_ES !== '0') {
      const es = await startElasticsearch({
        port: await freePort(),
        dataDir: join(dir, 'es'),
        logFile: join(dir, 'es.log'),
        heap: process.env.BENCH_ES_HEAP ?? '1g',
      });
      try {
        const store = new EsLogStore({ nodes: [es.url], indexPrefix: 'bench-logs' });
        const esMs = await index(store, docs, 2000);
        const esLat = await latency(store, qs);
        rows.push({
          name: 'Elasticsearch 8.19: bulk index (2000/bulk, digests)',
          lines: n,
          'lines/s': Math.round(n / (esMs / 1000)),
          'parse+index lines/s': Math.round(n / ((esMs + parseMs) / 1000)),
          ratio: +(splitMs / (esMs + parseMs)).toFixed(4),
          'search p50 ms': +esLat.p50.toFixed(2),
          'search p99 ms': +esLat.p99.toFixed(2),
        });
        await store.close();
      } finally {
        await es.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  printTable(`Logs: ${n.toLocaleString('en-US')} lines (ratio = baseline time / this time)`, rows);
  console.log(
    `\n${qs.length} search queries per store (text, two words, host+min severity, text+host+since, message id).`
  );
  writeResults(n === 100_000 ? 'logs' : `logs-${n}`, { lines: n, es: process.env.BENCH_LOG_ES !== '0', rows });
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
