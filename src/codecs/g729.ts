// G.729 Annex A (with Annex B VAD/DTX/CNG) through the optional native addon native/g729 over
// Debian's libbcg729. libbcg729 is GPL-3.0, so the addon is built only on request
// (`make build`); when it is missing `loadG729()` says why and the registry lacks G729.
// RFC 3551 §4.5.6: static payload type 18, 8000 Hz, 10 ms frames of 10 octets; a packet holds
// zero or more such frames followed by zero or one 2-octet Annex B SID frame.

import { addonCandidates, loadAddon } from '../core/native-addon.js';
import type { Result } from '../core/result.js';
import { failure, ok } from '../core/result.js';
import type { AudioCodec, AudioDecoder, AudioEncoder, EncoderOptions } from './codec.js';
import { DECODE_MALFORMED, checkCapacity, checkWholeFrames } from './codec.js';

export const G729_FRAME_SAMPLES = 80;
export const G729_FRAME_BYTES = 10;
export const G729_SID_BYTES = 2;

declare const handleBrand: unique symbol;
/** Opaque, type-tagged native context (an N-API external). */
export type G729Handle = { readonly [handleBrand]: 'G729Handle' };

/** The functions native/g729/g729.c exports. */
export interface G729Native {
  readonly bcg729Version: number;
  encoderCreate(vad: boolean): G729Handle;
  encoderReset(enc: G729Handle): void;
  encode(enc: G729Handle, pcm: Int16Array, out: Uint8Array, frameLengths?: Uint8Array): number;
  decoderCreate(): G729Handle;
  decoderReset(dec: G729Handle): void;
  decode(dec: G729Handle, payload: Uint8Array, out: Int16Array): number;
  conceal(dec: G729Handle, out: Int16Array): number;
}

/** Where the addon is looked for: native/g729/build/Release/g729.node above this module. */
export function g729AddonCandidates(): string[] {
  return addonCandidates('g729', import.meta.url);
}

let cachedNative: G729Native | undefined;

/** Loads the addon (once). Fails with CODEC_G729_MISSING or CODEC_G729_LOAD, never throws. */
export function loadG729Native(path?: string): Result<G729Native> {
  if (path === undefined && cachedNative) return ok(cachedNative);
  const loaded = loadAddon<G729Native>({
    code: 'CODEC_G729',
    what: 'G.729 addon',
    candidates: path === undefined ? g729AddonCandidates() : [path],
    looksRight: (m) => typeof (m as G729Native).encode === 'function' && typeof (m as G729Native).decode === 'function',
  });
  if (!loaded.ok) return failure(loaded.error.code, `codecs: ${loaded.error.message}`);
  if (path === undefined) cachedNative = loaded.value;
  return loaded;
}

/**
 * Per-call G.729A encoder. With VAD on (Annex B) a 10 ms frame yields 10 octets (speech),
 * 2 (SID) or nothing; `encode` packs a packet's frames per RFC 3551 §4.5.6.
 */
export class G729Encoder implements AudioEncoder {
  private readonly handle: G729Handle;
  private lens = new Uint8Array(8);
  /**
   * Frames at the start of the last encoded packet that produced nothing to send (DTX).
   * The payload's RTP timestamp is the packet's plus 80 × this (RFC 3551 §4.5.6 has no gaps).
   */
  leadingUntransmittedFrames = 0;

  constructor(
    private readonly native: G729Native,
    readonly vad: boolean,
  ) {
    this.handle = native.encoderCreate(vad);
  }

  reset(): void {
    this.native.encoderReset(this.handle);
    this.leadingUntransmittedFrames = 0;
  }

  encode(pcm: Int16Array, out: Uint8Array): number {
    checkWholeFrames('G729 encode', pcm.length, G729_FRAME_SAMPLES);
    const frames = pcm.length / G729_FRAME_SAMPLES;
    checkCapacity('G729 encode', frames * G729_FRAME_BYTES, out.length);
    if (!this.vad) {
      this.leadingUntransmittedFrames = 0;
      return this.native.encode(this.handle, pcm, out);
    }
    if (this.lens.length < frames) this.lens = new Uint8Array(frames);
    const lens = this.lens;
    this.native.encode(this.handle, pcm, out, lens);
    return this.packAnnexB(out, lens, frames);
  }

