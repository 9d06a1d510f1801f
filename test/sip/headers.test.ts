// Typed header views (headers.ts and the value parsers), the header list, and message mutation.
import { describe, expect, it } from 'vitest';
import {
  AuthValue,
  canonicalName,
  defineHeader,
  formatAuth,
  H,
  headerKey,
  lookupHeader,
  NameAddr,
  parseAuth,
  parseAuthenticationInfo,
  parseCSeq,
  parseEvent,
  parseMediaType,
  parseMessage,
  parseNameAddr,
  parseNameAddrList,
  parseRAck,
  parseReplaces,
  parseSessionExpires,
  parseSubscriptionState,
  parseTokenList,
  parseUri,
  parseVia,
  params,
  serializeMessage,
  SipUri,
  Via,
  type SipRequest,
} from '../../src/sip/message/index.js';

function request(...extra: string[]): SipRequest {
  const r = parseMessage(
    Buffer.from(
      [
        'INVITE sip:b@example.com SIP/2.0',
        'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKa, SIP/2.0/TCP proxy.example.com;branch=z9hG4bKb',
        'Via: SIP/2.0/UDP edge.example.com;branch=z9hG4bKc',
        'Max-Forwards: 70',
        'From: <sip:a@example.com>;tag=1',
        'To: <sip:b@example.com>',
        'Call-ID: c1@192.0.2.1',
        'CSeq: 5 INVITE',
        ...extra,
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    ),
  );
  if (!r.ok || r.value.kind !== 'request') throw new Error(r.ok ? 'not a request' : r.error.reason);
  return r.value;
}

describe('header names', () => {
  it('looks up known names in any case and compact form', () => {
    for (const n of ['Call-ID', 'call-id', 'CALL-ID', 'i', 'I']) expect(lookupHeader(n)?.name).toBe('Call-ID');
    expect(lookupHeader('WWW-authenticate')?.name).toBe('WWW-Authenticate');
    expect(lookupHeader('X-Unknown')).toBeUndefined();
    expect(lookupHeader('Call\rID')).toBeUndefined();
    expect(lookupHeader('Call-I\x04')).toBeUndefined();
    expect(headerKey('V')).toBe('via');
    expect(headerKey('X-Foo')).toBe('x-foo');
    expect(canonicalName('cseq')).toBe('CSeq');
    expect(canonicalName('x-Foo')).toBe('x-Foo');
  });
});

describe('Via', () => {
  it('parses sent-protocol, sent-by and parameters', () => {
    const v = parseVia('SIP / 2.0 / udp  [2001:db8::1] : 5062 ; branch = z9hG4bKx ; rport ; received=2001:db8::2 ; ttl=0 ; maddr=ff02::1')!;
    expect(v.protocolName).toBe('SIP');
    expect(v.protocolVersion).toBe('2.0');
    expect(v.transport).toBe('UDP');
    expect(v.host).toBe('[2001:db8::1]');
    expect(v.port).toBe(5062);
    expect(v.branch).toBe('z9hG4bKx');
    expect(v.hasRport).toBe(true);
    expect(v.rport).toBeUndefined();
    expect(v.received).toBe('2001:db8::2');
    expect(v.ttl).toBe(0);
    expect(v.maddr).toBe('ff02::1');
  });

  it('builds and modifies Via values', () => {
    const v = new Via({ transport: 'TCP', host: 'pc33.example.com', port: 5060, params: params({ branch: 'z9hG4bKnew', rport: null }) });
    expect(v.toString()).toBe('SIP/2.0/TCP pc33.example.com:5060;branch=z9hG4bKnew;rport');
    const answered = v.withParam('received', '198.51.100.1').withParam('rport', '40000');
    expect(answered.toString()).toBe('SIP/2.0/TCP pc33.example.com:5060;branch=z9hG4bKnew;rport=40000;received=198.51.100.1');
    expect(answered.rport).toBe(40000);
    expect(answered.branch).toBe('z9hG4bKnew');
    expect(v.withParam('rport', undefined).hasRport).toBe(false);
    expect(new Via({ transport: 'UDP', host: 'h' }).isRfc3261Branch).toBe(false);
  });

  it('rejects malformed values', () => {
    for (const s of ['SIP/2.0 host', 'SIP/2.0/UDP', 'SIP/2.0/UDP host;rport=x', 'SIP/2.0/UDP host;rport=65536', 'SIP/2.0/UDP host;ttl=', 'SIP/2.0/UDPhost', 'SIP/2.0/UDP host extra']) {
      expect(parseVia(s), s).toBeUndefined();
    }
  });
});

describe('name-addr values', () => {
  it('parses display names, URIs and header parameters', () => {
    const a = parseNameAddr('"Mr. Watson" <sip:watson@worcester.bell-telephone.com;transport=tcp>;tag=x;expires=60')!;
    expect(a.displayName).toBe('Mr. Watson');
    expect(a.uri.toString()).toBe('sip:watson@worcester.bell-telephone.com;transport=tcp');
    expect(a.tag).toBe('x');
    expect(a.params.get('expires')).toBe('60');
    // addr-spec: parameters after the URI belong to the header (RFC 3261 §20).
    const b = parseNameAddr('sip:watson@bell.com;tag=y')!;
    expect(b.uri.toString()).toBe('sip:watson@bell.com');
    expect(b.tag).toBe('y');
    expect(b.displayName).toBeUndefined();
    expect(parseNameAddr('<tel:+12125551212>')!.uri.scheme).toBe('tel');
    expect(parseNameAddr('Anonymous <sip:anonymous@anonymous.invalid>')!.displayName).toBe('Anonymous');
    expect(parseNameAddr('"" <sip:a@b>')!.displayName).toBe('');
  });

  it('rejects what RFC 3261 §20 forbids', () => {
    for (const s of ['sip:a@b?subject=x', '"x" sip:a@b', '<sip:a@b', 'x <sip:a@b>>', '<sip:a@b>;', '<sip:a@b> junk', '<>', '', 'Bell, A <sip:a@b>']) {
      expect(parseNameAddr(s), s).toBeUndefined();
    }
  });

  it('parses lists and enforces brackets for routes', () => {
    const out: NameAddr[] = [];
    expect(parseNameAddrList('<sip:p1.example.com;lr>,<sip:p2.example.com;lr> , <sip:p3.example.com>', out, true)).toBe(true);
    expect(out.map((r) => r.uri.toString())).toEqual(['sip:p1.example.com;lr', 'sip:p2.example.com;lr', 'sip:p3.example.com']);
    expect(parseNameAddrList('sip:p1.example.com', [], true)).toBe(false);
    expect(parseNameAddrList('<sip:a@b>,', [], false)).toBe(false);
    expect(parseNameAddrList('<sip:a@b>,,<sip:c@d>', [], false)).toBe(false);
  });

  it('builds name-addr values and adds tags', () => {
    const n = new NameAddr({ uri: new SipUri({ user: 'alice', host: 'atlanta.com' }), displayName: 'Alice "Al" Smith' });
    expect(n.toString()).toBe('"Alice \\"Al\\" Smith" <sip:alice@atlanta.com>');
    expect(n.withTag('88sja8x').toString()).toBe('"Alice \\"Al\\" Smith" <sip:alice@atlanta.com>;tag=88sja8x');
    expect(parseNameAddr(n.withTag('t').toString())!.displayName).toBe('Alice "Al" Smith');
    expect(new NameAddr({ uri: parseUri('sip:x@y')! }).withParam('expires', '0').toString()).toBe('<sip:x@y>;expires=0');
  });
});

describe('scalar and list values', () => {
  it('CSeq', () => {
    expect(parseCSeq('4711 INVITE')).toEqual({ seq: 4711, method: 'INVITE' });
    expect(parseCSeq('  0009\t INVITE ')).toEqual({ seq: 9, method: 'INVITE' });
    for (const s of ['INVITE', '1', '1 INVITE BYE', '4294967296 INVITE', 'x INVITE', '1 INV"ITE']) expect(parseCSeq(s), s).toBeUndefined();
  });

  it('option-tag and method lists', () => {
    const out: string[] = [];
    expect(parseTokenList(' 100rel , timer,replaces ', out)).toBe(true);
    expect(out).toEqual(['100rel', 'timer', 'replaces']);
    expect(parseTokenList('a,,b', [])).toBe(false);
    expect(parseTokenList('a b', [])).toBe(false);
  });

  it('Content-Type and Accept', () => {
    const t = parseMediaType('Application/SDP ; charset="utf-8"')!;
    expect(t.mimeType).toBe('application/sdp');
    expect(t.params.getUnquoted('charset')).toBe('utf-8');
    expect(parseMediaType('multipart/mixed;boundary=abc')!.params.get('boundary')).toBe('abc');
    expect(parseMediaType('application')).toBeUndefined();
    expect(parseMediaType('a/b, c/d')).toBeUndefined();
    const m = request('Accept: application/sdp;level=1, application/*;q=0.5, */*', 'Content-Type: text/plain');
    expect(m.value(H.Accept)!.map((x) => x.mimeType)).toEqual(['application/sdp', 'application/*', '*/*']);
    expect(m.contentType?.subtype).toBe('plain');
  });

  it('Expires, Min-Expires, Max-Forwards ranges', () => {
    const m = request('Expires: 4294967295', 'Min-Expires: 60');
    expect(m.value(H.Expires)).toBe(4294967295);
    expect(m.value(H.MinExpires)).toBe(60);
    expect(request('Expires: 4294967296').typed(H.Expires)?.ok).toBe(false);
    expect(request('Expires: 1, 2').typed(H.Expires)?.ok).toBe(false);
  });

  it('Event and Subscription-State (RFC 6665)', () => {
    expect(parseEvent('presence.winfo;id=123;other')).toMatchObject({ value: 'presence.winfo', id: '123' });
    expect(parseEvent('dialog')!.id).toBeUndefined();
    expect(parseEvent('')).toBeUndefined();
    expect(parseSubscriptionState('terminated;reason=timeout;retry-after=30')).toMatchObject({
      state: 'terminated',
      reason: 'timeout',
      retryAfter: 30,
      expires: undefined,
    });
    expect(parseSubscriptionState('Active ; expires=600')).toMatchObject({ state: 'active', expires: 600 });
    expect(parseSubscriptionState('active;expires=soon')).toBeUndefined();
    expect(parseSubscriptionState('active;expires')).toBeUndefined();
  });

  it('RSeq and RAck (RFC 3262)', () => {
    expect(request('RSeq: 1').value(H.RSeq)).toBe(1);
    expect(request('RSeq: 0').typed(H.RSeq)?.ok).toBe(false);
    expect(parseRAck('776656 1 INVITE')).toEqual({ rseq: 776656, cseq: 1, method: 'INVITE' });
    expect(parseRAck('776656 INVITE')).toBeUndefined();
    expect(parseRAck('0 1 INVITE')).toBeUndefined();
    expect(parseRAck('1 1INVITE')).toBeUndefined();
  });

  it('Session-Expires and Min-SE (RFC 4028)', () => {
    expect(parseSessionExpires('4000;refresher=UAS')).toMatchObject({ deltaSeconds: 4000, refresher: 'uas' });
    expect(parseSessionExpires('1800')).toMatchObject({ deltaSeconds: 1800, refresher: undefined });
    expect(parseSessionExpires('1800;refresher=both')).toBeUndefined();
    expect(parseSessionExpires('1800;refresher')).toBeUndefined();
    expect(request('Min-SE: 90;lwsparam').value(H.MinSE)).toBe(90);
  });

  it('Replaces (RFC 3891)', () => {
    expect(parseReplaces('425928@bobster.example.org;to-tag=7743;from-tag=6472;early-only')).toMatchObject({
      callId: '425928@bobster.example.org',
      toTag: '7743',
      fromTag: '6472',
      earlyOnly: true,
    });
    expect(parseReplaces('425928@bobster.example.org;to-tag=7743')).toBeUndefined();
    expect(parseReplaces('a b;to-tag=1;from-tag=2')).toBeUndefined();
  });
});

describe('authentication headers', () => {
  it('parses Digest challenges and credentials', () => {
    const c = parseAuth('Digest realm="atlanta.com", domain="sip:boxesbybob.com", qop="auth", nonce="f84f1cec41e6cbe5aea9c8e88d359", opaque="", stale=FALSE, algorithm=MD5')!;
    expect(c.isDigest).toBe(true);
    expect(c.get('REALM')).toBe('atlanta.com');
    expect(c.get('domain')).toBe('sip:boxesbybob.com');
    expect(c.get('opaque')).toBe('');
    expect(c.get('stale')).toBe('FALSE');
    expect(c.get('missing')).toBeUndefined();
    const esc = parseAuth('Digest realm="a \\"quoted\\" realm", nc=00000001')!;
    expect(esc.get('realm')).toBe('a "quoted" realm');
    expect(esc.get('nc')).toBe('00000001');
  });

  it('formats credentials, quoting where asked', () => {
    const s = formatAuth('Digest', [
      { name: 'username', value: 'bob', quoted: true },
      { name: 'realm', value: 'say "hi"', quoted: true },
      { name: 'algorithm', value: 'MD5', quoted: false },
    ]);
    expect(s).toBe('Digest username="bob", realm="say \\"hi\\"", algorithm=MD5');
    expect(parseAuth(s)!.get('realm')).toBe('say "hi"');
    expect(new AuthValue('Basic', [], 'QWxhZGRpbjpvcGVuIHNlc2FtZQ==').toString()).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
  });

  it('accepts other schemes and token68', () => {
    expect(parseAuth('NoOneKnowsThisScheme opaque-data=here')!.get('opaque-data')).toBe('here');
    expect(parseAuth('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==')!.token68).toBe('QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
    expect(parseAuth('Bearer')!.params).toEqual([]);
    expect(parseAuth('Digest realm="x", ')).toBeUndefined();
    expect(parseAuth('Digest realm="unterminated')).toBeUndefined();
    expect(parseAuth('')).toBeUndefined();
  });

  it('Authentication-Info and repeated challenges', () => {
    expect(parseAuthenticationInfo('nextnonce="47364c23432d2e131a5fb210812c", qop=auth')!.get('nextnonce')).toBe('47364c23432d2e131a5fb210812c');
    const m = request('Proxy-Authenticate: Digest realm="a", nonce="1"', 'Proxy-Authenticate: Digest realm="b", nonce="2"');
    expect(m.value(H.ProxyAuthenticate)!.map((c) => c.get('realm'))).toEqual(['a', 'b']);
  });
});

describe('message header access and mutation', () => {
  it('reads raw values and counts', () => {
    const m = request('X-A: 1', 'x-a: 2');
    expect(m.headers.get('X-A')).toBe('1');
    expect(m.headers.getAll('x-a')).toEqual(['1', '2']);
    expect(m.headers.count('Via')).toBe(2);
    expect(m.headers.has('Subject')).toBe(false);
    expect(m.headers.indexOf('From')).toBe(3);
    expect(m.vias.map((v) => v.branch)).toEqual(['z9hG4bKa', 'z9hG4bKb', 'z9hG4bKc']);
  });

  it('set, append, prepend and remove keep order and clear typed caches', () => {
    const m = request('Expires: 60');
    expect(m.value(H.Expires)).toBe(60);
    m.headers.set('Expires', '120');
    expect(m.value(H.Expires)).toBe(120);
    m.headers.append('Supported', 'timer');
    m.headers.append('k', '100rel');
    expect(m.value(H.Supported)).toEqual(['timer', '100rel']);
    expect(m.headers.remove('Supported')).toBe(2);
    expect(m.value(H.Supported)).toBeUndefined();
    m.headers.set('Subject', 'new at the end');
    const names = [...m.headers].map((f) => f.name);
    expect(names.slice(-2)).toEqual(['Content-Length', 'Subject']);
    m.headers.prepend('Record-Route', '<sip:p.example.com;lr>');
    expect(m.headers.at(0)?.name).toBe('Record-Route');
  });

  it('replaces, removes and adds Via values', () => {
    const m = request();
    const top = m.topVia!.withParam('received', '203.0.113.9').withParam('rport', '5070');
    m.replaceTopVia(top);
    expect(m.vias.map(String)).toEqual([
      'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKa;received=203.0.113.9;rport=5070',
      'SIP/2.0/TCP proxy.example.com;branch=z9hG4bKb',
      'SIP/2.0/UDP edge.example.com;branch=z9hG4bKc',
    ]);
    m.removeTopVia();
    expect(m.vias.map((v) => v.branch)).toEqual(['z9hG4bKb', 'z9hG4bKc']);
    m.removeTopVia();
    expect(m.vias.map((v) => v.branch)).toEqual(['z9hG4bKc']);
    m.prependVia(new Via({ transport: 'UDP', host: '10.0.0.1', params: params({ branch: 'z9hG4bKnew' }) }));
    expect(m.topVia?.branch).toBe('z9hG4bKnew');
    expect(serializeMessage(m).toString()).toMatch(/^INVITE sip:b@example.com SIP\/2.0\r\nVia: SIP\/2.0\/UDP 10.0.0.1;branch=z9hG4bKnew\r\n/);
  });

  it('accessors of mandatory headers throw on a hand-built message lacking them (a bug)', () => {
    const m = request();
    m.headers.remove('From');
    expect(() => m.from).toThrow(/no From/);
    m.headers.set('CSeq', 'garbage');
    expect(() => m.cseq).toThrow(/Malformed CSeq/);
  });

  it('lets other layers define typed views', () => {
    const RetryAfter = defineHeader.single('Retry-After', (v) => {
      const n = Number.parseInt(v, 10);
      return Number.isNaN(n) ? undefined : n;
    });
    expect(request('Retry-After: 18000;duration=3600').value(RetryAfter)).toBe(18000);
    expect(request().typed(RetryAfter)).toBeUndefined();
    const Custom = defineHeader.custom('X-Count', (values) => ({ ok: true, value: values.length }));
    expect(request('X-Count: a', 'X-Count: b').value(Custom)).toBe(2);
  });

  it('clones independently', () => {
    const m = request();
    const c = m.clone();
    c.headers.set('Subject', 'only in the clone');
    c.method = 'OPTIONS';
    expect(m.headers.has('Subject')).toBe(false);
    expect(m.method).toBe('INVITE');
    expect(c.startLine).toBe('OPTIONS sip:b@example.com SIP/2.0');
    expect(c.callId).toBe(m.callId);
  });
});
