// Opus (RFC 6716) for the A12, over libopus 1.4 compiled to WebAssembly by the `opusscript`
// package (MIT, libopus BSD). RFC 7587: the RTP clock is 48000 whatever the audio bandwidth, the
// SDP says opus/48000/2 (RFC 7587 §7) and a receiver decodes mono or stereo alike; we send mono
// (stereo=0, the default) at an internal rate of 8 or 16 kHz (A12 9.16 "Opus Sample Rate":
// OPUS-NB / OPUS-WB) or 48 kHz. Frames are 20 ms (RFC 7587 §4.1 recommends 20 ms), in-band FEC
// and DTX are off (RFC 7587 §6.1: useinbandfec=0 and usedtx=0 are the defaults).
//
// The package's own encode()/decode() wrappers index the wasm heap with byte pointers as if they
// were 16-bit indices (so they write outside their allocations) and return fresh Buffers per
// call; this module drives the compiled OpusScriptHandler directly with its own correctly sized
// scratch buffers. Each handler holds a libopus encoder and decoder in wasm memory that the GC
// cannot see: `close()` frees it (a FinalizationRegistry frees forgotten ones as a fallback).

import { createRequire } from 'node:module';
import type { Result } from '../core/result.js';
import { failure, ok } from '../core/result.js';
import type { AudioCodec, AudioDecoder, AudioEncoder } from './codec.js';
import { DECODE_MALFORMED, checkCapacity, checkWholeFrames } from './codec.js';

/** RFC 7587 §4.1: the RTP timestamp counts at 48 kHz for every Opus bandwidth. */
export const OPUS_CLOCK_RATE = 48000;
/** A12 9.16 "Opus Payload Type" default (a dynamic type, RFC 3551 §6: 96–127; SDP decides). */
export const OPUS_DEFAULT_PAYLOAD_TYPE = 107;
/** Rates libopus runs at (RFC 6716 §2: NB 8, MB 12, WB 16, SWB 24, FB 48 kHz). */
export type OpusSampleRate = 8000 | 12000 | 16000 | 24000 | 48000;
/** RFC 6716 §3.2.1: at most 1275 octets a frame; libopus' packets end up to 3 × that. */
const MAX_PACKET_BYTES = 1275 * 3;
/** RFC 6716 §3.2.5: a packet lasts at most 120 ms; at 48 kHz that is 5760 samples. */
const MAX_PACKET_SAMPLES_48K = 5760;
/** The longest frame we encode in one call (libopus: 2.5–60 ms). */
const MAX_ENCODE_MS = 60;
const FRAME_MS = 20;

// libopus request numbers (opus_defines.h).
const OPUS_APPLICATION_VOIP = 2048;
const OPUS_SET_BITRATE = 4002;
const OPUS_SET_COMPLEXITY = 4010;
const OPUS_SET_INBAND_FEC = 4012;
const OPUS_SET_DTX = 4016;
const OPUS_RESET_STATE = 4028;

/** The embind class opusscript compiles (opusscript/src/opusscript_encoder.cpp). */
interface OpusHandler {
  /** Reads `samples` int16 stored one byte per 16-bit slot at `pcm`; writes the packet at `out`. */
  _encode(pcm: number, samples: number, out: number, frameSize: number): number;
  /** Decodes `bytes` at `packet`; writes each int16 sample as two 16-bit slots (low, high byte). */
  _decode(packet: number, bytes: number, pcm: number): number;
  _encoder_ctl(request: number, value: number): number;
  _decoder_ctl(request: number, value: number): number;
}

/** The emscripten module of opusscript/build/opusscript_native_wasm.js. */
interface OpusWasm {
  readonly HEAPU8: Uint8Array;
  readonly HEAPU16: Uint16Array;
  readonly ready: Promise<unknown>;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  readonly OpusScriptHandler: {
    new (sampleRate: number, channels: number, application: number): OpusHandler;
    destroy_handler(handler: OpusHandler): void;
  };
}

