// How long an RTP audio payload lasts, in RTP timestamp units, from the payload alone: RFC 3551
// §4.2 lets the sender choose any packet duration (a receiver SHOULD accept 0–200 ms) and says
// nothing of it in the SDP when a=ptime is absent, so the receiver reads it from each packet.
import { rtpTimestampTicks, type AudioCodec } from '../codecs/codec.js';

/** RFC 6716 §3.1: frame duration of a TOC configuration, in tenths of a millisecond. */
function opusFrameTenthsMs(config: number): number {
  if (config < 12) return [100, 200, 400, 600][config & 3]!; // SILK-only
  if (config < 16) return (config & 1) === 0 ? 100 : 200; // Hybrid
  return [25, 50, 100, 200][config & 3]!; // CELT-only
}

/** RFC 6716 §3.1/§3.2: an Opus packet's duration, ms; 0 when the packet cannot say. */
export function opusPacketMs(bytes: Uint8Array, offset: number, length: number): number {
  if (length < 1) return 0;
  const toc = bytes[offset]!;
  const code = toc & 3;
  let frames = code === 0 ? 1 : code < 3 ? 2 : 0;
  if (code === 3) frames = length >= 2 ? bytes[offset + 1]! & 0x3f : 0;
  return (frames * opusFrameTenthsMs(toc >> 3)) / 10;
}

/**
 * Duration of a payload of `codec`'s in timestamp units, 0 when unknown. G.711: one octet per
 * sample; G.722: one octet per two 16 kHz samples, one 8 kHz tick (RFC 3551 §4.5.2); G.729: 10
 * octets per 10 ms frame, a trailing 2-octet SID counting as a frame (RFC 3551 §4.5.6); Opus: its
 * TOC octet (RFC 7587 §4.1: the timestamp runs at 48 kHz).
 */
export function payloadTicks(codec: AudioCodec, bytes: Uint8Array, offset: number, length: number): number {
  if (codec.name.toLowerCase() === 'opus') return (opusPacketMs(bytes, offset, length) * codec.clockRate) / 1000;
  return length > 0 ? rtpTimestampTicks(codec, codec.maxDecodedSamples(length)) : 0;
}
