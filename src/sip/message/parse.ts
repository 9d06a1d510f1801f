// parseMessage: bytes of one SIP message (a UDP datagram, or one message cut out of a stream by
// StreamFramer) to a SipRequest/SipResponse, or a SipFailure. Never throws.
//
// Shape of the work (RFC 3261 §7, §8.2, §18.3, §20; RFC 4475 for the hard cases):
//  1. Skip leading CRLFs (§7.5), find the empty line that ends the header block with one native
//     Buffer.indexOf, decode only the header block (UTF-8: reason phrases and display names may
//     hold UTF-8), and split it into lines, unfolding continuation lines (§7.3.1).
//  2. Start line: exactly single SP separators (RFC 4475 §3.1.2.9/10), SIP/2.0 (other versions
//     give SIP_BAD_VERSION so a request can be answered 505), a token method or a 3-digit status.
//  3. Header names are normalised (case, compact forms); values are kept as text. The headers
//     RFC 3261 §8.1.1 / §8.2 rely on — Via, From, To, Call-ID, CSeq, Max-Forwards, Contact,
//     Content-Length — are parsed now (cached for the accessors) so a malformed one is a Failure
//     here; every other header is parsed when first read.
//  4. Body: Content-Length bytes after the empty line. A missing Content-Length means the rest of
//     the datagram (§18.3: only streams require it); a larger value than the bytes present is an
//     error; a smaller one truncates (RFC 4475 §3.1.1.8, §3.1.2.2).
import { isAscii } from 'node:buffer';
import type { Result } from '../../core/result.js';
import { sipFailure, type SipFailure } from './failure.js';
import { HeaderList, type HeaderField } from './header-list.js';
import {
  lastLookupExact,
  lookupHeaderRange,
  SLOT_CALL_ID,
  SLOT_CONTACT,
  SLOT_CONTENT_LENGTH,
  SLOT_COUNT,
  SLOT_CSEQ,
  SLOT_FROM,
  SLOT_MAX_FORWARDS,
  SLOT_TO,
  SLOT_VIA,
} from './header-names.js';
import type { CSeq } from './header-values.js';
import { H, type HeaderSpec } from './headers.js';
import { C_TOKEN, CLASS, lower } from './lex.js';
import { MAX_DATAGRAM_BYTES, MAX_HEADER_BLOCK_BYTES, MAX_HEADER_COUNT, MAX_HEADER_LINE_LENGTH, MAX_START_LINE_LENGTH } from './limits.js';
import { SipRequest, SipResponse, type SipMessage } from './message.js';
import { checkUriRange, URI_INVALID, URI_VALID_WITH_HEADERS } from './uri.js';

export interface ParseOptions {
  /** Largest message accepted (default MAX_DATAGRAM_BYTES). */
  readonly maxMessageBytes?: number;
}

type Failed = { readonly ok: false; readonly error: SipFailure };

const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');

// Buffer#latin1Slice is what buf.toString('latin1', a, b) ends up calling; calling it directly
// skips the encoding dispatch, which shows on the hot path (six decodes per INVITE). Not in
// @types/node, so feature-detected with the public call as fallback.
interface Latin1Slicer {
  latin1Slice(start: number, end: number): string;
}
const HAS_LATIN1_SLICE = typeof (Buffer.prototype as unknown as Partial<Latin1Slicer>).latin1Slice === 'function';

function latin1(buf: Buffer, start: number, end: number): string {
  return HAS_LATIN1_SLICE ? (buf as unknown as Latin1Slicer).latin1Slice(start, end) : buf.toString('latin1', start, end);
}

/** Parses one whole SIP message. Never throws: every input gives a message or a SipFailure. */
export function parseMessage(input: Buffer | Uint8Array, options?: ParseOptions): Result<SipMessage, SipFailure> {
  try {
    return parseUnchecked(input, options?.maxMessageBytes ?? MAX_DATAGRAM_BYTES);
  } catch (e) {
    // Defence in depth for untrusted input; the fuzz tests assert this path is never taken.
    return sipFailure('SIP_BAD_HEADER', `Internal parser error: ${(e as Error).message}`);
  }
}

