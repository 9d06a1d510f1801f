// RFC 3389 CN in the offer/answer exchange (src/sip/sdp/comfort-noise.ts): offered by a line
// with the A12's "Enable VAD", answered only when offered (and wanted), negotiated both ways,
// never mistaken for a codec.
import { describe, expect, it } from 'vitest';
import { defaultDeviceSettings } from '../../src/settings/canonical.js';
import { createAnswer, createOffer, parseSdp, processAnswer, sdpOptionsFromSettings, serializeSdp, type SdpOptions, type SessionDescription } from '../../src/sip/sdp/index.js';

const ORIGIN = { sessionId: '3900000000', sessionVersion: '3900000000' };

function options(comfortNoise: boolean, extra: Partial<SdpOptions> = {}): SdpOptions {
  const s = defaultDeviceSettings(1, 0);
  return { ...sdpOptionsFromSettings(s.lines[0]!, s.rtp), address: '192.0.2.50', port: 16000, comfortNoise, ...extra };
}

function sdp(lines: string[]): SessionDescription {
  const r = parseSdp(lines.join('\r\n') + '\r\n');
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function peerOffer(formats: string, extra: string[] = []): SessionDescription {
  return sdp(['v=0', 'o=peer 1 1 IN IP4 198.51.100.7', 's=-', 'c=IN IP4 198.51.100.7', 't=0 0', `m=audio 6000 RTP/AVP ${formats}`, 'a=rtpmap:0 PCMU/8000', ...extra, 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15', 'a=sendrecv']);
}

function offerOf(o: SdpOptions): SessionDescription {
  const r = createOffer(o, { origin: ORIGIN });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('SDP: comfort noise (RFC 3389 §5)', () => {
  it('a line with VAD offers CN/8000 at 13 after its codecs; without VAD it does not', () => {
    const text = serializeSdp(offerOf(options(true)));
    expect(text).toMatch(/^m=audio 16000 RTP\/AVP 9 8 18 0 13 101\r$/m);
    expect(text).toContain('a=rtpmap:13 CN/8000\r\n');
    const plain = serializeSdp(offerOf(options(false)));
    expect(plain).toMatch(/^m=audio 16000 RTP\/AVP 9 8 18 0 101\r$/m);
    expect(plain).not.toContain('CN/8000');
  });

  it('no CN/8000 with codecs on other clocks only (opus/48000)', () => {
    const o = options(true, { codecs: [{ name: 'OPUS', encodingName: 'opus', clockRate: 48000, channels: 2, payloadType: 107 }] });
    expect(serializeSdp(offerOf(o))).not.toContain('CN/');
  });

  it('answers CN when offered and VAD is on; not when VAD is off, nor when it was not offered', () => {
    const withCn = peerOffer('0 13 101', ['a=rtpmap:13 CN/8000']);
    const yes = createAnswer(withCn, options(true), { origin: ORIGIN });
    expect(yes.ok).toBe(true);
    if (!yes.ok) return;
    expect(serializeSdp(yes.value.answer)).toMatch(/^m=audio 16000 RTP\/AVP 0 13 101\r$/m);
    expect(yes.value.negotiated.audio.comfortNoise).toEqual({ payloadType: 13, receivePayloadType: 13 });
    expect(yes.value.negotiated.audio.codec.name).toBe('PCMU');
    // Static 13 without an rtpmap (RFC 3551 §6) is CN/8000 too.
    const bare = createAnswer(peerOffer('0 13 101'), options(true), { origin: ORIGIN });
    expect(bare.ok && bare.value.negotiated.audio.comfortNoise).toEqual({ payloadType: 13, receivePayloadType: 13 });
    const off = createAnswer(withCn, options(false), { origin: ORIGIN });
    expect(off.ok && serializeSdp(off.value.answer)).toMatch(/^m=audio 16000 RTP\/AVP 0 101\r$/m);
    expect(off.ok && off.value.negotiated.audio.comfortNoise).toBeUndefined();
    const notOffered = createAnswer(peerOffer('0 101'), options(true), { origin: ORIGIN });
    expect(notOffered.ok && serializeSdp(notOffered.value.answer)).not.toContain('CN/8000');
    expect(notOffered.ok && notOffered.value.negotiated.audio.comfortNoise).toBeUndefined();
  });

  it('a CN-only offer has no common codec (CN is not a codec)', () => {
    const r = createAnswer(peerOffer('13', ['a=rtpmap:13 CN/8000']), options(true), { origin: ORIGIN });
    expect(!r.ok && r.error.code).toBe('SDP_NO_COMMON_CODEC');
  });

  it('processAnswer: CN in the answer to our CN offer is negotiated, without a "not offered" note; absent, it is not', () => {
    const o = options(true);
    const ours = offerOf(o);
    const reply = (formats: string, extra: string[]) => sdp(['v=0', 'o=peer 1 2 IN IP4 198.51.100.7', 's=-', 'c=IN IP4 198.51.100.7', 't=0 0', `m=audio 6000 RTP/AVP ${formats}`, 'a=rtpmap:0 PCMU/8000', ...extra, 'a=sendrecv']);
    const yes = processAnswer(ours, reply('0 13', ['a=rtpmap:13 CN/8000']), o);
    expect(yes.ok).toBe(true);
    if (!yes.ok) return;
    expect(yes.value.audio.comfortNoise).toEqual({ payloadType: 13, receivePayloadType: 13 });
    expect(yes.value.notes).toEqual([]);
    const no = processAnswer(ours, reply('0', []), o);
    expect(no.ok && no.value.audio.comfortNoise).toBeUndefined();
    // An answer with CN to an offer without it: ignored (RFC 3264 §6.1).
    const plain = options(false);
    const unasked = processAnswer(offerOf(plain), reply('0 13', ['a=rtpmap:13 CN/8000']), plain);
    expect(unasked.ok && unasked.value.audio.comfortNoise).toBeUndefined();
  });
});
