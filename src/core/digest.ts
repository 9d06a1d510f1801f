// HTTP/SIP Digest computation shared by the web server (RFC 7616) and the SIP client
// (RFC 3261 §22.4, RFC 8760): MD5, MD5-sess, SHA-256, SHA-256-sess, SHA-512-256; qop auth/auth-int.
import { createHash } from 'node:crypto';

export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess' | 'SHA-512-256' | 'SHA-512-256-sess';

export const DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ['MD5', 'MD5-sess', 'SHA-256', 'SHA-256-sess', 'SHA-512-256', 'SHA-512-256-sess'];

export function parseDigestAlgorithm(text: string | undefined): DigestAlgorithm | undefined {
  if (text === undefined || text === '') return 'MD5'; // RFC 7616 §3.3: absent means MD5
  return DIGEST_ALGORITHMS.find((a) => a.toLowerCase() === text.toLowerCase());
}

function hashName(algorithm: DigestAlgorithm): string {
  if (algorithm.startsWith('SHA-512-256')) return 'sha512-256';
  return algorithm.startsWith('SHA-256') ? 'sha256' : 'md5';
}

export function digestHash(algorithm: DigestAlgorithm, data: string): string {
  return createHash(hashName(algorithm)).update(data, 'utf8').digest('hex');
}

export interface DigestInput {
  algorithm: DigestAlgorithm;
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  /** Absent for RFC 2069 compatibility (no qop). */
  qop?: 'auth' | 'auth-int';
  nc?: string;
  cnonce?: string;
  /** Body for qop=auth-int. */
  body?: string;
}

/** The request-digest (`response=` value). */
export function digestResponse(input: DigestInput): string {
  const h = (s: string): string => digestHash(input.algorithm, s);
  let ha1 = h(`${input.username}:${input.realm}:${input.password}`);
  if (input.algorithm.endsWith('-sess')) ha1 = h(`${ha1}:${input.nonce}:${input.cnonce ?? ''}`);
  const ha2 = input.qop === 'auth-int' ? h(`${input.method}:${input.uri}:${h(input.body ?? '')}`) : h(`${input.method}:${input.uri}`);
  if (!input.qop) return h(`${ha1}:${input.nonce}:${ha2}`);
  return h(`${ha1}:${input.nonce}:${input.nc ?? ''}:${input.cnonce ?? ''}:${input.qop}:${ha2}`);
}

/**
 * Parses the parameters of a Digest challenge or credentials header value (after the scheme):
 * `realm="x", nonce="y", qop="auth,auth-int", algorithm=MD5`. Quoted strings may hold commas and
 * escaped quotes. Returns undefined when the text is malformed.
 */
export function parseAuthParams(text: string): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === ',')) i++;
    if (i >= n) break;
    const eq = text.indexOf('=', i);
    if (eq < 0) return undefined;
    const name = text.slice(i, eq).trim().toLowerCase();
    if (!/^[a-z0-9_-]+$/.test(name)) return undefined;
    i = eq + 1;
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
    let value = '';
    if (text[i] === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const c = text[i]!;
        if (c === '\\' && i + 1 < n) {
          value += text[i + 1];
          i += 2;
        } else if (c === '"') {
          i++;
          closed = true;
          break;
        } else {
          value += c;
          i++;
        }
      }
      if (!closed) return undefined;
    } else {
      const end = text.indexOf(',', i);
      value = (end < 0 ? text.slice(i) : text.slice(i, end)).trim();
      i = end < 0 ? n : end;
    }
    params[name] = value;
  }
  return params;
}

export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
