// RFC 3389 §3.2 spectral comfort noise end to end: shaped background noise into the sender's
// SilenceSuppressor, its CN payload into a receiver's ComfortNoiseGenerator, and the spectrum
// and level of what the receiver plays compared with the input's (averaged Hann periodograms,
// Goertzel bins). The level-only generator (white noise at the signalled level, what vphone
// played before) fails the same shape check. Also: the §3.2 quantiser, lpc.ts, untrusted
// payloads, and the spectrum-change update.
import { describe, expect, it } from 'vitest';
import {
  CN_MAX_ORDER,
  ComfortNoiseGenerator,
  dequantizeReflectionCoefficient,
  encodeComfortNoise,
  quantizeReflectionCoefficient,
  SEND_COMFORT_NOISE,
  SilenceSuppressor,
} from '../../src/codecs/comfort-noise.js';
import { goertzelPower } from '../../src/codecs/goertzel.js';
import { autocorrelate, levinsonDurbin, predictionErrorPower, reflectionToPredictor } from '../../src/codecs/lpc.js';
import { rmsDbov } from '../../src/codecs/vad.js';
import { Rng } from './signals.js';

/** Gaussian noise at `levelDbov` through `shape` (a per-sample filter), normalised to the level. */
function noise(sampleRate: number, seconds: number, levelDbov: number, seed: number, shape: (x: number) => number = (x) => x): Int16Array {
  const rng = new Rng(seed);
  const v = new Float64Array(Math.round(sampleRate * seconds));
  for (let i = 0; i < v.length; i++) v[i] = shape(rng.gauss());
  let sum = 0;
  for (const x of v) sum += x * x;
  const gain = (32767 * 10 ** (levelDbov / 20)) / Math.sqrt(sum / v.length);
  return Int16Array.from(v, (x) => Math.round(x * gain));
}

/** Four one-pole low-pass sections at `fc` (24 dB/octave above it). */
function lowPass(fc: number, sampleRate: number): (x: number) => number {
  const a = 1 - Math.exp((-2 * Math.PI * fc) / sampleRate);
  const y = [0, 0, 0, 0];
  return (x) => {
    let v = x;
    for (let i = 0; i < 4; i++) v = y[i]! += a * (v - y[i]!);
    return v;
  };
}

/** A two-pole resonator at `fc` (pole radius 0.9) after a first difference: a band-pass. */
function bandPass(fc: number, sampleRate: number): (x: number) => number {
  const r = 0.9;
  const c = 2 * r * Math.cos((2 * Math.PI * fc) / sampleRate);
  let y1 = 0;
  let y2 = 0;
  let x1 = 0;
  return (x) => {
    const y = x - x1 + c * y1 - r * r * y2;
    x1 = x;
    y2 = y1;
    y1 = y;
    return y;
  };
}

const BLOCK = 256;

/** Power density (per bin, averaged over Hann-windowed blocks) of the bins in [f0, f1). */
function bandDensity(pcm: Int16Array, sampleRate: number, f0: number, f1: number): number {
  const block = new Float64Array(BLOCK);
  const binHz = sampleRate / BLOCK;
  let sum = 0;
  let n = 0;
  for (let o = 0; o + BLOCK <= pcm.length; o += BLOCK) {
    for (let i = 0; i < BLOCK; i++) block[i] = pcm[o + i]! * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / BLOCK));
    for (let b = Math.ceil(f0 / binHz); b * binHz < f1; b++) {
      sum += goertzelPower(block, b * binHz, sampleRate);
      n++;
    }
  }
  return sum / n;
}

/** Spectral shape: band densities in dB relative to the mean of all bands. */
function shape(pcm: Int16Array, sampleRate: number, bands: readonly (readonly [number, number])[]): number[] {
  const d = bands.map(([f0, f1]) => 10 * Math.log10(bandDensity(pcm, sampleRate, f0, f1)));
  const mean = d.reduce((s, x) => s + x, 0) / d.length;
  return d.map((x) => x - mean);
}

