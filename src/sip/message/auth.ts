// WWW-Authenticate / Proxy-Authenticate challenges, Authorization / Proxy-Authorization
// credentials (RFC 3261 §20.27, §20.28, §20.7, §20.44, §22.4; grammar §25.1) and
// Authentication-Info (§20.6). Parsing only splits scheme and parameters; Digest itself
// (RFC 2617 / RFC 8760) belongs to the authentication layer.
import { equalsIgnoreCase, quote, scanQuoted, scanToken, skipWs, unquote } from './lex.js';

export interface AuthParam {
  readonly name: string;
  /** Value with quotes and quoted-pairs removed. */
  readonly value: string;
  /** Whether the value was (or is to be) written as a quoted-string. */
  readonly quoted: boolean;
}

export class AuthValue {
  constructor(
    /** auth-scheme as written, e.g. `Digest`; empty for Authentication-Info. */
    readonly scheme: string,
    readonly params: readonly AuthParam[],
    /** A token68 credential (e.g. `Basic dXNlcg==`), when the scheme uses one instead of params. */
    readonly token68?: string,
  ) {}

  get isDigest(): boolean {
    return equalsIgnoreCase(this.scheme, 'digest');
  }

  /** Unquoted value of a parameter (names are case-insensitive). */
  get(name: string): string | undefined {
    for (const p of this.params) if (equalsIgnoreCase(p.name, name)) return p.value;
    return undefined;
  }

  toString(): string {
    return formatAuth(this.scheme, this.params, this.token68);
  }
}

/** `Digest realm="x", nonce="y", algorithm=MD5` — quoted params are escaped as needed. */
export function formatAuth(scheme: string, params: readonly AuthParam[], token68?: string): string {
  const list = params.map((p) => `${p.name}=${p.quoted ? quote(p.value) : p.value}`).join(', ');
  const tail = token68 !== undefined ? token68 : list;
  if (scheme === '') return tail;
  return tail === '' ? scheme : `${scheme} ${tail}`;
}

function isToken68(s: string): boolean {
  // token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" (RFC 7235 §2.1)
  return /^[A-Za-z0-9\-._~+/]+=*$/.test(s);
}

/** auth-param *(COMMA auth-param) at s[i..end) into `out`; false when malformed. */
function parseAuthParams(s: string, i: number, end: number, out: AuthParam[]): boolean {
  for (;;) {
    const nameEnd = scanToken(s, i, end);
    if (nameEnd === i) return false;
    let k = skipWs(s, nameEnd, end);
    if (k >= end || s.charCodeAt(k) !== 61) return false;
    k = skipWs(s, k + 1, end);
    if (k >= end) return false;
    let value: string;
    let quoted = false;
    let vEnd: number;
    if (s.charCodeAt(k) === 34) {
      vEnd = scanQuoted(s, k, end);
      if (vEnd < 0) return false;
      value = unquote(s.slice(k, vEnd));
      quoted = true;
    } else {
      // token per the grammar; leniently anything up to "," or whitespace (some UAs leave
      // uri=sip:... unquoted).
      vEnd = k;
      while (vEnd < end) {
        const c = s.charCodeAt(vEnd);
        if (c === 44 || c === 32 || c === 9 || c === 34) break;
        vEnd++;
      }
      if (vEnd === k) return false;
      value = s.slice(k, vEnd);
    }
    out.push({ name: s.slice(i, nameEnd), value, quoted });
    k = skipWs(s, vEnd, end);
    if (k >= end) return true;
    if (s.charCodeAt(k) !== 44) return false;
    i = skipWs(s, k + 1, end);
  }
}

/** challenge / credentials = auth-scheme LWS auth-param *(COMMA auth-param). */
export function parseAuth(s: string): AuthValue | undefined {
  const end = s.length;
  const i = skipWs(s, 0, end);
  const schemeEnd = scanToken(s, i, end);
  if (schemeEnd === i) return undefined;
  const scheme = s.slice(i, schemeEnd);
  const j = skipWs(s, schemeEnd, end);
  if (j >= end) return new AuthValue(scheme, []);
  if (j === schemeEnd) return undefined;
  // token68 (RFC 7235 §2.1) first: "abc==" would otherwise read as a parameter "abc" = "=".
  const rest = s.slice(j).trimEnd();
  if (isToken68(rest)) return new AuthValue(scheme, [], rest);
  const params: AuthParam[] = [];
  return parseAuthParams(s, j, end, params) ? new AuthValue(scheme, params) : undefined;
}

/** Authentication-Info = ainfo *(COMMA ainfo): parameters only, no scheme. */
export function parseAuthenticationInfo(s: string): AuthValue | undefined {
  const end = s.length;
  const i = skipWs(s, 0, end);
  const params: AuthParam[] = [];
  if (i < end && !parseAuthParams(s, i, end, params)) return undefined;
  return new AuthValue('', params);
}
