// Parser tests: golden fixtures (parse, check the typed view, serialise byte for byte), then the
// grammar corners of RFC 3261 §7 / §20 / §25 and the validation failures of §8.2.
import { describe, expect, it } from 'vitest';
import {
  H,
  MAX_DATAGRAM_BYTES,
  MAX_HEADER_COUNT,
  MAX_HEADER_LINE_LENGTH,
  parseMessage,
  serializeMessage,
  type NameAddr,
  type SipUri,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from '../../src/sip/message/index.js';
import { INVITE_LINES, SDP } from './parse-fixtures.js';

/** Lines joined with CRLF; the last element is the body (use '' for none). */
function msg(...lines: string[]): Buffer {
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

function ok(buf: Buffer): SipMessage {
  const r = parseMessage(buf);
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.reason}`);
  return r.value;
}

function req(buf: Buffer): SipRequest {
  const m = ok(buf);
  if (m.kind !== 'request') throw new Error('expected a request');
  return m;
}

function res(buf: Buffer): SipResponse {
  const m = ok(buf);
  if (m.kind !== 'response') throw new Error('expected a response');
  return m;
}

function fail(buf: Buffer): { code: string; reason: string; status: number } {
  const r = parseMessage(buf);
  if (r.ok) throw new Error('expected a failure');
  return { code: r.error.code, reason: r.error.reason, status: r.error.status };
}


// Golden fixtures: canonical wire form, so serialize(parse(x)) must equal x byte for byte.
const GOLDEN: Array<{ name: string; bytes: Buffer; check: (m: SipMessage) => void }> = [
  {
    name: 'INVITE with SDP',
    bytes: msg(...INVITE_LINES, '', SDP),
    check: (m) => {
      const r = m as SipRequest;
      expect(r.kind).toBe('request');
      expect(r.method).toBe('INVITE');
      expect(r.uri.toString()).toBe('sip:bob@biloxi.example.com');
      expect(r.topVia?.branch).toBe('z9hG4bK776asdhds');
      expect(r.topVia?.transport).toBe('UDP');
      expect(r.topVia?.host).toBe('192.0.2.10');
      expect(r.topVia?.port).toBe(5060);
      expect(r.topVia?.hasRport).toBe(true);
      expect(r.topVia?.rport).toBeUndefined();
      expect(r.maxForwards).toBe(70);
      expect(r.from.displayName).toBe('Alice');
      expect(r.from.tag).toBe('1928301774');
      expect(r.to.tag).toBeUndefined();
      expect(r.callId).toBe('a84b4c76e66710@pc33.atlanta.example.com');
      expect(r.cseq).toEqual({ seq: 314159, method: 'INVITE' });
      const contacts = r.contacts;
      expect(contacts).not.toBe('*');
      expect((contacts as readonly { uri: { toString(): string } }[])[0]!.uri.toString()).toBe('sip:alice@192.0.2.10:5060;transport=udp');
      expect(r.value(H.Allow)).toEqual(['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'INFO', 'REFER', 'NOTIFY', 'UPDATE', 'PRACK']);
      expect(r.value(H.Supported)).toEqual(['replaces', 'timer', '100rel']);
      expect(r.headers.get('user-agent')).toBe('Panasonic-KX-UT670/01.133 (0080f0aabbcc)');
      expect(r.contentType?.mimeType).toBe('application/sdp');
      expect(r.body.toString()).toBe(SDP);
    },
  },
  {
    name: 'REGISTER with credentials',
    bytes: msg(
      'REGISTER sip:registrar.example.com SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.20:5060;branch=z9hG4bKnashds7',
      'Max-Forwards: 70',
      'From: <sip:1001@registrar.example.com>;tag=a73kszlfl',
      'To: <sip:1001@registrar.example.com>',
      'Call-ID: 1j9FpLxk3uxtm8tn@192.0.2.20',
      'CSeq: 2 REGISTER',
      'Contact: <sip:1001@192.0.2.20:5060>;expires=3600;q=0.7',
      'Authorization: Digest username="1001", realm="example.com", nonce="ea9c8e88df84f1cec4341ae6cbe5a359", uri="sip:registrar.example.com", response="dfe56131d1958046689d83306477ecc", algorithm=MD5',
      'Expires: 3600',
      'Content-Length: 0',
      '',
      '',
    ),
    check: (m) => {
      const r = m as SipRequest;
      expect(r.method).toBe('REGISTER');
      const c = r.contacts as readonly NameAddr[];
      expect(c).toHaveLength(1);
      expect(c[0]!.params.get('expires')).toBe('3600');
      expect(c[0]!.params.get('q')).toBe('0.7');
      expect(r.value(H.Expires)).toBe(3600);
      const auth = r.value(H.Authorization)![0]!;
      expect(auth.isDigest).toBe(true);
      expect(auth.get('username')).toBe('1001');
      expect(auth.get('URI')).toBe('sip:registrar.example.com');
      expect(auth.get('algorithm')).toBe('MD5');
      expect(r.body.length).toBe(0);
    },
  },
  {
    name: '401 Unauthorized',
    bytes: msg(
      'SIP/2.0 401 Unauthorized',
      'Via: SIP/2.0/UDP 192.0.2.20:5060;branch=z9hG4bKnashds7;received=198.51.100.7;rport=5062',
      'From: <sip:1001@registrar.example.com>;tag=a73kszlfl',
      'To: <sip:1001@registrar.example.com>;tag=1410948204',
      'Call-ID: 1j9FpLxk3uxtm8tn@192.0.2.20',
      'CSeq: 1 REGISTER',
      'WWW-Authenticate: Digest realm="example.com", qop="auth,auth-int", nonce="ea9c8e88df84f1cec4341ae6cbe5a359", opaque="", stale=FALSE, algorithm=MD5',
      'Content-Length: 0',
      '',
      '',
    ),
    check: (m) => {
      const r = m as SipResponse;
      expect(r.kind).toBe('response');
      expect(r.status).toBe(401);
      expect(r.reason).toBe('Unauthorized');
      expect(r.topVia?.received).toBe('198.51.100.7');
      expect(r.topVia?.rport).toBe(5062);
      expect(r.to.tag).toBe('1410948204');
      const ch = r.value(H.WWWAuthenticate)![0]!;
      expect(ch.scheme).toBe('Digest');
      expect(ch.get('qop')).toBe('auth,auth-int');
      expect(ch.get('opaque')).toBe('');
      expect(ch.get('stale')).toBe('FALSE');
      expect(ch.params.find((p) => p.name === 'realm')?.quoted).toBe(true);
      expect(ch.params.find((p) => p.name === 'algorithm')?.quoted).toBe(false);
    },
  },
  {
    name: '200 OK to INVITE with Record-Route',
    bytes: msg(
      'SIP/2.0 200 OK',
      'Via: SIP/2.0/UDP proxy.example.com:5060;branch=z9hG4bK2d4790.1',
      'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;received=192.0.2.10',
      'Record-Route: <sip:proxy.example.com;lr>, <sip:edge.example.com;lr;transport=tcp>',
      'From: "Alice" <sip:alice@atlanta.example.com>;tag=1928301774',
      'To: <sip:bob@biloxi.example.com>;tag=a6c85cf',
      'Call-ID: a84b4c76e66710@pc33.atlanta.example.com',
      'CSeq: 314159 INVITE',
      'Contact: <sip:bob@192.0.2.4>',
      'Content-Type: application/sdp',
      `Content-Length: ${Buffer.byteLength(SDP)}`,
      '',
      SDP,
    ),
    check: (m) => {
      expect(m.vias).toHaveLength(2);
      expect(m.vias[1]!.received).toBe('192.0.2.10');
      const rr = m.value(H.RecordRoute)!;
      expect(rr.map((r) => r.uri.toString())).toEqual(['sip:proxy.example.com;lr', 'sip:edge.example.com;lr;transport=tcp']);
      expect((rr[1]!.uri as SipUri).lr).toBe(true);
      expect((rr[1]!.uri as SipUri).transport).toBe('tcp');
    },
  },
  {
    name: 'BYE',
    bytes: msg(
      'BYE sip:alice@192.0.2.10:5060;transport=udp SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.4;branch=z9hG4bKnashds10',
      'Max-Forwards: 70',
      'Route: <sip:proxy.example.com;lr>',
      'From: <sip:bob@biloxi.example.com>;tag=a6c85cf',
      'To: "Alice" <sip:alice@atlanta.example.com>;tag=1928301774',
      'Call-ID: a84b4c76e66710@pc33.atlanta.example.com',
      'CSeq: 231 BYE',
      'Content-Length: 0',
      '',
      '',
    ),
    check: (m) => {
      expect((m as SipRequest).method).toBe('BYE');
      expect(m.cseq.seq).toBe(231);
      expect(m.value(H.Route)![0]!.uri.toString()).toBe('sip:proxy.example.com;lr');
      expect(m.topVia?.port).toBeUndefined();
    },
  },
  {
    name: 'NOTIFY with Event and Subscription-State',
    bytes: msg(
      'NOTIFY sip:1001@192.0.2.20:5060 SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK4a2b',
      'Max-Forwards: 70',
      'From: <sip:1001@example.com>;tag=5678',
      'To: <sip:1001@example.com>;tag=1234',
      'Call-ID: mwi-77@192.0.2.1',
      'CSeq: 3 NOTIFY',
      'Event: message-summary;id=7',
      'Subscription-State: active;expires=3599',
      'Content-Type: application/simple-message-summary',
      'Content-Length: 23',
      '',
      'Messages-Waiting: yes\r\n',
    ),
    check: (m) => {
      expect(m.value(H.Event)).toMatchObject({ value: 'message-summary', id: '7' });
      expect(m.value(H.SubscriptionState)).toMatchObject({ state: 'active', expires: 3599, reason: undefined });
      expect(m.body.toString()).toBe('Messages-Waiting: yes\r\n');
    },
  },
  {
    name: '183 with RSeq and session timer',
    bytes: msg(
      'SIP/2.0 183 Session Progress',
      'Via: SIP/2.0/TCP [2001:db8::10]:5060;branch=z9hG4bKv6',
      'From: <sip:alice@[2001:db8::10]>;tag=1',
      'To: <sip:bob@[2001:db8::20]:5070>;tag=2',
      'Call-ID: v6call@[2001:db8::10]',
      'CSeq: 1 INVITE',
      'Require: 100rel',
      'RSeq: 988789',
      'Session-Expires: 1800;refresher=uac',
      'Min-SE: 90',
      'Content-Length: 0',
      '',
      '',
    ),
    check: (m) => {
      expect(m.topVia?.host).toBe('[2001:db8::10]');
      expect(m.topVia?.port).toBe(5060);
      const to = m.to.uri as SipUri;
      expect(to.host).toBe('[2001:db8::20]');
      expect(to.hostname).toBe('2001:db8::20');
      expect(to.hostType).toBe('ipv6');
      expect(to.port).toBe(5070);
      expect(m.value(H.RSeq)).toBe(988789);
      expect(m.value(H.Require)).toEqual(['100rel']);
      expect(m.value(H.SessionExpires)).toMatchObject({ deltaSeconds: 1800, refresher: 'uac' });
      expect(m.value(H.MinSE)).toBe(90);
    },
  },
  {
    name: 'REFER with Refer-To carrying Replaces',
    bytes: msg(
      'REFER sip:bob@192.0.2.4 SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKrefer1',
      'Max-Forwards: 70',
      'From: <sip:alice@atlanta.example.com>;tag=1928301774',
      'To: <sip:bob@biloxi.example.com>;tag=a6c85cf',
      'Call-ID: a84b4c76e66710@pc33.atlanta.example.com',
      'CSeq: 314160 REFER',
      'Refer-To: <sip:carol@chicago.example.com?Replaces=12345%40192.0.2.30%3Bto-tag%3D7743%3Bfrom-tag%3D6472>',
      'Referred-By: <sip:alice@atlanta.example.com>',
      'Content-Length: 0',
      '',
      '',
    ),
    check: (m) => {
      const referTo = m.value(H.ReferTo)!.uri as SipUri;
      expect(referTo.user).toBe('carol');
      const replaces = referTo.headers.get('Replaces')!;
      expect(replaces).toBe('12345%40192.0.2.30%3Bto-tag%3D7743%3Bfrom-tag%3D6472');
      expect(m.value(H.ReferredBy)!.uri.toString()).toBe('sip:alice@atlanta.example.com');
    },
  },
];

describe('golden fixtures', () => {
  for (const g of GOLDEN) {
    it(`${g.name}: parses, reads, and serialises byte for byte`, () => {
      const m = ok(g.bytes);
      g.check(m);
      expect(serializeMessage(m).toString('latin1')).toBe(g.bytes.toString('latin1'));
    });
  }
});

const BASE = [
  'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1',
  'Max-Forwards: 70',
  'From: <sip:a@example.com>;tag=1',
  'To: <sip:b@example.com>',
  'Call-ID: c1@192.0.2.1',
  'CSeq: 1 OPTIONS',
];

function options(...extra: string[]): Buffer {
  return msg('OPTIONS sip:b@example.com SIP/2.0', ...BASE, ...extra, 'Content-Length: 0', '', '');
}

describe('header names', () => {
  it('normalises compact forms to full canonical names and serialises them in full', () => {
    const m = req(
      msg(
        'MESSAGE sip:b@example.com SIP/2.0',
        'v: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1',
        'f: <sip:a@example.com>;tag=1',
        't: <sip:b@example.com>',
        'i: c1@192.0.2.1',
        'CSeq: 1 MESSAGE',
        'm: <sip:a@192.0.2.1>',
        'c: text/plain',
        'k: 100rel',
        'o: presence',
        'u: dialog',
        'r: <sip:c@example.com>',
        'b: <sip:a@example.com>',
        'x: 90',
        's: hello',
        'e: gzip',
        'l: 2',
        '',
        'hi',
      ),
    );
    expect([...m.headers].map((f) => f.name)).toEqual([
      'Via',
      'From',
      'To',
      'Call-ID',
      'CSeq',
      'Contact',
      'Content-Type',
      'Supported',
      'Event',
      'Allow-Events',
      'Refer-To',
      'Referred-By',
      'Session-Expires',
      'Subject',
      'Content-Encoding',
      'Content-Length',
    ]);
    expect(m.callId).toBe('c1@192.0.2.1');
    expect(m.body.toString()).toBe('hi');
    const out = serializeMessage(m).toString();
    expect(out).toContain('\r\nCall-ID: c1@192.0.2.1\r\n');
    expect(out).toContain('\r\nContent-Length: 2\r\n\r\nhi');
    expect(out).not.toMatch(/\r\n[a-z]: /);
  });

  it('treats header names case-insensitively and writes the canonical spelling', () => {
    const m = req(
      msg(
        'OPTIONS sip:b@example.com SIP/2.0',
        'VIA: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1',
        'from: <sip:a@example.com>;tag=1',
        'tO: <sip:b@example.com>',
        'CALL-id: c1',
        'cseq: 1 OPTIONS',
        'www-authenticate: Digest realm="x"',
        'X-Custom-Header: kept',
        'content-LENGTH: 0',
        '',
        '',
      ),
    );
    expect(m.headers.get('Call-ID')).toBe('c1');
    expect(m.headers.get('call-id')).toBe('c1');
    expect(m.headers.get('i')).toBe('c1');
    expect(m.headers.get('x-custom-header')).toBe('kept');
    const out = serializeMessage(m).toString();
    for (const line of ['Via: ', 'From: ', 'To: ', 'Call-ID: ', 'CSeq: ', 'WWW-Authenticate: ', 'X-Custom-Header: kept', 'Content-Length: 0']) {
      expect(out).toContain(`\r\n${line}`);
    }
  });

  it('keeps unknown headers in order, with their spelling', () => {
    const m = req(options('X-B: 2', 'x-a: 1', 'P-Foo-Bar: 3'));
    const names = [...m.headers].map((f) => f.name);
    expect(names.slice(-4)).toEqual(['X-B', 'x-a', 'P-Foo-Bar', 'Content-Length']);
    expect(serializeMessage(m).toString()).toContain('\r\nX-B: 2\r\nx-a: 1\r\nP-Foo-Bar: 3\r\n');
  });

  it('accepts whitespace before the colon and none after it (HCOLON)', () => {
    const m = req(options('Subject   :hello', 'Expires\t:  60  '));
    expect(m.headers.get('Subject')).toBe('hello');
    expect(m.value(H.Expires)).toBe(60);
  });

  it('an empty value is legal (Subject:)', () => {
    const m = req(options('Subject:', 'Supported:'));
    expect(m.headers.get('Subject')).toBe('');
    expect(m.value(H.Supported)).toEqual([]);
  });
});

describe('folding (RFC 3261 §7.3.1)', () => {
  it('unfolds continuation lines to single spaces', () => {
    const m = req(
      msg(
        'OPTIONS sip:b@example.com SIP/2.0',
        'Via: SIP/2.0/UDP 192.0.2.1;',
        '   branch=z9hG4bK1',
        'From:',
        '\t<sip:a@example.com>',
        '  ;tag=1',
        'To: <sip:b@example.com>',
        'Call-ID: c1',
        'CSeq: 1',
        ' OPTIONS',
        'Subject: first',
        '   second  ',
        '\tthird',
        'Content-Length: 0',
        '',
        '',
      ),
    );
    expect(m.topVia?.branch).toBe('z9hG4bK1');
    expect(m.from.tag).toBe('1');
    expect(m.cseq).toEqual({ seq: 1, method: 'OPTIONS' });
    expect(m.headers.get('Subject')).toBe('first second third');
    // Serialised unfolded.
    expect(serializeMessage(m).toString()).toContain('\r\nSubject: first second third\r\n');
  });

  it('rejects a continuation line right after the start line', () => {
    expect(fail(msg('OPTIONS sip:b@example.com SIP/2.0', ' Via: SIP/2.0/UDP h;branch=z9hG4bK1', ...BASE.slice(1), '', '')).code).toBe('SIP_BAD_HEADER');
  });
});

describe('multi-value headers', () => {
  it('splits Via on commas and across fields, in order', () => {
    const m = req(
      msg(
        'OPTIONS sip:b@example.com SIP/2.0',
        'Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1, SIP/2.0/TCP b.example.com:5061 ;branch=z9hG4bK2',
        'Via: SIP/2.0/TLS [2001:db8::1]:5061;branch=z9hG4bK3;received=2001:db8::9;rport=1234;ttl=16;maddr=224.2.0.1',
        ...BASE.slice(1),
        '',
        '',
      ),
    );
    expect(m.vias.map((v) => [v.transport, v.host, v.port, v.branch])).toEqual([
      ['UDP', 'a.example.com', undefined, 'z9hG4bK1'],
      ['TCP', 'b.example.com', 5061, 'z9hG4bK2'],
      ['TLS', '[2001:db8::1]', 5061, 'z9hG4bK3'],
    ]);
    const v = m.vias[2]!;
    expect(v.received).toBe('2001:db8::9');
    expect(v.rport).toBe(1234);
    expect(v.hasRport).toBe(true);
    expect(v.ttl).toBe(16);
    expect(v.maddr).toBe('224.2.0.1');
    expect(v.isRfc3261Branch).toBe(true);
  });

  it('does not split on commas inside quoted strings or <...>', () => {
    const m = req(
      options('Contact: "Doe, John" <sip:doe,john@example.com;x=a>;q=0.5, <sip:other@example.com>, sip:third@example.com;expires=10'),
    );
    const c = m.contacts as readonly NameAddr[];
    expect(c).toHaveLength(3);
    expect(c[0]!.displayName).toBe('Doe, John');
    expect(c[0]!.uri.toString()).toBe('sip:doe,john@example.com;x=a');
    expect(c[0]!.params.get('q')).toBe('0.5');
    expect(c[1]!.uri.toString()).toBe('sip:other@example.com');
    expect(c[2]!.params.get('expires')).toBe('10');
  });

  it('Contact: * stands alone', () => {
    const m = req(
      msg('REGISTER sip:example.com SIP/2.0', ...BASE.slice(0, 5), 'CSeq: 1 REGISTER', 'Contact: *', 'Expires: 0', 'Content-Length: 0', '', ''),
    );
    expect(m.contacts).toBe('*');
    expect(fail(msg('REGISTER sip:example.com SIP/2.0', ...BASE.slice(0, 5), 'CSeq: 1 REGISTER', 'Contact: *', 'Contact: <sip:a@h>', '', ''))).toMatchObject({
      code: 'SIP_BAD_HEADER',
      reason: 'Malformed Contact',
    });
  });

  it('concatenates token lists over several fields', () => {
    const m = req(options('Allow: INVITE, ACK', 'Allow: BYE ,CANCEL', 'Require: timer'));
    expect(m.value(H.Allow)).toEqual(['INVITE', 'ACK', 'BYE', 'CANCEL']);
    expect(m.value(H.Require)).toEqual(['timer']);
  });
});

describe('quoted strings and display names', () => {
  it('resolves quoted-pair escapes', () => {
    const m = req(msg('OPTIONS sip:b@example.com SIP/2.0', ...BASE.slice(0, 2), 'From: "Say \\"hi\\" \\\\ bye" <sip:a@example.com>;tag=1', ...BASE.slice(3), '', ''));
    expect(m.from.displayName).toBe('Say "hi" \\ bye');
  });

  it('accepts token display names and no space before <', () => {
    const m = req(msg('OPTIONS sip:b@example.com SIP/2.0', ...BASE.slice(0, 2), 'From: Alice Smith<sip:a@example.com>;tag=1', ...BASE.slice(3), '', ''));
    expect(m.from.displayName).toBe('Alice Smith');
  });

  it('keeps UTF-8 in display names and reason phrases', () => {
    const m = req(msg('OPTIONS sip:b@example.com SIP/2.0', ...BASE.slice(0, 2), 'From: "Jürgen Ñandú 電話" <sip:a@example.com>;tag=1', ...BASE.slice(3), '', ''));
    expect(m.from.displayName).toBe('Jürgen Ñandú 電話');
    const r = res(msg('SIP/2.0 486 Besetzt – bitte später', ...BASE.slice(0, 1), ...BASE.slice(2), '', ''));
    expect(r.reason).toBe('Besetzt – bitte später');
    expect(serializeMessage(r).toString('utf8').split('\r\n')[0]).toBe('SIP/2.0 486 Besetzt – bitte später');
  });
});

describe('start line', () => {
  it('accepts extension methods as tokens', () => {
    const m = req(msg('FOO.bar-1 sip:b@example.com SIP/2.0', ...BASE.slice(0, 5), 'CSeq: 1 FOO.bar-1', '', ''));
    expect(m.method).toBe('FOO.bar-1');
  });

  it('is case-sensitive about methods (CSeq must match exactly)', () => {
    expect(fail(msg('invite sip:b@example.com SIP/2.0', ...BASE.slice(0, 5), 'CSeq: 1 INVITE', '', ''))).toMatchObject({
      code: 'SIP_BAD_CSEQ',
      reason: 'CSeq method does not match request',
    });
  });

  it('accepts "sip/2.0" in any case but only version 2.0', () => {
    expect(req(msg('OPTIONS sip:b@example.com sip/2.0', ...BASE, '', '')).method).toBe('OPTIONS');
    expect(fail(msg('OPTIONS sip:b@example.com SIP/3.0', ...BASE, '', ''))).toEqual({ code: 'SIP_BAD_VERSION', reason: 'Version Not Supported', status: 505 });
    expect(fail(msg('SIP/1.0 200 OK', ...BASE, '', '')).code).toBe('SIP_BAD_VERSION');
    expect(fail(msg('OPTIONS sip:b@example.com HTTP/1.1', ...BASE, '', '')).code).toBe('SIP_BAD_START_LINE');
  });

  const badStartLines: Array<[string, string]> = [
    ['OPTIONS  sip:b@example.com SIP/2.0', 'SIP_BAD_START_LINE'],
    ['OPTIONS sip:b@example.com SIP/2.0 ', 'SIP_BAD_START_LINE'],
    ['OPTIONS sip:b@example.com', 'SIP_BAD_START_LINE'],
    ['OPT IONS sip:b@example.com SIP/2.0', 'SIP_BAD_START_LINE'],
    ['OPTI"NS sip:b@example.com SIP/2.0', 'SIP_BAD_START_LINE'],
    ['OPTIONS <sip:b@example.com> SIP/2.0', 'SIP_BAD_URI'],
    ['OPTIONS sip:b@exa mple.com SIP/2.0', 'SIP_BAD_START_LINE'],
    ['OPTIONS sip:b@example.com?Subject=x SIP/2.0', 'SIP_BAD_URI'],
    ['OPTIONS sip:@example.com SIP/2.0', 'SIP_BAD_URI'],
    ['OPTIONS sip:b@example.com:99999 SIP/2.0', 'SIP_BAD_URI'],
    ['OPTIONS nocolon SIP/2.0', 'SIP_BAD_URI'],
    ['SIP/2.0 20 OK', 'SIP_BAD_START_LINE'],
    ['SIP/2.0 2000 OK', 'SIP_BAD_START_LINE'],
    ['SIP/2.0 099 Low', 'SIP_BAD_START_LINE'],
    ['SIP/2.0 700 High', 'SIP_BAD_START_LINE'],
    ['SIP/2.0 abc OK', 'SIP_BAD_START_LINE'],
    ['SIP/2.0 200 O\x01K', 'SIP_BAD_START_LINE'],
  ];
  for (const [line, code] of badStartLines) {
    it(`rejects ${JSON.stringify(line)} with ${code}`, () => {
      expect(fail(msg(line, ...BASE, '', '')).code).toBe(code);
    });
  }

  it('accepts an empty Reason-Phrase, with or without the trailing SP', () => {
    expect(res(msg('SIP/2.0 100 ', ...BASE, '', '')).reason).toBe('');
    expect(res(msg('SIP/2.0 100', ...BASE, '', '')).reason).toBe('');
  });

  it('accepts unknown URI schemes in the Request-URI (a UAS answers 416)', () => {
    const m = req(msg('OPTIONS urn:service:sos SIP/2.0', ...BASE, '', ''));
    expect(m.uri.toString()).toBe('urn:service:sos');
  });

  it('skips CRLFs before the start line (RFC 3261 §7.5)', () => {
    const m = req(Buffer.concat([Buffer.from('\r\n\r\n'), options()]));
    expect(m.method).toBe('OPTIONS');
  });
});

describe('validation (RFC 3261 §8.2)', () => {
  const without = (name: string): Buffer =>
    msg('OPTIONS sip:b@example.com SIP/2.0', ...BASE.filter((l) => !l.startsWith(`${name}:`)), 'Content-Length: 0', '', '');

  for (const [name, reason] of [
    ['Via', 'Missing Via'],
    ['From', 'Missing From'],
    ['To', 'Missing To'],
    ['Call-ID', 'Missing Call-ID'],
    ['CSeq', 'Missing CSeq'],
  ] as const) {
    it(`a request without ${name} fails with SIP_MISSING_HEADER "${reason}"`, () => {
      expect(fail(without(name))).toEqual({ code: 'SIP_MISSING_HEADER', reason, status: 400 });
    });
  }

  it('a response without Call-ID fails too', () => {
    expect(fail(msg('SIP/2.0 200 OK', ...BASE.filter((l) => !l.startsWith('Call-ID')), '', '')).reason).toBe('Missing Call-ID');
  });

  it('Max-Forwards is optional (RFC 2543 peers omit it) but must be 0-255 when present', () => {
    expect(req(without('Max-Forwards')).maxForwards).toBeUndefined();
    expect(req(msg('OPTIONS sip:b@example.com SIP/2.0', ...BASE.slice(0, 1), 'Max-Forwards: 0', ...BASE.slice(2), '', '')).maxForwards).toBe(0);
    expect(fail(msg('OPTIONS sip:b@example.com SIP/2.0', ...BASE.slice(0, 1), 'Max-Forwards: 256', ...BASE.slice(2), '', ''))).toMatchObject({
      code: 'SIP_BAD_HEADER',
      reason: 'Malformed Max-Forwards',
    });
  });

  it('rejects a CSeq method that differs from the request method', () => {
    expect(fail(msg('OPTIONS sip:b@example.com SIP/2.0', ...BASE.slice(0, 5), 'CSeq: 1 INVITE', '', ''))).toEqual({
      code: 'SIP_BAD_CSEQ',
      reason: 'CSeq method does not match request',
      status: 400,
    });
  });

  it('rejects CSeq numbers beyond 32 bits and malformed CSeq', () => {
    expect(req(msg('OPTIONS sip:b@example.com SIP/2.0', ...BASE.slice(0, 5), 'CSeq: 4294967295 OPTIONS', '', '')).cseq.seq).toBe(4294967295);
    for (const v of ['4294967296 OPTIONS', 'OPTIONS', '1', '1 OPTIONS x', '-1 OPTIONS', '1OPTIONS']) {
      expect(fail(msg('OPTIONS sip:b@example.com SIP/2.0', ...BASE.slice(0, 5), `CSeq: ${v}`, '', ''))).toMatchObject({
        code: 'SIP_BAD_CSEQ',
        reason: 'Malformed CSeq',
      });
    }
  });

  it('rejects several values in single-value headers', () => {
    expect(fail(options('From: <sip:x@example.com>;tag=2')).reason).toBe('Multiple From headers');
    expect(fail(options('Call-ID: other')).reason).toBe('Multiple Call-ID headers');
    expect(fail(msg('OPTIONS sip:b@example.com SIP/2.0', ...BASE.slice(0, 3), 'To: <sip:b@example.com>, <sip:c@example.com>', ...BASE.slice(4), '', '')).reason).toBe(
      'Malformed To',
    );
  });

  it('rejects malformed mandatory values with SIP_BAD_HEADER naming the header', () => {
    const cases: Array<[string, string, string]> = [
      ['Via', 'Via: SIP/2.0/UDP', 'Malformed Via'],
      ['Via', 'Via: SIP/2.0/UDP host;;branch=z9hG4bK1', 'Malformed Via'],
      ['Via', 'Via: SIP/2.0/UDP host;branch', 'Malformed Via'],
      ['Via', 'Via: SIP/2.0/UDP host;ttl=300', 'Malformed Via'],
      ['Via', 'Via: SIP/2.0/UDP host:70000', 'Malformed Via'],
      ['Via', 'Via: SIP/2.0/UDP host,', 'Malformed Via'],
      ['From', 'From: "unterminated <sip:a@example.com>', 'Malformed From'],
      ['From', 'From: <sip:a@example.com', 'Malformed From'],
      ['From', 'From: < sip:a@example.com>', 'Malformed From'],
      ['To', 'To: Bell, Alexander <sip:b@example.com>', 'Malformed To'],
      ['Call-ID', 'Call-ID: has space', 'Malformed Call-ID'],
      ['Call-ID', 'Call-ID: a@b@c', 'Malformed Call-ID'],
    ];
    for (const [name, line, reason] of cases) {
      const lines = BASE.map((l) => (l.startsWith(`${name}:`) ? line : l));
      expect(fail(msg('OPTIONS sip:b@example.com SIP/2.0', ...lines, '', '')), line).toMatchObject({ code: 'SIP_BAD_HEADER', reason });
    }
  });

  it('rejects malformed header lines and names', () => {
    expect(fail(options('NoColonHere'))).toMatchObject({ code: 'SIP_BAD_HEADER', reason: 'Malformed header line' });
    expect(fail(options('Bad Name: x'))).toMatchObject({ code: 'SIP_BAD_HEADER', reason: 'Malformed header name' });
    expect(fail(options(': novalue'))).toMatchObject({ code: 'SIP_BAD_HEADER' });
  });

  it('does not validate other headers until they are read', () => {
    const m = req(options('Expires: soon', 'Route: sip:noangle@example.com'));
    expect(m.typed(H.Expires)).toMatchObject({ ok: false, error: { code: 'SIP_BAD_HEADER', reason: 'Malformed Expires' } });
    expect(m.value(H.Expires)).toBeUndefined();
    expect(m.typed(H.Route)?.ok).toBe(false);
    expect(m.typed(H.MinSE)).toBeUndefined();
  });
});

describe('body and Content-Length (datagram rules)', () => {
  const head = ['OPTIONS sip:b@example.com SIP/2.0', ...BASE];

  it('takes exactly Content-Length bytes and ignores the rest (RFC 4475 §3.1.1.8)', () => {
    const m = req(msg(...head, 'Content-Length: 3', '', 'abcdef'));
    expect(m.body.toString()).toBe('abc');
  });

  it('without Content-Length the body runs to the end of the datagram', () => {
    const m = req(msg(...head, '', 'abc\r\ndef'));
    expect(m.body.toString()).toBe('abc\r\ndef');
    // ...and Content-Length is always written on output.
    expect(serializeMessage(m).toString()).toContain('\r\nContent-Length: 8\r\n\r\nabc\r\ndef');
  });

  it('a Content-Length larger than the bytes present is an error', () => {
    expect(fail(msg(...head, 'Content-Length: 10', '', 'abc'))).toEqual({
      code: 'SIP_BAD_CONTENT_LENGTH',
      reason: 'Content-Length larger than message body',
      status: 400,
    });
  });

  it('rejects negative, non-numeric and duplicate Content-Length', () => {
    expect(fail(msg(...head, 'Content-Length: -1', '', '')).code).toBe('SIP_BAD_CONTENT_LENGTH');
    expect(fail(msg(...head, 'Content-Length: 1x', '', 'a')).code).toBe('SIP_BAD_CONTENT_LENGTH');
    expect(fail(msg(...head, 'Content-Length: 0', 'l: 0', '', ''))).toMatchObject({
      code: 'SIP_BAD_CONTENT_LENGTH',
      reason: 'Multiple Content-Length headers',
    });
  });

  it('keeps binary bodies as bytes, CR and LF included', () => {
    const body = Buffer.from([0, 13, 10, 13, 10, 255, 128, 10]);
    const m = req(Buffer.concat([msg(...head, `Content-Length: ${body.length}`, '', ''), body]));
    expect(m.body.equals(body)).toBe(true);
    expect(serializeMessage(m).subarray(-body.length).equals(body)).toBe(true);
  });

  it('accepts a datagram that ends after its last header line without the empty line', () => {
    const m = req(Buffer.from([...head, 'Content-Length: 0', ''].join('\r\n')));
    expect(m.body.length).toBe(0);
    expect(fail(Buffer.from([...head, 'Content-Length: 0'].join('\r\n')))).toMatchObject({ reason: 'Incomplete header block' });
  });

  it('tolerates bare LF line ends', () => {
    const m = req(Buffer.from([...head, 'Content-Length: 2', '', 'hi'].join('\n')));
    expect(m.body.toString()).toBe('hi');
    expect(m.callId).toBe('c1@192.0.2.1');
    // Mixed: LF header block, CRLF inside the body.
    const mixed = req(Buffer.from([...head, 'Content-Length: 6', ''].join('\n') + '\na\r\n\r\nb'));
    expect(mixed.body.toString()).toBe('a\r\n\r\nb');
  });
});

describe('limits', () => {
  it('rejects datagrams over MAX_DATAGRAM_BYTES with 513', () => {
    const big = Buffer.concat([options(), Buffer.alloc(MAX_DATAGRAM_BYTES)]);
    expect(fail(big)).toEqual({ code: 'SIP_TOO_LARGE', reason: 'Message Too Large', status: 513 });
    expect(parseMessage(big, { maxMessageBytes: 200_000 }).ok).toBe(true);
  });

  it('rejects too many header fields and over-long header lines', () => {
    const many = Array.from({ length: MAX_HEADER_COUNT }, (_, i) => `X-H${i}: v`);
    expect(fail(options(...many)).code).toBe('SIP_TOO_LARGE');
    expect(fail(options(`Subject: ${'x'.repeat(MAX_HEADER_LINE_LENGTH)}`)).code).toBe('SIP_TOO_LARGE');
    expect(req(options(`Subject: ${'x'.repeat(MAX_HEADER_LINE_LENGTH - 20)}`)).headers.get('Subject')).toHaveLength(MAX_HEADER_LINE_LENGTH - 20);
  });

  it('treats CRLF-only input as an empty keep-alive', () => {
    expect(fail(Buffer.from('\r\n\r\n')).code).toBe('SIP_EMPTY');
    expect(fail(Buffer.alloc(0)).code).toBe('SIP_EMPTY');
  });
});

describe('input types', () => {
  it('accepts a Uint8Array view into a larger buffer', () => {
    const bytes = options();
    const backing = new Uint8Array(bytes.length + 20);
    backing.set(bytes, 10);
    const m = req(Buffer.from(new Uint8Array(backing.buffer, 10, bytes.length)));
    expect(m.method).toBe('OPTIONS');
    const r = parseMessage(new Uint8Array(backing.buffer, 10, bytes.length));
    expect(r.ok).toBe(true);
  });
});
