// Self-signed certificate for the simulator. node:crypto can make keys but not X.509
// certificates, so we shell out to `openssl req -x509` (in every Debian/Ubuntu base image and
// CI runner) rather than add node-forge/selfsigned: pure-JS RSA generation takes seconds, adds a
// dependency, and openssl gives a standard EC P-256 certificate with SANs in ~20 ms.
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SimCert {
  cert: string;
  key: string;
  /** SHA-256 fingerprint of the DER certificate, `AA:BB:…` (what `openssl x509 -fingerprint -sha256` prints). */
  fingerprint256: string;
  certFile: string;
}

/** Create (once) and load the certificate kept in `dir`. */
export function ensureCertificate(dir: string, commonName = 'idrac-simulator'): SimCert {
  mkdirSync(dir, { recursive: true });
  const certFile = join(dir, 'sim-cert.pem');
  const keyFile = join(dir, 'sim-key.pem');
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '825',
        '-subj',
        `/O=Dell Inc./CN=${commonName}`,
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        keyFile,
        '-out',
        certFile,
      ],
      { stdio: 'pipe' }
    );
  }
  const cert = readFileSync(certFile, 'utf8');
  return {
    cert,
    key: readFileSync(keyFile, 'utf8'),
    fingerprint256: new X509Certificate(cert).fingerprint256,
    certFile,
  };
}

/** SHA-256 fingerprint of a PEM certificate in the same format. */
export function fingerprintOf(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}

export function sha256Hex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}
