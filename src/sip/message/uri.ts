// URIs of SIP messages: SIP and SIPS URIs (RFC 3261 §19.1, grammar §25.1), tel URIs (RFC 3966)
// and any other absoluteURI (kept opaque, RFC 3261 §19.1.1 "other URI schemes"). Parsing is a
// single left-to-right scan; parsed URIs remember their exact text, so re-serialising a parsed
// URI costs nothing and is byte-identical. Comparison follows RFC 3261 §19.1.4.
import {
  CLASS,
  C_ALPHA,
  C_DIGIT,
  C_HEX,
  C_HNV,
  C_HOST,
  C_PARAM,
  C_PASSWORD,
  C_SCHEME,
  C_TEL,
  C_URIC,
  C_USER,
  equalsIgnoreCase,
  lower,
} from './lex.js';
import { Params, type Param } from './params.js';

export type HostType = 'ipv4' | 'ipv6' | 'domain';

export interface SipUriInit {
  readonly scheme?: 'sip' | 'sips';
  /** Wire form (escaped), e.g. `alice` or `%2B4930`. */
  readonly user?: string | undefined;
  readonly password?: string | undefined;
  /** Host as written: domain name, IPv4 address, or IPv6 reference with brackets `[2001:db8::1]`. */
  readonly host: string;
  readonly port?: number | undefined;
  readonly params?: Params;
  /** URI headers (`?name=value&...`); every value is a string (possibly empty). */
  readonly headers?: Params;
}

/** A sip: or sips: URI. Immutable; derive changed copies with `with()`. */
export class SipUri {
  readonly scheme: 'sip' | 'sips';
  readonly user: string | undefined;
  readonly password: string | undefined;
  readonly host: string;
  readonly port: number | undefined;
  readonly params: Params;
  readonly headers: Params;
  private text: string | undefined;

  constructor(init: SipUriInit, text?: string) {
    this.scheme = init.scheme ?? 'sip';
    this.user = init.user;
    this.password = init.password;
    this.host = init.host;
    this.port = init.port;
    this.params = init.params ?? Params.EMPTY;
    this.headers = init.headers ?? Params.EMPTY;
    this.text = text;
  }

  get hostType(): HostType {
    return hostType(this.host);
  }

  /** Host without IPv6 brackets, as a socket API wants it. */
  get hostname(): string {
    return this.host.charCodeAt(0) === 91 ? this.host.slice(1, -1) : this.host;
  }

  /** `transport` URI parameter, lower-cased (RFC 3261 §19.1.1). */
  get transport(): string | undefined {
    const t = this.params.get('transport');
    return typeof t === 'string' ? t.toLowerCase() : undefined;
  }

  /** Loose-routing flag `;lr` (RFC 3261 §19.1.1, §16.12). */
  get lr(): boolean {
    return this.params.has('lr');
  }

  get maddr(): string | undefined {
    return this.params.get('maddr') ?? undefined;
  }

  /** The user part with %-escapes decoded (undefined when there is none). */
  get userDecoded(): string | undefined {
    return this.user === undefined ? undefined : unescapeUri(this.user);
  }

  with(changes: Partial<SipUriInit>): SipUri {
    return new SipUri({
      scheme: this.scheme,
      user: this.user,
      password: this.password,
      host: this.host,
      port: this.port,
      params: this.params,
      headers: this.headers,
      ...changes,
    });
  }

  /** Copy with one URI parameter set (null value = flag) or removed (undefined). */
  withParam(name: string, value: string | null | undefined): SipUri {
    return this.with({ params: value === undefined ? this.params.without(name) : this.params.with(name, value) });
  }

  toString(): string {
    if (this.text !== undefined) return this.text;
    let s = this.scheme + ':';
    if (this.user !== undefined) {
      s += this.user;
      if (this.password !== undefined) s += ':' + this.password;
      s += '@';
    }
    s += this.host;
    if (this.port !== undefined) s += ':' + this.port;
    s += this.params.toString();
    const h = this.headers.list;
    for (let i = 0; i < h.length; i++) s += (i === 0 ? '?' : '&') + h[i]!.name + '=' + (h[i]!.value ?? '');
    this.text = s;
    return s;
  }
}