/** Bounds of the header block within the bytes. */
export interface HeaderBlock {
  /** First byte of the start line (after any leading CRLFs). */
  readonly start: number;
  /** End of the last header line including its line break (excludes the empty line). */
  readonly end: number;
  /** First body byte. */
  readonly bodyStart: number;
}

/** Index of the first byte that is not CR or LF at or after `from`. */
export function skipLeadingCrlf(buf: Uint8Array, from: number, to: number): number {
  let i = from;
  while (i < to && (buf[i] === 13 || buf[i] === 10)) i++;
  return i;
}

/**
 * Finds the empty line ending the header block in buf[start..to). CRLF line ends per RFC 3261
 * §7; a bare LF is tolerated. Returns undefined when the block is not complete. `searchFrom`
 * (>= start) lets a stream reader skip bytes it has already searched. With `exact` false the
 * caller promises to notice a bare-LF empty line before the CRLFCRLF itself (parseMessage's line
 * loop does), which saves a scan on the hot path.
 */
export function findHeaderBlock(buf: Buffer, start: number, to: number, searchFrom = start, exact = true): HeaderBlock | undefined {
  const view = to === buf.length ? buf : buf.subarray(0, to);
  const p = view.indexOf(CRLFCRLF, searchFrom);
  if (p >= 0) {
    if (!exact) return { start, end: p + 2, bodyStart: p + 4 };
    return findLfEmptyLine(view, start, searchFrom, p + 2) ?? { start, end: p + 2, bodyStart: p + 4 };
  }
  return findLfEmptyLine(view, start, searchFrom, to);
}

function findLfEmptyLine(buf: Buffer, start: number, from: number, to: number): HeaderBlock | undefined {
  let i = buf.indexOf(10, from);
  while (i >= 0 && i < to) {
    const n = buf[i + 1];
    if (n === 10 && i + 1 < to) return { start, end: i + 1, bodyStart: i + 2 };
    if (n === 13 && i + 2 < to && buf[i + 2] === 10 && (i === start || buf[i - 1] !== 13)) {
      return { start, end: i + 1, bodyStart: i + 3 };
    }
    i = buf.indexOf(10, i + 1);
  }
  return undefined;
}

function isTokenRange(s: string, i: number, end: number): boolean {
  if (i >= end) return false;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || (CLASS[c]! & C_TOKEN) === 0) return false;
  }
  return true;
}

/** SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT ("SIP" case-insensitively, RFC 5234 §2.3). */
function checkVersion(s: string, i: number, end: number): Failed | undefined {
  if (end - i === 7 && s.startsWith('SIP/2.0', i)) return undefined;
  if (end - i < 7) return sipFailure('SIP_BAD_START_LINE', 'Malformed SIP-Version');
  const c0 = s.charCodeAt(i) | 32;
  const c1 = s.charCodeAt(i + 1) | 32;
  const c2 = s.charCodeAt(i + 2) | 32;
  if (c0 !== 115 || c1 !== 105 || c2 !== 112 || s.charCodeAt(i + 3) !== 47) {
    return sipFailure('SIP_BAD_START_LINE', 'Malformed SIP-Version');
  }
  const dot = s.indexOf('.', i + 4);
  if (dot < 0 || dot >= end || !allDigits(s, i + 4, dot) || !allDigits(s, dot + 1, end)) {
    return sipFailure('SIP_BAD_START_LINE', 'Malformed SIP-Version');
  }
  const major = Number(s.slice(i + 4, dot));
  const minor = Number(s.slice(dot + 1, end));
  if (major === 2 && minor === 0) return undefined;
  return sipFailure('SIP_BAD_VERSION', 'Version Not Supported');
}

