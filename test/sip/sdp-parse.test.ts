// SDP (RFC 4566) parse and serialize: golden descriptions of real peers round-trip byte for
// byte, their attributes read as the offer/answer engine needs them, and malformed input comes
// back as an SdpFailure naming the line and the field.
import { describe, expect, it } from 'vitest';
import {
  cryptoAttribute,
  describeOffered,
  formatInlineKey,
  parseCrypto,
  parseEventList,
  parseFmtp,
  parseFmtpParameters,
  parseInlineKey,
  parseRtcp,
  parseRtpmap,
  parseSdp,
  rtpmapAttribute,
  sdpWarning,
  serializeSdp,
  viewMedia,
  isUnspecifiedAddress,
  reverseDirection,
  type SessionDescription,
} from '../../src/sip/sdp/index.js';
import { ASTERISK, AUDIO_VIDEO, BARESIP, IPV6, RFC4566_EXAMPLE, SIPP_UAC, SRTP_OFFER, T38_REOFFER } from './sdp-fixtures.js';

function parsed(text: string | Uint8Array): SessionDescription {
  const r = parseSdp(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('parseSdp: golden descriptions', () => {
  const goldens = { SIPP_UAC, BARESIP, ASTERISK, IPV6, RFC4566_EXAMPLE, SRTP_OFFER, T38_REOFFER, AUDIO_VIDEO };
  for (const [name, text] of Object.entries(goldens)) {
    it(`${name} round-trips byte for byte`, () => {
      expect(serializeSdp(parsed(text))).toBe(text);
    });
  }

  it('SIPp: origin, connection and a single PCMU stream', () => {
    const sd = parsed(SIPP_UAC);
    expect(sd.origin).toEqual({ username: 'user1', sessionId: '53655765', sessionVersion: '2353687637', netType: 'IN', addressType: 'IP4', address: '127.0.0.1' });
    expect(sd.connection).toEqual({ netType: 'IN', addressType: 'IP4', address: '127.0.0.1' });
    const v = viewMedia(sd, 0);
    expect(v.formats.map((f) => [f.payloadType, f.encodingName, f.clockRate])).toEqual([[0, 'PCMU', 8000]]);
    expect(v.direction).toBe('sendrecv');
    expect(v.ptimeMs).toBeUndefined();
  });

  it('baresip: dynamic opus, fmtp, session-level tool attribute, bandwidth', () => {
    const sd = parsed(BARESIP);
    expect(sd.attributes).toEqual([{ name: 'tool', value: 'baresip 3.10.1' }]);
    const v = viewMedia(sd, 0);
    expect(v.media.bandwidths).toEqual([{ type: 'AS', value: 128 }]);
    expect(v.formats[0]).toEqual({ payloadType: 96, encodingName: 'opus', clockRate: 48000, channels: 2, fmtp: 'stereo=1;sprop-stereo=1' });
    expect(v.formats.map((f) => f.payloadType)).toEqual([96, 9, 0, 8, 101]);
    expect(v.media.attributes.find((a) => a.name === 'rtcp-mux')).toEqual({ name: 'rtcp-mux' });
  });

  it('Asterisk: static types without rtpmap resolve through RFC 3551, an unknown dynamic type is set aside', () => {
    const v = viewMedia(parsed(ASTERISK), 0);
    expect(v.formats.map((f) => `${f.payloadType}:${f.encodingName}/${f.clockRate}`)).toEqual([
      '107:opus/48000',
      '3:GSM/8000',
      '18:G729/8000',
      '9:G722/8000',
      '8:PCMA/8000',
      '0:PCMU/8000',
      '110:telephone-event/16000',
      '101:telephone-event/8000',
    ]);
    expect(v.formats.find((f) => f.payloadType === 18)?.fmtp).toBe('annexb=no');
    expect(v.unknownPayloadTypes).toEqual([122]);
    expect(v.maxptimeMs).toBe(150);
    expect(describeOffered(v)).toContain('unknown (122)');
    expect(describeOffered(v)).toContain('opus/48000/2 (107)');
  });

  it('IPv6: media-level c= and a=rtcp with an address', () => {
    const sd = parsed(IPV6);
    expect(sd.connection).toBeUndefined();
    const v = viewMedia(sd, 0);
    expect(v.connection).toEqual({ netType: 'IN', addressType: 'IP6', address: '2001:db8::1' });
    expect(v.rtcp).toEqual({ port: 49171, connection: { netType: 'IN', addressType: 'IP6', address: '2001:db8::2' } });
    expect(v.ptimeMs).toBe(30);
  });

  it('RFC 4566 example: multicast TTL, session-level direction inherited by media', () => {
    const sd = parsed(RFC4566_EXAMPLE);
    expect(sd.connection).toEqual({ netType: 'IN', addressType: 'IP4', address: '224.2.17.12', ttl: 127 });
    expect(sd.information).toBe('A Seminar on the session description protocol');
    expect(sd.uri).toBe('http://www.example.com/seminars/sdp.pdf');
    expect(sd.emails).toEqual(['j.doe@example.com (Jane Doe)']);
    expect(sd.timings).toEqual([{ start: '2873397496', stop: '2873404696', repeats: [] }]);
    expect(viewMedia(sd, 0).direction).toBe('recvonly');
    expect(viewMedia(sd, 1).formats[0]?.encodingName).toBe('h263-1998');
  });

  it('SRTP: RTP/SAVP is secure, both a=crypto lines parse with lifetime, MKI and session params', () => {
    const v = viewMedia(parsed(SRTP_OFFER), 0);
    expect(v.secure).toBe(true);
    expect(v.crypto).toHaveLength(2);
    const c = v.crypto[0]!;
    expect(c.tag).toBe(1);
    expect(c.suite).toBe('AES_CM_128_HMAC_SHA1_80');
    expect(c.sessionParams).toEqual(['FEC_ORDER=FEC_SRTP']);
    expect(parseInlineKey(c.keyParams[0]!.info)).toEqual({ keySalt: 'WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz', lifetime: '2^20', mki: { value: 1, length: 4 } });
  });

  it('T.38: a non-RTP format list is kept as tokens and resolves to no codec', () => {
    const v = viewMedia(parsed(T38_REOFFER), 0);
    expect(v.rtp).toBe(false);
    expect(v.media.formats).toEqual(['t38']);
    expect(v.formats).toEqual([]);
    expect(describeOffered(v)).toEqual(['image udptl t38']);
  });

  it('accepts LF line ends, a missing final CRLF, blank lines and bytes', () => {
    const lf = SIPP_UAC.replace(/\r\n/g, '\n').trimEnd();
    expect(serializeSdp(parsed(lf))).toBe(SIPP_UAC);
    expect(serializeSdp(parsed(SIPP_UAC.replace('s=-\r\n', 's=-\r\n\r\n')))).toBe(SIPP_UAC);
    expect(serializeSdp(parsed(new TextEncoder().encode(SIPP_UAC)))).toBe(SIPP_UAC);
  });

  it('session-level lines out of the §5 order are accepted and written back in order; a missing t= is tolerated', () => {
    const text = ['v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 't=0 0', 'c=IN IP4 192.0.2.1', 'm=audio 4000 RTP/AVP 0', ''].join('\r\n');
    expect(serializeSdp(parsed(text))).toBe(['v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', 'm=audio 4000 RTP/AVP 0', ''].join('\r\n'));
    const noT = parsed(['v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 'm=audio 4000 RTP/AVP 0'].join('\r\n'));
    expect(noT.timings).toEqual([]);
  });

  it('keeps r=, z=, k=, p=, i= and b= lines, and a rejected stream without formats', () => {
    const text = [
      'v=0',
      'o=- 1 1 IN IP4 192.0.2.1',
      's=-',
      'i=info',
      'p=+1 617 555-6011',
      'c=IN IP4 192.0.2.1',
      'b=CT:64',
      't=2873397496 2873404696',
      'r=7d 1h 0 25h',
      'z=2882844526 -1h 2898848070 0',
      'k=prompt',
      'm=audio 0 RTP/AVP',
      'm=audio 4000/2 RTP/AVP 0',
      'i=second',
      'c=IN IP4 224.2.1.1/127/3',
      'b=TIAS:64000',
      'k=clear:abc',
      'a=sendonly',
      '',
    ].join('\r\n');
    const sd = parsed(text);
    expect(serializeSdp(sd)).toBe(text);
    expect(sd.timings[0]!.repeats).toEqual(['7d 1h 0 25h']);
    expect(sd.media[1]!.portCount).toBe(2);
    expect(sd.media[1]!.connections[0]).toEqual({ netType: 'IN', addressType: 'IP4', address: '224.2.1.1', ttl: 127, addressCount: 3 });
    expect(viewMedia(sd, 1).direction).toBe('sendonly');
  });
});

describe('parseSdp: failures name the line and the field', () => {
  const base = ['v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', 'm=audio 4000 RTP/AVP 0'];
  const replace = (index: number, line: string): string => base.map((l, i) => (i === index ? line : l)).join('\r\n');
  const cases: Array<[string, string, string, number | undefined, RegExp]> = [
    ['empty body', '', 'SDP_EMPTY', undefined, /empty/],
    ['only blank lines', '\r\n\r\n', 'SDP_EMPTY', undefined, /empty/],
    ['v= not first', base.slice(1).join('\r\n'), 'SDP_BAD_LINE', 1, /first line must be v=0/],
    ['v=1', replace(0, 'v=1'), 'SDP_BAD_LINE', 1, /protocol version/],
    ['o= with five fields', replace(1, 'o=- 1 IN IP4 192.0.2.1'), 'SDP_BAD_LINE', 2, /o= line needs 6 fields/],
    ['o= non-numeric version', replace(1, 'o=- 1 x IN IP4 192.0.2.1'), 'SDP_BAD_LINE', 2, /session version "x"/],
    ['o= non-numeric id', replace(1, 'o=- abc 1 IN IP4 192.0.2.1'), 'SDP_BAD_LINE', 2, /session id "abc"/],
    ['missing o=', [base[0]!, ...base.slice(2)].join('\r\n'), 'SDP_MISSING_LINE', undefined, /missing o=/],
    ['missing s=', [...base.slice(0, 2), ...base.slice(3)].join('\r\n'), 'SDP_MISSING_LINE', undefined, /missing s=/],
    ['c= bad IPv4', replace(3, 'c=IN IP4 192.0.2.300'), 'SDP_BAD_LINE', 4, /bad IPv4 address "192.0.2.300"/],
    ['c= two fields', replace(3, 'c=IN 192.0.2.1'), 'SDP_BAD_LINE', 4, /c= line needs/],
    ['c= bad TTL', replace(3, 'c=IN IP4 224.2.1.1/300'), 'SDP_BAD_LINE', 4, /multicast TTL "300"/],
    ['c= bad IPv6', replace(3, 'c=IN IP6 2001:db8::zz'), 'SDP_BAD_LINE', 4, /bad IPv6 address/],
    ['t= non-numeric', replace(4, 't=now 0'), 'SDP_BAD_LINE', 5, /t= line needs/],
    ['m= port not a number', replace(5, 'm=audio abc RTP/AVP 0'), 'SDP_BAD_LINE', 6, /non-numeric port "abc"/],
    ['m= port out of range', replace(5, 'm=audio 70000 RTP/AVP 0'), 'SDP_BAD_LINE', 6, /port out of range "70000"/],
    ['m= payload type 128', replace(5, 'm=audio 4000 RTP/AVP 0 128'), 'SDP_BAD_LINE', 6, /bad RTP payload type "128"/],
    ['m= payload type not a number', replace(5, 'm=audio 4000 RTP/AVP PCMU'), 'SDP_BAD_LINE', 6, /bad RTP payload type "PCMU"/],
    ['m= no formats', replace(5, 'm=audio 4000 RTP/AVP'), 'SDP_BAD_LINE', 6, /lists no media formats/],
    ['m= double space', replace(5, 'm=audio 4000 RTP/AVP 0  8'), 'SDP_BAD_LINE', 6, /empty format/],
    ['m= too short', replace(5, 'm=audio 4000'), 'SDP_BAD_LINE', 6, /m= line needs/],
    ['unknown type letter', [...base, 'x=1'].join('\r\n'), 'SDP_BAD_LINE', 7, /unknown line type "x="/],
    ['upper-case type letter', [...base, 'A=sendrecv'].join('\r\n'), 'SDP_BAD_LINE', 7, /expected "<type>=<value>"/],
    ['no "=" at all', [...base, 'garbage'].join('\r\n'), 'SDP_BAD_LINE', 7, /expected "<type>=<value>"/],
    ['bad attribute name', [...base, 'a=:x'].join('\r\n'), 'SDP_BAD_LINE', 7, /bad attribute name/],
    ['NUL in a line', [...base, 'a=tool:x\0y'].join('\r\n'), 'SDP_BAD_LINE', 7, /NUL or bare CR/],
    ['bare CR inside a line', [...base, 'a=tool:x\ry'].join('\n'), 'SDP_BAD_LINE', 7, /NUL or bare CR/],
    ['duplicate o=', [...base.slice(0, 2), 'o=- 1 1 IN IP4 192.0.2.1', ...base.slice(2)].join('\r\n'), 'SDP_BAD_LINE', 3, /duplicate o=/],
    ['duplicate session c=', [...base.slice(0, 4), 'c=IN IP4 192.0.2.2', ...base.slice(4)].join('\r\n'), 'SDP_BAD_LINE', 5, /duplicate session-level c=/],
    ['s= inside media', [...base, 's=x'].join('\r\n'), 'SDP_BAD_LINE', 7, /s= line inside a media description/],
    ['r= before t=', [...base.slice(0, 4), 'r=7d 1h 0', ...base.slice(4)].join('\r\n'), 'SDP_BAD_LINE', 5, /r= line without a preceding t=/],
    ['b= without a number', [...base, 'b=AS:lots'].join('\r\n'), 'SDP_BAD_LINE', 7, /b= line needs/],
    ['no c= for a live stream', [...base.slice(0, 3), ...base.slice(4)].join('\r\n'), 'SDP_MISSING_LINE', 5, /no c= line/],
  ];
  for (const [name, text, code, line, message] of cases) {
    it(name, () => {
      const r = parseSdp(text);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.code).toBe(code);
      expect(r.error.line).toBe(line);
      expect(r.error.message).toMatch(message);
      expect(r.error.message).toMatch(line === undefined ? /^sdp: / : new RegExp(`^sdp: line ${line}: `));
      expect(r.error.status).toBe(400);
    });
  }

  it('a stream with port 0 needs no c= line', () => {
    expect(parseSdp(['v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 't=0 0', 'm=audio 0 RTP/AVP 0'].join('\r\n')).ok).toBe(true);
  });

  it('refuses bodies larger than a datagram and more than 64 media sections', () => {
    const huge = SIPP_UAC + 'a=x:' + 'y'.repeat(70_000) + '\r\n';
    const big = parseSdp(huge);
    expect(!big.ok && big.error.code).toBe('SDP_TOO_LARGE');
    const many = SIPP_UAC + 'm=audio 0 RTP/AVP 0\r\n'.repeat(64);
    const r = parseSdp(many);
    expect(!r.ok && r.error.code).toBe('SDP_TOO_LARGE');
    expect(!r.ok && r.error.line).toBe(71);
  });

  it('an attribute whose value does not parse is ignored, not an error (RFC 4566 §5.13)', () => {
    const text = SIPP_UAC + 'a=ptime:soon\r\na=rtpmap:zz nonsense\r\na=rtcp:99999\r\na=crypto:x\r\n';
    const v = viewMedia(parsed(text), 0);
    expect(v.ptimeMs).toBeUndefined();
    expect(v.rtcp).toBeUndefined();
    expect(v.crypto).toEqual([]);
    expect(v.formats.map((f) => f.encodingName)).toEqual(['PCMU']);
  });
});

describe('attribute readers and writers', () => {
  it('rtpmap', () => {
    expect(parseRtpmap('96 opus/48000/2')).toEqual({ payloadType: 96, encodingName: 'opus', clockRate: 48000, channels: 2 });
    expect(parseRtpmap('0 PCMU/8000')).toEqual({ payloadType: 0, encodingName: 'PCMU', clockRate: 8000, channels: 1 });
    for (const bad of ['128 X/8000', '96 opus', '96 opus/0', '96  opus/8000', 'x PCMU/8000', '96 opus/48000/0']) expect(parseRtpmap(bad)).toBeUndefined();
    expect(rtpmapAttribute({ payloadType: 96, encodingName: 'opus', clockRate: 48000, channels: 2 })).toEqual({ name: 'rtpmap', value: '96 opus/48000/2' });
    expect(rtpmapAttribute({ payloadType: 0, encodingName: 'PCMU', clockRate: 8000, channels: 1 })).toEqual({ name: 'rtpmap', value: '0 PCMU/8000' });
  });

  it('fmtp and its parameters', () => {
    expect(parseFmtp('18 annexb=no')).toEqual({ format: '18', parameters: 'annexb=no' });
    expect(parseFmtp('101')).toEqual({ format: '101', parameters: '' });
    expect([...parseFmtpParameters('Stereo=1; sprop-stereo = 1;;useinbandfec=1')]).toEqual([
      ['stereo', '1'],
      ['sprop-stereo', '1'],
      ['useinbandfec', '1'],
    ]);
    expect(parseFmtpParameters('0-15').get('')).toBe('0-15');
  });

  it('RFC 4733 event lists', () => {
    expect(parseEventList('0-15')).toEqual([...Array(16).keys()]);
    expect(parseEventList('0-11,16')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 16]);
    expect(parseEventList('5, 3')).toEqual([3, 5]);
    for (const bad of ['', '15-0', '0-256', 'a-b', '1,,2']) expect(parseEventList(bad)).toBeUndefined();
  });

  it('rtcp (RFC 3605)', () => {
    expect(parseRtcp('53020')).toEqual({ port: 53020 });
    expect(parseRtcp('53020 IN IP4 126.16.64.4')).toEqual({ port: 53020, connection: { netType: 'IN', addressType: 'IP4', address: '126.16.64.4' } });
    for (const bad of ['', 'x', '65536', '53020 IN IP4', '53020 IN  IP4 1.2.3.4']) expect(parseRtcp(bad)).toBeUndefined();
  });

  it('crypto (RFC 4568 §9.1) round-trips, inline keys with lifetime and MKI', () => {
    const value = '1 AES_CM_128_HMAC_SHA1_32 inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj|2^20|1:32;inline:QUJjZGVmMTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5|2^20|2:32 KDR=1 UNENCRYPTED_SRTCP';
    const c = parseCrypto(value)!;
    expect(c.tag).toBe(1);
    expect(c.keyParams).toHaveLength(2);
    expect(c.sessionParams).toEqual(['KDR=1', 'UNENCRYPTED_SRTCP']);
    expect(cryptoAttribute(c)).toEqual({ name: 'crypto', value });
    for (const bad of ['1 AES_CM_128_HMAC_SHA1_80', 'x AES_CM inline:abc', '1 AES-CM inline:abc', '1 AES_CM_128_HMAC_SHA1_80 inline:']) expect(parseCrypto(bad)).toBeUndefined();
    const k = parseInlineKey('YUJjRGVmZ2hpSktMbW9QUXJzVHVWd3l6MTIzNDU2|2147483648')!;
    expect(k.lifetime).toBe('2147483648');
    expect(formatInlineKey(k)).toBe('YUJjRGVmZ2hpSktMbW9QUXJzVHVWd3l6MTIzNDU2|2147483648');
    for (const bad of ['not base64!', 'abc|1:4|2:4', 'abc|1:4|2^20', 'abc|x|y|z']) expect(parseInlineKey(bad)).toBeUndefined();
  });

  it('directions and the unspecified address', () => {
    expect(reverseDirection('sendonly')).toBe('recvonly');
    expect(reverseDirection('recvonly')).toBe('sendonly');
    expect(reverseDirection('inactive')).toBe('inactive');
    expect(reverseDirection('sendrecv')).toBe('sendrecv');
    for (const a of ['0.0.0.0', '::', '0:0:0:0:0:0:0:0', '::0']) expect(isUnspecifiedAddress(a)).toBe(true);
    for (const a of ['127.0.0.1', '::1', '2001:db8::', '0.0.0.1']) expect(isUnspecifiedAddress(a)).toBe(false);
  });

  it('sdpWarning: an RFC 3261 §20.43 Warning value with the reason quoted', () => {
    const r = parseSdp('v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns="quoted\\"\r\nx=1');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(sdpWarning(r.error, 'vphone')).toBe('399 vphone "line 4: unknown line type \\"x=\\""');
  });
});