/** Scratch buffers in wasm memory shared by every handler (calls never interleave). */
interface Scratch {
  /** Encoder input: 2 slots × 2 bytes per sample, 60 ms at 48 kHz. */
  readonly pcmIn: number;
  /** Encoder output and decoder input. */
  readonly packet: number;
  /** Decoder output: 2 slots × 2 bytes per sample, 120 ms at 48 kHz. */
  readonly pcmOut: number;
}

/** The loaded wasm module and its scratch buffers (one per process). */
export interface OpusRuntime {
  readonly wasm: OpusWasm;
  readonly scratch: Scratch;
  /** Set once a wasm call threw (an abort): every later call fails softly. */
  broken: boolean;
  live: number;
}

let runtime: OpusRuntime | undefined;

const finalizer = new FinalizationRegistry<OpusHandler>((handler) => destroy(handler));

function destroy(handler: OpusHandler): void {
  if (!runtime) return;
  runtime.live--;
  try {
    runtime.wasm.OpusScriptHandler.destroy_handler(handler);
  } catch {
    runtime.broken = true;
  }
}

/**
 * Loads the wasm build of libopus (once, synchronously). Fails with CODEC_OPUS_MISSING when the
 * `opusscript` package is absent or broken; never throws.
 */
export function loadOpusRuntime(): Result<OpusRuntime> {
  if (runtime) return ok(runtime);
  try {
    const factory = createRequire(import.meta.url)('opusscript/build/opusscript_native_wasm.js') as () => OpusWasm;
    const wasm = factory();
    // An emscripten abort rejects `ready`; nobody awaits it, so keep it from crashing Node.
    wasm.ready.catch(() => undefined);
    if (typeof wasm.OpusScriptHandler !== 'function') return failure('CODEC_OPUS_MISSING', 'codecs: opusscript has no OpusScriptHandler');
    const scratch: Scratch = {
      pcmIn: wasm._malloc((OPUS_CLOCK_RATE * MAX_ENCODE_MS) / 1000 * 4),
      packet: wasm._malloc(MAX_PACKET_BYTES + 8),
      pcmOut: wasm._malloc(MAX_PACKET_SAMPLES_48K * 4),
    };
    runtime = { wasm, scratch, broken: false, live: 0 };
    return ok(runtime);
  } catch (e) {
    return failure('CODEC_OPUS_MISSING', `codecs: cannot load opusscript (libopus wasm): ${(e as Error).message}`);
  }
}

/** libopus handlers alive now (created and not yet closed): tests check nothing leaks. */
export function opusLiveHandlers(): number {
  return runtime?.live ?? 0;
}

/** Bytes of wasm linear memory (it only grows): tests check it stays bounded. */
export function opusHeapBytes(): number {
  return runtime?.wasm.HEAPU8.byteLength ?? 0;
}

export interface OpusCodecOptions {
  /** Internal rate of the PCM the codec takes and gives. Default 16000 (wideband). */
  readonly sampleRate?: OpusSampleRate;
  /** Target bit rate, bit/s (RFC 7587 §3.1.1 suggests 8–12k NB, 16–20k WB, 28–40k FB). */
  readonly bitrate?: number;
  /** libopus complexity 0–10 (CPU for quality). Default 5: a fleet shares a couple of cores. */
  readonly complexity?: number;
  /** In-band FEC (RFC 7587 useinbandfec). Default false. */
  readonly fec?: boolean;
  /** DTX (RFC 7587 usedtx): silent frames are not sent. Default false. */
  readonly dtx?: boolean;
}

/** A12 9.16 "Opus Sample Rate": 1 = OPUS-WB (16 kHz), 0 = OPUS-NB (8 kHz). */
export function opusSampleRateFor(wideband: boolean): OpusSampleRate {
  return wideband ? 16000 : 8000;
}

function defaultBitrate(rate: number): number {
  return rate <= 8000 ? 12000 : rate <= 16000 ? 20000 : 32000;
}

/** One libopus encoder+decoder pair in wasm memory. */
class OpusState {
  private handler: OpusHandler | undefined;

  constructor(
    protected readonly rt: OpusRuntime,
    readonly sampleRate: number,
  ) {
    this.handler = new rt.wasm.OpusScriptHandler(sampleRate, 1, OPUS_APPLICATION_VOIP);
    rt.live++;
    finalizer.register(this, this.handler, this);
  }