/** A tel: URI (RFC 3966): global (`+1-201-555-0123`) or local number plus parameters. */
export class TelUri {
  readonly scheme = 'tel' as const;
  constructor(
    /** telephone-subscriber without parameters, as written (visual separators kept). */
    readonly number: string,
    readonly params: Params = Params.EMPTY,
    private text?: string,
  ) {}

  get isGlobal(): boolean {
    return this.number.charCodeAt(0) === 43;
  }

  toString(): string {
    return (this.text ??= `tel:${this.number}${this.params.toString()}`);
  }
}

/** Any other absoluteURI (`http:`, `urn:`, `isbn:`, unknown schemes): kept opaque. */
export class AbsoluteUri {
  constructor(
    /** Lower-cased scheme. */
    readonly scheme: string,
    /** Everything after the first ":". */
    readonly opaque: string,
    private readonly text: string,
  ) {}

  toString(): string {
    return this.text;
  }
}

export type Uri = SipUri | TelUri | AbsoluteUri;

export function isSipUri(uri: Uri): uri is SipUri {
  return uri instanceof SipUri;
}

// ---------------------------------------------------------------------------------------------
// Parsing

/** Parses any URI (sip, sips, tel, other absoluteURI). Undefined when malformed. */
export function parseUri(s: string): Uri | undefined {
  return parseUriRange(s, 0, s.length);
}

/** Parses a sip:/sips: URI only. */
export function parseSipUri(s: string): SipUri | undefined {
  const u = parseUriRange(s, 0, s.length);
  return u instanceof SipUri ? u : undefined;
}

/** Parses s[start..end) as a URI. `text` of the result is that exact slice. */
export function parseUriRange(s: string, start: number, end: number): Uri | undefined {
  return scanUri(s, start, end, true) as Uri | undefined;
}

/** checkUriRange result: not a URI. */
export const URI_INVALID = 0;
/** checkUriRange result: a valid URI. */
export const URI_VALID = 1;
/** checkUriRange result: a valid SIP/SIPS URI with a headers component (`?name=value`). */
export const URI_VALID_WITH_HEADERS = 2;

/**
 * Validates s[start..end) as a URI without building it (the parser's eager check; the object is
 * built by parseUriRange when first needed, which then cannot fail).
 */
export function checkUriRange(s: string, start: number, end: number): number {
  return (scanUri(s, start, end, false) as number | undefined) ?? URI_INVALID;
}

/** With `build`, returns the Uri; without, URI_VALID / URI_VALID_WITH_HEADERS. Undefined when malformed. */
function scanUri(s: string, start: number, end: number, build: boolean): Uri | number | undefined {
  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
  if (start >= end) return undefined;
  const c0 = s.charCodeAt(start);
  if (c0 >= 128 || (CLASS[c0]! & C_ALPHA) === 0) return undefined;
  let i = start + 1;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c === 58) break;
    if (c >= 128 || (CLASS[c]! & C_SCHEME) === 0) return undefined;
    i++;
  }
  if (i >= end) return undefined;
  const n = i - start;
  // Fast path for the common lower-case schemes, then case-insensitive (RFC 3261 §19.1.4).
  if (n === 3 && (s.startsWith('sip', start) || equalsIgnoreCase(s.slice(start, i), 'sip'))) {
    return parseSipBody(s, start, i + 1, end, 'sip', build);
  }
  if (n === 4 && equalsIgnoreCase(s.slice(start, i), 'sips')) return parseSipBody(s, start, i + 1, end, 'sips', build);
  if (n === 3 && equalsIgnoreCase(s.slice(start, i), 'tel')) return parseTelBody(s, start, i + 1, end, build);
  // absoluteURI = scheme ":" ( hier-part / opaque-part ): at least one uric (RFC 2396).
  if (i + 1 >= end) return undefined;
  for (let j = i + 1; j < end; j++) {
    const c = s.charCodeAt(j);
    if (c >= 128 || (CLASS[c]! & C_URIC) === 0) return undefined;
  }
  if (!build) return URI_VALID;
  return new AbsoluteUri(lower(s.slice(start, i)), s.slice(i + 1, end), s.slice(start, end));
}

