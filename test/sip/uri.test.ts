// URI parsing, serialisation and RFC 3261 §19.1.4 comparison.
import { describe, expect, it } from 'vitest';
import {
  AbsoluteUri,
  checkUriRange,
  hostType,
  params,
  parseSipUri,
  parseUri,
  SipUri,
  TelUri,
  unescapeUri,
  URI_INVALID,
  URI_VALID,
  URI_VALID_WITH_HEADERS,
  uriEquals,
  type Uri,
} from '../../src/sip/message/index.js';

function uri(s: string): Uri {
  const u = parseUri(s);
  if (u === undefined) throw new Error(`expected a URI: ${s}`);
  return u;
}

function sip(s: string): SipUri {
  const u = parseSipUri(s);
  if (u === undefined) throw new Error(`expected a SIP URI: ${s}`);
  return u;
}

describe('SIP URI parsing (RFC 3261 §19.1.1, §25.1)', () => {
  const cases: Array<[string, Partial<Record<'scheme' | 'user' | 'password' | 'host' | 'port' | 'hostType', unknown>>]> = [
    ['sip:alice@atlanta.com', { scheme: 'sip', user: 'alice', host: 'atlanta.com', port: undefined, hostType: 'domain' }],
    ['sip:alice:secretword@atlanta.com;transport=tcp', { user: 'alice', password: 'secretword', host: 'atlanta.com' }],
    ['sips:alice@atlanta.com?subject=project%20x&priority=urgent', { scheme: 'sips', user: 'alice' }],
    ['sip:+1-212-555-1212:1234@gateway.com;user=phone', { user: '+1-212-555-1212', password: '1234', host: 'gateway.com' }],
    ['sips:1212@gateway.com', { scheme: 'sips', user: '1212' }],
    ['sip:alice@192.0.2.4', { host: '192.0.2.4', hostType: 'ipv4' }],
    ['sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com', { user: undefined, host: 'atlanta.com' }],
    ['sip:alice;day=tuesday@atlanta.com', { user: 'alice;day=tuesday', host: 'atlanta.com' }],
    ['sip:[2001:db8::1]:5060', { host: '[2001:db8::1]', port: 5060, hostType: 'ipv6' }],
    ['sip:bob@[::ffff:192.0.2.1]', { host: '[::ffff:192.0.2.1]', hostType: 'ipv6' }],
    ['sip:[::1]', { host: '[::1]' }],
    ['SIP:Bob@Example.COM:5070', { scheme: 'sip', user: 'Bob', host: 'Example.COM', port: 5070 }],
    ['sip:*97#@pbx.example.com', { user: '*97#' }],
    ['sip:host.example.com.', { host: 'host.example.com.' }],
    ['sip:user:@host', { user: 'user', password: '' }],
    ['sip:host:0', { host: 'host', port: 0 }],
  ];
  for (const [text, expected] of cases) {
    it(`parses ${text}`, () => {
      const u = sip(text);
      for (const [k, v] of Object.entries(expected)) expect((u as unknown as Record<string, unknown>)[k], k).toBe(v);
      // Parsed URIs serialise to exactly their text.
      expect(u.toString()).toBe(text);
    });
  }

  it('exposes URI parameters and headers in order', () => {
    const u = sip('sip:bob@biloxi.com;transport=TCP;lr;maddr=239.255.255.1;ttl=15;user=phone;method=INVITE?Subject=hi&Priority=urgent');
    expect(u.transport).toBe('tcp');
    expect(u.lr).toBe(true);
    expect(u.maddr).toBe('239.255.255.1');
    expect(u.params.get('TTL')).toBe('15');
    expect(u.params.get('lr')).toBeNull();
    expect(u.params.get('absent')).toBeUndefined();
    expect(u.params.list.map((p) => p.name)).toEqual(['transport', 'lr', 'maddr', 'ttl', 'user', 'method']);
    expect(u.headers.list).toEqual([
      { name: 'Subject', value: 'hi' },
      { name: 'Priority', value: 'urgent' },
    ]);
  });

  it('decodes escapes on request', () => {
    expect(sip('sip:%61lice@atlanta.com').userDecoded).toBe('alice');
    expect(sip('sip:I%20have%20spaces@example.net').userDecoded).toBe('I have spaces');
    expect(sip('sip:caf%C3%A9@example.net').userDecoded).toBe('café');
    expect(unescapeUri('bad%ZZescape%E9')).toBe('bad%ZZescape\u00e9');
  });

  const invalid = [
    'sip:',
    'sip:@host',
    'sip:user@',
    'sip:user@host:',
    'sip:user@host:65536',
    'sip:user@host:123456',
    'sip:user@ho st',
    'sip:user@host;',
    'sip:user@host;=x',
    'sip:user@host;a=',
    'sip:user@host?',
    'sip:user@host?a',
    'sip:user@host?=b',
    'sip:us er@host',
    'sip:user@host%20',
    'sip:user%2@host',
    'sip:user%zz@host',
    'sip:user@[2001:db8::1',
    'sip:user@[2001:db8:::1]',
    'sip:user@[1:2:3:4:5:6:7:8:9]',
    'sip:user@[xyz]',
    'sip:user@999.1.1.1',
    'sip:user@1.2.3',
    'sip:user@.example.com',
    'sip:user@example..com',
    'sip:user@host>',
    '<sip:user@host>',
    ' sip:user@host',
    'sip:user@host ',
    'sip:a@b@c',
  ];
  for (const text of invalid) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      expect(parseUri(text)).toBeUndefined();
      expect(checkUriRange(text, 0, text.length)).toBe(URI_INVALID);
    });
  }

  it('checkUriRange agrees with parseUri and reports a headers component', () => {
    expect(checkUriRange('sip:a@b', 0, 7)).toBe(URI_VALID);
    expect(checkUriRange('sip:a@b?x=y', 0, 11)).toBe(URI_VALID_WITH_HEADERS);
    expect(checkUriRange('tel:+1', 0, 6)).toBe(URI_VALID);
    expect(checkUriRange('xx sip:a@b yy', 3, 10)).toBe(URI_VALID);
  });

  it('builds URIs and serialises them canonically', () => {
    const u = new SipUri({ user: 'alice', host: 'atlanta.com', port: 5061, params: params({ transport: 'tls', lr: null }) });
    expect(u.toString()).toBe('sip:alice@atlanta.com:5061;transport=tls;lr');
    expect(u.withParam('lr', undefined).toString()).toBe('sip:alice@atlanta.com:5061;transport=tls');
    expect(u.withParam('maddr', '192.0.2.1').toString()).toBe('sip:alice@atlanta.com:5061;transport=tls;lr;maddr=192.0.2.1');
    expect(u.with({ scheme: 'sips', port: undefined }).toString()).toBe('sips:alice@atlanta.com;transport=tls;lr');
    expect(new SipUri({ host: '[2001:db8::5]' }).hostname).toBe('2001:db8::5');
    expect(new SipUri({ host: 'h', headers: params({ Subject: 'a%20b' }) }).toString()).toBe('sip:h?Subject=a%20b');
    // with() on a parsed URI drops the cached text.
    expect(sip('sip:A@B').with({ user: 'c' }).toString()).toBe('sip:c@B');
  });

  it('classifies hosts', () => {
    expect(hostType('10.0.0.1')).toBe('ipv4');
    expect(hostType('[::1]')).toBe('ipv6');
    expect(hostType('a.example')).toBe('domain');
  });
});

