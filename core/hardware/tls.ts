// TLS for BMCs. iDRACs ship self-signed certificates, so the safe default is pinning: the
// certificate's SHA-256 fingerprint must match before a single byte of the request (which
// carries credentials) is written. A CA file gives normal chain + hostname verification.
// `insecure` turns checks off, loudly.
import { Agent, type AgentOptions } from 'node:https';
import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import { readFileSync } from 'node:fs';
import { RedfishError } from './errors.ts';

export interface TlsSettings {
  /** SHA-256 certificate fingerprint, hex with or without colons (`openssl x509 -fingerprint -sha256`). */
  fingerprint256?: string;
  /** PEM CA bundle path (or the PEM itself in `ca`). */
  caFile?: string;
  ca?: string;
  /** Skip verification. Never the default; warns once per process. */
  insecure?: boolean;
}

export function normaliseFingerprint(fp: string): string {
  const hex = fp
    .replace(/^sha256[:/]/i, '')
    .replace(/[:\s]/g, '')
    .toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex))
    throw new RedfishError(
      'RedfishTlsError',
      `TLS pin '${fp}' is not a SHA-256 fingerprint (expected 64 hex digits, colons optional)`
    );
  return hex.match(/../g)!.join(':');
}

let warned = false;

class PinnedAgent extends Agent {
  constructor(
    private readonly pin: string,
    opts: AgentOptions
  ) {
    super(opts);
  }
  // Async createConnection: the agent hands the socket to the request only after the
  // fingerprint matched, so nothing (no Authorization header) is written to an impostor.
  override createConnection(options: ConnectionOptions, cb: (err: Error | null, s?: Duplex) => void): undefined {
    const sock: TLSSocket = connect({ ...options, rejectUnauthorized: false });
    const onError = (err: Error) => cb(err);
    sock.once('error', onError);
    sock.once('secureConnect', () => {
      sock.off('error', onError);
      const got = sock.getPeerCertificate().fingerprint256;
      if (got !== this.pin) {
        sock.destroy();
        cb(
          new RedfishError(
            'RedfishPinMismatchError',
            `TLS certificate of ${options.host ?? ''}:${options.port ?? ''} does not match the pinned fingerprint (got ${got}, pinned ${this.pin})`
          )
        );
        return;
      }
      cb(null, sock);
    });
    return undefined;
  }
}

/** One keep-alive agent per BMC, applying the TLS policy. */
export function agentFor(tls: TlsSettings, maxSockets = 4): Agent {
  const base: AgentOptions = { keepAlive: true, maxSockets, keepAliveMsecs: 10_000 };
  if (tls.fingerprint256) return new PinnedAgent(normaliseFingerprint(tls.fingerprint256), base);
  if (tls.caFile || tls.ca)
    return new Agent({ ...base, ca: tls.ca ?? readFileSync(tls.caFile!, 'utf8'), rejectUnauthorized: true });
  if (tls.insecure) {
    if (!warned)
      console.warn(
        'warning: TLS verification is OFF for a BMC (insecure: true); pin its certificate fingerprint instead'
      );
    warned = true;
    return new Agent({ ...base, rejectUnauthorized: false });
  }
  throw new RedfishError(
    'RedfishTlsError',
    'no TLS policy for the BMC: give a certificate fingerprint (tls.fingerprint256), a CA file (tls.caFile), or insecure: true explicitly'
  );
}
