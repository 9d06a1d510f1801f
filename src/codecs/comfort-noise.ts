// RFC 3389 comfort noise (CN): the payload, and the noise a receiver plays for it.
//
// Payload (RFC 3389 §3): byte 0 is the noise level in -dBov (0–127, most significant bit 0),
// followed by M quantised reflection coefficients of the noise spectrum (§3.2; M = 0 allowed).
// We send level-only payloads (M = 0: white noise, one byte). Received coefficients are accepted
// and ignored. DEVIATION: the noise we play is white whatever spectrum the sender described
// (§3.2 leaves the synthesis to the receiver; level is what the listener notices).
//
// dBov (RFC 3389 §3.1): relative to the overload point of the system, 0 dBov being a full-scale
// square wave. For 16-bit linear PCM that is ±32767, so dBov = 20·log10(rms / 32767) =
// dBFS (AES17, level.ts) − 3.01; 0 dBov = +6.18 dBm0, as §3.1 says for µ-law.
//
// RTP (RFC 3389 §4, RFC 3551 §6): static payload type 13 is CN/8000. It goes with the 8 kHz RTP
// clocks of G.711 and also of G.722, whose RTP clock is 8000 although it samples at 16 kHz
// (RFC 3551 §4.5.2): CN timestamps stay in the same units as the voice packets, and the noise
// is synthesised at the decoder's sample rate. Codecs with their own DTX (G.729 Annex B, Opus)
// do not use it.
import { failure, ok, type Result } from '../core/result.js';
import { VoiceActivityDetector, type VadOptions } from './vad.js';

/** RFC 3551 §6: the static payload type of CN/8000. */
export const CN_PAYLOAD_TYPE = 13;
/** RFC 3551 §6: CN's clock rate with payload type 13. */
export const CN_CLOCK_RATE = 8000;
/** RFC 3389 §3.1: the quietest level a CN payload can carry, dBov. */
export const CN_MIN_DBOV = -127;
/** dBFS (AES17, sine reference) minus dBov (square-wave reference): 10·log10(2). */
export const DBFS_OVER_DBOV = 10 * Math.log10(2);

/** A parsed CN payload. */
export interface ComfortNoiseParameters {
  /** Noise level, dBov (0 to -127). */
  readonly levelDbov: number;
  /** RFC 3389 §3.2 reflection coefficients as sent (quantised bytes); empty for level-only. */
  readonly reflectionCoefficients: readonly number[];
}

/**
 * Writes a level-only CN payload (RFC 3389 §3.1) for a noise at `levelDbov` into `out[offset]`.
 * Levels above 0 dBov are sent as 0, below -127 as -127. Returns the bytes written (1).
 */
export function encodeComfortNoise(levelDbov: number, out: Uint8Array, offset = 0): number {
  const v = Math.round(-levelDbov);
  out[offset] = Number.isNaN(v) ? 127 : v < 0 ? 0 : v > 127 ? 127 : v;
  return 1;
}

/**
 * The level of a CN payload, dBov, for the media hot path (no allocation); NaN for an empty
 * payload. RFC 3389 §3.1: the most significant bit is unused and ignored here.
 */
export function comfortNoiseLevelDbov(payload: Uint8Array, offset = 0, length = payload.length - offset): number {
  return length < 1 ? Number.NaN : -(payload[offset]! & 0x7f);
}

/** Parses an untrusted CN payload (RFC 3389 §3). */
export function parseComfortNoise(payload: Uint8Array): Result<ComfortNoiseParameters> {
  if (payload.length < 1) return failure('CN_EMPTY', 'comfort noise: empty payload (RFC 3389 §3 needs the noise level byte)');
  if ((payload[0]! & 0x80) !== 0) return failure('CN_BAD_LEVEL', `comfort noise: level byte 0x${payload[0]!.toString(16)} has the reserved bit set (RFC 3389 §3.1)`);
  return ok({ levelDbov: -payload[0]!, reflectionCoefficients: [...payload.subarray(1)] });
}

/** RMS of int16 noise at `levelDbov`. */
export function dbovToRms(levelDbov: number): number {
  return 32767 * 10 ** (levelDbov / 20);
}

/**
 * White comfort noise at a signalled level, from a seeded xorshift32 (deterministic: the same
 * seed gives the same samples). Approximately Gaussian (sum of four uniforms, variance 1), so
 * the RMS is the level's within a fraction of a dB over a frame or more; a level change moves
 * the gain smoothly over ~20 ms instead of stepping. Allocation-free.
 */
export class ComfortNoiseGenerator {
  private state: number;
  private readonly seed: number;
  private gain = 0;
  private target = 0;
  /** Per-sample smoothing of the gain towards the target. */
  private readonly smoothing: number;
  /** The level being played, dBov ({@link CN_MIN_DBOV} or below = silence). */
  levelDbov = -Infinity;

