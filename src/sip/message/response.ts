// Responses built from requests (RFC 3261 §8.2.6), and the best-effort 400/505/513 for requests
// the parser rejected.
import { randomTag } from './ids.js';
import type { SipFailure } from './failure.js';
import { HeaderList, field, type HeaderField } from './header-list.js';
import { lookupHeader } from './header-names.js';
import { parseCSeq } from './header-values.js';
import { H } from './headers.js';
import { SipResponse, type SipRequest } from './message.js';
import { parseNameAddr } from './name-addr.js';
import { findHeaderBlock, skipLeadingCrlf } from './parse.js';
import { MAX_HEADER_BLOCK_BYTES } from './limits.js';
import { reasonPhrase } from './reason-phrases.js';

export { reasonPhrase };

export interface ResponseOptions {
  /** Reason-Phrase; defaults to the standard phrase for the status. */
  readonly reason?: string;
  /**
   * To tag added when the request's To has none (RFC 3261 §8.2.6.2). Defaults to a random tag;
   * a 100 (Trying) gets none unless one is given.
   */
  readonly toTag?: string;
  /** Copy Record-Route, as a UAS does in dialog-creating responses (RFC 3261 §12.1.1). */
  readonly copyRecordRoute?: boolean;
  /** Extra header fields, appended in order. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly body?: string | Uint8Array;
  readonly contentType?: string;
}

const COPY_ALWAYS = new Set(['via', 'from', 'call-id', 'cseq']);

/**
 * RFC 3261 §8.2.6: the response copies Via (all values, in order), From, Call-ID and CSeq
 * exactly, and To with a tag added if it had none; a 100 (Trying) also copies Timestamp
 * (§8.2.6.1).
 */
export function createResponse(req: SipRequest, status: number, options: ResponseOptions = {}): SipResponse {
  const fields: HeaderField[] = [];
  const addTag = req.to.tag === undefined && (status !== 100 || options.toTag !== undefined);
  for (const f of req.headers) {
    const k = f.key;
    if (COPY_ALWAYS.has(k) || (k === 'record-route' && options.copyRecordRoute === true) || (k === 'timestamp' && status === 100)) {
      fields.push(f);
    } else if (k === 'to') {
      fields.push(addTag ? { name: f.name, key: k, value: `${f.value};tag=${options.toTag ?? randomTag()}`, line: undefined } : f);
    }
  }
  for (const [name, value] of options.headers ?? []) fields.push(field(name, value));
  const headers = new HeaderList(fields);
  // The copied values parse the same: reuse the request's typed views.
  const from = req.headers.cache;
  for (const spec of [H.Via, H.From, H.CallId, H.CSeq]) headers.cache[spec.id] = from[spec.id];
  if (!addTag) headers.cache[H.To.id] = from[H.To.id];
  const res = new SipResponse(status, options.reason ?? reasonPhrase(status), headers);
  if (options.body !== undefined) res.setBody(options.body, options.contentType);
  return res;
}

export interface BadRequestOptions {
  /** To tag to add (default random). */
  readonly toTag?: string;
}

/**
 * Best-effort rejection of a request that parseMessage refused (RFC 3261 §8.2, §21.4.1; RFC
 * 4475): a 400 (or 505 for SIP_BAD_VERSION, 513 for SIP_TOO_LARGE) whose Reason-Phrase names
 * the fault. The header fields are read leniently from the raw bytes; Via, From, To, Call-ID and
 * CSeq must all be readable, since a response without them cannot be matched (and would itself
 * be malformed). Returns undefined when nothing can be answered: a response, an ACK (never
 * answered, §17), a keep-alive, or a request missing one of those headers.
 */
export function buildBadRequest(raw: Buffer | Uint8Array, failure: SipFailure, options: BadRequestOptions = {}): SipResponse | undefined {
  if (failure.code === 'SIP_EMPTY') return undefined;
  const buf = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const start = skipLeadingCrlf(buf, 0, buf.length);
  if (start >= buf.length) return undefined;
  const scanEnd = Math.min(buf.length, start + MAX_HEADER_BLOCK_BYTES);
  const block = findHeaderBlock(buf, start, scanEnd);
  const text = buf.toString('utf8', start, block ? block.end : scanEnd);

  const lines = unfoldLines(text);
  const startLine = lines[0] ?? '';
  if (/^sip\//i.test(startLine)) return undefined; // a response: never answered
  const method = startLine.split(' ', 1)[0];
  if (method === 'ACK') return undefined;

  const vias: HeaderField[] = [];
  let from: HeaderField | undefined;
  let to: HeaderField | undefined;
  let callId: HeaderField | undefined;
  let cseq: HeaderField | undefined;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const info = lookupHeader(line.slice(0, colon).trim());
    if (info === undefined) continue;
    const value = line.slice(colon + 1).trim();
    if (value === '') continue;
    const f: HeaderField = { name: info.name, key: info.key, value, line: undefined };
    if (info.key === 'via') vias.push(f);
    else if (info.key === 'from') from ??= f;
    else if (info.key === 'to') to ??= f;
    else if (info.key === 'call-id') callId ??= f;
    else if (info.key === 'cseq') cseq ??= f;
  }
  if (vias.length === 0 || !from || !to || !callId || !cseq) return undefined;
  if (parseCSeq(cseq.value)?.method === 'ACK') return undefined;

  // §8.2.6.2: add a To tag. If To is too malformed to tell whether it has one, copy it as is.
  const parsedTo = parseNameAddr(to.value);
  if (parsedTo !== undefined && parsedTo.tag === undefined) {
    to = { name: to.name, key: to.key, value: `${to.value};tag=${options.toTag ?? randomTag()}`, line: undefined };
  }
  return new SipResponse(failure.status, failure.reason, [...vias, from, to, callId, cseq]);
}

/** Lines of a header block with continuation lines folded into their header (lenient). */
function unfoldLines(text: string): string[] {
  const out: string[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line === '') {
      if (out.length > 0) break;
      continue;
    }
    const c = line.charCodeAt(0);
    if ((c === 32 || c === 9) && out.length > 1) out[out.length - 1] += ' ' + line.trim();
    else out.push(line);
  }
  return out;
}