/** Runs `pcm` through a SilenceSuppressor frame by frame; the last CN payload sent (a copy). */
function lastCnPayload(pcm: Int16Array, sampleRate: number): Uint8Array {
  const s = new SilenceSuppressor(sampleRate);
  const frame = sampleRate / 50;
  let last: Uint8Array | undefined;
  for (let o = 0; o + frame <= pcm.length; o += frame) {
    if (s.decide(pcm.subarray(o, o + frame), (o / frame) * 20) === SEND_COMFORT_NOISE) last = s.payload.slice();
  }
  expect(last).toBeDefined();
  return last!;
}

function synthesise(payload: Uint8Array, sampleRate: number, seconds: number, seed = 9): Int16Array {
  const g = new ComfortNoiseGenerator(sampleRate, seed);
  expect(g.setParameters(payload, 0, payload.length, true)).toBe(true);
  const out = new Int16Array(sampleRate * seconds);
  g.fill(out);
  return out;
}

const BANDS_8K = [
  [100, 1000],
  [1000, 2000],
  [2000, 3000],
  [3000, 3900],
] as const;

describe('RFC 3389 §3.2 reflection coefficient quantiser', () => {
  it('k(N) = 258·(N − 127)/32768: boundary bytes, the reserved 255, and nonsense', () => {
    expect(dequantizeReflectionCoefficient(0)).toBeCloseTo((-258 * 127) / 32768, 12);
    expect(dequantizeReflectionCoefficient(127)).toBe(0);
    expect(dequantizeReflectionCoefficient(128)).toBeCloseTo(258 / 32768, 12);
    expect(dequantizeReflectionCoefficient(254)).toBeCloseTo((258 * 127) / 32768, 12);
    expect(dequantizeReflectionCoefficient(254)).toBeLessThan(1);
    // 255 is reserved (and k(255) would be 1.0078: an unstable filter): read as 254.
    expect(dequantizeReflectionCoefficient(255)).toBe(dequantizeReflectionCoefficient(254));
    expect(dequantizeReflectionCoefficient(1000)).toBe(dequantizeReflectionCoefficient(254));
    expect(dequantizeReflectionCoefficient(-3)).toBe(dequantizeReflectionCoefficient(0));
    expect(dequantizeReflectionCoefficient(Number.NaN)).toBe(dequantizeReflectionCoefficient(0));
  });

  it('round-trips every index, quantises to the nearest step, clamps to 0..254', () => {
    for (let n = 0; n <= 254; n++) expect(quantizeReflectionCoefficient(dequantizeReflectionCoefficient(n))).toBe(n);
    const step = 258 / 32768;
    for (let k = -0.999; k < 1; k += 0.0137) {
      expect(Math.abs(dequantizeReflectionCoefficient(quantizeReflectionCoefficient(k)) - k)).toBeLessThanOrEqual(step / 2 + 1e-12);
    }
    expect(quantizeReflectionCoefficient(0.5)).toBe(191);
    expect(quantizeReflectionCoefficient(-0.5)).toBe(63);
    expect([1, -1, 5, -5, Infinity, -Infinity, Number.NaN].map(quantizeReflectionCoefficient)).toEqual([254, 0, 254, 0, 254, 0, 127]);
  });

  it('encodeComfortNoise packs the level then N1..NM in ascending order (§3.3)', () => {
    const out = new Uint8Array(6).fill(0xee);
    expect(encodeComfortNoise(-47.6, out, 1, [-0.5, 0, 0.5, 1])).toBe(5);
    expect([...out]).toEqual([0xee, 48, 63, 127, 191, 254]);
    expect(encodeComfortNoise(-47.6, out, 0, [0.5, 0.5, 0.5], 1)).toBe(2);
  });
});

