// Via header field values (RFC 3261 §20.42, §18.2.1, grammar §25.1; rport from RFC 3581).
// via-parm = sent-protocol LWS sent-by *( SEMI via-params ), with SWS allowed around "/", ":",
// ";" and "=" (RFC 4475 §3.1.1.1 exercises all of them).
import { Params, paramsFromText, scanParamValue } from './params.js';
import { parseDigits, rangeEquals, scanToken, skipWs } from './lex.js';
import { scanHost } from './uri.js';

/** RFC 3261 §8.1.1.7: branch IDs of RFC 3261 elements start with this magic cookie. */
export const BRANCH_MAGIC_COOKIE = 'z9hG4bK';

export interface ViaInit {
  /** Upper-case transport token: UDP, TCP, TLS, SCTP, WS, WSS or an extension. */
  readonly transport: string;
  /** sent-by host as written (IPv6 with brackets). */
  readonly host: string;
  readonly port?: number | undefined;
  readonly params?: Params;
  readonly protocolName?: string;
  readonly protocolVersion?: string;
}

export class Via {
  /** sent-by host as written (IPv6 with brackets). */
  readonly host: string;
  readonly port: number | undefined;
  /** The branch parameter, read once: the transaction layer's key (RFC 3261 §17.1.3, §17.2.3). */
  readonly branch: string | undefined;
  /** [protocol-name, protocol-version, transport]; for parsed values read from `text` on demand. */
  private protocol: readonly [string, string, string] | undefined;
  private paramsValue: Params | undefined;
  /** Parameters as on the wire, parsed on first access to `params`. */
  private paramsText = '';
  private text: string | undefined;

  /**
   * `new Via({ transport, host, port, params })`. The extra arguments are the parser's: a
   * validated via-parm whose sent-protocol and parameters are read from the text on demand.
   */
  constructor(init: ViaInit, parsedText?: string, parsedParams?: string, parsedBranch?: string) {
    this.host = init.host;
    this.port = init.port;
    if (parsedText === undefined) {
      this.protocol = [init.protocolName ?? 'SIP', init.protocolVersion ?? '2.0', init.transport];
      this.paramsValue = init.params ?? Params.EMPTY;
      this.branch = this.paramsValue.get('branch') ?? undefined;
    } else {
      this.protocol = undefined;
      this.paramsValue = parsedParams === '' ? Params.EMPTY : undefined;
      this.paramsText = parsedParams ?? '';
      this.branch = parsedBranch;
      this.text = parsedText;
    }
  }

  /** For the parser: see the constructor. */
  static fromValidated(text: string, host: string, port: number | undefined, paramsText: string, branch: string | undefined): Via {
    return new Via({ transport: '', host, port }, text, paramsText, branch);
  }

  private sentProtocol(): readonly [string, string, string] {
    if (this.protocol === undefined) {
      // sent-protocol = protocol-name SLASH protocol-version SLASH transport, validated already.
      const t = this.text!;
      const a = scanToken(t, 0, t.length);
      const b = slash(t, a, t.length);
      const c = scanToken(t, b, t.length);
      const d = slash(t, c, t.length);
      const e = scanToken(t, d, t.length);
      this.protocol = [upper(t.slice(0, a)), t.slice(b, c), upper(t.slice(d, e))];
    }
    return this.protocol;
  }

  /** protocol-name, upper-cased: `SIP`. */
  get protocolName(): string {
    return this.sentProtocol()[0];
  }

  /** protocol-version: `2.0`. */
  get protocolVersion(): string {
    return this.sentProtocol()[1];
  }

  /** Upper-case transport: UDP, TCP, TLS, SCTP, WS, WSS or an extension. */
  get transport(): string {
    return this.sentProtocol()[2];
  }

  get params(): Params {
    return (this.paramsValue ??= paramsFromText(this.paramsText));
  }

  /** `received` parameter (RFC 3261 §18.2.1). */
  get received(): string | undefined {
    return this.params.get('received') ?? undefined;
  }

  /** True when `rport` is present, with or without a value (RFC 3581 §4). */
  get hasRport(): boolean {
    return this.params.has('rport');
  }

  /** The rport value filled in by a server (RFC 3581 §4), undefined when absent or valueless. */
  get rport(): number | undefined {
    const v = this.params.get('rport');
    return typeof v === 'string' ? Number(v) : undefined;
  }

  get maddr(): string | undefined {
    return this.params.get('maddr') ?? undefined;
  }

  get ttl(): number | undefined {
    const v = this.params.get('ttl');
    return typeof v === 'string' ? Number(v) : undefined;
  }

  /** True when the branch carries the RFC 3261 magic cookie (RFC 3261 §17.2.3). */
  get isRfc3261Branch(): boolean {
    return this.branch !== undefined && this.branch.startsWith(BRANCH_MAGIC_COOKIE);
  }

  with(changes: Partial<ViaInit>): Via {
    return new Via({
      protocolName: this.protocolName,
      protocolVersion: this.protocolVersion,
      transport: this.transport,
      host: this.host,
      port: this.port,
      params: this.params,
      ...changes,
    });
  }

  /** Copy with a parameter set (null = flag, e.g. rport) or removed (undefined). */
  withParam(name: string, value: string | null | undefined): Via {
    return this.with({ params: value === undefined ? this.params.without(name) : this.params.with(name, value) });
  }