describe('tel and other URIs', () => {
  it('parses tel URIs (RFC 3966)', () => {
    const t = uri('tel:+1-201-555-0123;ext=42;phone-context=example.com');
    expect(t).toBeInstanceOf(TelUri);
    expect((t as TelUri).number).toBe('+1-201-555-0123');
    expect((t as TelUri).isGlobal).toBe(true);
    expect((t as TelUri).params.get('ext')).toBe('42');
    expect(t.toString()).toBe('tel:+1-201-555-0123;ext=42;phone-context=example.com');
    expect(new TelUri('7042', params({ 'phone-context': 'example.com' })).toString()).toBe('tel:7042;phone-context=example.com');
    expect(parseUri('tel:')).toBeUndefined();
    expect(parseUri('tel:abc xyz')).toBeUndefined();
  });

  it('keeps any other absoluteURI opaque', () => {
    const u = uri('HTTP://www.example.com/a?b=c');
    expect(u).toBeInstanceOf(AbsoluteUri);
    expect(u.scheme).toBe('http');
    expect((u as AbsoluteUri).opaque).toBe('//www.example.com/a?b=c');
    expect(u.toString()).toBe('HTTP://www.example.com/a?b=c');
    expect(uri('urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6').scheme).toBe('urn');
    expect(parseUri('1abc:x')).toBeUndefined();
    expect(parseUri('abc:')).toBeUndefined();
    expect(parseUri('abc:x y')).toBeUndefined();
    expect(parseUri('nocolon')).toBeUndefined();
  });
});

