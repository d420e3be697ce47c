// Syslog receivers: UDP (RFC 5426, one message per datagram) and TCP (RFC 6587 framing). TCP
// sockets are paused while the pipeline is full (back-pressure reaches the sender); UDP cannot be
// slowed, so the pipeline overflows it to disk instead of growing memory.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import type { LogPipeline } from '../pipeline.ts';
import { SyslogFramer, type Frame } from './framing.ts';

export interface SyslogServerOptions {
  pipeline: LogPipeline;
  host?: string;
  /** 0 picks a free port. */
  udpPort?: number;
  tcpPort?: number;
  maxFrameBytes?: number;
}

export interface SyslogServer {
  udpPort?: number;
  tcpPort?: number;
  close(): Promise<void>;
}

let seq = 0;

export async function startSyslogServer(o: SyslogServerOptions): Promise<SyslogServer> {
  const host = o.host ?? '127.0.0.1';
  const result: SyslogServer = { close: async () => {} };
  let udp: UdpSocket | undefined;
  let tcp: Server | undefined;
  const sockets = new Set<Socket>();
  if (o.udpPort !== undefined) {
    udp = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    udp.on('message', (msg, rinfo) => {
      const received = new Date();
      o.pipeline.offer(msg, {
        source: `syslog-udp:${rinfo.address}`,
        key: `${received.getTime()}:${++seq}`,
        received,
        peer: rinfo.address,
      });
    });
    await new Promise<void>((r, j) => (udp!.once('error', j), udp!.bind(o.udpPort, host, () => r())));
    result.udpPort = udp.address().port;
  }
  if (o.tcpPort !== undefined) {
    tcp = createServer((sock) => {
      sockets.add(sock);
      const framer = new SyslogFramer(o.maxFrameBytes);
      const conn = `${Date.now()}:${++seq}`;
      const peer = sock.remoteAddress?.replace(/^::ffff:/, '');
      let frameNo = 0;
      let chain = Promise.resolve();
      const feed = (frames: Frame[]) => {
        if (!frames.length) return;
        sock.pause();
        chain = chain
          .then(async () => {
            for (const f of frames)
              await o.pipeline.submit(f.data, {
                source: `syslog-tcp:${peer ?? 'unknown'}`,
                key: `${conn}:${++frameNo}`,
                received: new Date(),
                peer,
                dropped: f.dropped,
              });
          })
          .then(
            () => void sock.resume(),
            () => void sock.destroy() // pipeline closed: drop the connection, the sender retries elsewhere
          );
      };
      sock.on('data', (chunk) => feed(framer.push(chunk)));
      sock.on('end', () => feed(framer.end()));
      sock.on('error', () => sock.destroy());
      sock.on('close', () => sockets.delete(sock));
    });
    await new Promise<void>((r, j) => (tcp!.once('error', j), tcp!.listen(o.tcpPort, host, () => r())));
    const a = tcp.address();
    result.tcpPort = typeof a === 'object' && a ? a.port : undefined;
  }
  result.close = async () => {
    if (udp) await new Promise<void>((r) => udp.close(() => r()));
    if (tcp) {
      for (const s of sockets) s.end();
      await new Promise<void>((r) => tcp.close(() => r()));
    }
  };
  return result;
}