  toString(): string {
    if (this.text !== undefined) return this.text;
    const port = this.port === undefined ? '' : ':' + this.port;
    this.text = `${this.protocolName}/${this.protocolVersion}/${this.transport} ${this.host}${port}${this.params.toString()}`;
    return this.text;
  }
}

function upper(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) return s.toUpperCase();
  }
  return s;
}

/** Index past `SWS "/" SWS`, or -1. */
function slash(s: string, i: number, end: number): number {
  i = skipWs(s, i, end);
  if (i >= end || s.charCodeAt(i) !== 47) return -1;
  return skipWs(s, i + 1, end);
}

let stoppedAt = 0;

/** One via-parm at s[i..]; stops at "," or the end (`stoppedAt`). Without `build` only validates. */
function parseViaParm(s: string, i: number, end: number, build: boolean): Via | true | undefined {
  i = skipWs(s, i, end);
  const start = i;
  const nameEnd = scanToken(s, i, end);
  if (nameEnd === i) return undefined;
  i = slash(s, nameEnd, end);
  if (i < 0) return undefined;
  const versionEnd = scanToken(s, i, end);
  if (versionEnd === i) return undefined;
  i = slash(s, versionEnd, end);
  if (i < 0) return undefined;
  const transportEnd = scanToken(s, i, end);
  if (transportEnd === i) return undefined;
  i = skipWs(s, transportEnd, end);
  if (i === transportEnd) return undefined; // LWS required before sent-by
  const hostEnd = scanHost(s, i, end);
  if (hostEnd < 0) return undefined;
  const hostStart = i;
  let port: number | undefined;
  i = skipWs(s, hostEnd, end);
  let textEnd = hostEnd;
  if (i < end && s.charCodeAt(i) === 58) {
    i = skipWs(s, i + 1, end);
    let j = i;
    while (j < end && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
    const p = j - i <= 5 ? parseDigits(s, i, j, 65535) : -1;
    if (p < 0) return undefined;
    port = p;
    textEnd = j;
    i = skipWs(s, j, end);
  }
  let paramsStart = -1;
  if (i < end && s.charCodeAt(i) === 59) {
    paramsStart = i;
    i = parseViaParams(s, i, end);
    if (i < 0) return undefined;
    textEnd = i;
    while (textEnd > start && (s.charCodeAt(textEnd - 1) === 32 || s.charCodeAt(textEnd - 1) === 9)) textEnd--;
  }
  if (i < end && s.charCodeAt(i) !== 44) return undefined;
  stoppedAt = i;
  if (!build) return true;
  return Via.fromValidated(
    start === 0 && textEnd === s.length ? s : s.slice(start, textEnd),
    s.slice(hostStart, hostEnd),
    port,
    paramsStart < 0 ? '' : s.slice(paramsStart, textEnd),
    paramsStart < 0 ? undefined : foundBranch,
  );
}

/** The branch value found by the last parseViaParams, if any. */
let foundBranch: string | undefined;

/**
 * `*( SEMI via-params )` from s[i] === ";" to the end or a ",": generic-param syntax as
 * parseHeaderParams, plus via-ttl = 1*3DIGIT (0-255), rport = [1*DIGIT] (0-65535, RFC 3581) and a
 * value for branch, whose value it leaves in `foundBranch`. Returns the stop index or -1.
 */
function parseViaParams(s: string, i: number, end: number): number {
  foundBranch = undefined;
  for (;;) {
    i = skipWs(s, i, end);
    if (i >= end) return i;
    const c = s.charCodeAt(i);
    if (c === 44) return i;
    if (c !== 59) return -1;
    i = skipWs(s, i + 1, end);
    const nameEnd = scanToken(s, i, end);
    const n = nameEnd - i;
    if (n === 0) return -1;
    const nameStart = i;
    i = skipWs(s, nameEnd, end);
    let valueStart = -1;
    let valueEnd = -1;
    if (i < end && s.charCodeAt(i) === 61) {
      i = skipWs(s, i + 1, end);
      valueStart = i;
      valueEnd = scanParamValue(s, i, end);
      if (valueEnd < 0) return -1;
      i = valueEnd;
    }
    if (n === 6 && rangeEquals(s, nameStart, nameEnd, 'branch')) {
      if (valueStart < 0) return -1;
      foundBranch ??= s.slice(valueStart, valueEnd);
    } else if (n === 3 && rangeEquals(s, nameStart, nameEnd, 'ttl')) {
      if (valueStart < 0 || valueEnd - valueStart > 3 || parseDigits(s, valueStart, valueEnd, 255) < 0) return -1;
    } else if (n === 5 && rangeEquals(s, nameStart, nameEnd, 'rport')) {
      if (valueStart >= 0 && (valueEnd - valueStart > 5 || parseDigits(s, valueStart, valueEnd, 65535) < 0)) return -1;
    }
  }
}

/** Parses one Via header field value (possibly several comma-separated via-parms) into `out`. */
export function parseViaList(value: string, out: Via[] | null): boolean {
  const end = value.length;
  let i = 0;
  for (;;) {
    const v = parseViaParm(value, i, end, out !== null);
    if (v === undefined) return false;
    if (out !== null) out.push(v as Via);
    i = stoppedAt;
    if (i >= end) return true;
    i++; // ","
  }
}

/** Parses exactly one via-parm. */
export function parseVia(value: string): Via | undefined {
  const out: Via[] = [];
  return parseViaList(value, out) && out.length === 1 ? out[0] : undefined;
}
