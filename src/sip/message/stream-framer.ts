// StreamFramer: cuts a TCP/TLS byte stream into SIP messages (RFC 3261 §18.3) — sans-IO: the
// transport pushes received chunks and gets back events to act on.
//  - A message ends Content-Length bytes after the empty line; Content-Length is mandatory on
//    streams (§18.3, §20.14), so a missing, malformed or duplicated one is a framing error.
//  - CRLFs between messages are skipped (§7.5). RFC 5626 §3.5.1 keep-alives are reported: a
//    double CRLF is a `ping` (answer with a single CRLF), a lone CRLF is a `pong`. A ping whose
//    halves arrive in separate chunks is seen as two pongs; senders write it in one piece.
//  - Header blocks over maxHeaderBytes or bodies over maxBodyBytes are framing errors.
// After a framing error the stream cannot be resynchronised: the framer reports one `error` and
// ignores further input; the transport closes the connection.
import { sipFailure, type SipFailure } from './failure.js';
import { equalsIgnoreCase } from './lex.js';
import { MAX_HEADER_BLOCK_BYTES, MAX_STREAM_BODY_BYTES } from './limits.js';
import { findHeaderBlock } from './parse.js';

export type FramerEvent =
  | { readonly type: 'message'; readonly bytes: Buffer }
  | { readonly type: 'ping' }
  | { readonly type: 'pong' }
  | { readonly type: 'error'; readonly failure: SipFailure };

export interface StreamFramerOptions {
  readonly maxHeaderBytes?: number;
  readonly maxBodyBytes?: number;
}

const PING: FramerEvent = { type: 'ping' };
const PONG: FramerEvent = { type: 'pong' };

export class StreamFramer {
  private buf: Buffer = Buffer.alloc(0);
  /** Valid bytes at buf[0..len). */
  private len = 0;
  /** Where the search for the end of the current header block resumes. */
  private searchFrom = 0;
  /** End of the current message once its header block has been read; -1 before. */
  private messageEnd = -1;
  private failed = false;
  private readonly maxHeaderBytes: number;
  private readonly maxBodyBytes: number;

  constructor(options: StreamFramerOptions = {}) {
    this.maxHeaderBytes = options.maxHeaderBytes ?? MAX_HEADER_BLOCK_BYTES;
    this.maxBodyBytes = options.maxBodyBytes ?? MAX_STREAM_BODY_BYTES;
  }

  /** Bytes held waiting for the rest of a message. */
  get bufferedBytes(): number {
    return this.len;
  }

  /** True after a framing error. */
  get closed(): boolean {
    return this.failed;
  }

  /** Feeds received bytes; returns what they completed, in stream order. Never throws. */
  push(chunk: Uint8Array): FramerEvent[] {
    if (this.failed || chunk.length === 0) return [];
    this.append(chunk);
    const events: FramerEvent[] = [];
    let pos = 0;
    for (;;) {
      if (this.messageEnd < 0) {
        // Between messages: keep-alives and stray line breaks.
        let waiting = false;
        while (pos < this.len) {
          const c = this.buf[pos];
          if (c === 10) {
            pos++;
            continue;
          }
          if (c !== 13) break;
          if (pos + 1 >= this.len) {
            waiting = true;
            break;
          }
          if (this.buf[pos + 1] !== 10) {
            pos++;
            continue;
          }
          if (pos + 2 >= this.len) {
            events.push(PONG);
            pos += 2;
          } else if (this.buf[pos + 2] === 13) {
            if (pos + 3 >= this.len) {
              waiting = true;
              break;
            }
            if (this.buf[pos + 3] === 10) {
              events.push(PING);
              pos += 4;
            } else {
              events.push(PONG);
              pos += 2;
            }
          } else {
            events.push(PONG);
            pos += 2;
          }
        }
        if (waiting || pos >= this.len) break;
        const from = Math.max(pos, this.searchFrom);
        const block = findHeaderBlock(this.buf, pos, this.len, from);
        if (block === undefined) {
          if (this.len - pos > this.maxHeaderBytes) return this.fail(events, sipFailure('SIP_TOO_LARGE', 'Message Too Large'));
          this.searchFrom = Math.max(pos, this.len - 3);
          break;
        }
        if (block.end - pos > this.maxHeaderBytes) return this.fail(events, sipFailure('SIP_TOO_LARGE', 'Message Too Large'));
        const cl = scanContentLength(this.buf, pos, block.end);
        if (typeof cl !== 'number') return this.fail(events, cl);
        if (cl > this.maxBodyBytes) return this.fail(events, sipFailure('SIP_TOO_LARGE', 'Message Too Large'));
        this.messageEnd = block.bodyStart + cl;
      }
      if (this.messageEnd > this.len) break;
      events.push({ type: 'message', bytes: Buffer.from(this.buf.subarray(pos, this.messageEnd)) });
      pos = this.messageEnd;
      this.messageEnd = -1;
      this.searchFrom = pos;
    }
    this.consume(pos);
    return events;
  }

  private fail(events: FramerEvent[], failure: { readonly error: SipFailure }): FramerEvent[] {
    this.failed = true;
    this.buf = Buffer.alloc(0);
    this.len = 0;
    events.push({ type: 'error', failure: failure.error });
    return events;
  }

  private append(chunk: Uint8Array): void {
    const need = this.len + chunk.length;
    if (need > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2, 4096));
      this.buf.copy(grown, 0, 0, this.len);
      this.buf = grown;
    }
    this.buf.set(chunk, this.len);
    this.len = need;
  }

  /** Drops buf[0..pos) and shifts offsets. */
  private consume(pos: number): void {
    if (pos === 0) return;
    this.buf.copyWithin(0, pos, this.len);
    this.len -= pos;
    this.searchFrom = Math.max(0, this.searchFrom - pos);
    if (this.messageEnd >= 0) this.messageEnd -= pos;
    // Give back a large buffer once it is idle.
    if (this.len === 0 && this.buf.length > 65_536) this.buf = Buffer.alloc(0);
  }
}

/**
 * Content-Length of the header block buf[start..end) (RFC 3261 §20.14, compact form `l`), or a
 * failure when it is missing, malformed, or given more than once (RFC 4475 §3.3.9).
 */
export function scanContentLength(buf: Buffer, start: number, end: number): number | { readonly error: SipFailure } {
  const text = buf.toString('latin1', start, end);
  let value: string | undefined;
  let seen = 0;
  let inLength = false;
  let pos = text.indexOf('\n') + 1; // skip the start line
  while (pos > 0 && pos < text.length) {
    let lf = text.indexOf('\n', pos);
    if (lf < 0) lf = text.length;
    const line = text.slice(pos, lf).replace(/\r$/, '');
    pos = lf + 1;
    const c = line.charCodeAt(0);
    if (c === 32 || c === 9) {
      if (inLength) value += ' ' + line;
      continue;
    }
    inLength = false;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trimEnd();
    if (name === 'Content-Length' || equalsIgnoreCase(name, 'content-length') || name === 'l' || name === 'L') {
      seen++;
      inLength = true;
      value = line.slice(colon + 1);
    }
  }
  if (seen === 0) return sipFailure('SIP_BAD_CONTENT_LENGTH', 'Missing Content-Length');
  if (seen > 1) return sipFailure('SIP_BAD_CONTENT_LENGTH', 'Multiple Content-Length headers');
  const v = value!.trim();
  if (!/^[0-9]{1,10}$/.test(v.replace(/^0+(?=\d)/, ''))) return sipFailure('SIP_BAD_CONTENT_LENGTH', 'Malformed Content-Length');
  return Number(v);
}
