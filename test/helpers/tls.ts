// A fresh self-signed certificate for 127.0.0.1, made by the openssl CLI (tests of TLS failures).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Key and certificate (PEM) for CN and subjectAltName 127.0.0.1, valid one day, written into `dir`;
 * `certFile` is where the certificate is (for NODE_EXTRA_CA_CERTS: a certificate the user trusts).
 */
export function selfSignedCert(dir: string): { key: Buffer; cert: Buffer; certFile: string } {
  const key = path.join(dir, 'self-signed.key');
  const cert = path.join(dir, 'self-signed.crt');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(key), cert: readFileSync(cert), certFile: cert };
}
