// serializeMessage's shortcut: a parsed message whose bytes were already canonical and that has
// not changed is written by copying those bytes (SipMessage.wireBytes). These tests pin down that
// the shortcut is taken exactly when the full serialiser would write the same bytes, and that
// every kind of change turns it off.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createResponse, parseMessage, parseVia, serializeMessage, type SipMessage, type SipRequest, type SipResponse } from '../../src/sip/message/index.js';
import { INVITE_LINES, SDP } from './parse-fixtures.js';

function parse(bytes: Buffer): SipMessage {
  const r = parseMessage(bytes);
  if (!r.ok) throw new Error(r.error.reason);
  return r.value;
}

/** What the full serialiser writes (a clone never carries the parsed bytes). */
function fullSerialize(m: SipMessage): Buffer {
  const c = m.clone();
  expect(c.wireBytes).toBeUndefined();
  return serializeMessage(c);
}

const REQUEST_LINES = [...INVITE_LINES.slice(0, -1), 'X-Custom: kept as is', INVITE_LINES.at(-1)!];
const CANONICAL = Buffer.from([...REQUEST_LINES, '', SDP].join('\r\n'));
const RESPONSE = serializeMessage(createResponse(parse(CANONICAL) as SipRequest, 180, { toTag: 'a6c85cf' }));

