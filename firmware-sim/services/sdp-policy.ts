// The SDP media policy of one line of a device: the canonical line settings, plus what only the
// A12 has (9.12 DTMF type, 9.16 dynamic payload types), restricted to the codecs this machine
// can run (G.729A only with the optional addon). A line with SRTP (A12 9.12 "RTP Encryption")
// gets a fresh SDES key for each call (RFC 4568 §6.1).
import { sdpOptionsFromSettings, type SdpEndpoint, type SdpPolicy } from '../../src/sip/sdp/index.js';
import { generateSdesKey } from '../../src/rtp/srtp.js';
import type { Device } from '../device.js';
import { availableCodecNames } from './device-media.js';

export function sdpPolicyFor(device: Device, line: number): SdpPolicy & Pick<SdpEndpoint, 'srtpKeys'> {
  const settings = device.settings;
  const s = settings.lines[line - 1]!;
  const available = availableCodecNames();
  if (device.model.id !== 'fanvil-a12') return sdpOptionsFromSettings(s, settings.rtp, { available });
  const x = settings.intercom.lines[line - 1];
  const media = settings.intercom.media;
  // A12 9.12 DTMF Type: AUTO and RFC2833 offer telephone-event; in-band and SIP INFO do not.
  const dtmfMode = x?.dtmfMode ?? 'auto';
  const srtp = x?.srtp ?? 'off';
  const policy = sdpOptionsFromSettings(s, settings.rtp, {
    available,
    g711Required: false,
    rfc2543Hold: false,
    telephoneEvent: dtmfMode === 'auto' || dtmfMode === 'rfc4733',
    payloadTypes: { OPUS: media.opusPayloadType, ILBC: media.ilbcPayloadType },
    ilbcModeMs: media.ilbcPayloadLengthMs,
    srtp,
    // 9.12 "Enable Use Inactive Hold": hold offers a=inactive.
    inactiveHold: x?.inactiveHold ?? false,
  });
  // 9.16 "Enable VAD": silence is replaced by RFC 3389 comfort noise, so CN/8000 is offered and answered.
  const withCn = media.vad ? { ...policy, comfortNoise: true } : policy;
  return srtp === 'off' ? withCn : { ...withCn, srtpKeys: [generateSdesKey()] };
}
