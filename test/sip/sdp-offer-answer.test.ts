// RFC 3264 offer/answer from a line's settings: the codec list of the KX-UT670 (5.7.1
// CODEC_ENABLEx_n, CODEC_PRIORITYx_n, CODEC_G711_REQ, CODEC_G729_PARAM) and the A12 (9.12
// enabled-codec list, Response Single Codec, inactive hold, SRTP), telephone-event, ptime,
// RFC 2543 hold, a=rtcp, answers to real peers' offers, answer checks and 488 failures.
import { describe, expect, it } from 'vitest';
import { codecsToCanonical } from '../../firmware-sim/models/fanvil-a12/catalogue-line.js';
import { defaultDeviceSettings, type DeviceSettings, type LineSettings } from '../../src/settings/canonical.js';
import {
  createAnswer,
  createOffer,
  orderCodecs,
  parseSdp,
  processAnswer,
  sdpOptionsFromSettings,
  sdpWarning,
  sendPtime,
  effectivePtime,
  serializeSdp,
  viewMedia,
  type Direction,
  type SdpOptions,
  type SdpSettingsExtras,
  type SessionDescription,
} from '../../src/sip/sdp/index.js';
import { ASTERISK, AUDIO_VIDEO, BARESIP, IPV6, SIPP_UAC, SRTP_OFFER, T38_REOFFER } from './sdp-fixtures.js';

const ORIGIN = { sessionId: '3900000000', sessionVersion: '3900000000' };
const ENDPOINT = { address: '192.0.2.50', port: 16000 };

interface Tweak {
  line?: (l: LineSettings) => void;
  rtp?: Partial<DeviceSettings['rtp']>;
  extras?: SdpSettingsExtras;
  endpoint?: Partial<SdpOptions>;
}

function options(t: Tweak = {}): SdpOptions {
  const s = defaultDeviceSettings(1, 0);
  const line = structuredClone(s.lines[0]!);
  t.line?.(line);
  return { ...sdpOptionsFromSettings(line, { ...s.rtp, ...t.rtp }, t.extras), ...ENDPOINT, ...t.endpoint };
}

