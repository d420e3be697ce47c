// A stand-in for the peer side of a chaincode call: the stub's state calls over an in-memory,
// sorted map (as fabric-samples' chaincode unit tests fake ChaincodeStub), a fixed transaction
// timestamp, and a caller identity backed by a real X.509 certificate made with openssl. The
// network tests run the same contract on real peers.
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { createPrivateKey, sign, type KeyObject } from 'crypto';

export interface Caller {
  mspId: string;
  ous: string[];
  certPem: string;
  key: KeyObject;
}

export function makeCaller(mspId: string, ous: string[], cn = 'user1'): Caller {
  const dir = mkdtempSync(join(tmpdir(), 'cc-id-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key]);
  const subj = `/O=${mspId}${ous.map((o) => `/OU=${o}`).join('')}/CN=${cn}`;
  execFileSync('openssl', ['req', '-new', '-x509', '-key', key, '-out', cert, '-days', '2', '-subj', subj]);
  return { mspId, ous, certPem: readFileSync(cert, 'utf8'), key: createPrivateKey(readFileSync(key, 'utf8')) };
}

export function signHash(caller: Caller, hashHex: string): string {
  return sign('sha256', Buffer.from(hashHex, 'hex'), caller.key).toString('base64');
}

export class FakeWorld {
  readonly state = new Map<string, Buffer>();
  events: { name: string; payload: string }[] = [];
  txTime = Date.UTC(2026, 0, 1, 12, 0, 0);
  private tx = 0;

  ctx(caller: Caller): unknown {
    const world = this;
    const txId = `tx${++this.tx}`;
    // Writes are buffered and applied when the call succeeds, like a peer's simulation: a refused
    // call leaves the state untouched.
    const writes = new Map<string, Buffer>();
    const stub = {
      async getState(key: string) {
        return writes.get(key) ?? world.state.get(key) ?? Buffer.alloc(0);
      },
      async putState(key: string, value: Buffer) {
        writes.set(key, Buffer.from(value));
      },
      async getStateByRange(start: string, end: string) {
        const keys = [...world.state.keys()].filter((k) => k >= start && (end === '' || k < end)).sort();
        let i = 0;
        return {
          async next() {
            const key = keys[i++];
            return key === undefined
              ? { done: true, value: undefined }
              : { done: false, value: { key, value: world.state.get(key) } };
          },
          async close() {},
        };
      },
      getTxTimestamp() {
        return { seconds: Math.floor(world.txTime / 1000), nanos: (world.txTime % 1000) * 1e6 };
      },
      getTxID: () => txId,
      setEvent(name: string, payload: Buffer) {
        world.events.push({ name, payload: Buffer.from(payload).toString('utf8') });
      },
    };
    const subject = `/O=${caller.mspId}${caller.ous.map((o) => `/OU=${o}`).join('')}/CN=user1`;
    const clientIdentity = {
      getMSPID: () => caller.mspId,
      getID: () => `x509::${subject}::/CN=ca`,
      getIDBytes: () => Buffer.from(caller.certPem),
      getAttributeValue: () => null,
    };
    return { stub, clientIdentity, commit: () => writes.forEach((v, k) => world.state.set(k, v)) };
  }

  /** Runs one contract call as a transaction: its writes land only if it succeeds. */
  async call<T>(caller: Caller, fn: (ctx: never) => Promise<T>): Promise<T> {
    const ctx = this.ctx(caller) as { commit(): void };
    const out = await fn(ctx as never);
    ctx.commit();
    return out;
  }
}
