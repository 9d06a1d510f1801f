// The audio identity mark: every emulated phone adds a faint signature to the audio it sends, so
// the far end (a test, a fleet scenario) can prove whose audio it is hearing — that media really
// flows A→B and not B→B, C→B or nowhere.
//
// The mark is direct-sequence spread spectrum: a pseudo-random ±1 chip sequence seeded from the
// device MAC, one chip per 8 kHz sample (white across 0-4 kHz), added at -40 dBFS and repeated
// every MARK_PERIOD chips (512 ms). The detector whitens what it hears with a 10th-order LPC
// inverse filter per 20 ms (speech is strongly coloured, the mark is white), weights each block
// by the inverse of its residual power (quiet blocks, where the mark dominates, count most;
// blocks of digital silence or lost packets count nothing), folds the last two seconds modulo
// the period and cross-correlates the fold with every candidate's sequence at every lag through
// one FFT. The score of a candidate is its correlation peak in standard deviations of the
// correlation over all lags: an absent mark scores about 4 (the largest of 4,096 Gaussian
// values), a present one tens. The lag is unknown and need not be: codec and jitter delays only
// move the peak.
//
// Measured in test/codecs/identity-mark.test.ts: through G.711 and G.729 (with speech-like
// audio 20 dB above the mark, and 5 % of packets lost) the right device scores well above the
// threshold of 7 within 2 s and the others stay near 4.

import type { Result } from '../core/result.js';
import { failure, ok } from '../core/result.js';
import { dbfsToRms } from './level.js';
import { levinsonDurbin } from './lpc.js';
import { Downsampler16to8, Upsampler8to16 } from './resample.js';

/** Chips per period at 8 kHz (0.512 s); a power of two for the FFT. */
export const MARK_PERIOD = 4096;
const LOG2_PERIOD = 12;
/** Level of the mark: quiet enough to be inaudible under speech, 20-25 dB under it. */
export const MARK_LEVEL_DBFS = -40;
/** Score (peak in standard deviations) from which a mark counts as present. */
export const MARK_THRESHOLD = 7;
const BLOCK = 160; // 20 ms at 8 kHz
const LPC_ORDER = 10;

export interface IdentityMark {
  /** Who it identifies (the normalised MAC, or the seed string). */
  readonly id: string;
  /** MARK_PERIOD chips of ±1. */
  readonly chips: Int8Array;
}

/** mulberry32: a small, well-mixed 32-bit PRNG; the sequence only has to be reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The mark seeded from any string (tests, devices without a MAC). */
export function identityMarkFromSeed(id: string): IdentityMark {
  const rng = mulberry32(fnv1a(`vphone-identity:${id}`));
  const chips = new Int8Array(MARK_PERIOD);
  for (let i = 0; i < MARK_PERIOD; i++) chips[i] = rng() & 0x80000000 ? 1 : -1;
  return { id, chips };
}

/** The mark of a device MAC (`00:80:F0:12:34:56`, `0080f0123456`, `00-80-f0-...`). */
export function identityMarkFromMac(mac: string): Result<IdentityMark> {
  const hex = mac.replace(/[:.-]/g, '').toLowerCase();
  if (!/^[0-9a-f]{12}$/.test(hex)) return failure('MARK_BAD_MAC', `mark: ${JSON.stringify(mac)} is not a MAC address`);
  return ok(identityMarkFromSeed(hex));
}

/**
 * Adds a device's mark to outgoing audio in place, frame after frame (8 or 16 kHz; at 16 kHz
 * the 8 kHz chip stream is interpolated, so the mark survives a narrowband hop).
 */
export class IdentityMarker {
  private chipIndex = 0;
  private readonly amplitude: number;
  private readonly up: Upsampler8to16 | undefined;
  private narrow = new Int16Array(0);
  private wide = new Int16Array(0);
  /** The chips × amplitude, rounded (8 kHz). */
  private rounded: Int16Array | undefined;

  constructor(
    readonly mark: IdentityMark,
    readonly sampleRate: number,
    levelDbfs = MARK_LEVEL_DBFS,
  ) {
    if (sampleRate !== 8000 && sampleRate !== 16000) throw new RangeError(`mark: 8000 or 16000 Hz, not ${sampleRate}`);
    this.amplitude = dbfsToRms(levelDbfs); // ±a chips have RMS a
    this.up = sampleRate === 16000 ? new Upsampler8to16() : undefined;
  }