function sdp(text: string): SessionDescription {
  const r = parseSdp(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function offerText(o: SdpOptions, direction?: Direction, unspecifiedConnection?: boolean): string {
  const r = createOffer(o, { origin: ORIGIN, ...(direction ? { direction } : {}), ...(unspecifiedConnection ? { unspecifiedConnection } : {}) });
  if (!r.ok) throw new Error(r.error.message);
  return serializeSdp(r.value);
}

function mLine(text: string): string {
  return /^m=audio .*$/m.exec(text)![0].replace(/\r$/, '');
}

function answer(offer: string, o: SdpOptions, direction?: Direction) {
  const r = createAnswer(sdp(offer), o, { origin: ORIGIN, ...(direction ? { direction } : {}) });
  if (!r.ok) throw new Error(r.error.message);
  // Our own answer must parse back to itself.
  const text = serializeSdp(r.value.answer);
  expect(serializeSdp(sdp(text))).toBe(text);
  return { text, negotiated: r.value.negotiated, answer: r.value.answer };
}

/** A minimal offer from a peer: formats as `pt name/rate` strings, then extra attribute lines. */
function peerOffer(formats: string[], extra: string[] = [], c = '203.0.113.5', proto = 'RTP/AVP'): string {
  const pts = formats.map((f) => f.split(' ')[0]);
  const maps = formats.filter((f) => f.includes(' ')).map((f) => `a=rtpmap:${f}`);
  return ['v=0', 'o=peer 100 100 IN IP4 203.0.113.5', 's=-', `c=IN IP4 ${c}`, 't=0 0', `m=audio 30000 ${proto} ${pts.join(' ')}`, ...maps, ...extra, ''].join('\r\n');
}

describe('offers from the KX-UT670 settings (5.7.1–5.7.3, 5.8.2)', () => {
  it('the factory default offer, line for line', () => {
    expect(offerText(options())).toBe(
      [
        'v=0',
        'o=- 3900000000 3900000000 IN IP4 192.0.2.50',
        's=-',
        'c=IN IP4 192.0.2.50',
        't=0 0',
        'm=audio 16000 RTP/AVP 9 8 18 0 101',
        'a=rtpmap:9 G722/8000',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:18 G729/8000',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:101 telephone-event/8000',
        'a=fmtp:101 0-15',
        'a=ptime:20',
        'a=sendrecv',
        '',
      ].join('\r\n'),
    );
  });

  it('orders by CODEC_PRIORITYx_n, equal priorities by codec number', () => {
    const pri = (g722: number, pcma: number, g729: number, pcmu: number) =>
      orderCodecs(
        {
          G722: { enabled: true, priority: g722 },
          PCMA: { enabled: true, priority: pcma },
          G729: { enabled: true, priority: g729 },
          PCMU: { enabled: true, priority: pcmu },
        },
        true,
      );
    expect(pri(1, 1, 1, 1)).toEqual(['G722', 'PCMA', 'G729', 'PCMU']);
    expect(pri(4, 3, 2, 1)).toEqual(['PCMU', 'G729', 'PCMA', 'G722']);
    expect(pri(2, 1, 1, 3)).toEqual(['PCMA', 'G729', 'G722', 'PCMU']);
    expect(pri(255, 1, 200, 1)).toEqual(['PCMA', 'PCMU', 'G729', 'G722']);
  });

  it('CODEC_ENABLEx_n and CODEC_G711_REQ: PCMU added last when disabled and required, left out when not', () => {
    const g729Only = (l: LineSettings) => {
      for (const k of ['G722', 'PCMA', 'PCMU']) l.codecs[k]!.enabled = false;
    };
    expect(mLine(offerText(options({ line: g729Only })))).toBe('m=audio 16000 RTP/AVP 18 0 101');
    // 5.3.1 "G.729A Codec Only": CODEC_G711_REQ=0.
    expect(mLine(offerText(options({ line: g729Only, rtp: { g711Required: false } })))).toBe('m=audio 16000 RTP/AVP 18 101');
    const none = (l: LineSettings) => {
      for (const k of Object.keys(l.codecs)) l.codecs[k]!.enabled = false;
    };
    expect(mLine(offerText(options({ line: none })))).toBe('m=audio 16000 RTP/AVP 0 101');
    const r = createOffer(options({ line: none, rtp: { g711Required: false } }), { origin: ORIGIN });
    expect(!r.ok && r.error.code).toBe('SDP_NO_CODEC_ENABLED');
  });

  it('CODEC_G729_PARAM=1 writes a=fmtp:18 annexb=no', () => {
    const text = offerText(options({ rtp: { g729AnnexBNo: true } }));
    expect(text).toContain('a=rtpmap:18 G729/8000\r\na=fmtp:18 annexb=no\r\n');
    expect(offerText(options())).not.toContain('annexb');
  });

  it('TELEVENT_PAYLOAD and OUTBANDDTMF_n', () => {
    const te = offerText(options({ rtp: { telephoneEventPayloadType: 96 } }));
    expect(mLine(te)).toBe('m=audio 16000 RTP/AVP 9 8 18 0 96');
    expect(te).toContain('a=rtpmap:96 telephone-event/8000\r\na=fmtp:96 0-15\r\n');
    const inband = offerText(options({ line: (l) => (l.outbandDtmf = false) }));
    expect(mLine(inband)).toBe('m=audio 16000 RTP/AVP 9 8 18 0');
    expect(inband).not.toContain('telephone-event');
  });

  it('RTP_PTIME: 20 and 40 as set; 30 is written 20 while G.722 is offered and 30 without it', () => {
    expect(offerText(options({ rtp: { ptimeMs: 40 } }))).toContain('a=ptime:40');
    expect(offerText(options({ rtp: { ptimeMs: 30 } }))).toContain('a=ptime:20');
    expect(offerText(options({ rtp: { ptimeMs: 30 }, line: (l) => (l.codecs.G722!.enabled = false) }))).toContain('a=ptime:30');
    expect(effectivePtime(30, ['PCMU'])).toBe(30);
    expect(effectivePtime(30, ['PCMU', 'g722'])).toBe(20);
  });

  it('SDP_USER_ID_n in o=, a space-bearing or empty one becomes "-"', () => {
    expect(offerText(options({ line: (l) => (l.sdpUserId = 'kx-ut670') }))).toContain('o=kx-ut670 3900000000 3900000000 IN IP4 192.0.2.50');
    expect(offerText(options({ line: (l) => (l.sdpUserId = 'a b') }))).toContain('o=- 3900000000');
  });

  it('RTCP_SEND_BY_SDP_n=1 writes a=rtcp (RTP port + 1 unless given)', () => {
    const on = (l: LineSettings) => (l.rtcp.useSdpPort = true);
    expect(offerText(options({ line: on }))).toContain('a=rtcp:16001\r\n');
    expect(offerText(options({ line: on, endpoint: { rtcpPort: 17001 } }))).toContain('a=rtcp:17001\r\n');
    expect(offerText(options())).not.toContain('a=rtcp');
  });

  it('hold directions, and c=0.0.0.0 (or ::) with RFC2543_HOLD_ENABLE_n', () => {
    for (const d of ['sendonly', 'recvonly', 'inactive'] as const) expect(offerText(options(), d)).toContain(`a=${d}\r\n`);
    const hold = offerText(options(), 'sendonly', true);
    expect(hold).toContain('c=IN IP4 0.0.0.0\r\n');
    expect(hold).toContain('o=- 3900000000 3900000000 IN IP4 192.0.2.50\r\n');
    const v6 = offerText(options({ endpoint: { address: '2001:db8::50' } }), 'sendonly', true);
    expect(v6).toContain('c=IN IP6 ::\r\n');
    expect(v6).toContain('IN IP6 2001:db8::50\r\n');
  });

  it('an IPv6 endpoint writes IP6 in o= and c=', () => {
    const text = offerText(options({ endpoint: { address: '2001:db8::50' } }));
    expect(text).toContain('o=- 3900000000 3900000000 IN IP6 2001:db8::50\r\nc=IN IP6 2001:db8::50\r\n'.replace('\r\nc', '\r\ns=-\r\nc'));
  });

  it('codecs the media engine lacks are neither offered nor accepted', () => {
    const o = options({ extras: { available: ['PCMU', 'PCMA', 'G722'] } });
    expect(mLine(offerText(o))).toBe('m=audio 16000 RTP/AVP 9 8 0 101');
    const r = createAnswer(sdp(peerOffer(['18 G729/8000'])), o, { origin: ORIGIN });
    expect(!r.ok && r.error.code).toBe('SDP_NO_COMMON_CODEC');
  });
});

describe('offers from the A12 settings (9.12, 9.16)', () => {
  const a12 = (list: string, extras: SdpSettingsExtras = {}) =>
    options({
      line: (l) => (l.codecs = codecsToCanonical(list)),
      extras: { g711Required: false, rfc2543Hold: false, available: ['PCMU', 'PCMA', 'G722', 'G729', 'OPUS', 'ILBC'], ...extras },
    });

  it('the enabled list is the order; opus and iLBC get their dynamic types and a telephone-event per clock rate', () => {
    const text = offerText(a12('PCMU,PCMA,G729,iLBC,opus,G722'));
    expect(mLine(text)).toBe('m=audio 16000 RTP/AVP 0 8 18 97 107 9 101 96');
    expect(text).toContain('a=rtpmap:97 iLBC/8000\r\na=fmtp:97 mode=20\r\n');
    expect(text).toContain('a=rtpmap:107 opus/48000/2\r\n');
    expect(text).toContain('a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n');
    expect(text).toContain('a=rtpmap:96 telephone-event/48000\r\na=fmtp:96 0-15\r\n');
  });

  it('a configured payload type that clashes with another format is moved to a free one', () => {
    const text = offerText(a12('opus,PCMU', { payloadTypes: { OPUS: 101 } }));
    // opus keeps 101 (listed first), telephone-event/48000 gets 96, telephone-event/8000 moves off 101.
    expect(mLine(text)).toBe('m=audio 16000 RTP/AVP 101 0 96 97');
    expect(text).toContain('a=rtpmap:101 opus/48000/2');
    expect(text).toContain('a=rtpmap:96 telephone-event/48000');
    expect(text).toContain('a=rtpmap:97 telephone-event/8000');
  });

  it('Response Single Codec answers with one codec plus telephone-event', () => {
    const { text, negotiated } = answer(BARESIP, a12('G722,PCMU,PCMA', { singleCodecAnswer: true }));
    expect(mLine(text)).toBe('m=audio 16000 RTP/AVP 9 101');
    expect(negotiated.audio.codecs.map((c) => c.name)).toEqual(['G722']);
    const multi = answer(BARESIP, a12('G722,PCMU,PCMA'));
    expect(mLine(multi.text)).toBe('m=audio 16000 RTP/AVP 9 0 8 101');
  });

  it('inactive hold is a policy flag (Enable Use Inactive Hold)', () => {
    expect(a12('PCMU', { inactiveHold: true }).inactiveHold).toBe(true);
  });
});

describe('answers to real peers (RFC 3264 §6)', () => {
  it('SIPp: PCMU answered, media endpoint for the media layer', () => {
    const { text, negotiated } = answer(SIPP_UAC, options());
    expect(text).toBe(
      [
        'v=0',
        'o=- 3900000000 3900000000 IN IP4 192.0.2.50',
        's=-',
        'c=IN IP4 192.0.2.50',
        't=0 0',
        'm=audio 16000 RTP/AVP 0',
        'a=rtpmap:0 PCMU/8000',
        'a=ptime:20',
        'a=sendrecv',
        '',
      ].join('\r\n'),
    );
    const a = negotiated.audio;
    expect(a).toMatchObject({ remoteAddress: '127.0.0.1', remotePort: 6000, remoteRtcpAddress: '127.0.0.1', remoteRtcpPort: 6001, localPort: 16000, ptimeMs: 20, direction: 'sendrecv', remoteHold: false });
    expect(a.codec).toEqual({ name: 'PCMU', encodingName: 'PCMU', clockRate: 8000, channels: 1, payloadType: 0, receivePayloadType: 0 });
    expect(a.telephoneEvent).toBeUndefined();
  });

  it('baresip: our priority order (answerOrder local) or the offerer order', () => {
    const local = answer(BARESIP, options());
    expect(mLine(local.text)).toBe('m=audio 16000 RTP/AVP 9 8 0 101');
    expect(local.negotiated.audio.codec.name).toBe('G722');
    expect(local.negotiated.audio.telephoneEvent).toEqual({ payloadType: 101, receivePayloadType: 101, clockRate: 8000, events: [...Array(16).keys()] });
    const offerOrder = answer(BARESIP, options({ extras: { answerOrder: 'offer' }, line: (l) => (l.codecs.G722!.priority = 9) }));
    expect(mLine(offerOrder.text)).toBe('m=audio 16000 RTP/AVP 9 0 8 101');
  });

  it('Asterisk: rtpmap-less G.729 with annexb=no, telephone-event matched to the 8000 clock, maxptime honoured', () => {
    const o = options({ line: (l) => (l.codecs.G729!.priority = 0), rtp: { ptimeMs: 40 } });
    const { text, negotiated } = answer(ASTERISK, o);
    expect(mLine(text)).toBe('m=audio 16000 RTP/AVP 18 9 8 0 101');
    expect(text).toContain('a=rtpmap:18 G729/8000\r\na=fmtp:18 annexb=no\r\n');
    // Our a=ptime is what we like to receive: 40 as set (only 30 is changed when G.722 is listed).
    expect(text).toContain('a=ptime:40\r\n');
    const a = negotiated.audio;
    expect(a.codec).toMatchObject({ name: 'G729', payloadType: 18, annexB: false, fmtp: 'annexb=no' });
    expect(a.telephoneEvent?.payloadType).toBe(101);
    expect(a.telephoneEvent?.events).toHaveLength(17);
    // The peer asks for 20 ms: we send 20 whatever our own setting.
    expect(a.ptimeMs).toBe(20);
  });

  it('telephone-event rate matching: 16000 with a 16 kHz clock, 8000 otherwise, none when only the wrong rate is offered', () => {
    const wide = options({ extras: { available: ['PCMU', 'OPUS'] }, line: (l) => (l.codecs = { OPUS: { enabled: true, priority: 1 } }) });
    const opus = answer(peerOffer(['111 opus/48000/2', '101 telephone-event/8000', '102 telephone-event/48000']), wide);
    expect(opus.negotiated.audio.telephoneEvent?.payloadType).toBe(102);
    expect(mLine(opus.text)).toBe('m=audio 16000 RTP/AVP 111 102');
    // G.722 written with its sampling rate (a common mistake): its clock as written is 16000, so
    // the telephone-event of that clock is the one to use.
    const g722 = answer(peerOffer(['9 G722/16000', '100 telephone-event/16000', '101 telephone-event/8000']), options());
    expect(g722.negotiated.audio.codec).toMatchObject({ name: 'G722', clockRate: 16000 });
    expect(g722.negotiated.audio.telephoneEvent?.payloadType).toBe(100);
    expect(mLine(g722.text)).toBe('m=audio 16000 RTP/AVP 9 100');
    const g722right = answer(peerOffer(['9 G722/8000', '100 telephone-event/16000', '101 telephone-event/8000']), options());
    expect(g722right.negotiated.audio.telephoneEvent?.payloadType).toBe(101);
    expect(g722right.text).toContain('a=rtpmap:101 telephone-event/8000');
    const only16k = answer(peerOffer(['0 PCMU/8000', '100 telephone-event/16000']), options());
    expect(only16k.negotiated.audio.telephoneEvent).toBeUndefined();
    expect(only16k.text).not.toContain('telephone-event');
  });

  it('dynamic payload types: the answer uses the offerer numbers (RFC 3264 §6.1)', () => {
    const o = options({ extras: { available: ['PCMU', 'ILBC'] }, line: (l) => (l.codecs = { ILBC: { enabled: true, priority: 1 } }) });
    const { text, negotiated } = answer(peerOffer(['102 iLBC/8000', '0 PCMU/8000', '98 telephone-event/8000'], ['a=fmtp:102 mode=30']), o);
    expect(mLine(text)).toBe('m=audio 16000 RTP/AVP 102 0 98');
    expect(text).toContain('a=rtpmap:102 iLBC/8000\r\na=fmtp:102 mode=20');
    expect(negotiated.audio.codec).toMatchObject({ name: 'ILBC', payloadType: 102, receivePayloadType: 102, fmtp: 'mode=30' });
    expect(negotiated.audio.telephoneEvent?.payloadType).toBe(98);
  });

  it('encoding names are matched case-insensitively and channel counts must agree', () => {
    const { negotiated } = answer(peerOffer(['0 pcmu/8000', '8 PCMA/8000/2']), options());
    expect(negotiated.audio.codecs.map((c) => c.name)).toEqual(['PCMU']);
  });

  it('IPv6 peer: media-level c=, a=rtcp honoured only with RTCP_SEND_BY_SDP_n', () => {
    const plain = answer(IPV6, options());
    expect(plain.negotiated.audio).toMatchObject({ remoteAddress: '2001:db8::1', remotePort: 49170, remoteRtcpAddress: '2001:db8::1', remoteRtcpPort: 49171 });
    expect(plain.negotiated.audio.ptimeMs).toBe(30);
    const bySdp = answer(IPV6, options({ line: (l) => (l.rtcp.useSdpPort = true) }));
    expect(bySdp.negotiated.audio).toMatchObject({ remoteRtcpAddress: '2001:db8::2', remoteRtcpPort: 49171 });
    expect(bySdp.text).toContain('a=rtcp:16001');
  });

  it('audio + video: video rejected with port 0 in place, audio accepted', () => {
    const { text, negotiated } = answer(AUDIO_VIDEO, options());
    const lines = text.split('\r\n').filter((l) => l.startsWith('m='));
    expect(lines).toEqual(['m=video 0 RTP/AVP 99', 'm=audio 16000 RTP/AVP 8 0 101']);
    expect(negotiated.rejectedStreams).toEqual([0]);
    expect(negotiated.audio.mediaIndex).toBe(1);
  });

  it('a second audio stream is rejected, the first accepted', () => {
    const offer = peerOffer(['0']) + 'm=audio 30002 RTP/AVP 8\r\n';
    const { text, negotiated } = answer(offer, options());
    expect(text.split('\r\n').filter((l) => l.startsWith('m='))).toEqual(['m=audio 16000 RTP/AVP 0', 'm=audio 0 RTP/AVP 8']);
    expect(negotiated.rejectedStreams).toEqual([1]);
  });
});

describe('488: nothing acceptable', () => {
  it('no common codec: SDP_NO_COMMON_CODEC, status 488, warn-code 305, the offered formats listed', () => {
    const r = createAnswer(sdp(peerOffer(['3 GSM/8000', '96 opus/48000/2', '97'])), options(), { origin: ORIGIN });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ code: 'SDP_NO_COMMON_CODEC', status: 488, warnCode: 305 });
    expect(r.error.offered).toEqual(['GSM/8000 (3)', 'opus/48000/2 (96)', 'unknown (97)']);
    expect(r.error.message).toContain('supported G722, PCMA, G729, PCMU');
    expect(sdpWarning(r.error, '192.0.2.50')).toMatch(/^305 192\.0\.2\.50 "Incompatible media format: no acceptable audio stream/);
  });

  it('telephone-event alone is no codec', () => {
    const r = createAnswer(sdp(peerOffer(['101 telephone-event/8000'])), options(), { origin: ORIGIN });
    expect(!r.ok && r.error.code).toBe('SDP_NO_COMMON_CODEC');
  });

  it('T.38 only: warn-code 304 (media type not available)', () => {
    const r = createAnswer(sdp(T38_REOFFER), options(), { origin: ORIGIN });
    expect(!r.ok && r.error).toMatchObject({ code: 'SDP_NO_COMMON_CODEC', status: 488, warnCode: 304, offered: ['image udptl t38'] });
  });

  it('an unsupported transport: warn-code 302', () => {
    const r = createAnswer(sdp(peerOffer(['0 PCMU/8000'], [], '203.0.113.5', 'UDP/TLS/RTP/SAVPF')), options(), { origin: ORIGIN });
    expect(!r.ok && r.error).toMatchObject({ code: 'SDP_NO_COMMON_CODEC', warnCode: 302 });
  });

  it('RTP/SAVP with SRTP off: SDP_CRYPTO_MISMATCH, 488', () => {
    const r = createAnswer(sdp(SRTP_OFFER), options(), { origin: ORIGIN });
    expect(!r.ok && r.error).toMatchObject({ code: 'SDP_CRYPTO_MISMATCH', status: 488, warnCode: 302 });
  });

  it('a stream already disabled by the offerer stays rejected and is not counted', () => {
    const r = createAnswer(sdp(peerOffer(['0']).replace('m=audio 30000', 'm=audio 0')), options(), { origin: ORIGIN });
    expect(!r.ok && r.error.code).toBe('SDP_NO_COMMON_CODEC');
  });
});

describe('hold and resume: every direction combination (RFC 3264 §6.1, §8.4)', () => {
  // [offered direction, c=0.0.0.0?, our wish] → answered direction, remote hold
  const table: Array<[Direction, boolean, Direction, Direction, boolean]> = [
    ['sendrecv', false, 'sendrecv', 'sendrecv', false],
    ['sendonly', false, 'sendrecv', 'recvonly', true],
    ['recvonly', false, 'sendrecv', 'sendonly', false],
    ['inactive', false, 'sendrecv', 'inactive', true],
    ['sendrecv', true, 'sendrecv', 'recvonly', true],
    ['sendonly', true, 'sendrecv', 'recvonly', true],
    ['sendrecv', false, 'sendonly', 'sendonly', false],
    ['sendonly', false, 'sendonly', 'inactive', true],
    ['recvonly', false, 'sendonly', 'sendonly', false],
    ['inactive', false, 'sendonly', 'inactive', true],
    ['sendrecv', false, 'inactive', 'inactive', false],
    ['sendonly', false, 'inactive', 'inactive', true],
    ['recvonly', false, 'recvonly', 'inactive', false],
    ['sendrecv', false, 'recvonly', 'recvonly', false],
  ];
  for (const [offered, zero, wish, expected, remoteHold] of table) {
    it(`offer ${offered}${zero ? ' c=0.0.0.0' : ''}, we want ${wish} → answer ${expected}`, () => {
      const offer = peerOffer(['0 PCMU/8000'], [`a=${offered}`], zero ? '0.0.0.0' : '203.0.113.5');
      const { text, negotiated } = answer(offer, options(), wish);
      expect(text).toContain(`a=${expected}\r\n`);
      expect(negotiated.audio.direction).toBe(expected);
      expect(negotiated.audio.remoteHold).toBe(remoteHold);
    });
  }

  // Our offer's direction × the answer's → what we do, and whether the answer fits §6.1.
  const answers: Array<[Direction, Direction, Direction, boolean]> = [
    ['sendrecv', 'sendrecv', 'sendrecv', true],
    ['sendrecv', 'sendonly', 'recvonly', true],
    ['sendrecv', 'recvonly', 'sendonly', true],
    ['sendrecv', 'inactive', 'inactive', true],
    ['sendonly', 'recvonly', 'sendonly', true],
    ['sendonly', 'inactive', 'inactive', true],
    ['sendonly', 'sendrecv', 'sendonly', false],
    ['recvonly', 'sendonly', 'recvonly', true],
    ['recvonly', 'sendrecv', 'recvonly', false],
    ['inactive', 'inactive', 'inactive', true],
    ['inactive', 'sendrecv', 'inactive', false],
  ];
  for (const [ours, theirs, result, fits] of answers) {
    it(`our offer ${ours}, answer ${theirs} → ${result}${fits ? '' : ' (noted)'}`, () => {
      const o = options();
      const offer = createOffer(o, { origin: ORIGIN, direction: ours });
      if (!offer.ok) throw new Error(offer.error.message);
      const ans = sdp(peerOffer(['0 PCMU/8000'], [`a=${theirs}`]));
      const r = processAnswer(offer.value, ans, o);
      if (!r.ok) throw new Error(r.error.message);
      expect(r.value.audio.direction).toBe(result);
      expect(r.value.notes.some((n) => n.includes('does not fit'))).toBe(!fits);
    });
  }
});

describe('processAnswer: checking the answer against our offer (RFC 3264 §6, §7)', () => {
  const o = options();
  const ourOffer = (): SessionDescription => {
    const r = createOffer(o, { origin: ORIGIN });
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };

  it('the media layer view: first answered codec, telephone-event, ptime, addresses', () => {
    const ans = sdp(peerOffer(['8 PCMA/8000', '0 PCMU/8000', '101 telephone-event/8000'], ['a=ptime:30', 'a=rtcp:40000']));
    const r = processAnswer(ourOffer(), ans, o);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.audio).toMatchObject({
      localPort: 16000,
      remoteAddress: '203.0.113.5',
      remotePort: 30000,
      remoteRtcpPort: 30001,
      ptimeMs: 30,
      direction: 'sendrecv',
      telephoneEvent: { payloadType: 101, receivePayloadType: 101, clockRate: 8000 },
    });
    expect(r.value.audio.codecs.map((c) => c.name)).toEqual(['PCMA', 'PCMU']);
  });

  it('an answer that renumbers a payload type: send with theirs, receive with ours', () => {
    const ans = sdp(peerOffer(['96 G729/8000', '100 telephone-event/8000']));
    const r = processAnswer(ourOffer(), ans, o);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.audio.codec).toMatchObject({ name: 'G729', payloadType: 96, receivePayloadType: 18, annexB: true });
    expect(r.value.audio.telephoneEvent).toMatchObject({ payloadType: 100, receivePayloadType: 101 });
    expect(r.value.notes).toContain('answer renumbers G729 from 18 to 96');
  });

  it('formats the offer did not list are ignored; none of ours is SDP_NO_COMMON_CODEC', () => {
    const r = processAnswer(ourOffer(), sdp(peerOffer(['3 GSM/8000', '0 PCMU/8000'])), o);
    expect(r.ok && r.value.notes).toEqual(['answer format GSM/8000 (3) was not offered; ignored']);
    const none = processAnswer(ourOffer(), sdp(peerOffer(['3 GSM/8000'])), o);
    expect(!none.ok && none.error).toMatchObject({ code: 'SDP_NO_COMMON_CODEC', status: 488 });
  });

  it('structural mismatches', () => {
    const twoLines = processAnswer(ourOffer(), sdp(peerOffer(['0']) + 'm=video 0 RTP/AVP 99\r\n'), o);
    expect(!twoLines.ok && twoLines.error.code).toBe('SDP_ANSWER_MISMATCH');
    const video = processAnswer(ourOffer(), sdp(peerOffer(['0']).replace('m=audio', 'm=video')), o);
    expect(!video.ok && video.error.message).toMatch(/video in the answer but audio in the offer/);
    const rejected = processAnswer(ourOffer(), sdp(peerOffer(['0']).replace('m=audio 30000', 'm=audio 0')), o);
    expect(!rejected.ok && rejected.error.code).toBe('SDP_MEDIA_REJECTED');
    const proto = processAnswer(ourOffer(), sdp(peerOffer(['0'], [], '203.0.113.5', 'RTP/SAVP')), o);
    expect(!proto.ok && proto.error.message).toMatch(/transport RTP\/SAVP differs/);
  });

  it('an answer reviving a stream our re-offer disabled is refused', () => {
    const previous = sdp(AUDIO_VIDEO);
    const offer = createOffer(o, { origin: ORIGIN, previous });
    if (!offer.ok) throw new Error(offer.error.message);
    expect(offer.value.media.map((m) => `${m.type} ${m.port}`)).toEqual(['video 0', 'audio 16000']);
    const ans = sdp(AUDIO_VIDEO);
    const r = processAnswer(offer.value, ans, o);
    expect(!r.ok && r.error.message).toMatch(/disabled in the offer but the answer accepts it/);
  });
});

