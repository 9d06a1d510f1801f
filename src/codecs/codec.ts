// Audio codecs as descriptors (ARCHITECTURE.md "Codecs as descriptors", after baresip's aucodec
// list): a call looks a codec up by its SDP encoding name, creates one encoder and one decoder
// for its own use (G.722 and G.729 carry state from packet to packet), and feeds them 20 ms
// frames. Nothing here allocates per packet: callers own the PCM and payload buffers.

/** Per-call encoder. Keeps the codec's adaptive state between calls of `encode`. */
export interface AudioEncoder {
  /**
   * Encodes `pcm` (mono, `sampleRate` Hz, a whole number of codec frames) into `out`.
   * @returns bytes written to `out`. With G.729 Annex B (VAD) on, 0 means "send nothing".
   * Throws RangeError when `out` is too small or `pcm` is not a whole number of frames (a bug).
   */
  encode(pcm: Int16Array, out: Uint8Array): number;
  /**
   * Codec frames at the start of the last `encode` that are not in its output (G.729 Annex B: a
   * talkspurt that starts mid-packet); the packet's timestamp is theirs later. Absent: 0.
   */
  readonly leadingUntransmittedFrames?: number;
  /** Back to the state of a fresh encoder. */
  reset(): void;
  /** Frees state held outside the JS heap (Opus: wasm memory). Idempotent; absent when none. */
  close?(): void;
}

/** Per-call decoder. Keeps the codec's adaptive state between calls of `decode`. */
export interface AudioDecoder {
  /**
   * Decodes one RTP payload (untrusted bytes) into `out`.
   * @returns samples written, or {@link DECODE_MALFORMED} when the payload length is not one
   * the codec can carry (the decoder state is then left untouched). Throws RangeError when
   * `out` is too small for a well-formed payload (a bug: size it with `maxDecodedSamples`).
   */
  decode(payload: Uint8Array, out: Int16Array): number;
  /**
   * Packet-loss concealment for one lost frame of `frameMs`, where the codec has it
   * (G.729: the frame-erasure path of the decoder). Absent for codecs without PLC.
   * @returns samples written.
   */
  conceal?(out: Int16Array): number;
  /** Back to the state of a fresh decoder. */
  reset(): void;
  /** Frees state held outside the JS heap (Opus: wasm memory). Idempotent; absent when none. */
  close?(): void;
}

/** Options an encoder is created with, usually from the SDP `a=fmtp` line. */
export interface EncoderOptions {
  /**
   * G.729 Annex B voice activity detection / discontinuous transmission. RFC 4856
   * (audio/G729 `annexb`): absent means `annexb=yes`, so the default is true; `annexb=no` → false.
   * Ignored by codecs without VAD.
   */
  readonly vad?: boolean;
}

export interface AudioCodec {
  /** SDP encoding name (RFC 3551 §4.5): 'PCMU', 'PCMA', 'G722', 'G729'; 'opus' (RFC 7587). */
  readonly name: string;
  /**
   * Static RTP payload type (RFC 3551 §6, table 4). A dynamic codec (96–127: Opus) gives its usual
   * number; the SDP exchange decides the real one and the registry does not index it.
   */
  readonly payloadType: number;
  /**
   * RTP timestamp clock rate. RFC 3551 §4.5.2: G.722 says 8000 although it samples at 16 kHz
   * (an error in RFC 1890 kept for compatibility).
   */
  readonly clockRate: number;
  /** Rate of the linear PCM the codec consumes and produces (8000 or 16000). */
  readonly sampleRate: number;
  readonly channels: 1;
  /** Default packetisation time (RFC 3551 §4.5: 20 ms for all four). */
  readonly frameMs: number;
  /** Smallest unit the encoder accepts: `pcm.length` must be a multiple of it. */
  readonly samplesPerFrame: number;
  /** Whether encoder/decoder carry state between packets (then use createEncoder/createDecoder). */
  readonly stateful: boolean;
  /** Upper bound of `encode` output bytes for `samples` input samples. */
  maxEncodedBytes(samples: number): number;
  /** Upper bound of `decode` output samples for a payload of `bytes` bytes. */
  maxDecodedSamples(bytes: number): number;
  /**
   * One-shot encode. Stateless codecs: the same as any encoder. Stateful codecs: encodes
   * `pcm` as an independent signal starting from fresh state (tests, files); a call must use
   * `createEncoder()`.
   */
  encode(pcm: Int16Array, out: Uint8Array): number;
  /** One-shot decode, the counterpart of `encode` (fresh state for stateful codecs). */
  decode(payload: Uint8Array, out: Int16Array): number;
  createEncoder(options?: EncoderOptions): AudioEncoder;
  createDecoder(): AudioDecoder;
}

/** `AudioDecoder.decode` result for a payload of a length the codec cannot carry. */
export const DECODE_MALFORMED = -1;

/**
 * RTP timestamp units for `samples` PCM samples: samples × clockRate / sampleRate. For G.722
 * a 20 ms packet of 320 samples advances the timestamp by 160 (RFC 3551 §4.5.2).
 */
export function rtpTimestampTicks(codec: AudioCodec, samples: number): number {
  return (samples * codec.clockRate) / codec.sampleRate;
}

/** Throws a RangeError (caller bug) unless `need` fits in a buffer of `have`. */
export function checkCapacity(what: string, need: number, have: number): void {
  if (need > have) throw new RangeError(`${what}: output buffer holds ${have}, needs ${need}`);
}

/** Throws a RangeError (caller bug) unless `samples` is a whole number of `frame`s. */
export function checkWholeFrames(what: string, samples: number, frame: number): void {
  if (samples % frame !== 0) throw new RangeError(`${what}: ${samples} samples is not a multiple of ${frame}`);
}

/**
 * Codecs by SDP encoding name, case-insensitively (RFC 4855 §3: payload format names are
 * case-insensitive). G.729 is registered only when its optional native addon loads (see
 * registry.ts), so `available()` is what a phone may offer.
 */
export class CodecRegistry {
  private readonly byName = new Map<string, AudioCodec>();
  private readonly byPayloadType = new Map<number, AudioCodec>();

  register(codec: AudioCodec): this {
    const key = codec.name.toUpperCase();
    if (this.byName.has(key)) throw new Error(`codecs: ${codec.name} registered twice`);
    this.byName.set(key, codec);
    // RFC 3551 §6: 96–127 are dynamic, bound per session by a=rtpmap.
    if (codec.payloadType < 96) this.byPayloadType.set(codec.payloadType, codec);
    return this;
  }

  /** The codec with this SDP encoding name, or undefined when absent. */
  get(name: string): AudioCodec | undefined {
    return this.byName.get(name.toUpperCase());
  }

  /** The codec with this static payload type, or undefined. */
  byStaticPayloadType(payloadType: number): AudioCodec | undefined {
    return this.byPayloadType.get(payloadType);
  }

  has(name: string): boolean {
    return this.byName.has(name.toUpperCase());
  }

  /** Registered codecs in registration order. */
  available(): readonly AudioCodec[] {
    return [...this.byName.values()];
  }

  /** Registered encoding names in registration order. */
  names(): readonly string[] {
    return this.available().map((c) => c.name);
  }
}
