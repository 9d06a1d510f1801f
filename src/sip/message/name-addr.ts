// name-addr / addr-spec values with header parameters: From, To, Contact, Route, Record-Route,
// Reply-To, Refer-To, Referred-By, P-Asserted-Identity ... (RFC 3261 §20.10, §20.20, §20.39,
// grammar §25.1). RFC 3261 §20: without "<" ">", every ";" parameter after the URI is a header
// parameter, and a URI containing "," "?" or ";" must be enclosed in "<" ">".
import { foundParam, paramsFromText, parseHeaderParams, Params } from './params.js';
import { C_TOKEN, CLASS, quote, scanQuoted, scanToken, skipWs, unquote } from './lex.js';
import { checkUriRange, parseUri, SipUri, URI_INVALID, type Uri } from './uri.js';

export interface NameAddrInit {
  readonly uri: Uri;
  /** Decoded display name (quotes and quoted-pairs removed). */
  readonly displayName?: string | undefined;
  readonly params?: Params;
}

export class NameAddr {
  private displayValue: string | undefined;
  /** Display name as on the wire (quoted string or tokens), decoded on first access. */
  private displayRaw: string | undefined;
  private paramsValue: Params | undefined;
  /** Header parameters as on the wire (`;tag=x;expires=60`), parsed on first access. */
  private paramsText: string | undefined;
  private tagValue: string | undefined;
  private uriValue: Uri | undefined;
  /** Validated URI text from the wire, parsed into uriValue on first access. */
  private uriText: string | undefined;
  private text: string | undefined;

  constructor(init: NameAddrInit, text?: string) {
    this.uriValue = init.uri;
    this.displayValue = init.displayName;
    this.paramsValue = init.params ?? Params.EMPTY;
    this.tagValue = this.paramsValue.get('tag') ?? undefined;
    this.text = text;
  }

  /**
   * For the parser: a value whose parts have been validated. The display name, URI and
   * parameters are decoded on first access, so reading just the tag costs nothing more.
   */
  static fromValidated(text: string, displayRaw: string | undefined, uriText: string, paramsText: string, tag: string | undefined): NameAddr {
    const na = new NameAddr({ uri: undefined as unknown as Uri, params: Params.EMPTY }, text);
    na.paramsValue = paramsText.length === 0 ? Params.EMPTY : undefined;
    na.displayRaw = displayRaw;
    na.paramsText = paramsText;
    na.uriText = uriText;
    na.tagValue = tag;
    return na;
  }

  get uri(): Uri {
    if (this.uriValue === undefined) {
      const u = parseUri(this.uriText!);
      if (u === undefined) throw new Error(`sip: invalid URI '${this.uriText}'`);
      this.uriValue = u;
    }
    return this.uriValue;
  }

  /** Decoded display name (quotes and quoted-pairs removed), undefined when there is none. */
  get displayName(): string | undefined {
    if (this.displayValue === undefined && this.displayRaw !== undefined) {
      const raw = this.displayRaw;
      this.displayValue = raw.charCodeAt(0) === 34 ? unquote(raw) : raw;
      this.displayRaw = undefined;
    }
    return this.displayValue;
  }

  /** Header parameters (tag, expires, q, +sip.instance ...). */
  get params(): Params {
    return (this.paramsValue ??= paramsFromText(this.paramsText!));
  }

  /** The `tag` parameter (RFC 3261 §19.3), undefined when absent. */
  get tag(): string | undefined {
    return this.tagValue;
  }

  with(changes: Partial<NameAddrInit>): NameAddr {
    const na = new NameAddr({
      uri: changes.uri ?? (this.uriValue as Uri),
      displayName: 'displayName' in changes ? changes.displayName : this.displayName,
      params: changes.params ?? this.params,
    });
    if (changes.uri === undefined && this.uriValue === undefined) na.uriText = this.uriText;
    return na;
  }

  /** Copy with a header parameter set (null = flag) or removed (undefined). */
  withParam(name: string, value: string | null | undefined): NameAddr {
    return this.with({ params: value === undefined ? this.params.without(name) : this.params.with(name, value) });
  }

  withTag(tag: string): NameAddr {
    return this.withParam('tag', tag);
  }

  /** Always writes the name-addr form `"Name" <uri>;params` unless this value was parsed. */
  toString(): string {
    if (this.text !== undefined) return this.text;
    const display = this.displayName;
    const name = display === undefined ? '' : quote(display) + ' ';
    this.text = `${name}<${this.uriText ?? this.uriValue!.toString()}>${this.params.toString()}`;
    return this.text;
  }
}

/** Index where the last successful parseNameAddrAt stopped (avoids a wrapper allocation). */
let stoppedAt = 0;

/**
 * Parses `( name-addr / addr-spec ) *( SEMI generic-param )` at s[i..end). In list mode a
 * top-level "," ends the value. With `requireBrackets` (Route, Record-Route) the addr-spec form
 * is refused. Returns undefined when malformed; otherwise `stoppedAt` is the stop index. Without
 * `build` it only validates (returns true) and allocates nothing.
 */
