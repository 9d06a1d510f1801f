// Typed header views. A HeaderSpec names a header and parses all of its field values into a
// typed value; SipMessage.typed(spec) runs it once and caches the Result. The parser
// (parse.ts) runs the specs of the headers RFC 3261 §8.2 needs to validate a request eagerly;
// everything else is parsed on first use.
import type { Result } from '../../core/result.js';
import { parseAuth, parseAuthenticationInfo, type AuthValue } from './auth.js';
import { sipFailure, type SipErrorCode, type SipFailure } from './failure.js';
import { lookupHeader } from './header-names.js';
import {
  isValidCallId,
  MAX_CSEQ,
  MAX_DELTA_SECONDS,
  parseCSeq,
  parseEvent,
  parseMediaType,
  parseMediaTypeList,
  parseMinSE,
  parseNumber,
  parseRAck,
  parseReplaces,
  parseSessionExpires,
  parseSubscriptionState,
  parseTokenList,
  type CSeq,
  type EventHeader,
  type MediaType,
  type RAck,
  type Replaces,
  type SessionExpires,
  type SubscriptionState,
} from './header-values.js';
import { parseNameAddr, parseNameAddrList, type NameAddr } from './name-addr.js';
import { parseViaList, type Via } from './via.js';

export interface HeaderSpec<T> {
  /** Index into the per-message cache. */
  readonly id: number;
  /** Canonical header name. */
  readonly name: string;
  /** Lower-case lookup key. */
  readonly key: string;
  /** Parses every field value of the header (at least one) in message order. */
  parse(values: readonly string[]): Result<T, SipFailure>;
  /**
   * Validates like `parse` without building the value (the parser's eager check); `parse` of
   * values that pass cannot fail. Undefined for specs whose parse is already cheap.
   */
  readonly check?: (values: readonly string[]) => { readonly ok: false; readonly error: SipFailure } | undefined;
  /** `check` for a header with exactly one field (saves the array). */
  readonly checkOne?: (value: string) => { readonly ok: false; readonly error: SipFailure } | undefined;
  /** `parse` for a header with exactly one field (saves the array). */
  readonly parseOne?: (value: string) => Result<T, SipFailure>;
}

let nextId = 0;

function spec<T>(
  name: string,
  parse: (values: readonly string[]) => Result<T, SipFailure>,
  check?: HeaderSpec<T>['check'],
  checkOne?: HeaderSpec<T>['checkOne'],
  parseOne?: HeaderSpec<T>['parseOne'],
): HeaderSpec<T> {
  const info = lookupHeader(name);
  return { id: nextId++, name: info?.name ?? name, key: info?.key ?? name.toLowerCase(), parse, check, checkOne, parseOne };
}

/**
 * A header that appears once with one value; several fields are an error (RFC 4475 §3.3.8).
 * `checkOne`, when given, validates without building (the spec's `check`).
 */
function single<T>(
  name: string,
  parseOne: (v: string) => T | undefined,
  code: SipErrorCode = 'SIP_BAD_HEADER',
  checkOne?: (v: string) => boolean,
): HeaderSpec<T> {
  const multipleCode = code === 'SIP_BAD_CONTENT_LENGTH' ? code : 'SIP_BAD_HEADER';
  const malformed = sipFailure(code, `Malformed ${name}`);
  const multiple = sipFailure(multipleCode, `Multiple ${name} headers`);
  const one = (v: string): Result<T, SipFailure> => {
    const x = parseOne(v);
    return x === undefined ? malformed : { ok: true, value: x };
  };
  const checkSingle = checkOne === undefined ? undefined : (v: string) => (checkOne(v) ? undefined : malformed);
  const check =
    checkSingle === undefined ? undefined : (values: readonly string[]) => (values.length !== 1 ? multiple : checkSingle(values[0]!));
  return spec(name, (values) => (values.length !== 1 ? multiple : one(values[0]!)), check, checkSingle, one);
}

/**
 * A comma-separated list header (RFC 3261 §7.3.1): fields are concatenated in order. When
 * `parseInto` accepts a null `out` it validates only, which becomes the spec's `check`.
 */
function list<T>(name: string, parseInto: (v: string, out: T[]) => boolean): HeaderSpec<readonly T[]>;
function list<T>(name: string, parseInto: (v: string, out: T[] | null) => boolean, checkable: true): HeaderSpec<readonly T[]>;
function list<T>(name: string, parseInto: (v: string, out: T[]) => boolean, checkable = false): HeaderSpec<readonly T[]> {
  const validate = parseInto as (v: string, out: T[] | null) => boolean;
  const malformed = sipFailure('SIP_BAD_HEADER', `Malformed ${name}`);
  const checkOne = checkable ? (v: string) => (validate(v, null) ? undefined : malformed) : undefined;
  const check = checkable
    ? (values: readonly string[]) => {
        for (let i = 0; i < values.length; i++) if (!validate(values[i]!, null)) return malformed;
        return undefined;
      }
    : undefined;
  return spec(
    name,
    (values) => {
      const out: T[] = [];
      for (const v of values) if (!parseInto(v, out)) return malformed;
      return { ok: true, value: out };
    },
    check,
    checkOne,
    (value) => {
      const out: T[] = [];
      return parseInto(value, out) ? { ok: true, value: out } : malformed;
    },
  );
}