function allDigits(s: string, i: number, end: number): boolean {
  if (i >= end) return false;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Slice of s[a..b) without surrounding SP/HTAB. */
function trimmed(s: string, a: number, b: number): string {
  while (a < b && (s.charCodeAt(a) === 32 || s.charCodeAt(a) === 9)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 9)) b--;
  return s.slice(a, b);
}

function parseUnchecked(input: Buffer | Uint8Array, maxBytes: number): Result<SipMessage, SipFailure> {
  const buf = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const len = buf.length;
  if (len > maxBytes) return sipFailure('SIP_TOO_LARGE', 'Message Too Large');
  const start = skipLeadingCrlf(buf, 0, len);
  if (start === len) return sipFailure('SIP_EMPTY', 'Empty message');

  let block = findHeaderBlock(buf, start, len, start, false);
  if (block === undefined) {
    // No empty line. Accept a datagram whose last header line is complete (some senders omit
    // the final CRLF when there is no body, RFC 4475 §3.1.2.15 note); anything else is cut off.
    if (buf[len - 1] !== 10) return sipFailure('SIP_BAD_HEADER', 'Incomplete header block');
    block = { start, end: len, bodyStart: len };
  }
  if (block.end - start > MAX_HEADER_BLOCK_BYTES) return sipFailure('SIP_TOO_LARGE', 'Message Too Large');

  // Header text. An all-ASCII message (the usual case: SDP bodies are ASCII too) decodes faster as
  // latin1, identically, and lets the serialiser skip UTF-8 length counting. (Decoding the whole
  // message and searching the string was measured slower: scanning a sliced string costs more.)
  const ascii = isAscii(buf);
  const text = ascii ? latin1(buf, start, block.end) : buf.toString('utf8', start, block.end);
  const end = text.length;

  // ---- start line
  const lf0 = text.indexOf('\n');
  const sl = lf0 > 0 && text.charCodeAt(lf0 - 1) === 13 ? lf0 - 1 : lf0;
  if (sl > MAX_START_LINE_LENGTH) return sipFailure('SIP_TOO_LARGE', 'Message Too Large');
  let method = '';
  let uriText = '';
  let status = 0;
  let reason = '';
  // Whether the bytes are already what serializeMessage would write (then kept as `wire`).
  let canonical = ascii && start === 0 && sl === lf0 - 1;
  const isResponse = sl >= 4 && (text.charCodeAt(0) | 32) === 115 && (text.charCodeAt(1) | 32) === 105 && (text.charCodeAt(2) | 32) === 112 && text.charCodeAt(3) === 47;
  if (isResponse) {
    // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase
    const sp = text.indexOf(' ');
    if (sp < 0 || sp > sl) return sipFailure('SIP_BAD_START_LINE', 'Malformed Status-Line');
    const bad = checkVersion(text, 0, sp);
    if (bad) return bad;
    const codeEnd = sp + 4;
    if (codeEnd > sl || !allDigits(text, sp + 1, codeEnd) || (codeEnd < sl && text.charCodeAt(codeEnd) !== 32)) {
      return sipFailure('SIP_BAD_START_LINE', 'Malformed Status-Code');
    }
    status = Number(text.slice(sp + 1, codeEnd));
    // RFC 3261 §7.2, §21: classes 1xx-6xx.
    if (status < 100 || status > 699) return sipFailure('SIP_BAD_START_LINE', 'Malformed Status-Code');
    reason = codeEnd < sl ? text.slice(codeEnd + 1, sl) : '';
    canonical &&= codeEnd < sl && sp === 7 && text.startsWith('SIP/2.0', 0);
    for (let i = 0; i < reason.length; i++) {
      const c = reason.charCodeAt(i);
      if ((c < 32 && c !== 9) || c === 127) return sipFailure('SIP_BAD_START_LINE', 'Malformed Reason-Phrase');
    }
  } else {
    // Request-Line = Method SP Request-URI SP SIP-Version
    const sp1 = text.indexOf(' ');
    const sp2 = sp1 < 0 ? -1 : text.indexOf(' ', sp1 + 1);
    if (sp1 < 0 || sp2 < 0 || sp2 >= sl) return sipFailure('SIP_BAD_START_LINE', 'Malformed Request-Line');
    const sp3 = text.indexOf(' ', sp2 + 1);
    if (sp3 >= 0 && sp3 < sl) return sipFailure('SIP_BAD_START_LINE', 'Malformed Request-Line');
    if (!isTokenRange(text, 0, sp1)) return sipFailure('SIP_BAD_START_LINE', 'Malformed Method');
    const bad = checkVersion(text, sp2 + 1, sl);
    if (bad) return bad;
    method = text.slice(0, sp1);
    const uriCheck = checkUriRange(text, sp1 + 1, sp2);
    if (uriCheck === URI_INVALID) return sipFailure('SIP_BAD_URI', 'Malformed Request-URI');
    // RFC 3261 §19.1.1 (table): URI headers are not allowed in a Request-URI (RFC 4475 §3.1.2.11).
    if (uriCheck === URI_VALID_WITH_HEADERS) return sipFailure('SIP_BAD_URI', 'Request-URI must not contain headers');
    uriText = text.slice(sp1 + 1, sp2);
    canonical &&= sl - sp2 === 8 && text.startsWith('SIP/2.0', sp2 + 1);
  }

  // ---- header fields
  const fields: HeaderField[] = [];
  for (let k = 0; k < SLOT_COUNT; k++) SLOT_COUNTS[k] = 0;
  const stop = readHeaderFields(text, lf0 + 1, fields, ascii ? buf : undefined, start);
  if (stop < 0) return HEADER_ERRORS[-stop - 1]!;
  let bodyStart = block.bodyStart;
  if (stop < end) {
    // An empty line before the CRLFCRLF (bare-LF line ends): the body starts after it.
    bodyStart = findLfEmptyLine(buf, start, start, block.end)?.bodyStart ?? block.bodyStart;
  }
  const slotCount = SLOT_COUNTS;
  const slotFirst = SLOT_FIRST;

  // ---- mandatory headers (RFC 3261 §8.1.1, §8.2.2: Via, From, To, Call-ID, CSeq in requests and
  // responses). Max-Forwards is a request SHOULD-send (§8.1.1.6) that a UAS does not require:
  // RFC 2543 clients omit it and RFC 4475 §3.4.1 expects them processed; when present it must be
  // valid. Missing ones are reported in this order.
  const headers = new HeaderList(fields, ascii ? true : undefined);
  const cache = headers.cache;
  for (let k = 0; k < MANDATORY.length; k++) {
    if (slotCount[MANDATORY[k]![0]] === 0) return sipFailure('SIP_MISSING_HEADER', `Missing ${MANDATORY[k]![1]}`);
  }
  let r: Failed | undefined;
  if ((r = eager(cache, H.From, slotCount[SLOT_FROM]!, slotFirst[SLOT_FROM], fields))) return r;
  if ((r = eager(cache, H.To, slotCount[SLOT_TO]!, slotFirst[SLOT_TO], fields))) return r;
  if ((r = eager(cache, H.CallId, slotCount[SLOT_CALL_ID]!, slotFirst[SLOT_CALL_ID], fields))) return r;
  if ((r = eager(cache, H.CSeq, slotCount[SLOT_CSEQ]!, slotFirst[SLOT_CSEQ], fields))) return r;
  if ((r = eager(cache, H.Via, slotCount[SLOT_VIA]!, slotFirst[SLOT_VIA], fields))) return r;
  if (!isResponse && slotCount[SLOT_MAX_FORWARDS]! > 0) {
    if ((r = eager(cache, H.MaxForwards, slotCount[SLOT_MAX_FORWARDS]!, slotFirst[SLOT_MAX_FORWARDS], fields))) return r;
  }
  if (slotCount[SLOT_CONTACT]! > 0) {
    if ((r = eager(cache, H.Contact, slotCount[SLOT_CONTACT]!, slotFirst[SLOT_CONTACT], fields))) return r;
  }
  if (!isResponse) {
    const cseq = (cache[H.CSeq.id] as { value: CSeq }).value;
    // RFC 3261 §8.1.1.5: the CSeq method MUST match the request method (RFC 4475 §3.1.2.17/18).
    if (cseq.method !== method) return sipFailure('SIP_BAD_CSEQ', 'CSeq method does not match request');
  }

  // ---- body
  let contentLength = -1;
  if (slotCount[SLOT_CONTENT_LENGTH]! > 0) {
    if ((r = eager(cache, H.ContentLength, slotCount[SLOT_CONTENT_LENGTH]!, slotFirst[SLOT_CONTENT_LENGTH], fields))) return r;
    contentLength = (cache[H.ContentLength.id] as { value: number }).value;
  }
  let body: Buffer;
  if (contentLength < 0) body = buf.subarray(bodyStart, len);
  else {
    if (bodyStart + contentLength > len) return sipFailure('SIP_BAD_CONTENT_LENGTH', 'Content-Length larger than message body');
    body = buf.subarray(bodyStart, bodyStart + contentLength);
  }
  // Canonical also needs every header line canonical, the block ended by CRLFCRLF (no bare-LF
  // empty line) and exactly Content-Length body bytes (so the Content-Length line is reused).
  canonical &&= allLinesCanonical && stop === end && buf[block.end] === 13 && bodyStart + contentLength === len;
  const wire = canonical ? buf : undefined;

  return {
    ok: true,
    value: isResponse
      ? SipResponse.parsed(status, reason, headers, body, ascii, wire)
      : SipRequest.withValidatedUri(method, uriText, headers, body, ascii, wire),
  };
}


