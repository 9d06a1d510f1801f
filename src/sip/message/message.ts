// SIP messages (RFC 3261 §7). A message is its start line, the ordered header fields as text
// (HeaderList) and the body as bytes. Typed views of headers are parsed on demand and cached
// (headers.ts); parseMessage has already validated the ones RFC 3261 §8.2 requires, so the
// accessors below (from, to, callId, cseq, topVia ...) are cheap reads of the cache.
import type { Result } from '../../core/result.js';
import type { SipFailure } from './failure.js';
import { HeaderList, type HeaderField } from './header-list.js';
import type { CSeq, MediaType } from './header-values.js';
import { H, type ContactList, type HeaderSpec } from './headers.js';
import type { NameAddr } from './name-addr.js';
import { isAsciiString } from './lex.js';
import { parseUri, type Uri } from './uri.js';
import type { Via } from './via.js';

export const SIP_VERSION = 'SIP/2.0';
const EMPTY_BODY = Buffer.alloc(0);

abstract class SipMessageBase {
  readonly headers: HeaderList;
  /**
   * Body bytes (exactly Content-Length of them). For parsed messages this is a view onto the
   * input buffer, not a copy.
   */
  body: Buffer;

  constructor(headers: HeaderList | readonly HeaderField[] | undefined, body: Buffer | undefined) {
    this.headers = headers instanceof HeaderList ? headers : new HeaderList(headers ? headers.slice() : []);
    this.body = body ?? EMPTY_BODY;
  }

  abstract readonly kind: 'request' | 'response';
  /** Request-Line or Status-Line, without CRLF. */
  abstract get startLine(): string;

  /** Whether the start line is ASCII; undefined until computed (reset when it changes). */
  protected asciiStart: boolean | undefined;

  /** The bytes this message was parsed from when they are canonical (see wireBytes). */
  protected wire: Buffer | undefined;
  /** `body` as parsed: a reassigned body makes `wire` stale. */
  private wireBody: Buffer | undefined;

  /** For the parser: `wire` is what serializeMessage would write for this message as parsed. */
  protected keepWire(wire: Buffer | undefined): void {
    this.wire = wire;
    this.wireBody = wire === undefined ? undefined : this.body;
  }

  /**
   * The exact bytes this message was parsed from, when they were already in the canonical form
   * serializeMessage writes (full header names, "Name: value" CRLF, Content-Length equal to the
   * body) and neither the start line, a header field nor the body has changed since; otherwise
   * undefined. Lets a proxy-like path (or a retransmission) skip re-serialising.
   */
  get wireBytes(): Buffer | undefined {
    const w = this.wire;
    if (w === undefined) return undefined;
    if (this.body !== this.wireBody || !this.headers.unchanged) {
      this.wire = undefined;
      return undefined;
    }
    return w;
  }

  /** True when the start line is ASCII (lets the serialiser write one byte per character). */
  get startLineIsAscii(): boolean {
    return (this.asciiStart ??= isAsciiString(this.startLine));
  }

  /** Typed view of a header: undefined when absent, else the (cached) parse Result. */
  typed<T>(spec: HeaderSpec<T>): Result<T, SipFailure> | undefined {
    const cache = this.headers.cache;
    let r = cache[spec.id] as Result<T, SipFailure> | undefined;
    if (r === undefined) {
      const one = spec.parseOne === undefined ? null : this.headers.onlyValue(spec.key);
      if (one === undefined) return undefined;
      if (one !== null) r = spec.parseOne!(one);
      else {
        const values = this.headers.valuesOf(spec.key);
        if (values.length === 0) return undefined;
        r = spec.parse(values);
      }
      cache[spec.id] = r;
    }
    return r;
  }

  /** Typed value of a header, undefined when absent or malformed. */
  value<T>(spec: HeaderSpec<T>): T | undefined {
    const r = this.typed(spec);
    return r !== undefined && r.ok ? r.value : undefined;
  }