  constructor(
    readonly sampleRate: number,
    seed = 0x3389,
  ) {
    this.seed = seed >>> 0 || 1;
    this.state = this.seed;
    this.smoothing = 1 - Math.exp(-1 / (0.005 * sampleRate));
  }

  /**
   * The level to play from now on. `immediately`: no ramp (the first CN after voice: start at the
   * level instead of fading in from the previous one).
   */
  setLevel(levelDbov: number, immediately = false): void {
    this.levelDbov = levelDbov;
    this.target = levelDbov <= CN_MIN_DBOV || !Number.isFinite(levelDbov) ? 0 : dbovToRms(levelDbov);
    if (immediately) this.gain = this.target;
  }

  /** Fills out[from, from + count) with noise. */
  fill(out: Int16Array, from = 0, count = out.length - from): void {
    let x = this.state;
    let g = this.gain;
    const target = this.target;
    const a = this.smoothing;
    const end = from + count;
    const scale = Math.sqrt(3) / 4294967296;
    for (let i = from; i < end; i++) {
      let sum = 0;
      for (let k = 0; k < 4; k++) {
        x ^= x << 13;
        x >>>= 0;
        x ^= x >>> 17;
        x ^= x << 5;
        x >>>= 0;
        sum += x;
      }
      g += (target - g) * a;
      // Four uniforms in [0, 2^32) sum to mean 2^33, variance 4 · 2^64 / 12: centre and scale to σ = 1.
      const v = Math.round((sum - 8589934592) * scale * g);
      out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
    this.state = x;
    this.gain = g;
  }

  /** Back to the seed, silent. */
  reset(): void {
    this.state = this.seed;
    this.gain = 0;
    this.target = 0;
    this.levelDbov = -Infinity;
  }
}

/** {@link SilenceSuppressor.decide}: send the frame as voice. */
export const SEND_VOICE = 0;
/** Send a CN packet (the payload is in `payload`) instead of the frame. */
export const SEND_COMFORT_NOISE = 1;
/** Send nothing (silence, CN already sent recently). */
export const SEND_NOTHING = 2;
export type SilenceDecision = typeof SEND_VOICE | typeof SEND_COMFORT_NOISE | typeof SEND_NOTHING;

export interface SilenceSuppressorOptions {
  /** CN refresh during a silence, ms (default 200). */
  readonly refreshMs?: number;
  /** A background level change that sends a CN update at once, dB (default 3). */
  readonly levelStepDb?: number;
  readonly vad?: Omit<VadOptions, 'sampleRate'>;
}

/**
 * The send side of silence suppression (A12 9.16 "Enable VAD"), per frame: voice while the VAD
 * says so; at the start of a silence one CN packet with the background level, then a refresh
 * every `refreshMs` (200 ms) or when the level moves by `levelStepDb`, nothing in between.
 * RFC 3389 §4 leaves the update rate to the sender; 200 ms keeps a receiver that joins or loses
 * a packet mid-silence at most that long without a level. The first voice frame after a silence
 * carries the marker bit (RFC 3551 §4.1): RtpSender does that after skipped frames.
 */
export class SilenceSuppressor {
  readonly vad: VoiceActivityDetector;
  readonly refreshMs: number;
  readonly levelStepDb: number;
  /** The CN payload of the last SEND_COMFORT_NOISE (level-only: one byte). */
  readonly payload = new Uint8Array(1);
  /** Frames not sent as voice, and CN packets asked for. */
  suppressedFrames = 0;
  comfortNoisePackets = 0;
  private silent = false;
  private lastUpdateMs = -Infinity;
  private lastLevelDbov = 0;

  constructor(sampleRate: number, options: SilenceSuppressorOptions = {}) {
    this.vad = new VoiceActivityDetector({ ...options.vad, sampleRate });
    this.refreshMs = options.refreshMs ?? 200;
    this.levelStepDb = options.levelStepDb ?? 3;
  }

  /** What to send for this frame (read before any identity mark or after: what goes out). */
  decide(pcm: Int16Array, nowMs: number): SilenceDecision {
    if (this.vad.process(pcm)) {
      this.silent = false;
      return SEND_VOICE;
    }
    this.suppressedFrames++;
    const level = this.vad.noiseLevelDbov;
    const due = !this.silent || nowMs - this.lastUpdateMs >= this.refreshMs || Math.abs(level - this.lastLevelDbov) >= this.levelStepDb;
    this.silent = true;
    if (!due) return SEND_NOTHING;
    this.lastUpdateMs = nowMs;
    this.lastLevelDbov = level;
    encodeComfortNoise(level, this.payload);
    this.comfortNoisePackets++;
    return SEND_COMFORT_NOISE;
  }

  /** Back to the start (new codec, new call). */
  reset(): void {
    this.vad.reset();
    this.silent = false;
    this.lastUpdateMs = -Infinity;
  }
}