describe('lpc.ts', () => {
  it('Levinson-Durbin of an AR(1) autocorrelation ρ^|m|: k1 = -ρ, the rest 0; step-up inverts it; aᵀRa is the error', () => {
    const order = 6;
    const r = Float64Array.from({ length: order + 1 }, (_, m) => 0.8 ** m);
    const k = new Float64Array(order);
    const a = new Float64Array(order + 1);
    const scratch = new Float64Array(order + 1);
    expect(levinsonDurbin(r, order, k, a, scratch)).toBe(order);
    expect(k[0]).toBeCloseTo(-0.8, 12);
    for (let m = 1; m < order; m++) expect(Math.abs(k[m]!)).toBeLessThan(1e-12);
    const err = 1 - 0.64;
    const a2 = new Float64Array(order + 1);
    reflectionToPredictor(k, order, a2, scratch);
    for (let i = 0; i <= order; i++) expect(a2[i]).toBeCloseTo(a[i]!, 12);
    expect(predictionErrorPower(a, r, order)).toBeCloseTo(err, 12);
    // A worse predictor (white: a = [1, 0, ...]) leaves r0.
    expect(predictionErrorPower(Float64Array.of(1, 0, 0, 0, 0, 0, 0), r, order)).toBe(1);
  });

  it('autocorrelate takes the history before the block: blocks add up to the whole signal\'s products', () => {
    const x = Float64Array.of(3, -1, 4, 1, -5, 9, 2, -6);
    const whole = new Float64Array(3);
    autocorrelate(x, 2, 6, 2, whole);
    const parts = new Float64Array(3);
    autocorrelate(x, 2, 3, 2, parts);
    autocorrelate(x, 5, 3, 2, parts, 1, true);
    expect([...parts]).toEqual([...whole]);
    // r[1] = Σ x[i]·x[i-1], i = 2..7, with x[1] as the history.
    expect(whole[1]).toBe(4 * -1 + 1 * 4 + -5 * 1 + 9 * -5 + 2 * 9 + -6 * 2);
    autocorrelate(x, 2, 6, 2, whole, 0.5);
    expect(whole[1]).toBe(0.5 * -44);
    // Nothing to model (r_0 = 0), and an autocorrelation that is not positive definite (|r_1| > r_0):
    // the stages computed, the rest of k left 0.
    const k = Float64Array.of(9, 9);
    expect(levinsonDurbin(new Float64Array(3), 2, k, new Float64Array(3), new Float64Array(3))).toBe(0);
    expect([...k]).toEqual([0, 0]);
    expect(levinsonDurbin(Float64Array.of(1, 0.5, 1.2), 2, k, new Float64Array(3), new Float64Array(3))).toBe(1);
    expect([...k]).toEqual([-0.5, 0]);
  });
});

describe('shaped noise in, spectral comfort noise out', () => {
  const rate = 8000;
  const cases = [
    ['low-pass (400 Hz, 24 dB/oct)', lowPass(400, rate)],
    ['band-pass (1.5 kHz resonance)', bandPass(1500, rate)],
    ['white', undefined],
  ] as const;

  for (const [name, filter] of cases) {
    it(`${name}: band shape within 3 dB of the input's, level within 1 dB`, () => {
      const level = -52;
      const input = noise(rate, 3, level, 21, filter);
      const payload = lastCnPayload(input, rate);
      expect(payload.length).toBe(11);
      const out = synthesise(payload, rate, 2);
      const want = shape(input.subarray(rate), rate, BANDS_8K);
      const got = shape(out, rate, BANDS_8K);
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(3);
      // The level: what the byte says (within 1 dB), what the input had (within 1.5 dB: the VAD's
      // background level averages the quieter frames, about 1 dB low for low-pass noise).
      expect(Math.abs(rmsDbov(out) - -payload[0]!)).toBeLessThan(1);
      expect(Math.abs(rmsDbov(out) - level)).toBeLessThan(1.5);
      // The level-only generator (white at the same level) matches only white input's shape.
      const white = new ComfortNoiseGenerator(rate, 9);
      white.setLevel(-payload[0]!, true);
      const flat = new Int16Array(2 * rate);
      white.fill(flat);
      const spread = Math.max(...want) - Math.min(...want);
      const levelOnly = shape(flat, rate, BANDS_8K);
      const worst = Math.max(...levelOnly.map((x, i) => Math.abs(x - want[i]!)));
      if (filter) expect(worst).toBeGreaterThan(8);
      else expect(spread).toBeLessThan(1.5);
      console.log(JSON.stringify({ case: name, input: want.map((x) => +x.toFixed(1)), spectral: got.map((x) => +x.toFixed(1)), levelOnly: levelOnly.map((x) => +x.toFixed(1)), levelDb: +(rmsDbov(out) - level).toFixed(2) }));
    });
  }

  it('16 kHz (G.722): low-pass noise keeps its shape over 0–8 kHz', () => {
    const r16 = 16000;
    const input = noise(r16, 3, -50, 31, lowPass(800, r16));
    const payload = lastCnPayload(input, r16);
    const out = synthesise(payload, r16, 2);
    const bands = [
      [100, 2000],
      [2000, 4000],
      [4000, 6000],
      [6000, 7800],
    ] as const;
    const want = shape(input.subarray(r16), r16, bands);
    const got = shape(out, r16, bands);
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(3);
    expect(Math.abs(rmsDbov(out) - -payload[0]!)).toBeLessThan(1);
    expect(Math.abs(rmsDbov(out) - -50)).toBeLessThan(1.5);
    console.log(JSON.stringify({ case: 'low-pass 16 kHz', input: want.map((x) => +x.toFixed(1)), spectral: got.map((x) => +x.toFixed(1)) }));
  });
});

