// G.726 ADPCM descriptors (the Fanvil A12's G.726-16/24/32/40, A12 9.12 / 9.16 codec lists).
// RFC 3551 §4.5.4: the encoding names G726-16, G726-24, G726-32, G726-40, clock rate 8000,
// code words packed from the least significant bit of each octet ("right"); the AAL2-G726-xx
// names (ITU-T I.366.2 packing, most significant bit first) are different formats. All of
// them are dynamic payload types: RFC 3551 §6 table 4 lists them as "dyn" and leaves 2
// "reserved" (RFC 1890's static G721) — we neither send nor accept a static 2; an offer has
// to name the codec in a=rtpmap.

import type { AudioCodec } from './codec.js';
import { G726Decoder } from './g726-decoder.js';
import { G726Encoder } from './g726-encoder.js';
import type { G726Packing, G726Rate } from './g726-tables.js';
import { g726SamplesPerUnit } from './g726-tables.js';
import { oneShot } from './one-shot.js';

export { G726Decoder } from './g726-decoder.js';
export { G726Encoder } from './g726-encoder.js';
export { G726_RATES, g726SamplesPerUnit, type G726Packing, type G726Rate } from './g726-tables.js';

/**
 * Payload types we offer, by rate. The A12 manual names none for G.726 (9.16 lists only the
 * Opus, iLBC and DTMF ones), so these are our choice, clear of the A12's defaults iLBC 97,
 * telephone-event 101 and Opus 107: G726-16 102, G726-24 103, G726-32 104, G726-40 105.
 * The answer decides the real numbers (RFC 3264 §6.1: dynamic types are matched by name).
 */
export const G726_PAYLOAD_TYPES: Readonly<Record<G726Rate, number>> = { 16000: 102, 24000: 103, 32000: 104, 40000: 105 };
/** The same for AAL2-G726-xx (not offered by any model; for tests and tools). */
export const AAL2_G726_PAYLOAD_TYPES: Readonly<Record<G726Rate, number>> = { 16000: 110, 24000: 111, 32000: 112, 40000: 113 };

/** SDP encoding name: G726-32, or AAL2-G726-32 with the left packing. */
export function g726EncodingName(rate: G726Rate, packing: G726Packing = 'right'): string {
  return `${packing === 'left' ? 'AAL2-' : ''}G726-${rate / 1000}`;
}

/** A G.726 codec descriptor at `rate` with `packing` (RFC 3551 G726-xx: 'right'). */
export function createG726Codec(rate: G726Rate, packing: G726Packing = 'right'): AudioCodec {
  const bits = rate / 8000;
  return {
    name: g726EncodingName(rate, packing),
    payloadType: (packing === 'left' ? AAL2_G726_PAYLOAD_TYPES : G726_PAYLOAD_TYPES)[rate],
    clockRate: 8000,
    sampleRate: 8000,
    channels: 1,
    frameMs: 20,
    samplesPerFrame: g726SamplesPerUnit(rate),
    stateful: true,
    maxEncodedBytes: (samples) => Math.ceil((samples * bits) / 8),
    maxDecodedSamples: (bytes) => Math.floor((bytes * 8) / bits),
    ...oneShot(new G726Encoder(rate, packing), new G726Decoder(rate, packing)),
    createEncoder: () => new G726Encoder(rate, packing),
    createDecoder: () => new G726Decoder(rate, packing),
  };
}

export const G726_16 = createG726Codec(16000);
export const G726_24 = createG726Codec(24000);
export const G726_32 = createG726Codec(32000);
export const G726_40 = createG726Codec(40000);