/** Index past a run of `bits` characters and valid %HH escapes, or -1 on a broken escape. */
function scanEscaped(s: string, i: number, end: number, bits: number): number {
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c === 37) {
      if (i + 2 >= end || !isHex(s.charCodeAt(i + 1)) || !isHex(s.charCodeAt(i + 2))) return -1;
      i += 3;
      continue;
    }
    if (c >= 128 || (CLASS[c]! & bits) === 0) return i;
    i++;
  }
  return i;
}

function isHex(c: number): boolean {
  return c < 128 && (CLASS[c]! & C_HEX) !== 0;
}

function parseSipBody(s: string, start: number, i: number, end: number, scheme: 'sip' | 'sips', build: boolean): SipUri | number | undefined {
  let user: string | undefined;
  let password: string | undefined;
  // userinfo = ( user / telephone-subscriber ) [ ":" password ] "@". "@" is neither a user,
  // password, host, paramchar nor hnv-unreserved character, so one scan over user characters
  // tells whether there is a userinfo: it stops at its "@" (or ":" before a password).
  const u = scanEscaped(s, i, end, C_USER);
  if (u < 0) return undefined;
  if (u < end) {
    const c = s.charCodeAt(u);
    if (c === 64) {
      if (u === i) return undefined; // user = 1*( unreserved / escaped / user-unreserved )
      if (build) user = s.slice(i, u);
      i = u + 1;
    } else if (c === 58 && u > i) {
      const p = scanEscaped(s, u + 1, end, C_PASSWORD);
      if (p > 0 && p < end && s.charCodeAt(p) === 64) {
        if (build) {
          user = s.slice(i, u);
          password = s.slice(u + 1, p);
        }
        i = p + 1;
      }
    }
  }
  const hostEnd = scanHost(s, i, end);
  if (hostEnd < 0) return undefined;
  const hostStart = i;
  i = hostEnd;
  let port: number | undefined;
  if (i < end && s.charCodeAt(i) === 58) {
    i++;
    let p = 0;
    const portStart = i;
    while (i < end) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      p = p * 10 + d;
      i++;
    }
    if (i === portStart || i - portStart > 5 || p > 65535) return undefined;
    port = p;
  }
  let params = Params.EMPTY;
  if (i < end && s.charCodeAt(i) === 59) {
    const list: Param[] | null = build ? [] : null;
    i = parseUriParams(s, i, end, list);
    if (i < 0) return undefined;
    if (list !== null) params = new Params(list);
  }
  let headers = Params.EMPTY;
  let hasHeaders = false;
  if (i < end && s.charCodeAt(i) === 63) {
    // headers = "?" header *( "&" header ); header = hname "=" hvalue
    hasHeaders = true;
    const list: Param[] = [];
    do {
      i++;
      const nameEnd = scanEscaped(s, i, end, C_HNV);
      if (nameEnd <= i || nameEnd >= end || s.charCodeAt(nameEnd) !== 61) return undefined;
      const valueEnd = scanEscaped(s, nameEnd + 1, end, C_HNV);
      if (valueEnd < 0) return undefined;
      if (build) list.push({ name: s.slice(i, nameEnd), value: s.slice(nameEnd + 1, valueEnd) });
      i = valueEnd;
    } while (i < end && s.charCodeAt(i) === 38);
    headers = new Params(list);
  }
  if (i !== end) return undefined;
  if (!build) return hasHeaders ? URI_VALID_WITH_HEADERS : URI_VALID;
  const host = s.slice(hostStart, hostEnd);
  return new SipUri({ scheme, user, password, host, port, params, headers }, s.slice(start, end));
}

/** `*( ";" pname [ "=" pvalue ] )` of a SIP URI; returns the end index or -1. */
function parseUriParams(s: string, i: number, end: number, out: Param[] | null): number {
  while (i < end && s.charCodeAt(i) === 59) {
    i++;
    const nameEnd = scanEscaped(s, i, end, C_PARAM);
    if (nameEnd <= i) return -1;
    const nameStart = i;
    i = nameEnd;
    if (i < end && s.charCodeAt(i) === 61) {
      const valueEnd = scanEscaped(s, i + 1, end, C_PARAM);
      if (valueEnd <= i + 1) return -1;
      if (out !== null) out.push({ name: s.slice(nameStart, nameEnd), value: s.slice(i + 1, valueEnd) });
      i = valueEnd;
    } else if (out !== null) out.push({ name: s.slice(nameStart, nameEnd), value: null });
  }
  return i;
}