describe('ComfortNoiseGenerator.setParameters with untrusted payloads', () => {
  it('M = 0 is white; an empty payload changes nothing; offset and length select the payload', () => {
    const g = new ComfortNoiseGenerator(8000, 4);
    expect(g.setParameters(new Uint8Array(0))).toBe(false);
    expect(g.setParameters(Uint8Array.of(1, 2, 3), 3, 0)).toBe(false);
    expect(g.setParameters(Uint8Array.of(1, 2), 1, 5)).toBe(false);
    expect(g.levelDbov).toBe(-Infinity);
    // A payload inside a packet: [junk, level 40, k = -0.5, junk].
    expect(g.setParameters(Uint8Array.of(0xff, 40, 63, 0xff), 1, 2, true)).toBe(true);
    expect(g.levelDbov).toBe(-40);
    expect(g.order).toBe(1);
    const out = new Int16Array(8000);
    g.fill(out);
    // AR(1) with k1 = -0.5: neighbouring samples correlate by 0.5.
    let r0 = 0;
    let r1 = 0;
    for (let i = 1; i < out.length; i++) {
      r0 += out[i]! * out[i]!;
      r1 += out[i]! * out[i - 1]!;
    }
    expect(r1 / r0).toBeGreaterThan(0.45);
    expect(r1 / r0).toBeLessThan(0.55);
    expect(Math.abs(rmsDbov(out) - -40)).toBeLessThan(1);
    // Level only again: white.
    g.setParameters(Uint8Array.of(40));
    expect(g.order).toBe(0);
  });

  it('never throws, never plays NaN or out-of-range samples, keeps a finite level: random and extreme payloads', () => {
    const rng = new Rng(77);
    const g = new ComfortNoiseGenerator(8000, 6);
    const out = new Int16Array(1600);
    const payloads: Uint8Array[] = [Uint8Array.of(30, ...new Array(10).fill(255)), Uint8Array.of(30, ...new Array(10).fill(0)), Uint8Array.of(0xff, ...new Array(40).fill(254))];
    for (let i = 0; i < 300; i++) payloads.push(Uint8Array.from({ length: Math.floor(rng.next() * 40) }, () => Math.floor(rng.next() * 256)));
    for (const [i, p] of payloads.entries()) {
      expect(() => g.setParameters(p, 0, p.length, i % 2 === 0)).not.toThrow();
      g.fill(out);
      expect(g.order).toBeLessThanOrEqual(CN_MAX_ORDER);
      expect(out.every((v) => Number.isInteger(v))).toBe(true);
    }
    // A moderate random spectrum plays at its level (the prime puts the filter in its steady state).
    for (let t = 0; t < 20; t++) {
      const p = Uint8Array.from({ length: 11 }, (_, j) => (j === 0 ? 45 : 127 + Math.round((rng.next() - 0.5) * 120)));
      g.setParameters(p, 0, p.length, true);
      const long = new Int16Array(16000);
      g.fill(long);
      expect(Math.abs(rmsDbov(long) - -45)).toBeLessThan(1.5);
    }
  });
});

