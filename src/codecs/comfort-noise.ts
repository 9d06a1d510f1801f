// RFC 3389 comfort noise (CN): the payload, the noise a receiver plays for it, and the send side
// of silence suppression that produces it.
//
// Payload (RFC 3389 §3, §3.3): byte 0 is the noise level in -dBov (0–127, most significant bit 0),
// followed by M quantised reflection coefficients of an all-pole model of the noise spectrum
// (§3.2), M + 1 bytes in all. We send M = 10, the order of G.711 Appendix II on which RFC 3389 is
// based (§2): the autocorrelation of the recent silent frames, G.729's lag window, Levinson-Durbin
// (noise-spectrum.ts, lpc.ts), each k quantised as §3.2 says, N = 0..254 for
// k(N) = 258·(N − 127)/32768 (255 is reserved). Receiving, the noise is white excitation through
// the all-pole filter 1/A(z) of the received k's, scaled so its level is the signalled one; M = 0
// (level only, §3) plays white noise. §3 lets a decoder lower the model order: we keep the first
// 16 coefficients of a longer payload. Sign convention (§3.2 does not restate it): G.729's,
// A(z) = 1 + Σ a_i·z⁻ⁱ and k_1 = -r_1/r_0 (lpc.ts), the one FFmpeg's CN decoder synthesises with.
// DEVIATION: the reserved index 255 (§3.2) plays as 254 (k just below 1) instead of being refused.
//
// dBov (RFC 3389 §3.1): relative to the overload point of the system, 0 dBov being a full-scale
// square wave. For 16-bit linear PCM that is ±32767, so dBov = 20·log10(rms / 32767) =
// dBFS (AES17, level.ts) − 3.01; 0 dBov = +6.18 dBm0, as §3.1 says for µ-law.
//
// RTP (RFC 3389 §4, RFC 3551 §6): static payload type 13 is CN/8000. It goes with the 8 kHz RTP
// clocks of G.711 and also of G.722, whose RTP clock is 8000 although it samples at 16 kHz
// (RFC 3551 §4.5.2): CN timestamps stay in the same units as the voice packets, and the noise
// is analysed and synthesised at the codec's sample rate (with G.722 the k's describe 0–8 kHz;
// both ends of a G.722 call use the same rate). Codecs with their own DTX (G.729 Annex B, Opus)
// do not use it.
import { failure, ok, type Result } from '../core/result.js';
import { reflectionToPredictor } from './lpc.js';
import { NoiseSpectrum } from './noise-spectrum.js';
import { VoiceActivityDetector, type VadOptions } from './vad.js';

/** RFC 3551 §6: the static payload type of CN/8000. */
export const CN_PAYLOAD_TYPE = 13;
/** RFC 3551 §6: CN's clock rate with payload type 13. */
export const CN_CLOCK_RATE = 8000;
/** RFC 3389 §3.1: the quietest level a CN payload can carry, dBov. */
export const CN_MIN_DBOV = -127;
/** dBFS (AES17, sine reference) minus dBov (square-wave reference): 10·log10(2). */
export const DBFS_OVER_DBOV = 10 * Math.log10(2);
/** The model order we send (G.711 Appendix II, on which RFC 3389 §2 is based). */
export const CN_DEFAULT_ORDER = 10;
/** The highest model order the generator synthesises (RFC 3389 §3: a decoder may reduce it). */
export const CN_MAX_ORDER = 16;
/** RFC 3389 §3.2: the largest quantised index; 255 is reserved. */
export const CN_MAX_INDEX = 254;

/** A parsed CN payload. */
export interface ComfortNoiseParameters {
  /** Noise level, dBov (0 to -127). */
  readonly levelDbov: number;
  /** RFC 3389 §3.2 reflection coefficients as sent (quantised bytes); empty for level-only. */
  readonly reflectionCoefficients: readonly number[];
}

/**
 * RFC 3389 §3.2: the reflection coefficient of index `n`, k(N) = 258·(N − 127)/32768, |k| < 1.
 * Untrusted bytes never leave the stable range: the reserved 255 (and anything above) reads as
 * 254, anything below 0 or not a number as 0.
 */
export function dequantizeReflectionCoefficient(n: number): number {
  const i = n >= CN_MAX_INDEX ? CN_MAX_INDEX : n > 0 ? Math.round(n) : 0;
  return (258 * (i - 127)) / 32768;
}