/**
 * host = hostname / IPv4address / IPv6reference. Returns the index past the host, or -1.
 * A dotted all-numeric host must be a valid IPv4 address (a toplabel starts with a letter).
 */
export function scanHost(s: string, i: number, end: number): number {
  if (i >= end) return -1;
  if (s.charCodeAt(i) === 91) {
    const close = s.indexOf(']', i);
    if (close < 0 || close >= end) return -1;
    return isIpv6(s, i + 1, close) ? close + 1 : -1;
  }
  const start = i;
  let allNumeric = true;
  let prev = 46; // "." — a host may not start with "."
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c >= 128 || (CLASS[c]! & C_HOST) === 0) break;
    if (c === 46 && prev === 46) return -1; // empty label
    if ((CLASS[c]! & C_DIGIT) === 0 && c !== 46) allNumeric = false;
    prev = c;
    i++;
  }
  if (i === start) return -1;
  if (allNumeric && !isIpv4(s, start, i)) return -1;
  return i;
}

export function isIpv4(s: string, i: number, end: number): boolean {
  let parts = 0;
  while (parts < 4) {
    let n = 0;
    const st = i;
    while (i < end) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
      i++;
    }
    if (i === st || i - st > 3 || n > 255) return false;
    parts++;
    if (parts === 4) break;
    if (i >= end || s.charCodeAt(i) !== 46) return false;
    i++;
  }
  return i === end;
}

/** IPv6address (RFC 3261 §25.1, RFC 4291 §2.2) of s[i..end), without brackets. */
export function isIpv6(s: string, i: number, end: number): boolean {
  if (end - i < 2) return false;
  let groups = 0;
  let doubleColon = false;
  let pos = i;
  if (s.charCodeAt(pos) === 58) {
    if (s.charCodeAt(pos + 1) !== 58) return false;
    doubleColon = true;
    pos += 2;
    if (pos === end) return true;
  }
  for (;;) {
    const st = pos;
    while (pos < end && pos - st < 5 && isHex(s.charCodeAt(pos))) pos++;
    const len = pos - st;
    if (pos < end && s.charCodeAt(pos) === 46) {
      // Trailing embedded IPv4 (e.g. ::ffff:192.0.2.1) counts as two groups.
      if (!isIpv4(s, st, end)) return false;
      groups += 2;
      break;
    }
    if (len === 0 || len > 4) return false;
    groups++;
    if (pos === end) break;
    if (s.charCodeAt(pos) !== 58) return false;
    pos++;
    if (pos < end && s.charCodeAt(pos) === 58) {
      if (doubleColon) return false;
      doubleColon = true;
      pos++;
      if (pos === end) break;
    } else if (pos === end) return false;
  }
  return doubleColon ? groups < 8 : groups === 8;
}

export function hostType(host: string): HostType {
  if (host.charCodeAt(0) === 91) return 'ipv6';
  return isIpv4(host, 0, host.length) ? 'ipv4' : 'domain';
}

function parseTelBody(s: string, start: number, i: number, end: number, build: boolean): TelUri | number | undefined {
  let j = i;
  while (j < end) {
    const c = s.charCodeAt(j);
    if (c >= 128 || (CLASS[c]! & C_TEL) === 0) break;
    j++;
  }
  if (j === i) return undefined;
  let params = Params.EMPTY;
  const numberEnd = j;
  if (j < end) {
    const list: Param[] | null = build ? [] : null;
    j = parseUriParams(s, j, end, list);
    if (j !== end) return undefined;
    if (list !== null) params = new Params(list);
  }
  if (!build) return URI_VALID;
  return new TelUri(s.slice(i, numberEnd), params, s.slice(start, end));
}

// ---------------------------------------------------------------------------------------------
// Escapes

/** Decodes %HH escapes (as UTF-8 where they form valid sequences, otherwise byte by byte). */
export function unescapeUri(s: string): string {
  if (s.indexOf('%') < 0) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s.replace(/%([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  }
}

const RESERVED = ';/?:@&=+$,';

/**
 * RFC 3261 §19.1.4: "Characters other than those in the reserved set are equivalent to their
 * %HEX HEX encoding." Decodes escapes of non-reserved characters and upper-cases the rest.
 */
function normalizeEscapes(s: string): string {
  if (s.indexOf('%') < 0) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '%' && i + 2 < s.length && isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2))) {
      const ch = String.fromCharCode(parseInt(s.slice(i + 1, i + 3), 16));
      out += RESERVED.includes(ch) ? '%' + s.slice(i + 1, i + 3).toUpperCase() : ch;
      i += 2;
    } else out += c;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Comparison (RFC 3261 §19.1.4)