  /**
   * RFC 3551 §4.5.6: a SID frame may only end a packet. A SID followed by speech in the same
   * packet is dropped (the receiver keeps generating comfort noise for a frame it did not get,
   * G.729 B.27); speech after it is moved down in `out`.
   */
  private packAnnexB(out: Uint8Array, lens: Uint8Array, frames: number): number {
    let lastVoice = -1;
    let lead = 0;
    let leading = true;
    for (let k = 0; k < frames; k++) if (lens[k] === G729_FRAME_BYTES) lastVoice = k;
    let r = 0;
    let w = 0;
    for (let k = 0; k < frames; k++) {
      const len = lens[k]!;
      if (len === G729_SID_BYTES && k < lastVoice) {
        r += len;
        if (leading) lead++;
        continue;
      }
      if (len === 0) {
        if (leading) lead++;
        continue;
      }
      leading = false;
      if (w !== r) out.copyWithin(w, r, r + len);
      r += len;
      w += len;
    }
    this.leadingUntransmittedFrames = leading ? frames : lead;
    return w;
  }
}

export class G729Decoder implements AudioDecoder {
  private readonly handle: G729Handle;

  constructor(private readonly native: G729Native) {
    this.handle = native.decoderCreate();
  }

  reset(): void {
    this.native.decoderReset(this.handle);
  }

  /** 10n octets (n speech frames) or 10n + 2 (then a SID frame): 80 samples per frame. */
  decode(payload: Uint8Array, out: Int16Array): number {
    const rest = payload.length % G729_FRAME_BYTES;
    if (rest !== 0 && rest !== G729_SID_BYTES) return DECODE_MALFORMED;
    checkCapacity('G729 decode', g729MaxDecodedSamples(payload.length), out.length);
    return this.native.decode(this.handle, payload, out);
  }

  /** A lost or untransmitted (DTX) 10 ms frame: PLC after speech, comfort noise after a SID. */
  conceal(out: Int16Array): number {
    checkCapacity('G729 conceal', G729_FRAME_SAMPLES, out.length);
    return this.native.conceal(this.handle, out);
  }
}

function g729MaxDecodedSamples(bytes: number): number {
  return Math.ceil(bytes / G729_FRAME_BYTES) * G729_FRAME_SAMPLES;
}

/** The G729 descriptor over a loaded addon. */
export function createG729Codec(native: G729Native): AudioCodec {
  // RFC 4856 (audio/G729): annexb absent means yes; RFC 7261 covers offer/answer mismatches.
  const createEncoder = (options?: EncoderOptions): G729Encoder => new G729Encoder(native, options?.vad ?? true);
  const createDecoder = (): G729Decoder => new G729Decoder(native);
  return {
    name: 'G729',
    payloadType: 18,
    clockRate: 8000,
    sampleRate: 8000,
    channels: 1,
    frameMs: 20,
    samplesPerFrame: G729_FRAME_SAMPLES,
    stateful: true,
    maxEncodedBytes: (samples) => Math.ceil(samples / G729_FRAME_SAMPLES) * G729_FRAME_BYTES,
    maxDecodedSamples: g729MaxDecodedSamples,
    // One-shot: a fresh native context per call (allocates; not for the media path).
    encode: (pcm, out) => createEncoder().encode(pcm, out),
    decode: (payload, out) => createDecoder().decode(payload, out),
    createEncoder,
    createDecoder,
  };
}

/** The G729 codec when the addon loads, else the reason it is unavailable. */
export function loadG729(path?: string): Result<AudioCodec> {
  const native = loadG729Native(path);
  return native.ok ? ok(createG729Codec(native.value)) : native;
}
