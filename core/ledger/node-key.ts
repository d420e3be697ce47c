// The node's Ed25519 signing key: created on first start, kept beside the ledger with owner-only
// permissions (0600 file in a 0700 folder). Losing it does not lose data (old blocks still verify
// with the public key kept in the ledger), but a new key means a new node identity.
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { join } from 'node:path';

export interface NodeKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SPKI PEM of the public key. */
  publicKeyPem: string;
}

export const NODE_KEY_FILE = 'node-key.pem';

export function loadOrCreateNodeKey(dir: string): NodeKey {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, NODE_KEY_FILE);
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    try {
      // 'wx': never overwrite a key another process created a moment ago.
      writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  // Tighten permissions if someone loosened them (a world-readable key is a forgeable ledger).
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const privateKey = createPrivateKey(readFileSync(file, 'utf8'));
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new Error(`${file}: expected an Ed25519 private key, found ${privateKey.asymmetricKeyType}`);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string };
}

/** Base64 Ed25519 signature over the 32 raw bytes of a hex block hash. */
export function signHash(key: KeyObject, hashHex: string): string {
  return sign(null, Buffer.from(hashHex, 'hex'), key).toString('base64');
}

export function verifyHashSignature(publicKey: KeyObject | string, hashHex: string, signatureB64: string): boolean {
  try {
    const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
    return verify(null, Buffer.from(hashHex, 'hex'), key, Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}