/** RFC 3389 §3.2: the index N (0..254) whose k(N) is nearest `k`; NaN gives 127 (k = 0). */
export function quantizeReflectionCoefficient(k: number): number {
  const n = Math.round((k * 32768) / 258) + 127;
  return Number.isNaN(n) ? 127 : n < 0 ? 0 : n > CN_MAX_INDEX ? CN_MAX_INDEX : n;
}

/**
 * Writes a CN payload (RFC 3389 §3.3) into `out` at `offset`: the level byte for a noise at
 * `levelDbov` (§3.1: above 0 dBov is sent as 0, below -127 as -127), then the first `order`
 * reflection coefficients of `reflection` quantised (§3.2). Returns the bytes written, order + 1.
 */
export function encodeComfortNoise(levelDbov: number, out: Uint8Array, offset = 0, reflection?: ArrayLike<number>, order = reflection?.length ?? 0): number {
  const v = Math.round(-levelDbov);
  out[offset] = Number.isNaN(v) ? 127 : v < 0 ? 0 : v > 127 ? 127 : v;
  for (let i = 0; i < order; i++) out[offset + 1 + i] = quantizeReflectionCoefficient(reflection![i]!);
  return 1 + order;
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

/** One step of xorshift32 (Marsaglia 13/17/5): a full-period sequence of non-zero 32-bit values. */
function xorshift32(x: number): number {
  x ^= x << 13;
  x >>>= 0;
  x ^= x >>> 17;
  x ^= x << 5;
  return x >>> 0;
}

/** log2 of the excitation table's size. */
const GAUSS_BITS = 12;
/**
 * 4096 values of a Gaussian (σ = 1 exactly, mean 0): each a sum of four xorshift32 uniforms,
 * centred and scaled. The generator draws one xorshift32 per sample and reads the table with its
 * top 12 bits, a quarter of the cost of summing four uniforms per sample.
 */
const GAUSS_TABLE = ((): Float64Array => {
  const t = new Float64Array(1 << GAUSS_BITS);
  let x = 0x3389;
  for (let i = 0; i < t.length; i++) {
    let sum = 0;
    for (let j = 0; j < 4; j++) sum += x = xorshift32(x);
    t[i] = sum;
  }
  let mean = 0;
  for (const v of t) mean += v / t.length;
  let power = 0;
  for (let i = 0; i < t.length; i++) power += (t[i]! -= mean) ** 2 / t.length;
  const scale = 1 / Math.sqrt(power);
  for (let i = 0; i < t.length; i++) t[i]! *= scale;
  return t;
})();

/**
 * Comfort noise at a signalled level and spectrum (RFC 3389 §3.2). A seeded xorshift32 picks
 * Gaussian white excitation from a table (GAUSS_TABLE), deterministic per seed; the
 * all-pole filter 1/A(z) of the reflection coefficients shapes it (direct form, its predictor
 * from the step-up recursion: M multiply-adds a sample). With every |k| < 1 the filter is
 * stable, and dequantisation keeps |k| ≤ 0.99994. The excitation is scaled by √Π(1 − k_m²), the
 * filter's prediction error, so the filter output has unit variance whatever the spectrum; the
 * level gain comes after the filter and moves smoothly over ~20 ms on a level change. All state
 * is preallocated: setParameters and fill allocate nothing.
 */
export class ComfortNoiseGenerator {
  private state: number;
  private readonly seed: number;
  private gain = 0;
  private target = 0;
  /** Per-sample smoothing of the gain towards the target. */
  private readonly smoothing: number;
  /** Reflection coefficients k_1..k_order (k[m] is k_(m+1)), and the predictor a_0..a_order. */
  private readonly k = new Float64Array(CN_MAX_ORDER);
  private readonly a = new Float64Array(CN_MAX_ORDER + 1);
  private readonly scratch = new Float64Array(CN_MAX_ORDER + 1);
  /**
   * The last `order` outputs, newest at `pos`: y[n-1-j] = history[pos + j]. Mirrored
   * (history[i + order] = history[i]) so the taps read without wrapping.
   */
  private readonly history = new Float64Array(2 * CN_MAX_ORDER);
  private pos = 0;
  /** Excitation scale √Π(1 − k²): unit-variance filter output. */
  private excitation = 1;
  /** The level being played, dBov ({@link CN_MIN_DBOV} or below = silence). */
  levelDbov = -Infinity;
  /** The model order being played (0: white). */
  order = 0;

  constructor(
    readonly sampleRate: number,
    seed = 0x3389,
  ) {
    this.seed = seed >>> 0 || 1;
    this.state = this.seed;
    this.smoothing = 1 - Math.exp(-1 / (0.005 * sampleRate));
  }

  /**
   * The level to play from now on (the spectrum stays). `immediately`: no ramp (the first CN
   * after voice: start at the level instead of fading in from the previous one).
   */
  setLevel(levelDbov: number, immediately = false): void {
    this.levelDbov = levelDbov;
    this.target = levelDbov <= CN_MIN_DBOV || !Number.isFinite(levelDbov) ? 0 : dbovToRms(levelDbov);
    if (immediately) this.gain = this.target;
  }

  /**
   * Level and spectrum from an untrusted CN payload (RFC 3389 §3): the level byte (reserved bit
   * ignored) and up to {@link CN_MAX_ORDER} reflection coefficients (none: white). Returns false,
   * changing nothing, for an empty payload. `immediately`: no level ramp, and the filter starts
   * in its steady state (no build-up).
   */
  setParameters(payload: Uint8Array, offset = 0, length = payload.length - offset, immediately = false): boolean {
    if (!(length >= 1) || offset + length > payload.length) return false;
    const order = Math.min(length - 1, CN_MAX_ORDER);
    let e = 1;
    for (let m = 0; m < order; m++) {
      const km = dequantizeReflectionCoefficient(payload[offset + 1 + m]!);
      this.k[m] = km;
      e *= 1 - km * km;
    }
    this.excitation = Math.sqrt(e);
    if (immediately) {
      this.order = order;
      this.prime();
    } else if (order !== this.order) this.relayout(order);
    reflectionToPredictor(this.k, order, this.a, this.scratch);
    this.setLevel(-(payload[offset]! & 0x7f), immediately);
    return true;
  }

  /** Fills out[from, from + count) with noise. */
  fill(out: Int16Array, from = 0, count = out.length - from): void {
    let x = this.state;
    let g = this.gain;
    let pos = this.pos;
    const target = this.target;
    const smoothing = this.smoothing;
    const a = this.a;
    const h = this.history;
    const order = this.order;
    const scale = this.excitation;
    const table = GAUSS_TABLE;
    const end = from + count;
    for (let i = from; i < end; i++) {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      // 1/A(z): y[n] = e[n] − Σ a_j·y[n−j].
      let y = table[x >>> (32 - GAUSS_BITS)]! * scale;
      if (order > 0) {
        for (let j = 0; j < order; j++) y -= a[j + 1]! * h[pos + j]!;
        pos = pos === 0 ? order - 1 : pos - 1;
        h[pos] = y;
        h[pos + order] = y;
      }
      g += (target - g) * smoothing;
      const v = Math.round(y * g);
      out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
    this.state = x;
    this.gain = g;
    this.pos = pos;
  }

  /** Back to the seed, silent and white. */
  reset(): void {
    this.state = this.seed;
    this.gain = 0;
    this.target = 0;
    this.levelDbov = -Infinity;
    this.order = 0;
    this.excitation = 1;
    this.pos = 0;
    this.history.fill(0);
  }

  /** One Gaussian value (σ = 1) from the generator's sequence, as fill draws them. */
  private gauss(): number {
    this.state = xorshift32(this.state);
    return GAUSS_TABLE[this.state >>> (32 - GAUSS_BITS)]!;
  }

  /**
   * A history drawn from the filter's stationary process: oldest first, each sample the
   * order-t prediction from the t before it plus an innovation of variance E_t = Π_(i≤t)(1 − k_i²)
   * (the Levinson innovations; E_0 = 1, the output's). `a` holds the order-t predictor meanwhile.
   */
  private prime(): void {
    const order = this.order;
    const a = this.a;
    const h = this.history;
    let e = 1;
    a[0] = 1;
    for (let t = 0; t < order; t++) {
      // y_t into h[order - 1 - t]: the newest ends at 0.
      let y = Math.sqrt(e) * this.gauss();
      for (let i = 1; i <= t; i++) y -= a[i]! * h[order - 1 - t + i]!;
      h[order - 1 - t] = y;
      h[2 * order - 1 - t] = y;
      const kt = this.k[t]!;
      reflectionToPredictor(this.k, t + 1, a, this.scratch);
      e *= 1 - kt * kt;
    }
    this.pos = 0;
  }

  /** Lays the history out for a new order, the newest outputs kept (zeros beyond them). */
  private relayout(order: number): void {
    const h = this.history;
    const s = this.scratch;
    const old = this.order;
    for (let j = 0; j < order; j++) s[j] = j < old ? h[this.pos + j]! : 0;
    for (let j = 0; j < order; j++) h[j] = h[j + order] = s[j]!;
    this.pos = 0;
    this.order = order;
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
  /** Model order M of the spectrum sent (default {@link CN_DEFAULT_ORDER}; 0: level only). */
  readonly order?: number;
  /**
   * A spectrum change that sends a CN update at once, dB (default 3): how much worse the last
   * sent model predicts the current background than the current background's own model (the
   * Itakura distance, level-independent).
   */
  readonly spectrumStepDb?: number;
  readonly vad?: Omit<VadOptions, 'sampleRate'>;
}

/**
 * The send side of silence suppression (A12 9.16 "Enable VAD"), per frame: voice while the VAD
 * says so; at the start of a silence one CN packet with the background level and spectrum, then
 * a refresh every `refreshMs` (200 ms) or when the level moves by `levelStepDb` or the spectrum
 * by `spectrumStepDb`, nothing in between. RFC 3389 §5 leaves the update rate to the sender
 * ("periodically or only when there is a significant change"); 200 ms keeps a receiver that joins
 * or loses a packet mid-silence at most that long without parameters. The spectrum is that of
 * the recent silent frames (noise-spectrum.ts). The first voice frame after a
 * silence carries the marker bit (RFC 3551 §4.1): RtpSender does that after skipped frames.
 */
export class SilenceSuppressor {
  readonly vad: VoiceActivityDetector;
  readonly refreshMs: number;
  readonly levelStepDb: number;
  readonly spectrumStepDb: number;
  readonly order: number;
  /** The CN payload of the last SEND_COMFORT_NOISE: the level byte and `order` coefficients. */
  readonly payload: Uint8Array;
  /** Frames not sent as voice, and CN packets asked for. */
  suppressedFrames = 0;
  comfortNoisePackets = 0;
  private silent = false;
  private lastUpdateMs = -Infinity;
  private lastLevelDbov = 0;
  private readonly spectrum: NoiseSpectrum | undefined;
  /** The model last sent, as the receiver plays it (quantised): k, and its predictor. */
  private readonly sentK: Float64Array;
  private readonly sentA: Float64Array;
  private readonly scratch: Float64Array;

  constructor(sampleRate: number, options: SilenceSuppressorOptions = {}) {
    this.vad = new VoiceActivityDetector({ ...options.vad, sampleRate });
    this.refreshMs = options.refreshMs ?? 200;
    this.levelStepDb = options.levelStepDb ?? 3;
    this.spectrumStepDb = options.spectrumStepDb ?? 3;
    const order = options.order ?? CN_DEFAULT_ORDER;
    if (!(order >= 0 && order <= CN_MAX_ORDER && Number.isInteger(order))) throw new RangeError(`comfort noise: order must be an integer 0..${CN_MAX_ORDER}`);
    this.order = order;
    this.payload = new Uint8Array(1 + order);
    this.spectrum = order > 0 ? new NoiseSpectrum(order, sampleRate) : undefined;
    this.sentK = new Float64Array(order);
    this.sentA = new Float64Array(order + 1);
    this.scratch = new Float64Array(order + 1);
  }

  /** What to send for this frame (read before any identity mark or after: what goes out). */
  decide(pcm: Int16Array, nowMs: number): SilenceDecision {
    const voice = this.vad.process(pcm);
    const spectrum = this.spectrum;
    spectrum?.push(pcm, !voice);
    if (voice) {
      this.silent = false;
      return SEND_VOICE;
    }
    this.suppressedFrames++;
    const level = this.vad.noiseLevelDbov;
    spectrum?.estimate();
    const due =
      !this.silent ||
      nowMs - this.lastUpdateMs >= this.refreshMs ||
      Math.abs(level - this.lastLevelDbov) >= this.levelStepDb ||
      (spectrum !== undefined && spectrum.distanceDb(this.sentA) >= this.spectrumStepDb);
    this.silent = true;
    if (!due) return SEND_NOTHING;
    this.lastUpdateMs = nowMs;
    this.lastLevelDbov = level;
    encodeComfortNoise(level, this.payload, 0, spectrum?.k, this.order);
    // What the receiver will play: the predictor of the quantised coefficients.
    for (let m = 0; m < this.order; m++) this.sentK[m] = dequantizeReflectionCoefficient(this.payload[1 + m]!);
    reflectionToPredictor(this.sentK, this.order, this.sentA, this.scratch);
    this.comfortNoisePackets++;
    return SEND_COMFORT_NOISE;
  }

  /** Back to the start (new codec, new call). */
  reset(): void {
    this.vad.reset();
    this.spectrum?.reset();
    this.silent = false;
    this.lastUpdateMs = -Infinity;
  }
}