  /** Typed value of a header the message must have; a missing or malformed one is a bug here. */
  protected required<T>(spec: HeaderSpec<T>): T {
    const r = this.typed(spec);
    if (r === undefined) throw new Error(`sip: message has no ${spec.name} header`);
    if (!r.ok) throw new Error(`sip: ${r.error.reason}`);
    return r.value;
  }

  /** All Via values, top first ([] when there are none). */
  get vias(): readonly Via[] {
    return this.value(H.Via) ?? [];
  }

  /** The top Via: its branch keys the transaction (RFC 3261 §17.1.3, §17.2.3). */
  get topVia(): Via | undefined {
    return this.value(H.Via)?.[0];
  }

  get from(): NameAddr {
    return this.required(H.From);
  }

  get to(): NameAddr {
    return this.required(H.To);
  }

  get callId(): string {
    return this.required(H.CallId);
  }

  get cseq(): CSeq {
    return this.required(H.CSeq);
  }

  get maxForwards(): number | undefined {
    return this.value(H.MaxForwards);
  }

  /** Contact values, `*`, or [] when absent. */
  get contacts(): ContactList {
    return this.value(H.Contact) ?? [];
  }

  get contentType(): MediaType | undefined {
    return this.value(H.ContentType);
  }

  /** Sets the body and, when given, Content-Type. Content-Length is always computed on output. */
  setBody(body: string | Uint8Array, contentType?: string): this {
    this.body = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.isBuffer(body) ? body : Buffer.from(body);
    if (contentType !== undefined) this.headers.set('Content-Type', contentType);
    return this;
  }

  /** Replaces the top Via value (e.g. adding received/rport, RFC 3261 §18.2.1, RFC 3581 §4). */
  replaceTopVia(via: Via | string): this {
    const i = this.headers.indexOf('Via');
    if (i < 0) throw new Error('sip: message has no Via to replace');
    const rest = this.vias.slice(1, this.countViasInField(i));
    this.headers.replaceAt(i, [via.toString(), ...rest.map(String)].join(', '));
    return this;
  }

  /** Removes the top Via value (RFC 3261 §18.1.2: a client transport drops it from responses). */
  removeTopVia(): this {
    const i = this.headers.indexOf('Via');
    if (i < 0) return this;
    const n = this.countViasInField(i);
    if (n <= 1) this.headers.removeAt(i);
    else this.headers.replaceAt(i, this.vias.slice(1, n).map(String).join(', '));
    return this;
  }

  /** Adds a new top Via in its own field (RFC 3261 §8.1.1.7, §16.6 step 8). */
  prependVia(via: Via | string): this {
    this.headers.prepend('Via', via.toString());
    return this;
  }

  /** How many Via values the field at `index` (the first Via field) holds. */
  private countViasInField(index: number): number {
    const f = this.headers.at(index)!;
    const parsed = H.Via.parse([f.value]);
    if (!parsed.ok) throw new Error(`sip: ${parsed.error.reason}`);
    return parsed.value.length;
  }

  /** Start line and header fields with CRLFs, Content-Length set to the body length, and the empty line. */
  headText(startLine: string = this.startLine): string {
    let s = startLine + '\r\n';
    let wroteLength = false;
    for (const f of this.headers) {
      if (f.key === 'content-length') {
        if (wroteLength) continue;
        wroteLength = true;
        // Reuse a canonical line that already states the right length.
        const cl = this.headers.cache[H.ContentLength.id] as Result<number, SipFailure> | undefined;
        s += f.line !== undefined && cl?.ok === true && cl.value === this.body.length ? f.line : 'Content-Length: ' + this.body.length + '\r\n';
        continue;
      }
      s += f.line ?? f.name + ': ' + f.value + '\r\n';
    }
    if (!wroteLength) s += 'Content-Length: ' + this.body.length + '\r\n';
    return s + '\r\n';
  }

  /** The whole message as text (body decoded as UTF-8): for logs and tests. */
  toString(): string {
    return this.headText() + this.body.toString('utf8');
  }
}