const HEADER_ERRORS: ReadonlyArray<Failed> = [
  sipFailure('SIP_BAD_HEADER', 'Malformed header line'),
  sipFailure('SIP_BAD_HEADER', 'Malformed header name'),
  sipFailure('SIP_TOO_LARGE', 'Message Too Large'),
];
const E_LINE = -1;
const E_NAME = -2;
const E_LARGE = -3;

/**
 * Splits the header lines of `text` from `pos` into `fields`, unfolding continuation lines and
 * counting the eager headers into SLOT_COUNTS / SLOT_FIRST. Returns where it stopped (text.length,
 * or the start of an early empty line), or E_LINE / E_NAME / E_LARGE.
 *
 * `latin1Source` is the buffer `text` was latin1-decoded from (at byte offset `base`), when it
 * was. Values of the eagerly validated headers are then decoded afresh from it rather than sliced
 * from `text`: V8 scans a flat string markedly faster than a sliced one (measured 30-70% on Via
 * and From values), which outweighs the extra decode.
 */
function readHeaderFields(text: string, pos: number, fields: HeaderField[], latin1Source: Buffer | undefined, base: number): number {
  const end = text.length;
  const slotCount = SLOT_COUNTS;
  const slotFirst = SLOT_FIRST;
  let allCanonical = true;
  while (pos < end) {
    let lf = text.indexOf('\n', pos);
    if (lf < 0) lf = end; // cannot happen: the block ends with a line break
    let le = lf > pos && text.charCodeAt(lf - 1) === 13 ? lf - 1 : lf;
    if (le === pos) {
      allLinesCanonical = allCanonical;
      return pos;
    }
    const c0 = text.charCodeAt(pos);
    if (c0 === 32 || c0 === 9) return E_LINE;
    // HCOLON = *( SP / HTAB ) ":" SWS
    const colon = text.indexOf(':', pos);
    if (colon < 0 || colon > le) return E_LINE;
    let ne = colon;
    while (ne > pos && (text.charCodeAt(ne - 1) === 32 || text.charCodeAt(ne - 1) === 9)) ne--;
    // Known names are matched straight from the text (no slice); others must be tokens.
    const info = lookupHeaderRange(text, pos, ne);
    let next = lf + 1;
    let value: string;
    // The line is canonical ("Name: value" CRLF, unfolded) when the value starts right after
    // ": " and ends at the CR; serialising then reuses the line as is.
    let canonical = false;
    const n1 = next < end ? text.charCodeAt(next) : 0;
    if (n1 === 32 || n1 === 9) {
      // Folded: LWS = [*WSP CRLF] 1*WSP has the semantics of one SP (RFC 3261 §7.3.1).
      value = trimmed(text, colon + 1, le);
      while (next < end) {
        const w = text.charCodeAt(next);
        if (w !== 32 && w !== 9) break;
        lf = text.indexOf('\n', next);
        if (lf < 0) lf = end;
        le = lf > next && text.charCodeAt(lf - 1) === 13 ? lf - 1 : lf;
        const part = trimmed(text, next, le);
        if (part.length > 0) value = value.length > 0 ? value + ' ' + part : part;
        next = lf + 1;
        if (value.length > MAX_HEADER_LINE_LENGTH) return E_LARGE;
      }
    } else {
      let a = colon + 1;
      while (a < le && (text.charCodeAt(a) === 32 || text.charCodeAt(a) === 9)) a++;
      let b = le;
      while (b > a && (text.charCodeAt(b - 1) === 32 || text.charCodeAt(b - 1) === 9)) b--;
      value =
        latin1Source !== undefined && info !== undefined && info.slot !== 0 && b - a >= 13
          ? latin1(latin1Source, base + a, base + b)
          : text.slice(a, b);
      canonical = b === le && le === lf - 1 && ne === colon && a === colon + 2 && text.charCodeAt(colon + 1) === 32;
    }
    if (le - pos > MAX_HEADER_LINE_LENGTH) return E_LARGE;
    if (info !== undefined) {
      const line = canonical && lastLookupExact() ? text.slice(pos, lf + 1) : undefined;
      fields.push({ name: info.name, key: info.key, value, line });
      if (line === undefined) allCanonical = false;
      const slot = info.slot;
      if (slot !== 0) {
        if (slotCount[slot] === 0) slotFirst[slot] = value;
        slotCount[slot]!++;
      }
    } else {
      if (!isTokenRange(text, pos, ne)) return E_NAME;
      const rawName = text.slice(pos, ne);
      fields.push({ name: rawName, key: lower(rawName), value, line: canonical ? text.slice(pos, lf + 1) : undefined });
      if (!canonical) allCanonical = false;
    }
    if (fields.length > MAX_HEADER_COUNT) return E_LARGE;
    pos = next;
  }
  allLinesCanonical = allCanonical;
  return pos;
}