function parseNameAddrAt(s: string, i: number, end: number, listMode: boolean, requireBrackets: boolean, build: boolean): NameAddr | true | undefined {
  i = skipWs(s, i, end);
  const start = i;
  if (i >= end) return undefined;
  let displayName: string | undefined;
  let c = s.charCodeAt(i);
  if (c === 34) {
    const q = scanQuoted(s, i, end);
    if (q < 0) return undefined;
    if (build) displayName = s.slice(i, q);
    i = skipWs(s, q, end);
    if (i >= end || s.charCodeAt(i) !== 60) return undefined;
  } else if (c !== 60) {
    const t = scanToken(s, i, end);
    if (t === i) return undefined;
    if (t < end && s.charCodeAt(t) === 58) {
      // addr-spec: a scheme (scheme characters are all token characters) then ":".
      if (requireBrackets) return undefined;
      return parseAddrSpec(s, start, end, listMode, build);
    }
    // display-name = *(token LWS): tokens separated by whitespace, then "<".
    let lastEnd = t;
    let j = skipWs(s, t, end);
    while (j < end) {
      c = s.charCodeAt(j);
      if (c === 60) break;
      if (c >= 128 || (CLASS[c]! & C_TOKEN) === 0 || j === lastEnd) return undefined;
      lastEnd = scanToken(s, j, end);
      j = skipWs(s, lastEnd, end);
    }
    if (j >= end) return undefined;
    if (build) displayName = s.slice(i, lastEnd);
    i = j;
  }
  // s[i] === "<"
  const close = s.indexOf('>', i + 1);
  if (close < 0 || close >= end) return undefined;
  if (checkUriRange(s, i + 1, close) === URI_INVALID) return undefined;
  return finish(s, start, close + 1, end, listMode, build ? s.slice(i + 1, close) : undefined, displayName);
}

function parseAddrSpec(s: string, start: number, end: number, listMode: boolean, build: boolean): NameAddr | true | undefined {
  let j = start;
  while (j < end) {
    const c = s.charCodeAt(j);
    if (c === 59 || c === 32 || c === 9 || (listMode && c === 44)) break;
    // RFC 3261 §20: a URI with "?" (headers) must be in angle brackets (RFC 4475 §3.1.2.13).
    if (c === 63) return undefined;
    j++;
  }
  if (checkUriRange(s, start, j) === URI_INVALID) return undefined;
  return finish(s, start, j, end, listMode, build ? s.slice(start, j) : undefined, undefined);
}

/**
 * Header parameters after the URI; builds the NameAddr when `uriText` is given (`displayRaw` is
 * the display name as written).
 */
function finish(
  s: string,
  start: number,
  i: number,
  end: number,
  listMode: boolean,
  uriText: string | undefined,
  displayRaw: string | undefined,
): NameAddr | true | undefined {
  let stop: number;
  const j = skipWs(s, i, end);
  let tag: string | undefined;
  if (j < end && s.charCodeAt(j) === 59) {
    stop = parseHeaderParams(s, j, end, null, listMode, 'tag');
    if (stop < 0) return undefined;
    tag = foundParam ?? undefined;
  } else {
    stop = j;
    if (j < end && !(listMode && s.charCodeAt(j) === 44)) return undefined;
  }
  stoppedAt = stop;
  if (uriText === undefined) return true;
  // Text of the value itself, without the whitespace that parseHeaderParams skipped.
  let textEnd = stop;
  while (textEnd > start && (s.charCodeAt(textEnd - 1) === 32 || s.charCodeAt(textEnd - 1) === 9)) textEnd--;
  const text = start === 0 && textEnd === s.length ? s : s.slice(start, textEnd);
  const paramsText = j < textEnd && s.charCodeAt(j) === 59 ? s.slice(j, textEnd) : '';
  return NameAddr.fromValidated(text, displayRaw, uriText, paramsText, tag);
}

/** One name-addr or addr-spec with parameters filling the whole value (From, To, Refer-To ...). */
export function parseNameAddr(value: string): NameAddr | undefined {
  const v = parseNameAddrAt(value, 0, value.length, false, false, true);
  return v !== undefined && stoppedAt === value.length ? (v as NameAddr) : undefined;
}

/** Validates what parseNameAddr would accept, without building anything. */
export function isValidNameAddr(value: string): boolean {
  return parseNameAddrAt(value, 0, value.length, false, false, false) !== undefined && stoppedAt === value.length;
}

/**
 * A comma-separated list of name-addr values (Contact, Route, Record-Route, Path ...), appended
 * to `out` (validated only when `out` is null). False when any element is malformed or empty.
 */
export function parseNameAddrList(value: string, out: NameAddr[] | null, requireBrackets: boolean): boolean {
  const end = value.length;
  let i = 0;
  for (;;) {
    const v = parseNameAddrAt(value, i, end, true, requireBrackets, out !== null);
    if (v === undefined) return false;
    if (out !== null) out.push(v as NameAddr);
    i = stoppedAt;
    if (i >= end) return true;
    i++; // the ","
  }
}

/** A SIP/SIPS URI from a name-addr, or undefined for tel:/other schemes. */
export function sipUriOf(na: NameAddr): SipUri | undefined {
  return na.uri instanceof SipUri ? na.uri : undefined;
}
