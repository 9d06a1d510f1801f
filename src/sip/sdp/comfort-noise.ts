// RFC 3389 comfort noise in the offer/answer exchange. CN is listed like a codec
// (`a=rtpmap:13 CN/8000`, RFC 3389 §5) but is no codec: it goes with the voice codecs of its
// clock rate (G.711, G.722 — whose RTP clock is 8000, RFC 3551 §4.5.2) and says the sender may
// replace silence by CN packets. We offer it when the line suppresses silence (A12 9.16 "Enable
// VAD"), answer with it only when it was offered (and the line suppresses silence), and a peer
// that sends CN anyway is understood (the receiver plays payload type 13 as CN whatever the SDP).
import type { PayloadFormat, Rtpmap } from './attributes.js';

/** RFC 3551 §6: CN/8000's static payload type. */
export const CN_STATIC_PAYLOAD_TYPE = 13;
const CN_RATE = 8000;

/** CN negotiated: send with `payloadType`, expect `receivePayloadType`. */
export interface NegotiatedComfortNoise {
  readonly payloadType: number;
  readonly receivePayloadType: number;
}

/** A CN/8000 format (RFC 4855 §3: the name compares case-insensitively). */
export function isComfortNoise(f: Rtpmap): boolean {
  return f.encodingName.toUpperCase() === 'CN' && f.clockRate === CN_RATE;
}

/** The CN format an offer adds after its codecs: CN/8000 at 13 when a codec runs on an 8 kHz clock and 13 is free. */
export function offeredComfortNoise(wanted: boolean | undefined, codecs: readonly { payloadType: number; clockRate: number }[]): { payloadType: number; encodingName: string; clockRate: number } | undefined {
  if (!wanted || !codecs.some((c) => c.clockRate === CN_RATE) || codecs.some((c) => c.payloadType === CN_STATIC_PAYLOAD_TYPE)) return undefined;
  return { payloadType: CN_STATIC_PAYLOAD_TYPE, encodingName: 'CN', clockRate: CN_RATE };
}

/** The offer's CN/8000 format, when there is one. */
export function comfortNoiseIn(formats: readonly PayloadFormat[]): PayloadFormat | undefined {
  return formats.find(isComfortNoise);
}