  reset(): void {
    this.chipIndex = 0;
    this.up?.reset();
  }

  /** Adds the mark to `frame` (saturating). At 16 kHz the frame length must be even. */
  apply(frame: Int16Array): void {
    const chips = this.mark.chips;
    const a = this.amplitude;
    if (this.up === undefined) {
      // Math.round(n + x) = n + Math.round(x) for a whole n: the chips are rounded once
      // (bit-exact with rounding per sample, about 4× cheaper on the media tick).
      const rounded = (this.rounded ??= Int16Array.from(chips, (c) => Math.round(a * c)));
      let k = this.chipIndex;
      for (let i = 0; i < frame.length; i++) {
        const r = frame[i]! + rounded[k]!;
        if (++k === MARK_PERIOD) k = 0;
        frame[i] = r > 32767 ? 32767 : r < -32768 ? -32768 : r;
      }
      this.chipIndex = k;
      return;
    }
    const n = frame.length >> 1;
    if (frame.length !== 2 * n) throw new RangeError('mark: 16 kHz frames must have an even length');
    if (this.narrow.length !== n) {
      this.narrow = new Int16Array(n);
      this.wide = new Int16Array(2 * n);
    }
    for (let i = 0; i < n; i++) {
      this.narrow[i] = Math.round(a * chips[this.chipIndex]!);
      if (++this.chipIndex === MARK_PERIOD) this.chipIndex = 0;
    }
    this.up.process(this.narrow, this.wide);
    for (let i = 0; i < frame.length; i++) {
      const r = frame[i]! + this.wide[i]!;
      frame[i] = r > 32767 ? 32767 : r < -32768 ? -32768 : r;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// FFT (radix-2, in place; n = MARK_PERIOD)

const COS = new Float64Array(MARK_PERIOD / 2);
const SIN = new Float64Array(MARK_PERIOD / 2);
for (let k = 0; k < MARK_PERIOD / 2; k++) {
  COS[k] = Math.cos((2 * Math.PI * k) / MARK_PERIOD);
  SIN[k] = Math.sin((2 * Math.PI * k) / MARK_PERIOD);
}
const BITREV = new Uint16Array(MARK_PERIOD);
for (let i = 0; i < MARK_PERIOD; i++) {
  let r = 0;
  for (let b = 0; b < LOG2_PERIOD; b++) r |= ((i >> b) & 1) << (LOG2_PERIOD - 1 - b);
  BITREV[i] = r;
}

/** In-place FFT of length MARK_PERIOD; `inverse` without the 1/n scaling. */
function fft(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = MARK_PERIOD;
  for (let i = 0; i < n; i++) {
    const j = BITREV[i]!;
    if (i < j) {
      let t = re[i]!;
      re[i] = re[j]!;
      re[j] = t;
      t = im[i]!;
      im[i] = im[j]!;
      im[j] = t;
    }
  }
  const sign = inverse ? 1 : -1;
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    const step = n / len;
    for (let i = 0; i < n; i += len) {
      for (let j = 0; j < half; j++) {
        const wr = COS[j * step]!;
        const wi = sign * SIN[j * step]!;
        const a = i + j;
        const b = a + half;
        const xr = re[b]! * wr - im[b]! * wi;
        const xi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
      }
    }
  }
}

const spectra = new WeakMap<IdentityMark, { re: Float64Array; im: Float64Array }>();
function spectrumOf(mark: IdentityMark): { re: Float64Array; im: Float64Array } {
  let s = spectra.get(mark);
  if (!s) {
    s = { re: Float64Array.from(mark.chips), im: new Float64Array(MARK_PERIOD) };
    fft(s.re, s.im, false);
    spectra.set(mark, s);
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// Detector

export interface IdentityScore {
  readonly id: string;
  /** Correlation peak in standard deviations over all lags. */
  readonly score: number;
  /** 0 (score ≤ 4, what noise reaches) … 1 (score ≥ 12), linear between. */
  readonly confidence: number;
  readonly present: boolean;
  /** Chip lag of the peak (diagnostics: the mark's delay modulo the period). */
  readonly lag: number;
}

export interface IdentityReport {
  /** The id of the strongest present mark, or 'none'. */
  readonly verdict: string;
  /** 'silence': too little audio to judge (silence, one-way audio, lost media); 'no-mark': audio without any candidate's mark. */
  readonly reason: 'mark' | 'silence' | 'no-mark';
  /** Every candidate, strongest first. */
  readonly scores: readonly IdentityScore[];
  /** Milliseconds of audio in the window that carried signal. */
  readonly activeMs: number;
}

export interface IdentityDetectorOptions {
  /** Audio analysed: the last `windowMs` (default 2000). */
  readonly windowMs?: number;
  readonly threshold?: number;
  /** Less signal than this in the window is 'silence' (default 500 ms). */
  readonly minActiveMs?: number;
  /** Blocks whose whitened RMS is below this level are ignored as silence (default -62 dBFS). */
  readonly floorDbfs?: number;
}

/**
 * Listens for identity marks in received audio (8 or 16 kHz frames of any length) and says
 * which of the candidate marks are present. Allocation happens at construction and in
 * `detect()`, not per frame.
 */
export class IdentityDetector {
  private readonly down: Downsampler16to8 | undefined;
  private narrow = new Int16Array(0);
  private oddSample: number | undefined;
  private readonly block = new Float64Array(BLOCK);
  private blockFill = 0;
  /** Input history for the LPC analysis window and the filter memory. */
  private readonly history = new Float64Array(2 * BLOCK);
  /** Weighted residual of the last `windowSamples` samples, a ring indexed by the 8 kHz sample count. */
  private readonly ring: Float32Array;
  private readonly ringActive: Uint8Array;
  private readonly windowSamples: number;
  private processed = 0;
  private readonly threshold: number;
  private readonly minActive: number;
  private readonly floorRms: number;
  private readonly r = new Float64Array(LPC_ORDER + 1);
  private readonly a = new Float64Array(LPC_ORDER + 1);
  private readonly tmp = new Float64Array(LPC_ORDER + 1);
  private readonly reflection = new Float64Array(LPC_ORDER);

  constructor(
    readonly sampleRate: number,
    readonly candidates: readonly IdentityMark[],
    options: IdentityDetectorOptions = {},
  ) {
    if (sampleRate !== 8000 && sampleRate !== 16000) throw new RangeError(`mark: 8000 or 16000 Hz, not ${sampleRate}`);
    this.down = sampleRate === 16000 ? new Downsampler16to8() : undefined;
    const windowMs = options.windowMs ?? 2000;
    this.windowSamples = Math.max(MARK_PERIOD, Math.round((windowMs * 8000) / 1000 / BLOCK) * BLOCK);
    this.ring = new Float32Array(this.windowSamples);
    this.ringActive = new Uint8Array(this.windowSamples / BLOCK);
    this.threshold = options.threshold ?? MARK_THRESHOLD;
    this.minActive = Math.round(((options.minActiveMs ?? 500) * 8000) / 1000);
    this.floorRms = dbfsToRms(options.floorDbfs ?? -62);
  }

  reset(): void {
    this.down?.reset();
    this.oddSample = undefined;
    this.blockFill = 0;
    this.history.fill(0);
    this.ring.fill(0);
    this.ringActive.fill(0);
    this.processed = 0;
  }

  write(frame: Int16Array): void {
    if (this.down === undefined) {
      this.feed(frame, frame.length);
      return;
    }
    // 16 kHz: downsample pairs; an odd trailing sample waits for the next frame.
    let input = frame;
    if (this.oddSample !== undefined) {
      input = new Int16Array(frame.length + 1);
      input[0] = this.oddSample;
      input.set(frame, 1);
      this.oddSample = undefined;
    }
    let even = input.length & ~1;
    if (even !== input.length) this.oddSample = input[input.length - 1]!;
    if (this.narrow.length < even / 2) this.narrow = new Int16Array(even / 2);
    even = this.down.process(input.subarray(0, even), this.narrow);
    this.feed(this.narrow, even);
  }

  private feed(samples: Int16Array, count: number): void {
    for (let i = 0; i < count; i++) {
      this.block[this.blockFill++] = samples[i]!;
      if (this.blockFill === BLOCK) {
        this.processBlock();
        this.blockFill = 0;
      }
    }
  }

  /** LPC-whitens one 20 ms block, weights it by 1/residual power and stores it in the ring. */
  private processBlock(): void {
    const h = this.history;
    h.copyWithin(0, BLOCK);
    h.set(this.block, BLOCK);
    const { r, a, tmp } = this;
    // Autocorrelation over the last 40 ms (previous block + this one).
    for (let k = 0; k <= LPC_ORDER; k++) {
      let s = 0;
      for (let i = k; i < 2 * BLOCK; i++) s += h[i]! * h[i - k]!;
      r[k] = s;
    }
    const start = (this.processed % this.windowSamples) | 0;
    const blockIdx = start / BLOCK;
    this.processed += BLOCK;
    if (r[0]! < this.floorRms * this.floorRms * 2 * BLOCK) {
      this.ring.fill(0, start, start + BLOCK);
      this.ringActive[blockIdx] = 0;
      return;
    }
    // Levinson-Durbin with a little white-noise correction (lag-window on r[0]).
    r[0] = r[0]! * 1.0001;
    levinsonDurbin(r, LPC_ORDER, this.reflection, a, tmp);
    let energy = 0;
    for (let n = BLOCK; n < 2 * BLOCK; n++) {
      let s = 0;
      for (let j = 0; j <= LPC_ORDER; j++) s += a[j]! * h[n - j]!;
      this.ring[start + n - BLOCK] = s;
      energy += s * s;
    }
    const power = energy / BLOCK;
    if (power < this.floorRms * this.floorRms) {
      this.ring.fill(0, start, start + BLOCK);
      this.ringActive[blockIdx] = 0;
      return;
    }
    const w = 1 / power;
    for (let n = start; n < start + BLOCK; n++) this.ring[n] = this.ring[n]! * w;
    this.ringActive[blockIdx] = 1;
  }

  /** Judges the audio of the last window. */
  detect(): IdentityReport {
    let activeBlocks = 0;
    const filled = Math.min(this.processed, this.windowSamples) / BLOCK;
    for (let b = 0; b < filled; b++) activeBlocks += this.ringActive[b]!;
    const activeMs = (activeBlocks * BLOCK * 1000) / 8000;
    if (activeBlocks * BLOCK < this.minActive) {
      return { verdict: 'none', reason: 'silence', activeMs, scores: this.candidates.map((c) => ({ id: c.id, score: 0, confidence: 0, present: false, lag: 0 })) };
    }
    // Fold the ring modulo the period at the samples' absolute positions (chip phase).
    const foldRe = new Float64Array(MARK_PERIOD);
    const foldIm = new Float64Array(MARK_PERIOD);
    const total = Math.min(this.processed, this.windowSamples);
    const first = this.processed - total;
    for (let s = first; s < this.processed; s++) {
      const k = s % MARK_PERIOD;
      foldRe[k] = foldRe[k]! + this.ring[s % this.windowSamples]!;
    }
    fft(foldRe, foldIm, false);
    const xr = new Float64Array(MARK_PERIOD);
    const xi = new Float64Array(MARK_PERIOD);
    const scores: IdentityScore[] = [];
    for (const c of this.candidates) {
      const sp = spectrumOf(c);
      for (let k = 0; k < MARK_PERIOD; k++) {
        // X · conj(C): circular cross-correlation, peak at the mark's delay.
        xr[k] = foldRe[k]! * sp.re[k]! + foldIm[k]! * sp.im[k]!;
        xi[k] = foldIm[k]! * sp.re[k]! - foldRe[k]! * sp.im[k]!;
      }
      fft(xr, xi, true);
      let max = -Infinity;
      let lag = 0;
      let sum = 0;
      let sumSq = 0;
      for (let k = 0; k < MARK_PERIOD; k++) {
        const v = xr[k]!;
        sum += v;
        sumSq += v * v;
        if (v > max) {
          max = v;
          lag = k;
        }
      }
      const mean = sum / MARK_PERIOD;
      const sd = Math.sqrt(Math.max(0, sumSq / MARK_PERIOD - mean * mean));
      const score = sd > 0 ? (max - mean) / sd : 0;
      scores.push({ id: c.id, score, confidence: Math.min(1, Math.max(0, (score - 4) / 8)), present: score >= this.threshold, lag });
    }
    scores.sort((p, q) => q.score - p.score);
    const best = scores[0];
    if (best && best.present) return { verdict: best.id, reason: 'mark', scores, activeMs };
    return { verdict: 'none', reason: 'no-mark', scores, activeMs };
  }
}

/** Runs a detector over a whole signal (tests, recordings). */
export function identifyAudio(samples: Int16Array, sampleRate: number, candidates: readonly IdentityMark[], options: IdentityDetectorOptions = {}): IdentityReport {
  const d = new IdentityDetector(sampleRate, candidates, { windowMs: (samples.length * 1000) / sampleRate, ...options });
  d.write(samples);
  return d.detect();
}