describe('URI comparison (RFC 3261 §19.1.4)', () => {
  const equal: Array<[string, string]> = [
    ['sip:%61lice@atlanta.com;transport=TCP', 'sip:alice@AtLanTa.CoM;Transport=tcp'],
    ['sip:carol@chicago.com', 'sip:carol@chicago.com;newparam=5'],
    ['sip:carol@chicago.com', 'sip:carol@chicago.com;security=on'],
    ['sip:carol@chicago.com;newparam=5', 'sip:carol@chicago.com;security=on'],
    ['sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com', 'sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com'],
    ['sip:alice@atlanta.com?subject=project%20x&priority=urgent', 'sip:alice@atlanta.com?priority=urgent&subject=project%20x'],
    // Extras: IPv6 forms, escapes in parameters, tel numbers with visual separators.
    ['sip:[2001:db8:0:0::1]:5060', 'sip:[2001:DB8::1]:5060'],
    ['sip:a@h;x=%41', 'sip:a@h;x=a'],
    ['tel:+1-201-555-0123', 'tel:+12015550123'],
    ['tel:+1201555;ext=1;isub=2', 'tel:+1201555;isub=2;ext=1'],
    ['urn:service:sos', 'URN:service:sos'],
  ];
  const notEqual: Array<[string, string, string]> = [
    ['SIP:ALICE@AtLanTa.CoM;Transport=udp', 'sip:alice@AtLanTa.CoM;Transport=UDP', 'different usernames'],
    ['sip:bob@biloxi.com', 'sip:bob@biloxi.com:5060', 'can resolve to different ports'],
    ['sip:bob@biloxi.com', 'sip:bob@biloxi.com;transport=udp', 'can resolve to different transports'],
    ['sip:bob@biloxi.com', 'sip:bob@biloxi.com:6000;transport=tcp', 'different port and transport'],
    ['sip:carol@chicago.com', 'sip:carol@chicago.com?Subject=next%20meeting', 'different header component'],
    ['sip:bob@phone21.boxesbybob.com', 'sip:bob@192.0.2.4', 'no DNS in comparison'],
    // The other rules of the section.
    ['sip:alice@atlanta.com', 'sips:alice@atlanta.com', 'sip vs sips'],
    ['sip:alice@atlanta.com', 'sip:atlanta.com', 'userinfo on one side'],
    ['sip:alice:pw@atlanta.com', 'sip:alice@atlanta.com', 'password on one side'],
    ['sip:a@h;user=phone', 'sip:a@h', 'user param on one side'],
    ['sip:a@h;ttl=1', 'sip:a@h', 'ttl param on one side'],
    ['sip:a@h;method=INVITE', 'sip:a@h', 'method param on one side'],
    ['sip:a@h;maddr=1.2.3.4', 'sip:a@h', 'maddr on one side'],
    ['sip:a@h;foo=1', 'sip:a@h;foo=2', 'param in both with different values'],
    ['sip:alice;day=tuesday@atlanta.com', 'sip:alice%3Bday=tuesday@atlanta.com', 'escaped reserved character'],
    ['sip:a@h?x=1', 'sip:a@h?x=1&y=2', 'extra header'],
    ['sip:a@h', 'tel:+1', 'different schemes'],
    ['tel:+1201', 'tel:+1202', 'different numbers'],
  ];
  for (const [a, b] of equal) {
    it(`${a} == ${b}`, () => {
      expect(uriEquals(uri(a), uri(b))).toBe(true);
      expect(uriEquals(uri(b), uri(a))).toBe(true);
    });
  }
  for (const [a, b, why] of notEqual) {
    it(`${a} != ${b} (${why})`, () => {
      expect(uriEquals(uri(a), uri(b))).toBe(false);
      expect(uriEquals(uri(b), uri(a))).toBe(false);
    });
  }
});