describe('ptime and maxptime (RFC 4566 §6)', () => {
  const table: Array<[number, string, number | undefined, number | undefined, number]> = [
    [20, 'PCMU', undefined, undefined, 20],
    [20, 'PCMU', 30, undefined, 30],
    [40, 'PCMU', undefined, undefined, 40],
    [40, 'PCMU', undefined, 30, 30],
    [40, 'PCMU', 60, 40, 40],
    [30, 'G722', undefined, undefined, 20],
    [20, 'G722', 30, undefined, 20],
    [20, 'PCMU', 25, undefined, 20],
    [40, 'PCMU', undefined, 5, 10],
    [20, 'G729', 10, undefined, 10],
  ];
  for (const [local, codec, remote, max, expected] of table) {
    it(`local ${local}, ${codec}, peer ptime ${remote ?? '-'} maxptime ${max ?? '-'} → ${expected}`, () => {
      expect(sendPtime(local, codec, remote, max)).toBe(expected);
    });
  }
});

describe('SRTP SDES (RFC 4568)', () => {
  const KEY80 = 'WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz';
  const KEY32 = 'QUJjZGVmMTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5';
  const srtp = (mode: 'optional' | 'compulsory', suites = ['AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32']) =>
    options({ extras: { srtp: mode }, endpoint: { srtpKeys: suites.map((suite, i) => ({ suite, keySalt: i === 0 ? KEY80 : KEY32 })) } });

  it('compulsory: RTP/SAVP with one a=crypto per key; optional: RTP/AVP with a=crypto', () => {
    const c = offerText(srtp('compulsory'));
    expect(mLine(c)).toBe('m=audio 16000 RTP/SAVP 9 8 18 0 101');
    expect(c).toContain(`a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${KEY80}\r\na=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:${KEY32}\r\n`);
    expect(mLine(offerText(srtp('optional')))).toBe('m=audio 16000 RTP/AVP 9 8 18 0 101');
  });

  it('answering RTP/SAVP: the first offered suite we have, under its tag', () => {
    const { text, negotiated } = answer(SRTP_OFFER, srtp('optional', ['AES_CM_128_HMAC_SHA1_32']));
    expect(mLine(text)).toBe('m=audio 16000 RTP/SAVP 0 101');
    expect(text).toContain(`a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:${KEY80}\r\n`);
    expect(negotiated.audio.srtp?.suite).toBe('AES_CM_128_HMAC_SHA1_32');
    expect(negotiated.audio.srtp?.remoteCrypto.tag).toBe(2);
  });

  it('compulsory refuses a plain offer; the offerer checks the answer tag', () => {
    const r = createAnswer(sdp(SIPP_UAC), srtp('compulsory'), { origin: ORIGIN });
    expect(!r.ok && r.error.code).toBe('SDP_CRYPTO_MISMATCH');
    const o = srtp('compulsory');
    const offer = createOffer(o, { origin: ORIGIN });
    if (!offer.ok) throw new Error(offer.error.message);
    const good = sdp(peerOffer(['0 PCMU/8000'], [`a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${KEY32}`], '203.0.113.5', 'RTP/SAVP'));
    const ok = processAnswer(offer.value, good, o);
    expect(ok.ok && ok.value.audio.srtp?.localCrypto.keyParams[0]?.info).toBe(KEY80);
    const badTag = sdp(peerOffer(['0 PCMU/8000'], [`a=crypto:7 AES_CM_128_HMAC_SHA1_80 inline:${KEY32}`], '203.0.113.5', 'RTP/SAVP'));
    const r2 = processAnswer(offer.value, badTag, o);
    expect(!r2.ok && r2.error.code).toBe('SDP_CRYPTO_MISMATCH');
    const none = processAnswer(offer.value, sdp(peerOffer(['0 PCMU/8000'], [], '203.0.113.5', 'RTP/SAVP')), o);
    expect(!none.ok && none.error.message).toMatch(/no a=crypto/);
  });

  it('optional SRTP accepts a plain RTP/AVP offer without crypto', () => {
    const { negotiated } = answer(SIPP_UAC, srtp('optional'));
    expect(negotiated.audio.srtp).toBeUndefined();
  });
});

describe('re-offers keep the session layout and payload numbers (RFC 3264 §8)', () => {
  it('the peer numbers of our last answer are reused; other numbers stay reserved', () => {
    const o = options({ extras: { available: ['PCMU', 'OPUS'] }, line: (l) => (l.codecs = { OPUS: { enabled: true, priority: 1 }, PCMU: { enabled: true, priority: 2 } }) });
    // The peer used 101 for opus and 96 for telephone-event/8000; we answered with its numbers.
    const { answer: ours } = answer(peerOffer(['101 opus/48000/2', '0 PCMU/8000', '96 telephone-event/8000', '102 telephone-event/48000']), o);
    const re = createOffer(o, { origin: ORIGIN, previous: ours });
    if (!re.ok) throw new Error(re.error.message);
    const v = viewMedia(re.value, 0);
    expect(v.formats.map((f) => `${f.payloadType} ${f.encodingName}/${f.clockRate}`)).toEqual(['101 opus/48000', '0 PCMU/8000', '102 telephone-event/48000', '96 telephone-event/8000']);
  });
});