  get closed(): boolean {
    return this.handler === undefined;
  }

  /** Frees the libopus state. Idempotent; a closed codec encodes nothing and conceals silence. */
  close(): void {
    const h = this.handler;
    if (!h) return;
    this.handler = undefined;
    finalizer.unregister(this);
    destroy(h);
  }

  /** Runs `fn` on the handler; undefined when closed or when the wasm instance has failed. */
  protected call<T>(fn: (h: OpusHandler) => T): T | undefined {
    const h = this.handler;
    if (!h || this.rt.broken) return undefined;
    try {
      return fn(h);
    } catch {
      // An emscripten abort (RuntimeError) leaves the instance unusable: stop calling it.
      this.rt.broken = true;
      return undefined;
    }
  }
}

/** Per-call Opus encoder: 20, 40 or 60 ms of mono PCM per packet. */
export class OpusEncoder extends OpusState implements AudioEncoder {
  /** Packets libopus refused (never expected: the input is ours); they were not sent. */
  errors = 0;

  constructor(
    rt: OpusRuntime,
    sampleRate: number,
    private readonly options: OpusCodecOptions,
  ) {
    super(rt, sampleRate);
    this.configure();
  }

  private configure(): void {
    const o = this.options;
    this.call((h) => {
      h._encoder_ctl(OPUS_SET_BITRATE, o.bitrate ?? defaultBitrate(this.sampleRate));
      h._encoder_ctl(OPUS_SET_COMPLEXITY, o.complexity ?? 5);
      h._encoder_ctl(OPUS_SET_INBAND_FEC, o.fec ? 1 : 0);
      h._encoder_ctl(OPUS_SET_DTX, o.dtx ? 1 : 0);
    });
  }

  encode(pcm: Int16Array, out: Uint8Array): number {
    const frame = (this.sampleRate * FRAME_MS) / 1000;
    checkWholeFrames('opus encode', pcm.length, frame);
    if (pcm.length > (this.sampleRate * MAX_ENCODE_MS) / 1000) throw new RangeError(`opus encode: ${pcm.length} samples is more than ${MAX_ENCODE_MS} ms`);
    const { wasm, scratch } = this.rt;
    const n = this.call((h) => {
      // The handler's input layout: one byte of each little-endian sample per 16-bit slot.
      const heap = wasm.HEAPU16;
      let k = scratch.pcmIn >> 1;
      for (let i = 0; i < pcm.length; i++) {
        const v = pcm[i]! & 0xffff;
        heap[k++] = v & 0xff;
        heap[k++] = v >> 8;
      }
      return h._encode(scratch.pcmIn, pcm.length, scratch.packet, pcm.length);
    });
    if (n === undefined || n < 0) {
      this.errors++;
      return 0;
    }
    // RFC 7587 §3.1.3 / libopus DTX: a packet of 1–2 octets is a DTX frame, not sent.
    if (this.options.dtx && n <= 2) return 0;
    checkCapacity('opus encode', n, out.length);
    out.set(wasm.HEAPU8.subarray(scratch.packet, scratch.packet + n));
    return n;
  }

  reset(): void {
    this.call((h) => h._encoder_ctl(OPUS_RESET_STATE, 0));
    this.configure();
  }
}

/** TOC octets of code-0 CELT packets of 20, 10, 5 and 2.5 ms (RFC 6716 §3.1 configs 31–28). */
const PLC_TOCS: ReadonlyArray<readonly [ms: number, toc: number]> = [
  [20, 31 << 3],
  [10, 30 << 3],
  [5, 29 << 3],
  [2.5, 28 << 3],
];

/** Per-call Opus decoder with libopus packet-loss concealment. */
export class OpusDecoder extends OpusState implements AudioDecoder {
  /** Packets libopus rejected as invalid (RFC 6716 §3.4). */
  malformed = 0;

