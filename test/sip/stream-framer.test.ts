// StreamFramer: TCP framing by Content-Length (RFC 3261 §18.3), keep-alives (RFC 5626 §3.5.1),
// limits and fatal framing errors.
import { describe, expect, it } from 'vitest';
import { parseMessage, scanContentLength, StreamFramer, type FramerEvent } from '../../src/sip/message/index.js';

/** A MESSAGE request; contentLength null leaves the header out. */
function message(body: string, contentLength: string | null = String(Buffer.byteLength(body)), callId = 'c1'): Buffer {
  const lines = [
    'MESSAGE sip:b@example.com SIP/2.0',
    'Via: SIP/2.0/TCP 192.0.2.1;branch=z9hG4bK1',
    'Max-Forwards: 70',
    'From: <sip:a@example.com>;tag=1',
    'To: <sip:b@example.com>',
    `Call-ID: ${callId}`,
    'CSeq: 1 MESSAGE',
  ];
  if (contentLength !== null) lines.push(`Content-Length: ${contentLength}`);
  return Buffer.from(lines.join('\r\n') + '\r\n\r\n' + body);
}

function summary(events: FramerEvent[]): string[] {
  return events.map((e) => {
    if (e.type === 'message') {
      const r = parseMessage(e.bytes);
      return r.ok ? `message ${r.value.callId} ${r.value.body.toString()}` : `unparseable ${r.error.reason}`;
    }
    if (e.type === 'error') return `error ${e.failure.code} ${e.failure.reason}`;
    return e.type;
  });
}

