// Connections to the Fabric network for FabricLedger: one gRPC client per peer (shared by the
// gateway on that peer), deadlines on every call, and the mapping of chaincode refusals and
// transport failures onto the ledger's error classes.
import { readFileSync } from 'node:fs';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import {
  connect,
  hash,
  signers,
  CommitError,
  StatusCode,
  type Contract,
  type Gateway,
  type GatewayError,
} from '@hyperledger/fabric-gateway';
import { LedgerConflictError, LedgerNotFoundError } from './ledger.ts';

export interface FabricPeerEndpoint {
  /** host:port of the peer's gateway service. */
  endpoint: string;
  /** PEM of the CA that issued the peer's TLS certificate, or a path to it. */
  tlsCaCert: string;
  /** TLS server name to expect, when it differs from the endpoint's host. */
  hostAlias?: string;
}

export interface FabricIdentityConfig {
  mspId: string;
  /** PEM certificate or a path to it. */
  cert: string;
  /** PEM private key or a path to it. */
  key: string;
}

export interface FabricConnectionOptions {
  /** Peers to use, preferred first; reads and writes fail over to the next on UNAVAILABLE. */
  peers: FabricPeerEndpoint[];
  identity: FabricIdentityConfig;
  channel?: string;
  chaincode?: string;
  /** Deadlines in ms. */
  evaluateTimeoutMs?: number;
  endorseTimeoutMs?: number;
  submitTimeoutMs?: number;
  commitTimeoutMs?: number;
}

/** The chaincode refused the call for good (bad input, access): retrying cannot help. */
export class LedgerRefusedError extends Error {
  readonly retryable = false;
  constructor(
    message: string,
    readonly code: string
  ) {
    super(message);
    this.name = code === 'FORBIDDEN' ? 'LedgerAccessError' : 'LedgerRefusedError';
  }
}

/** The network could not be reached or did not answer in time: the same call may succeed later. */
export class LedgerUnavailableError extends Error {
  readonly retryable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LedgerUnavailableError';
  }
}

/** Internal: the head moved or an MVCC conflict; re-read and try again. */
export class RetryableConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetryableConflict';
  }
}

const pem = (v: string) => (v.includes('-----BEGIN') ? v : readFileSync(v, 'utf8'));

interface PeerConnection {
  endpoint: string;
  client: grpc.Client;
  gateway: Gateway;
  contract: Contract;
}

const CODE_RE = /\b(INVALID|CONFLICT|FORBIDDEN|STALE|NOT_FOUND): ([^\n]*)/;

/** Turns a gateway error into a ledger error; returns undefined if it is a transport failure. */
export function classify(err: unknown): Error {
  if (err instanceof CommitError) {
    if (err.code === StatusCode.MVCC_READ_CONFLICT || err.code === StatusCode.PHANTOM_READ_CONFLICT)
      return new RetryableConflict(err.message);
    return new LedgerRefusedError(`transaction ${err.transactionId} was not committed: ${err.message}`, 'COMMIT');
  }
  const gw = err as Partial<GatewayError> & Error;
  const text = [gw.message ?? String(err), ...(gw.details ?? []).map((d) => d.message)].join('\n');
  const m = CODE_RE.exec(text);
  if (m) {
    const [, code, msg] = m as unknown as [string, string, string];
    if (code === 'STALE') return new RetryableConflict(msg);
    if (code === 'CONFLICT') return new LedgerConflictError(msg);
    if (code === 'NOT_FOUND') return new LedgerNotFoundError(msg);
    return new LedgerRefusedError(`chaincode refused: ${msg}`, code);
  }
  const grpcCode = typeof gw.code === 'number' ? gw.code : undefined;
  const transient = [
    grpc.status.UNAVAILABLE,
    grpc.status.DEADLINE_EXCEEDED,
    grpc.status.CANCELLED,
    grpc.status.RESOURCE_EXHAUSTED,
  ];
  if (grpcCode !== undefined && transient.includes(grpcCode))
    return new LedgerUnavailableError(`Fabric peer unavailable: ${text.split('\n').join('; ')}`, { cause: err });
  // ABORTED with endorsement details but no chaincode code word (an endorser is down), or discovery
  // not yet (or no longer) seeing enough peers for the endorsement policy.
  if (
    /UNAVAILABLE|failed to connect|connection refused|no peers available|DEADLINE_EXCEEDED|no combination of peers|endorsement policy/i.test(
      text
    )
  ) {
    return new LedgerUnavailableError(`Fabric network unavailable: ${text.split('\n').join('; ')}`, { cause: err });
  }
  return new LedgerRefusedError(`Fabric call failed: ${text.split('\n').join('; ')}`, 'FAILED');
}

export class FabricConnection {
  readonly peers: PeerConnection[];
  readonly mspId: string;
  readonly certPem: string;
  readonly privateKey: KeyObject;

  constructor(opts: FabricConnectionOptions) {
    if (opts.peers.length === 0) throw new Error('FabricLedger: no peers configured');
    this.mspId = opts.identity.mspId;
    this.certPem = pem(opts.identity.cert);
    this.privateKey = createPrivateKey(pem(opts.identity.key));
    const ms = (v: number | undefined, d: number) => () => ({ deadline: Date.now() + (v ?? d) });
    this.peers = opts.peers.map((p) => {
      const options: grpc.ChannelOptions = {
        'grpc.max_receive_message_length': 256 * 1024 * 1024,
        'grpc.max_send_message_length': 256 * 1024 * 1024,
      };
      if (p.hostAlias) options['grpc.ssl_target_name_override'] = p.hostAlias;
      const client = new grpc.Client(p.endpoint, grpc.credentials.createSsl(Buffer.from(pem(p.tlsCaCert))), options);
      const gateway = connect({
        client,
        identity: { mspId: this.mspId, credentials: Buffer.from(this.certPem) },
        signer: signers.newPrivateKeySigner(this.privateKey),
        hash: hash.sha256,
        evaluateOptions: ms(opts.evaluateTimeoutMs, 10_000),
        endorseOptions: ms(opts.endorseTimeoutMs, 120_000),
        submitOptions: ms(opts.submitTimeoutMs, 10_000),
        commitStatusOptions: ms(opts.commitTimeoutMs, 60_000),
      });
      const contract = gateway.getNetwork(opts.channel ?? 'availability').getContract(opts.chaincode ?? 'ironthrone');
      return { endpoint: p.endpoint, client, gateway, contract };
    });
  }

  /** Runs `fn` on the first peer that answers; only transport failures move on to the next. */
  async withPeer<T>(fn: (c: Contract) => Promise<T>): Promise<T> {
    let last: Error | undefined;
    for (const p of this.peers) {
      try {
        return await fn(p.contract);
      } catch (err) {
        const e = classify(err);
        if (!(e instanceof LedgerUnavailableError)) throw e;
        last = e;
      }
    }
    throw last ?? new LedgerUnavailableError('no Fabric peer answered');
  }

  async evaluate(fn: string, ...args: string[]): Promise<string> {
    const bytes = await this.withPeer((c) => c.evaluateTransaction(fn, ...args));
    return Buffer.from(bytes).toString('utf8');
  }

  async submit(fn: string, ...args: string[]): Promise<string> {
    const bytes = await this.withPeer((c) => c.submitTransaction(fn, ...args));
    return Buffer.from(bytes).toString('utf8');
  }

  close(): void {
    for (const p of this.peers) {
      p.gateway.close();
      p.client.close();
    }
  }
}
