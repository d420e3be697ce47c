// Block signatures. The chaincode cannot hold a private key (every endorser must compute the same
// result), so the writer signs: the client computes the block it expects from the head it read,
// signs its hash with its Fabric identity's key, and the chaincode recomputes the block, checks
// the hash and verifies the signature against the certificate that signed the transaction.
import { createPublicKey, verify, X509Certificate } from 'crypto';
import type { Context } from 'fabric-contract-api';

/** SPKI PEM of the public key in the caller's X.509 certificate. */
export function callerPublicKey(ctx: Context): string {
  const certPem = Buffer.from(ctx.clientIdentity.getIDBytes()).toString('utf8');
  const cert = new X509Certificate(certPem);
  return cert.publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

export function verifyBlockSignature(publicKeyPem: string, blockHashHex: string, signatureB64: string): boolean {
  try {
    return verify(
      'sha256',
      Buffer.from(blockHashHex, 'hex'),
      createPublicKey(publicKeyPem),
      Buffer.from(signatureB64, 'base64')
    );
  } catch {
    return false;
  }
}