describe('StreamFramer', () => {
  it('frames one message per Content-Length', () => {
    const f = new StreamFramer();
    const m = message('hello');
    const events = f.push(m);
    expect(events).toHaveLength(1);
    expect(events[0]).toEqual({ type: 'message', bytes: m });
    expect(f.bufferedBytes).toBe(0);
  });

  it('frames several messages in one chunk, and messages split anywhere', () => {
    const stream = Buffer.concat([message('one', undefined, 'a'), message('', undefined, 'b'), message('three\r\n\r\n3', undefined, 'c')]);
    expect(summary(new StreamFramer().push(stream))).toEqual(['message a one', 'message b ', 'message c three\r\n\r\n3']);
    // One byte at a time.
    const f = new StreamFramer();
    const events: FramerEvent[] = [];
    for (const byte of stream) events.push(...f.push(Buffer.from([byte])));
    expect(summary(events)).toEqual(['message a one', 'message b ', 'message c three\r\n\r\n3']);
    expect(f.bufferedBytes).toBe(0);
  });

  it('waits for the body and reports what is buffered', () => {
    const m = message('0123456789');
    const f = new StreamFramer();
    expect(f.push(m.subarray(0, m.length - 4))).toEqual([]);
    expect(f.bufferedBytes).toBe(m.length - 4);
    expect(summary(f.push(m.subarray(m.length - 4)))).toEqual(['message c1 0123456789']);
  });

  it('hands out copies, not views of its buffer', () => {
    const f = new StreamFramer();
    const chunk = Buffer.concat([message('abc'), message('def').subarray(0, 10)]);
    const [first] = f.push(chunk);
    chunk.fill(0);
    f.push(message('def').subarray(10));
    expect(first?.type === 'message' && parseMessage(first.bytes).ok).toBe(true);
  });

  it('reports keep-alives: CRLFCRLF is a ping, a lone CRLF a pong (RFC 5626 §3.5.1)', () => {
    const f = new StreamFramer();
    expect(summary(f.push(Buffer.from('\r\n\r\n')))).toEqual(['ping']);
    expect(summary(f.push(Buffer.from('\r\n')))).toEqual(['pong']);
    expect(summary(f.push(Buffer.concat([Buffer.from('\r\n\r\n'), message('x'), Buffer.from('\r\n'), message('y')])))).toEqual([
      'ping',
      'message c1 x',
      'pong',
      'message c1 y',
    ]);
    // A CR alone waits for its LF.
    expect(f.push(Buffer.from('\r'))).toEqual([]);
    expect(summary(f.push(Buffer.from('\n')))).toEqual(['pong']);
    // CRLFCR waits: it may become a ping.
    expect(f.push(Buffer.from('\r\n\r'))).toEqual([]);
    expect(summary(f.push(Buffer.from('\n')))).toEqual(['ping']);
    // Stray line feeds are skipped silently.
    expect(summary(f.push(Buffer.concat([Buffer.from('\n\n'), message('z')])))).toEqual(['message c1 z']);
  });

  it('reads the compact form, any case, and a folded Content-Length', () => {
    const compact = Buffer.from(message('abc').toString().replace('Content-Length: 3', 'l:3'));
    expect(summary(new StreamFramer().push(compact))).toEqual(['message c1 abc']);
    const lower = Buffer.from(message('abc').toString().replace('Content-Length: 3', 'content-LENGTH  :  3'));
    expect(summary(new StreamFramer().push(lower))).toEqual(['message c1 abc']);
    const folded = Buffer.from(message('abc').toString().replace('Content-Length: 3', 'Content-Length:\r\n 3'));
    expect(summary(new StreamFramer().push(folded))).toEqual(['message c1 abc']);
    expect(scanContentLength(Buffer.from('X\r\nContent-Length: 0007\r\n'), 0, 25)).toBe(7);
  });

  it('a missing Content-Length is a framing error (§18.3), and the framer stays closed', () => {
    const f = new StreamFramer();
    expect(summary(f.push(message('abc', undefined, 'ok')))).toEqual(['message ok abc']);
    expect(f.push(Buffer.alloc(0))).toEqual([]);
    expect(summary(f.push(message('', null)))).toEqual(['error SIP_BAD_CONTENT_LENGTH Missing Content-Length']);
    expect(f.closed).toBe(true);
    expect(f.push(message('abc'))).toEqual([]);
    expect(f.bufferedBytes).toBe(0);
  });

  it('malformed or repeated Content-Length is a framing error', () => {
    for (const [cl, reason] of [
      ['-1', 'Malformed Content-Length'],
      ['abc', 'Malformed Content-Length'],
      ['12345678901', 'Malformed Content-Length'],
      ['', 'Malformed Content-Length'],
    ]) {
      expect(summary(new StreamFramer().push(message('x', cl)))).toEqual([`error SIP_BAD_CONTENT_LENGTH ${reason}`]);
    }
    const twice = Buffer.from(message('abc').toString().replace('Content-Length: 3', 'Content-Length: 3\r\nl: 3'));
    expect(summary(new StreamFramer().push(twice))).toEqual(['error SIP_BAD_CONTENT_LENGTH Multiple Content-Length headers']);
  });

  it('enforces the header block and body limits', () => {
    const f = new StreamFramer({ maxHeaderBytes: 300, maxBodyBytes: 10 });
    expect(summary(f.push(message('0123456789')))).toEqual(['message c1 0123456789']);
    expect(summary(f.push(message('0123456789A')))).toEqual(['error SIP_TOO_LARGE Message Too Large']);
    const g = new StreamFramer({ maxHeaderBytes: 300 });
    expect(g.push(Buffer.alloc(250, 'a'))).toEqual([]);
    expect(summary(g.push(Buffer.alloc(100, 'a')))).toEqual(['error SIP_TOO_LARGE Message Too Large']);
    const h = new StreamFramer({ maxHeaderBytes: 100 });
    expect(summary(h.push(message('x')))).toEqual(['error SIP_TOO_LARGE Message Too Large']);
  });

  it('passes messages that are well framed but otherwise malformed on to the parser', () => {
    const bad = Buffer.from(message('abc').toString().replace('CSeq: 1 MESSAGE', 'CSeq: 1 INVITE'));
    expect(summary(new StreamFramer().push(bad))).toEqual(['unparseable CSeq method does not match request']);
  });
});
