// Ingest paths over real sockets and files: syslog over UDP and TCP (octet-counted and newline
// frames, split across packets, oversize), and a followed file through rename and truncate rotation.
import { createSocket } from 'node:dgram';
import { appendFileSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followFile } from '../../../core/logs/ingest/file-follow.ts';
import { SyslogFramer } from '../../../core/logs/ingest/framing.ts';
import { startSyslogServer, type SyslogServer } from '../../../core/logs/ingest/syslog-server.ts';
import { LogPipeline } from '../../../core/logs/pipeline.ts';
import { SqliteLogStore } from '../../../core/logs/sqlite-store.ts';
import { testDataDir } from '../../helpers/temporal.ts';

let dir: string;
let store: SqliteLogStore;
let pipeline: LogPipeline;
let server: SyslogServer;

beforeAll(async () => {
  dir = testDataDir('logs-ingest');
  store = new SqliteLogStore({ file: join(dir, 'logs.db') });
  pipeline = new LogPipeline({ store, spoolDir: join(dir, 'spool'), batchSize: 20, flushMs: 20 });
  server = await startSyslogServer({ pipeline, udpPort: 0, tcpPort: 0, maxFrameBytes: 2048 });
});
afterAll(async () => {
  await server.close();
  await pipeline.close();
  await store.close();
});

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pipeline.flush();
    await new Promise((r) => setTimeout(r, 50));
  }
}
const count = async (text: string) => (await store.search({ text })).total;

describe('RFC 6587 framing', () => {
  it('splits octet-counted and newline frames, across chunk boundaries', () => {
    const f = new SyslogFramer(100);
    const stream = Buffer.from('11 <13>1 - a b<13>plain line\n7 <13>xyz10 <13>split!');
    const frames: string[] = [];
    for (let i = 0; i < stream.length; i += 3)
      frames.push(...f.push(stream.subarray(i, i + 3)).map((b) => b.data.toString()));
    frames.push(...f.end().map((b) => b.data.toString()));
    expect(frames).toEqual(['<13>1 - a b', '<13>plain line', '<13>xyz', '<13>split!']);
  });

  it('cuts oversize frames and resynchronises after them', () => {
    const f = new SyslogFramer(10);
    const frames = f.push(Buffer.from(`30 ${'a'.repeat(30)}${'b'.repeat(25)}\nnext\n`));
    expect(frames.map((b) => [b.data.toString(), b.dropped])).toEqual([
      ['a'.repeat(10), 20],
      ['b'.repeat(10), 15],
      ['next', 0],
    ]);
  });
});

describe('syslog receivers', () => {
  it('UDP: one message per datagram', async () => {
    const sock = createSocket('udp4');
    for (let i = 0; i < 50; i++) {
      await new Promise<void>((r) =>
        sock.send(
          `<134>1 2026-11-25T10:00:00Z r740-02 haproxy - - - udp message ${i}`,
          server.udpPort,
          '127.0.0.1',
          () => r()
        )
      );
    }
    sock.close();
    // UDP may drop under load on a busy machine; on loopback with this rate it does not.
    await until(async () => (await count('udp message')) === 50, '50 UDP lines');
    const doc = (await store.search({ text: 'udp message 7' })).hits[0]!;
    expect(doc).toMatchObject({ host: 'r740-02', app: 'haproxy', format: 'rfc5424', severity: 'info' });
    expect(doc.source).toBe('syslog-udp:127.0.0.1');
  });

  it('TCP: octet-counted and newline frames on one connection, oversize kept cut', async () => {
    const m1 = '<11>1 2026-11-25T10:00:01Z r740-01 api - - - tcp counted one';
    const m2 = '<11>Nov 25 10:00:02 r740-01 api[9]: tcp newline two';
    const big = `<11>1 2026-11-25T10:00:03Z r740-01 api - - - tcp oversize ${'z'.repeat(5000)}`;
    const payload = `${Buffer.byteLength(m1)} ${m1}${m2}\n${Buffer.byteLength(big)} ${big}`;
    await new Promise<void>((r) => {
      const s = connect(server.tcpPort!, '127.0.0.1', () => s.end(payload));
      s.on('close', () => r());
    });
    await until(async () => (await count('tcp')) === 3, '3 TCP lines');
    expect((await store.search({ text: 'tcp newline' })).hits[0]).toMatchObject({ format: 'rfc3164', app: 'api' });
    const cut = (await store.search({ text: 'oversize' })).hits[0]!;
    expect(cut.tags).toContain('truncated');
    expect(cut.raw).toMatch(/…\[truncated \d+ bytes\]$/);
  });
});

describe('file follower', () => {
  it('reads appended lines and survives rename and truncate rotation without duplicates', async () => {
    const path = join(dir, 'app.log');
    writeFileSync(path, 'level=info msg="file line 1" host=r740-03\nlevel=info msg="file line 2" host=r740-03\n');
    const f = followFile({ pipeline, path, pollMs: 60_000 });
    await f.poll();
    appendFileSync(path, 'level=warn msg="file line 3" host=r740-03\nlevel=info msg="file li');
    await f.poll();
    appendFileSync(path, 'ne 4" host=r740-03\n');
    renameSync(path, `${path}.1`);
    writeFileSync(path, 'level=error msg="file line 5" host=r740-03\n');
    await f.poll();
    await f.poll();
    truncateSync(path, 0);
    appendFileSync(path, 'level=info msg="file line 6" host=r740-03\n');
    await f.poll();
    await f.poll(); // a second poll must not re-read anything
    await f.close();
    await until(async () => (await count('file line')) === 6, '6 file lines');
    const msgs = (await store.search({ text: 'file line', limit: 100 })).hits.map((h) => h.message).sort();
    expect(msgs).toEqual(['file line 1', 'file line 2', 'file line 3', 'file line 4', 'file line 5', 'file line 6']);
    expect(f.lines).toBe(6);
    // Reading the same file again from the start adds nothing: ids are dev:inode:offset + content.
    const again = followFile({ pipeline, path, pollMs: 60_000 });
    await again.poll();
    await again.close();
    await pipeline.flush();
    expect(await count('file line')).toBe(6);
  });
});

describe('iDRAC log entries over Redfish', () => {
  it('become idrac docs on the polled host; polling again adds nothing', async () => {
    const { ingestIdracLog } = await import('../../../core/logs/ingest/idrac-log.ts');
    const entries = [
      {
        id: '1',
        created: '2026-11-25T10:01:00Z',
        severity: 'Critical',
        messageId: 'IDRAC.2.9.FAN0001',
        message: 'Fan 1A RPM is less than the lower critical threshold.',
      },
      {
        id: '2',
        created: '2026-11-25T10:03:00Z',
        severity: 'OK',
        messageId: 'FAN0005',
        message: 'Fan 1A RPM is within the normal operating range.',
      },
    ];
    await ingestIdracLog(pipeline, 'sim-001', 'Sel', entries);
    await ingestIdracLog(pipeline, 'sim-001', 'Sel', entries);
    await pipeline.flush();
    const r = await store.search({ host: 'sim-001', text: 'fan' });
    expect(r.total).toBe(2);
    expect(r.hits.map((h) => [h.messageId, h.component, h.severity, h.format])).toEqual([
      ['FAN0005', 'fan', 'info', 'idrac'],
      ['FAN0001', 'fan', 'critical', 'idrac'],
    ]);
  });
});
