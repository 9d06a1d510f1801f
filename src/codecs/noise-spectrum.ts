// The background-noise spectrum a comfort-noise sender describes (RFC 3389 §3.2): an all-pole
// model of order M fitted to the recent silent frames, as reflection coefficients.
//
// Every frame goes through a DC blocker (a pole at 1 − 2π·20 Hz/fs: an offset is not noise anyone
// hears, and would pull k_1 to -1) into a buffer that keeps the last M samples of the previous
// frame, so the lagged products of consecutive frames add up without the bias of short blocks.
// The silent frames (past the VAD's hangover) feed a power average of the autocorrelation per
// sample (500 ms time constant, as the VAD's level). `estimate` conditions a copy (G.729 lag
// window and white-noise correction, stronger if the average is not positive definite) and runs
// Levinson-Durbin (lpc.ts). `distanceDb` is the Itakura distance of another model from the
// current one: how much worse it predicts the current background, dB.
// Allocation-free per frame (the buffer grows only when a longer frame arrives).
import { autocorrelate, conditionAutocorrelation, levinsonDurbin, predictionErrorPower } from './lpc.js';

/** Time constant of the spectrum average, ms. */
const AVERAGE_MS = 500;
/** Corner of the DC blocker, Hz. */
const DC_BLOCK_HZ = 20;
/** G.729 §3.2.1: lag window bandwidth, Hz; white-noise correction -50 dB (G.729's -40 dB is for its fixed point; noise with a steep slope keeps more of its range). */
const LAG_WINDOW_HZ = 60;
const WHITE_NOISE = 1e-5;
/** The strongest correction tried (-10 dB) before settling for a lower-order model. */
const MAX_WHITE_NOISE = 0.1;

export class NoiseSpectrum {
  /** The current model's reflection coefficients k_1..k_M (k[m] is k_(m+1)), after estimate(). */
  readonly k: Float64Array;
  /** The current model's predictor a_0..a_M (a_0 = 1), after estimate(). */
  readonly a: Float64Array;
  /** The conditioned autocorrelation the current model was fitted to. */
  private readonly r: Float64Array;
  private readonly average: Float64Array;
  private readonly scratch: Float64Array;
  private seen = false;
  /** [M samples of history | the last frame], DC-blocked. */
  private buffer: Float64Array;
  private frameLength = 0;
  private readonly pole: number;
  private lastIn = 0;
  private lastOut = 0;
  /** Prediction error power of the current model (0: nothing to model). */
  private error = 0;

  constructor(
    readonly order: number,
    readonly sampleRate: number,
  ) {
    this.k = new Float64Array(order);
    this.a = new Float64Array(order + 1);
    this.r = new Float64Array(order + 1);
    this.average = new Float64Array(order + 1);
    this.scratch = new Float64Array(order + 1);
    this.buffer = new Float64Array(order + 160);
    this.pole = 1 - (2 * Math.PI * DC_BLOCK_HZ) / sampleRate;
  }

  /** Takes the next frame (every frame, for continuity); `silent` adds it to the average. */
  push(pcm: Int16Array, silent: boolean): void {
    const m = this.order;
    const n = pcm.length;
    const buf = this.growTo(m + n);
    // The previous frame's last M samples become the history.
    for (let i = 0; i < m; i++) buf[i] = buf[this.frameLength + i]!;
    let x1 = this.lastIn;
    let y1 = this.lastOut;
    for (let i = 0; i < n; i++) {
      const x = pcm[i]!;
      y1 = x - x1 + this.pole * y1;
      x1 = x;
      buf[m + i] = y1;
    }
    this.lastIn = x1;
    this.lastOut = y1;
    this.frameLength = n;
    if (!silent || n === 0) return;
    const w = this.seen ? Math.min(1, (1000 * n) / this.sampleRate / AVERAGE_MS) : 1;
    for (let i = 0; i <= m; i++) this.average[i] = this.average[i]! * (1 - w);
    autocorrelate(buf, m, n, m, this.average, w / n, true);
    this.seen = true;
  }

  /**
   * Fits the model (k, a) to the average. Returns false when there is nothing to model (no
   * silent frame yet, or digital silence: k = 0, white).
   */
  estimate(): boolean {
    const m = this.order;
    const r = this.r;
    // An average of frames that are not all contiguous need not be positive definite (the lagged
    // products at the seams): a stronger white-noise correction until the model is complete.
    let stages = 0;
    for (let white = WHITE_NOISE; stages < m && white <= MAX_WHITE_NOISE; white *= 10) {
      r.set(this.average);
      conditionAutocorrelation(r, m, this.sampleRate, LAG_WINDOW_HZ, white);
      stages = levinsonDurbin(r, m, this.k, this.a, this.scratch);
    }
    let e = r[0]!;
    for (let i = 0; i < m; i++) e *= 1 - this.k[i]! * this.k[i]!;
    this.error = e;
    return e > 0;
  }

  /** Itakura distance of the predictor `other` (a_0..a_M) from the current model, dB (0 without one). */
  distanceDb(other: Float64Array): number {
    if (!(this.error > 0)) return 0;
    return 10 * Math.log10(predictionErrorPower(other, this.r, this.order) / this.error);
  }

  /** Forgets the background and the history (new call, new codec). */
  reset(): void {
    this.seen = false;
    this.average.fill(0);
    this.buffer.fill(0);
    this.lastIn = 0;
    this.lastOut = 0;
    this.error = 0;
  }

  private growTo(length: number): Float64Array {
    if (this.buffer.length < length) {
      const b = new Float64Array(length);
      b.set(this.buffer.subarray(0, Math.min(this.buffer.length, this.order + this.frameLength)));
      this.buffer = b;
    }
    return this.buffer;
  }
}
