// The A12's G.726 in SDP (RFC 3551 §4.5.4): its "SIP1 VoiceCodecMap" names (9.12) become
// G726-16/24/32/40 /8000 on dynamic payload types in an offer; an answer takes the offerer's
// dynamic number; AAL2-G726-32 (the other packing) and a bare static 2 are not G726-32.
import { describe, expect, it } from 'vitest';
import { G726_PAYLOAD_TYPES } from '../../src/codecs/g726.js';
import { createCodecRegistry } from '../../src/codecs/registry.js';
import { defaultDeviceSettings } from '../../src/settings/canonical.js';
import { parseSdp, sdpOptionsFromSettings, serializeSdp, SdpSession, type SdpOptions, type SessionDescription } from '../../src/sip/sdp/index.js';
import { codecsToCanonical } from '../../firmware-sim/models/fanvil-a12/catalogue-line.js';

const available = createCodecRegistry({ g729: null, opus: null }).names().map((n) => n.toUpperCase());

/** An A12 line whose 9.12 codec list is `voiceCodecMap`, as firmware-sim's sdpPolicyFor builds it. */
function a12(voiceCodecMap: string): SdpSession {
  const s = defaultDeviceSettings(1, 0);
  const line = { ...s.lines[0]!, codecs: codecsToCanonical(voiceCodecMap) };
  const options: SdpOptions = { ...sdpOptionsFromSettings(line, s.rtp, { available, g711Required: false, telephoneEvent: false }), address: '127.0.0.1', port: 16000 };
  return new SdpSession(options, { sessionId: '1' });
}

function sdp(lines: string[]): SessionDescription {
  const r = parseSdp([...lines, ''].join('\r\n'));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const peerOffer = (formats: string, ...attributes: string[]): SessionDescription =>
  sdp(['v=0', 'o=peer 1 1 IN IP4 127.0.0.2', 's=-', 'c=IN IP4 127.0.0.2', 't=0 0', `m=audio 30000 RTP/AVP ${formats}`, ...attributes.map((a) => `a=${a}`)]);

describe('G.726 in the A12 SDP', () => {
  it('offers the four rates in the 9.12 order on dynamic payload types 102-105, each G726-xx/8000', () => {
    const offer = a12('G726-40,G726-16,G726-32,G726-24').createOffer();
    if (!offer.ok) throw new Error(offer.error.message);
    const text = serializeSdp(offer.value);
    const [p16, p24, p32, p40] = [16000, 24000, 32000, 40000].map((r) => G726_PAYLOAD_TYPES[r as 16000]);
    expect([p16, p24, p32, p40]).toEqual([102, 103, 104, 105]);
    expect(text).toContain(`m=audio 16000 RTP/AVP ${p40} ${p16} ${p32} ${p24}\r\n`);
    for (const [pt, name] of [[p16, 'G726-16'], [p24, 'G726-24'], [p32, 'G726-32'], [p40, 'G726-40']] as const) {
      expect(text).toContain(`a=rtpmap:${pt} ${name}/8000\r\n`);
    }
  });

  it("answers a G726-32 offer on the offerer's dynamic number, and ignores a static 2 and AAL2-G726-32", () => {
    const got = a12('G726-32').receiveOffer(peerOffer('2 97 96', 'rtpmap:97 AAL2-G726-32/8000', 'rtpmap:96 G726-32/8000'));
    if (!got.ok) throw new Error(got.error.message);
    const text = serializeSdp(got.value.answer);
    expect(text).toContain('m=audio 16000 RTP/AVP 96\r\n');
    expect(text).toContain('a=rtpmap:96 G726-32/8000\r\n');
    expect(got.value.negotiated.audio.codec).toMatchObject({ payloadType: 96, encodingName: 'G726-32' });
  });

  it('finds no common codec when only AAL2-G726-32 or a bare static 2 is offered', () => {
    for (const offer of [peerOffer('97', 'rtpmap:97 AAL2-G726-32/8000'), peerOffer('2')]) {
      const got = a12('G726-32').receiveOffer(offer);
      expect(got.ok).toBe(false);
    }
  });

  it('offers no G.726 when the 9.12 list leaves it out (the factory default)', () => {
    const offer = a12('PCMU,PCMA,G729,iLBC,opus,G722').createOffer();
    if (!offer.ok) throw new Error(offer.error.message);
    expect(serializeSdp(offer.value)).not.toContain('G726');
  });
});