  /**
   * One RTP payload (untrusted). @returns samples written, or DECODE_MALFORMED for a packet
   * libopus rejects (RFC 6716 §3.4), an empty one, or one longer than any Opus packet.
   * DEVIATION: a valid packet lasting longer than `out` holds (the peer's ptime is longer than
   * ours) is cut to `out.length` samples instead of throwing: the length is the peer's choice.
   */
  decode(payload: Uint8Array, out: Int16Array): number {
    if (payload.length === 0 || payload.length > MAX_PACKET_BYTES) {
      this.malformed++;
      return DECODE_MALFORMED;
    }
    const { wasm, scratch } = this.rt;
    const n = this.call((h) => {
      wasm.HEAPU8.set(payload, scratch.packet);
      return h._decode(scratch.packet, payload.length, scratch.pcmOut);
    });
    if (n === undefined || n < 0) {
      this.malformed++;
      return DECODE_MALFORMED;
    }
    return this.readPcm(n, out, 0);
  }

  /**
   * RFC 6716 §4.4 packet-loss concealment for `out.length` samples. libopus conceals when it gets
   * a packet whose only frame is empty (opus_decode_frame: "Payloads of 1 … trigger the PLC",
   * for the duration the TOC octet says), so each step feeds a one-octet packet of a frame size
   * that fits. Before any packet it gives silence (libopus does the same).
   */
  conceal(out: Int16Array): number {
    let done = 0;
    const { wasm, scratch } = this.rt;
    for (const [ms, toc] of PLC_TOCS) {
      const step = (this.sampleRate * ms) / 1000;
      while (out.length - done >= step) {
        const n = this.call((h) => {
          wasm.HEAPU8[scratch.packet] = toc;
          return h._decode(scratch.packet, 1, scratch.pcmOut);
        });
        if (n === undefined || n <= 0) {
          out.fill(0, done);
          return out.length;
        }
        done += this.readPcm(n, out, done);
      }
    }
    out.fill(0, done);
    return out.length;
  }

  /** Copies `n` decoded samples (two byte slots each) into `out` from `at`; returns how many fit. */
  private readPcm(n: number, out: Int16Array, at: number): number {
    const m = Math.min(n, out.length - at);
    const heap = this.rt.wasm.HEAPU16;
    let k = this.rt.scratch.pcmOut >> 1;
    for (let i = 0; i < m; i++, k += 2) out[at + i] = ((heap[k]! | (heap[k + 1]! << 8)) << 16) >> 16;
    return m;
  }

  reset(): void {
    this.call((h) => h._decoder_ctl(OPUS_RESET_STATE, 0));
  }
}

/** The Opus descriptor at `options.sampleRate` (default 16 kHz) over a loaded runtime. */
export function createOpusCodec(rt: OpusRuntime, options: OpusCodecOptions = {}): AudioCodec {
  const sampleRate = options.sampleRate ?? 16000;
  const frame = (sampleRate * FRAME_MS) / 1000;
  const createEncoder = (): OpusEncoder => new OpusEncoder(rt, sampleRate, options);
  const createDecoder = (): OpusDecoder => new OpusDecoder(rt, sampleRate);
  /** A one-shot codec: fresh state, freed after the call. */
  const once = <C extends OpusState, T>(make: () => C, use: (c: C) => T): T => {
    const c = make();
    try {
      return use(c);
    } finally {
      c.close();
    }
  };
  return {
    name: 'opus',
    // DEVIATION: Opus has no static payload type; this is the A12 default the SDP usually picks.
    payloadType: OPUS_DEFAULT_PAYLOAD_TYPE,
    clockRate: OPUS_CLOCK_RATE,
    sampleRate,
    channels: 1,
    frameMs: FRAME_MS,
    samplesPerFrame: frame,
    stateful: true,
    maxEncodedBytes: (samples) => Math.min(MAX_PACKET_BYTES, Math.ceil(samples / frame) * 1275),
    maxDecodedSamples: () => (sampleRate * 120) / 1000,
    encode: (pcm, out) => once(createEncoder, (e) => e.encode(pcm, out)),
    decode: (payload, out) => once(createDecoder, (d) => d.decode(payload, out)),
    createEncoder,
    createDecoder,
  };
}

/** The Opus codec when opusscript loads, else the reason it is unavailable. */
export function loadOpus(options: OpusCodecOptions = {}): Result<AudioCodec> {
  const rt = loadOpusRuntime();
  return rt.ok ? ok(createOpusCodec(rt.value, options)) : rt;
}
