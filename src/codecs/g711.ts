// ITU-T G.711 A-law (PCMA) and µ-law (PCMU), as libspandsp implements them (spandsp/g711.h:
// linear_to_alaw, alaw_to_linear, linear_to_ulaw, ulaw_to_linear; no µ-law zero trap).
// The functions below build lookup tables once at load; the codecs only index them.
// Bit-exactness with spandsp over all 65,536 inputs and 256 codes: test/codecs/g711.test.ts.

import type { AudioCodec, AudioDecoder, AudioEncoder } from './codec.js';
import { checkCapacity } from './codec.js';

/** spandsp top_bit(x | 0xFF): index of the highest set bit (x is non-negative here). */
function topBit(x: number): number {
  return 31 - Math.clz32(x);
}

/** G.711 µ-law encoding of one 16-bit sample (G711_ULAW_BIAS 0x84, code word complemented). */
export function linearToUlaw(linear: number): number {
  let mask: number;
  if (linear >= 0) {
    linear = 0x84 + linear;
    mask = 0xff;
  } else {
    linear = 0x84 - linear;
    mask = 0x7f;
  }
  const seg = topBit(linear | 0xff) - 7;
  if (seg >= 8) return (0x7f ^ mask) & 0xff;
  return (((seg << 4) | ((linear >> (seg + 3)) & 0xf)) ^ mask) & 0xff;
}

/** G.711 µ-law decoding of one code. */
export function ulawToLinear(ulaw: number): number {
  const u = ~ulaw & 0xff;
  const t = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
  return u & 0x80 ? 0x84 - t : t - 0x84;
}

/** G.711 A-law encoding of one 16-bit sample (even bits inverted with the AMI mask 0x55). */
export function linearToAlaw(linear: number): number {
  let mask: number;
  if (linear >= 0) {
    mask = 0x55 | 0x80;
  } else {
    mask = 0x55;
    linear = -linear - 1;
  }
  const seg = topBit(linear | 0xff) - 7;
  if (seg >= 8) return (0x7f ^ mask) & 0xff;
  return (((seg << 4) | ((linear >> (seg ? seg + 3 : 4)) & 0x0f)) ^ mask) & 0xff;
}

/** G.711 A-law decoding of one code. */
export function alawToLinear(alaw: number): number {
  const a = (alaw ^ 0x55) & 0xff;
  let i = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg) i = (i + 0x108) << (seg - 1);
  else i += 8;
  return a & 0x80 ? i : -i;
}

/** Encode tables indexed by the sample's 16-bit two's-complement pattern (`s & 0xffff`). */
const ULAW_ENCODE = new Uint8Array(65536);
const ALAW_ENCODE = new Uint8Array(65536);
const ULAW_DECODE = new Int16Array(256);
const ALAW_DECODE = new Int16Array(256);
for (let u = 0; u < 65536; u++) {
  const s = (u << 16) >> 16;
  ULAW_ENCODE[u] = linearToUlaw(s);
  ALAW_ENCODE[u] = linearToAlaw(s);
}
for (let c = 0; c < 256; c++) {
  ULAW_DECODE[c] = ulawToLinear(c);
  ALAW_DECODE[c] = alawToLinear(c);
}

function encodeWith(table: Uint8Array, name: string, pcm: Int16Array, out: Uint8Array): number {
  const n = pcm.length;
  checkCapacity(name, n, out.length);
  for (let i = 0; i < n; i++) out[i] = table[pcm[i]! & 0xffff]!;
  return n;
}

function decodeWith(table: Int16Array, name: string, payload: Uint8Array, out: Int16Array): number {
  const n = payload.length;
  checkCapacity(name, n, out.length);
  for (let i = 0; i < n; i++) out[i] = table[payload[i]!]!;
  return n;
}

function makeG711(name: 'PCMU' | 'PCMA', payloadType: number, enc: Uint8Array, dec: Int16Array): AudioCodec {
  const encode = (pcm: Int16Array, out: Uint8Array): number => encodeWith(enc, name, pcm, out);
  const decode = (payload: Uint8Array, out: Int16Array): number => decodeWith(dec, name, payload, out);
  // G.711 has no state: every call may share these.
  const encoder: AudioEncoder = { encode, reset: () => undefined };
  const decoder: AudioDecoder = { decode, reset: () => undefined };
  return {
    name,
    payloadType,
    clockRate: 8000,
    sampleRate: 8000,
    channels: 1,
    frameMs: 20,
    samplesPerFrame: 1,
    stateful: false,
    maxEncodedBytes: (samples) => samples,
    maxDecodedSamples: (bytes) => bytes,
    encode,
    decode,
    createEncoder: () => encoder,
    createDecoder: () => decoder,
  };
}

/** RFC 3551 §4.5.14: PCMU, static payload type 0, 8000 Hz. */
export const PCMU: AudioCodec = makeG711('PCMU', 0, ULAW_ENCODE, ULAW_DECODE);
/** RFC 3551 §4.5.14: PCMA, static payload type 8, 8000 Hz. */
export const PCMA: AudioCodec = makeG711('PCMA', 8, ALAW_ENCODE, ALAW_DECODE);