/** A header that may repeat but is not comma-combinable (WWW-Authenticate etc., RFC 3261 §7.3.1). */
function repeated<T>(name: string, parseOne: (v: string) => T | undefined): HeaderSpec<readonly T[]> {
  return spec(name, (values) => {
    const out: T[] = [];
    for (const v of values) {
      const x = parseOne(v);
      if (x === undefined) return sipFailure('SIP_BAD_HEADER', `Malformed ${name}`);
      out.push(x);
    }
    return { ok: true, value: out };
  });
}

const nameAddrs = (v: string, out: NameAddr[] | null): boolean => parseNameAddrList(v, out, false);
const routes = (v: string, out: NameAddr[] | null): boolean => parseNameAddrList(v, out, true);
const tokens = (v: string, out: string[]): boolean => parseTokenList(v, out);
const delta = (v: string): number | undefined => parseNumber(v, MAX_DELTA_SECONDS);

/** Contact: `*` or a list of contact-params (RFC 3261 §20.10). */
export type ContactList = '*' | readonly NameAddr[];

function contacts(values: readonly string[], out: NameAddr[] | null): '*' | boolean {
  for (const v of values) {
    if (v === '*') {
      // "*" only stands alone (RFC 3261 §10.2.2: REGISTER with Contact: * and Expires: 0).
      return values.length === 1 ? '*' : false;
    }
    if (!parseNameAddrList(v, out, false)) return false;
  }
  return true;
}

const contactSpec = spec<ContactList>(
  'Contact',
  (values) => {
    const out: NameAddr[] = [];
    const r = contacts(values, out);
    if (r === false) return sipFailure('SIP_BAD_HEADER', 'Malformed Contact');
    return { ok: true, value: r === '*' ? '*' : out };
  },
  (values) => (contacts(values, null) === false ? sipFailure('SIP_BAD_HEADER', 'Malformed Contact') : undefined),
  (value) => (contacts([value], null) === false ? sipFailure('SIP_BAD_HEADER', 'Malformed Contact') : undefined),
  (value) => {
    const out: NameAddr[] = [];
    const r = contacts([value], out);
    if (r === false) return sipFailure('SIP_BAD_HEADER', 'Malformed Contact');
    return { ok: true, value: r === '*' ? '*' : out };
  },
);

export const H = {
  Via: list<Via>('Via', parseViaList),
  From: single('From', parseNameAddr),
  To: single('To', parseNameAddr),
  CallId: single('Call-ID', (v) => (isValidCallId(v) ? v : undefined)),
  CSeq: single<CSeq>('CSeq', parseCSeq, 'SIP_BAD_CSEQ'),
  /** RFC 3261 §20.22: 0-255. */
  MaxForwards: single('Max-Forwards', (v) => parseNumber(v, 255)),
  ContentLength: single('Content-Length', (v) => parseNumber(v, 0xffff_ffff), 'SIP_BAD_CONTENT_LENGTH'),
  Contact: contactSpec,
  Route: list('Route', routes, true),
  RecordRoute: list('Record-Route', routes, true),
  Path: list('Path', routes, true),
  ServiceRoute: list('Service-Route', routes, true),
  ReplyTo: single('Reply-To', parseNameAddr),
  PAssertedIdentity: list('P-Asserted-Identity', nameAddrs, true),
  PPreferredIdentity: list('P-Preferred-Identity', nameAddrs, true),
  Expires: single('Expires', delta),
  MinExpires: single('Min-Expires', delta),
  ContentType: single<MediaType>('Content-Type', parseMediaType),
  Accept: list<MediaType>('Accept', parseMediaTypeList),
  Require: list('Require', tokens),
  ProxyRequire: list('Proxy-Require', tokens),
  Supported: list('Supported', tokens),
  Unsupported: list('Unsupported', tokens),
  Allow: list('Allow', tokens),
  AllowEvents: list('Allow-Events', tokens),
  ContentEncoding: list('Content-Encoding', tokens),
  WWWAuthenticate: repeated<AuthValue>('WWW-Authenticate', parseAuth),
  ProxyAuthenticate: repeated<AuthValue>('Proxy-Authenticate', parseAuth),
  Authorization: repeated<AuthValue>('Authorization', parseAuth),
  ProxyAuthorization: repeated<AuthValue>('Proxy-Authorization', parseAuth),
  AuthenticationInfo: single<AuthValue>('Authentication-Info', parseAuthenticationInfo),
  Event: single<EventHeader>('Event', parseEvent),
  SubscriptionState: single<SubscriptionState>('Subscription-State', parseSubscriptionState),
  /** RFC 3262 §7.1: 1 to 2**32-1. */
  RSeq: single('RSeq', (v) => {
    const n = parseNumber(v, MAX_CSEQ);
    return n === undefined || n === 0 ? undefined : n;
  }),
  RAck: single<RAck>('RAck', parseRAck),
  SessionExpires: single<SessionExpires>('Session-Expires', parseSessionExpires),
  MinSE: single('Min-SE', parseMinSE),
  ReferTo: single('Refer-To', parseNameAddr),
  ReferredBy: single('Referred-By', parseNameAddr),
  Replaces: single<Replaces>('Replaces', parseReplaces),
} as const;

/** Defines a typed view for a header not covered by `H` (parsed lazily and cached like the rest). */
export const defineHeader = {
  single,
  list,
  repeated,
  custom: <T>(name: string, parse: (values: readonly string[]) => Result<T, SipFailure>): HeaderSpec<T> => spec(name, parse),
};