describe('parsed bytes reused by serializeMessage', () => {
  it('keeps canonical requests and responses and writes the same bytes the full serialiser does', () => {
    // The full serialiser keeps a Content-Length line that states the right length, leading zero or not.
    const zero = Buffer.from(CANONICAL.toString('latin1').replace('Content-Length: ', 'Content-Length: 0'), 'latin1');
    for (const bytes of [CANONICAL, RESPONSE, zero]) {
      const m = parse(bytes);
      expect(m.wireBytes).toBeDefined();
      const out = serializeMessage(m);
      expect(out.equals(bytes)).toBe(true);
      // No copy: the parsed buffer itself, as the body is a view onto it.
      expect(out.buffer).toBe(bytes.buffer);
      expect(out.byteOffset).toBe(bytes.byteOffset);
      expect(fullSerialize(m).equals(bytes)).toBe(true);
    }
  });

  // Each variant is a message the parser accepts but the serialiser would write differently.
  const variants: Array<[string, (lines: string[]) => string]> = [
    ['leading CRLF', (l) => '\r\n' + [...l, '', SDP].join('\r\n')],
    ['compact header name', (l) => [...l.map((x) => x.replace(/^Call-ID:/, 'i:')), '', SDP].join('\r\n')],
    ['lower-case header name', (l) => [...l.map((x) => x.replace(/^Max-Forwards:/, 'max-forwards:')), '', SDP].join('\r\n')],
    ['no space after colon', (l) => [...l.map((x) => x.replace(/^To: /, 'To:')), '', SDP].join('\r\n')],
    ['space before colon', (l) => [...l.map((x) => x.replace(/^To: /, 'To : ')), '', SDP].join('\r\n')],
    ['trailing whitespace', (l) => [...l.map((x) => x.replace(/^CSeq: (.*)$/, 'CSeq: $1 ')), '', SDP].join('\r\n')],
    ['folded header', (l) => [...l.map((x) => x.replace(/^Contact: /, 'Contact:\r\n ')), '', SDP].join('\r\n')],
    ['bare LF line ends', (l) => [...l, '', ''].join('\n') + SDP],
    ['lower-case version', (l) => [l[0]!.replace('SIP/2.0', 'sip/2.0'), ...l.slice(1), '', SDP].join('\r\n')],
    ['no Content-Length', (l) => [...l.filter((x) => !x.startsWith('Content-Length')), '', SDP].join('\r\n')],
    ['bytes after the body', (l) => [...l, '', SDP + 'junk'].join('\r\n')],
    ['UTF-8 display name', (l) => [...l.map((x) => x.replace('"Alice"', '"Alïce"')), '', SDP].join('\r\n')],
  ];
  for (const [name, make] of variants) {
    it(`does not reuse the bytes of a message with ${name}`, () => {
      const bytes = Buffer.from(make(REQUEST_LINES));
      const m = parse(bytes);
      expect(m.wireBytes).toBeUndefined();
      expect(serializeMessage(m).equals(fullSerialize(m))).toBe(true);
    });
  }

  it('a response without a reason phrase is not reused', () => {
    const m = parse(Buffer.from(RESPONSE.toString('latin1').replace('180 Ringing', '180')));
    expect(m.wireBytes).toBeUndefined();
    expect(serializeMessage(m).toString()).toMatch(/^SIP\/2\.0 180 \r\n/);
  });

  const changes: Array<[string, (m: SipMessage) => void]> = [
    ['a header set', (m) => m.headers.set('Max-Forwards', '69')],
    ['a header appended', (m) => m.headers.append('Subject', 'hi')],
    ['a header removed', (m) => m.headers.remove('X-Custom')],
    ['a new top Via', (m) => m.prependVia('SIP/2.0/UDP 192.0.2.99;branch=z9hG4bKx')],
    ['the top Via replaced', (m) => m.replaceTopVia(parseVia('SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport=5060')!)],
    ['the body reassigned', (m) => (m.body = Buffer.from('v=0\r\n'))],
    ['setBody', (m) => m.setBody('v=0\r\n')],
    ['the method', (m) => ((m as SipRequest).method = 'OPTIONS')],
    ['the Request-URI', (m) => ((m as SipRequest).uri = (m as SipRequest).uri)],
  ];
  for (const [name, change] of changes) {
    it(`stops reusing the bytes after ${name}`, () => {
      const m = parse(CANONICAL);
      expect(m.wireBytes).toBeDefined();
      change(m);
      expect(m.wireBytes).toBeUndefined();
      expect(serializeMessage(m).equals(fullSerialize(m))).toBe(true);
    });
  }

  it('stops reusing the bytes after the status or reason changes', () => {
    for (const change of [(r: SipResponse) => (r.status = 183), (r: SipResponse) => (r.reason = 'Ringing!')]) {
      const m = parse(RESPONSE) as SipResponse;
      change(m);
      expect(m.wireBytes).toBeUndefined();
      expect(serializeMessage(m).toString()).not.toBe(RESPONSE.toString());
    }
  });

  it('reading typed headers does not count as a change', () => {
    const m = parse(CANONICAL);
    void m.contentType;
    void m.contacts;
    void m.topVia?.params;
    void m.from.uri;
    expect(serializeMessage(m).equals(CANONICAL)).toBe(true);
  });

  it('whatever the header lines, the shortcut writes what the full serialiser writes', () => {
    const name = fc.constantFrom('Subject', 'subject', 's', 'X-Foo', 'Allow', 'Supported', 'k', 'User-Agent');
    const value = fc.stringMatching(/^[ \t]{0,2}[A-Za-z0-9.,;=<>:@ -]{0,20}[ \t]{0,2}$/);
    const sep = fc.constantFrom(': ', ':', ' : ', ':  ', ':\t');
    const line = fc.tuple(name, sep, value).map(([n, s, v]) => `${n}${s}${v}`);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 6 }), fc.boolean(), (extra, lf) => {
        const lines = [...REQUEST_LINES.slice(0, -1), ...extra, REQUEST_LINES.at(-1)!];
        const eol = lf ? '\n' : '\r\n';
        const bytes = Buffer.from(lines.join(eol) + eol + eol + SDP);
        const r = parseMessage(bytes);
        if (!r.ok) return;
        const out = serializeMessage(r.value);
        expect(out.equals(fullSerialize(r.value))).toBe(true);
        expect(r.value.wireBytes !== undefined).toBe(out.equals(bytes));
      }),
      { numRuns: 400 },
    );
  });
});