describe('ComfortNoiseGenerator filter state', () => {
  // A strongly low-pass model (k1 = -0.98, k2 = 0.95: poles near 1 with a long build-up).
  const lowPassPayload = Uint8Array.of(40, quantizeReflectionCoefficient(-0.98), quantizeReflectionCoefficient(0.95));

  it('starts in its steady state: the first 2.5 ms after a CN are at the level already (over 200 seeds)', () => {
    let first = 0;
    let later = 0;
    const out = new Int16Array(800);
    for (let seed = 1; seed <= 200; seed++) {
      const g = new ComfortNoiseGenerator(8000, seed);
      g.setParameters(lowPassPayload, 0, lowPassPayload.length, true);
      g.fill(out);
      for (let i = 0; i < 20; i++) first += out[i]! ** 2 / 20;
      for (let i = 400; i < 800; i++) later += out[i]! ** 2 / 400;
    }
    // From a zero state the first 20 samples of this filter would be ~5 dB quiet.
    expect(Math.abs(10 * Math.log10(first / later))).toBeLessThan(1);
    expect(Math.abs(10 * Math.log10(later / 200) - 20 * Math.log10(32767 * 10 ** (-40 / 20)))).toBeLessThan(1);
  });

  it('an update to another order continues from the last outputs (no click: the step stays within the noise)', () => {
    const g = new ComfortNoiseGenerator(8000, 3);
    g.setParameters(lowPassPayload, 0, lowPassPayload.length, true);
    const before = new Int16Array(800);
    g.fill(before);
    const ten = Uint8Array.of(40, ...Array.from({ length: 10 }, (_, i) => (i === 0 ? lowPassPayload[1]! : i === 1 ? lowPassPayload[2]! : 127)));
    g.setParameters(ten, 0, ten.length);
    expect(g.order).toBe(10);
    const after = new Int16Array(800);
    g.fill(after);
    // Same spectrum in 10 coefficients: the sample-to-sample steps of a low-pass noise stay small across the seam.
    let maxStep = 0;
    for (let i = 1; i < before.length; i++) maxStep = Math.max(maxStep, Math.abs(before[i]! - before[i - 1]!));
    expect(Math.abs(after[0]! - before[before.length - 1]!)).toBeLessThanOrEqual(maxStep);
    expect(Math.abs(rmsDbov(after) - -40)).toBeLessThan(2);
    g.setParameters(Uint8Array.of(40), 0, 1);
    expect(g.order).toBe(0);
    g.fill(after);
    expect(Math.abs(rmsDbov(after) - -40)).toBeLessThan(1);
  });
});

describe('SilenceSuppressor spectrum updates', () => {
  it('a spectrum change at the same level sends a CN update before the refresh is due; a steady spectrum does not', () => {
    const rate = 8000;
    const s = new SilenceSuppressor(rate, { refreshMs: 1e9, levelStepDb: 100 });
    const white = noise(rate, 2, -50, 41);
    const low = noise(rate, 2, -50, 42, lowPass(400, rate));
    const times: number[] = [];
    let t = 0;
    for (const part of [white, low]) {
      for (let o = 0; o + 160 <= part.length; o += 160, t += 20) if (s.decide(part.subarray(o, o + 160), t) === SEND_COMFORT_NOISE) times.push(t);
    }
    // The start of the silence, then nothing while white, then updates soon after the switch.
    expect(times[0]).toBe(0);
    expect(times.filter((x) => x > 0 && x < 2000)).toEqual([]);
    const after = times.filter((x) => x >= 2000);
    expect(after.length).toBeGreaterThanOrEqual(1);
    // The spectrum is a 500 ms average: a 3 dB Itakura distance within about a second.
    expect(after[0]! - 2000).toBeLessThan(1000);
    expect(after.length).toBeLessThan(10);
    // The last update describes a low-pass spectrum (k1 well below 0: byte well below 127).
    expect(s.payload[1]!).toBeLessThan(40);
    console.log(JSON.stringify({ spectrumUpdatesAfterSwitchMs: after.map((x) => x - 2000) }));
  });

  it('order 0: level-only payloads as before', () => {
    const s = new SilenceSuppressor(8000, { order: 0 });
    expect(s.payload.length).toBe(1);
    expect(s.decide(noise(8000, 0.02, -50, 5), 0)).toBe(SEND_COMFORT_NOISE);
    expect(s.payload[0]).toBe(50);
    expect(() => new SilenceSuppressor(8000, { order: 17 })).toThrow(RangeError);
  });
});