/** Whether every line the last readHeaderFields call read was canonical (HeaderField.line set). */
let allLinesCanonical = false;

const SLOT_COUNTS: number[] = new Array<number>(SLOT_COUNT).fill(0);
const SLOT_FIRST: Array<string | undefined> = new Array<string | undefined>(SLOT_COUNT).fill(undefined);

const MANDATORY: ReadonlyArray<readonly [number, string]> = [
  [SLOT_VIA, 'Via'],
  [SLOT_FROM, 'From'],
  [SLOT_TO, 'To'],
  [SLOT_CALL_ID, 'Call-ID'],
  [SLOT_CSEQ, 'CSeq'],
];

/**
 * Validates a header now: specs with a `check` are only validated (their values are built on
 * first access, which then cannot fail); the others are parsed and the Result cached.
 */
function eager<T>(cache: unknown[], spec: HeaderSpec<T>, count: number, first: string | undefined, fields: HeaderField[]): Failed | undefined {
  if (count === 1) {
    if (spec.checkOne !== undefined) return spec.checkOne(first!);
    if (spec.parseOne !== undefined) {
      const r = spec.parseOne(first!);
      cache[spec.id] = r;
      return r.ok ? undefined : r;
    }
  }
  const values: string[] = [];
  for (const f of fields) if (f.key === spec.key) values.push(f.value);
  if (spec.check !== undefined) return spec.check(values);
  const r = spec.parse(values);
  cache[spec.id] = r;
  return r.ok ? undefined : r;
}
