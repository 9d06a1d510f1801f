// The device's own TLS certificate, as a real phone carries a factory certificate: made once per
// data directory (a self-signed P-256 certificate for CN=<MAC>, by Debian's openssl) and kept in
// NVRAM. SIP over TLS (A12 9.12 transport TLS) presents it as client and server.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Nvram } from './nvram.js';

const FILE = 'tls-identity.json';

export interface DeviceCertificate {
  readonly key: string;
  readonly cert: string;
}

function isCertificate(v: unknown): v is DeviceCertificate {
  return typeof v === 'object' && v !== null && typeof (v as DeviceCertificate).key === 'string' && typeof (v as DeviceCertificate).cert === 'string' && (v as DeviceCertificate).cert.includes('BEGIN CERTIFICATE');
}

export function deviceCertificate(nvram: Nvram, mac: string): DeviceCertificate {
  const stored = nvram.readJson(FILE, isCertificate);
  if (stored) return stored;
  const dir = mkdtempSync(join(tmpdir(), 'vphone-cert-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '3650', '-subj', `/CN=${mac}`, '-keyout', key, '-out', cert], { stdio: 'ignore' });
    const made = { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
    nvram.writeJson(FILE, made);
    return made;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