export class SipRequest extends SipMessageBase {
  readonly kind = 'request' as const;
  private methodValue: string;
  private uriValue: Uri | undefined;
  /** Request-URI text from the wire, parsed into uriValue on first access. */
  private uriText: string | undefined;

  constructor(
    /** Method token, case-sensitive (RFC 3261 §7.1): INVITE, ACK, BYE, or any extension. */
    method: string,
    uri: Uri,
    headers?: HeaderList | readonly HeaderField[],
    body?: Buffer,
  ) {
    super(headers, body);
    this.methodValue = method;
    this.uriValue = uri;
  }

  /**
   * For the parser: a request whose Request-URI text has already been validated (checkUriRange);
   * it is parsed into a Uri on first access.
   */
  static withValidatedUri(method: string, uriText: string, headers: HeaderList, body: Buffer, ascii: boolean, wire?: Buffer): SipRequest {
    const req = new SipRequest(method, undefined as unknown as Uri, headers, body);
    req.uriText = uriText;
    if (ascii) req.asciiStart = true;
    if (wire !== undefined) req.keepWire(wire);
    return req;
  }

  /** Method token, case-sensitive (RFC 3261 §7.1): INVITE, ACK, BYE, or any extension. */
  get method(): string {
    return this.methodValue;
  }

  set method(method: string) {
    this.methodValue = method;
    this.asciiStart = undefined;
    this.wire = undefined;
  }

  get uri(): Uri {
    if (this.uriValue === undefined) {
      const u = parseUri(this.uriText!);
      if (u === undefined) throw new Error(`sip: invalid Request-URI '${this.uriText}'`);
      this.uriValue = u;
    }
    return this.uriValue;
  }

  set uri(uri: Uri) {
    this.uriValue = uri;
    this.uriText = undefined;
    this.asciiStart = undefined;
    this.wire = undefined;
  }

  get startLine(): string {
    return `${this.methodValue} ${this.uriText ?? this.uriValue!.toString()} ${SIP_VERSION}`;
  }

  /** Deep-enough copy: new HeaderList, shared immutable values and body bytes. */
  clone(): SipRequest {
    const copy = new SipRequest(this.methodValue, this.uriValue as Uri, this.headers.clone(), this.body);
    copy.uriText = this.uriText;
    copy.asciiStart = this.asciiStart;
    return copy;
  }
}

export class SipResponse extends SipMessageBase {
  readonly kind = 'response' as const;
  private statusValue: number;
  private reasonValue: string;

  constructor(status: number, reason: string, headers?: HeaderList | readonly HeaderField[], body?: Buffer) {
    super(headers, body);
    this.statusValue = status;
    this.reasonValue = reason;
  }

  /** For the parser: `ascii` tells the serialiser the status line is ASCII. */
  static parsed(status: number, reason: string, headers: HeaderList, body: Buffer, ascii: boolean, wire?: Buffer): SipResponse {
    const res = new SipResponse(status, reason, headers, body);
    if (ascii) res.asciiStart = true;
    if (wire !== undefined) res.keepWire(wire);
    return res;
  }

  /** Status-Code, 100-699. */
  get status(): number {
    return this.statusValue;
  }

  set status(status: number) {
    this.statusValue = status;
    this.wire = undefined;
  }

  /** Reason-Phrase (may be empty or UTF-8). */
  get reason(): string {
    return this.reasonValue;
  }

  set reason(reason: string) {
    this.reasonValue = reason;
    this.asciiStart = undefined;
    this.wire = undefined;
  }

  get startLine(): string {
    return `${SIP_VERSION} ${this.statusValue} ${this.reasonValue}`;
  }

  clone(): SipResponse {
    const copy = new SipResponse(this.statusValue, this.reasonValue, this.headers.clone(), this.body);
    copy.asciiStart = this.asciiStart;
    return copy;
  }
}

export type SipMessage = SipRequest | SipResponse;

export function isRequest(m: SipMessage): m is SipRequest {
  return m.kind === 'request';
}

export function isResponse(m: SipMessage): m is SipResponse {
  return m.kind === 'response';
}