// "A user, ttl, or method uri-parameter appearing in only one URI never matches, even if it
// contains the default value. A URI that includes an maddr parameter will not match a URI that
// contains no maddr parameter." The section's own examples also treat a transport parameter
// present on one side only as a mismatch (sip:bob@biloxi.com vs ...;transport=udp "can resolve to
// different transports"), so transport is in this set too.
const MUST_MATCH_PARAMS = ['user', 'ttl', 'method', 'maddr', 'transport'];

export function uriEquals(a: Uri, b: Uri): boolean {
  if (a instanceof SipUri) return b instanceof SipUri && sipUriEquals(a, b);
  if (a instanceof TelUri) return b instanceof TelUri && telUriEquals(a, b);
  return b instanceof AbsoluteUri && a.scheme === b.scheme && a.opaque === b.opaque;
}

function sipUriEquals(a: SipUri, b: SipUri): boolean {
  if (a.scheme !== b.scheme) return false;
  // "Comparison of the userinfo of SIP and SIPS URIs is case-sensitive."
  if ((a.user === undefined) !== (b.user === undefined)) return false;
  if (a.user !== undefined && normalizeEscapes(a.user) !== normalizeEscapes(b.user!)) return false;
  if ((a.password === undefined) !== (b.password === undefined)) return false;
  if (a.password !== undefined && normalizeEscapes(a.password) !== normalizeEscapes(b.password!)) return false;
  if (!hostEquals(a.host, b.host)) return false;
  // "A URI omitting any component with a default value will not match a URI explicitly
  // containing that component with its default value."
  if (a.port !== b.port) return false;
  if (!paramsMatch(a.params, b.params) || !paramsMatch(b.params, a.params)) return false;
  return headersMatch(a.headers, b.headers);
}

function hostEquals(a: string, b: string): boolean {
  if (equalsIgnoreCase(a, b)) return true;
  if (a.charCodeAt(0) !== 91 || b.charCodeAt(0) !== 91) return false;
  return canonicalIpv6(a) === canonicalIpv6(b);
}

function canonicalIpv6(bracketed: string): string {
  try {
    return new URL(`http://${bracketed}/`).hostname;
  } catch {
    return bracketed.toLowerCase();
  }
}

function ciValue(v: string | null): string | null {
  return v === null ? null : normalizeEscapes(v).toLowerCase();
}

/** Every parameter of `a` matches `b` (called both ways). */
function paramsMatch(a: Params, b: Params): boolean {
  for (const p of a.list) {
    const name = normalizeEscapes(p.name).toLowerCase();
    let found: Param | undefined;
    for (const q of b.list) {
      if (normalizeEscapes(q.name).toLowerCase() === name) {
        found = q;
        break;
      }
    }
    if (found === undefined) {
      if (MUST_MATCH_PARAMS.includes(name)) return false;
      continue;
    }
    if (ciValue(p.value) !== ciValue(found.value)) return false;
  }
  return true;
}

/** "URI header components are never ignored": same set, any order. */
function headersMatch(a: Params, b: Params): boolean {
  if (a.size !== b.size) return false;
  const key = (p: Param): string => `${normalizeEscapes(p.name).toLowerCase()}=${normalizeEscapes(p.value ?? '')}`;
  const left = a.list.map(key).sort();
  const right = b.list.map(key).sort();
  return left.every((k, i) => k === right[i]);
}

/** RFC 3966 §4: numbers compared without visual separators, parameters in any order. */
function telUriEquals(a: TelUri, b: TelUri): boolean {
  const strip = (n: string): string => n.replace(/[-.()]/g, '').toLowerCase();
  if (strip(a.number) !== strip(b.number)) return false;
  if (a.params.size !== b.params.size) return false;
  return paramsMatch(a.params, b.params) && paramsMatch(b.params, a.params);
}
