import { describe, expect, it } from 'vitest';
import { Downsampler16to8, HALF_BAND_TAPS, Upsampler8to16, halfBandTaps } from '../../src/codecs/resample.js';
import { sine, speechLike } from './signals.js';

/** Amplitude of the `freq` component of `x` (single-bin DFT over a whole number of periods). */
function amplitudeAt(x: Int16Array, sampleRate: number, freq: number): number {
  let re = 0;
  let im = 0;
  for (let n = 0; n < x.length; n++) {
    const w = (2 * Math.PI * freq * n) / sampleRate;
    re += x[n]! * Math.cos(w);
    im -= x[n]! * Math.sin(w);
  }
  return (2 * Math.hypot(re, im)) / x.length;
}

function rms(x: Int16Array): number {
  let s = 0;
  for (let n = 0; n < x.length; n++) s += x[n]! * x[n]!;
  return Math.sqrt(s / x.length);
}

/** Zero crossings per second / 2: the frequency of a clean tone. */
function zeroCrossingFrequency(x: Int16Array, sampleRate: number): number {
  let crossings = 0;
  for (let n = 1; n < x.length; n++) if (x[n - 1]! < 0 !== x[n]! < 0) crossings++;
  return (crossings / 2) * (sampleRate / x.length);
}

const dB = (ratio: number): number => 20 * Math.log10(ratio);

function down(input: Int16Array, chunk = 320): Int16Array {
  const r = new Downsampler16to8();
  const out = new Int16Array(input.length / 2);
  for (let i = 0; i < input.length; i += chunk) {
    const part = input.subarray(i, Math.min(i + chunk, input.length));
    r.process(part, out.subarray(i / 2, i / 2 + part.length / 2));
  }
  return out;
}

function up(input: Int16Array, chunk = 160): Int16Array {
  const r = new Upsampler8to16();
  const out = new Int16Array(input.length * 2);
  for (let i = 0; i < input.length; i += chunk) {
    const part = input.subarray(i, Math.min(i + chunk, input.length));
    r.process(part, out.subarray(i * 2, i * 2 + part.length * 2));
  }
  return out;
}

/** Drops the filter's start-up transient: the first 64 samples. */
const steady = (x: Int16Array): Int16Array => x.subarray(64, 64 + Math.floor((x.length - 128) / 80) * 80);

describe('half-band filter', () => {
  it('is a symmetric 63-tap half-band: centre 1/2, every other tap zero, DC gain exactly 1', () => {
    const h = halfBandTaps();
    expect(h.length).toBe(HALF_BAND_TAPS);
    expect(h[31]).toBe(16384);
    for (let i = 0; i < 63; i++) {
      expect(h[i]).toBe(h[62 - i]);
      if (i !== 31 && (i - 31) % 2 === 0) expect(h[i]).toBe(0);
    }
    expect(h.reduce((a, b) => a + b, 0)).toBe(32768);
  });
});

describe('16 kHz → 8 kHz', () => {
  it('passes a 1 kHz tone with its amplitude (±0.1 dB) and frequency', () => {
    const out = steady(down(sine(16000, 1, 1000, 10000)));
    expect(Math.abs(dB(amplitudeAt(out, 8000, 1000) / 10000))).toBeLessThan(0.1);
    expect(zeroCrossingFrequency(out, 8000)).toBeCloseTo(1000, -1);
    // Nearly all the energy is at 1 kHz: the residue is rounding noise.
    expect(dB(rms(out) / (amplitudeAt(out, 8000, 1000) / Math.SQRT2))).toBeLessThan(0.01);
  });

  it('attenuates a 6 kHz tone, which would alias to 2 kHz, by more than 40 dB', () => {
    const out = steady(down(sine(16000, 1, 6000, 20000)));
    expect(dB(amplitudeAt(out, 8000, 2000) / 20000)).toBeLessThan(-40);
    expect(dB(rms(out) / (20000 / Math.SQRT2))).toBeLessThan(-60);
  });

  it('passes 3.4 kHz within 0.5 dB and stops 4.6 kHz by 40 dB', () => {
    expect(Math.abs(dB(amplitudeAt(steady(down(sine(16000, 1, 3400, 10000))), 8000, 3400) / 10000))).toBeLessThan(0.5);
    expect(dB(rms(steady(down(sine(16000, 1, 4600, 10000)))) / (10000 / Math.SQRT2))).toBeLessThan(-40);
  });

  it('keeps DC exactly, saturates instead of wrapping, and is independent of chunk size', () => {
    const dc = down(new Int16Array(1600).fill(1000));
    expect(Array.from(dc.subarray(100, 110))).toEqual(new Array(10).fill(1000));
    const square = new Int16Array(3200);
    for (let i = 0; i < square.length; i++) square[i] = Math.floor(i / 40) % 2 ? 32767 : -32768;
    const clipped = down(square);
    expect(Math.max(...clipped)).toBe(32767); // Gibbs overshoot clips
    expect(Math.min(...clipped)).toBe(-32768);
    const speech = speechLike(16000, 1, 61);
    expect(Array.from(down(speech, 2))).toEqual(Array.from(down(speech, 320)));
    expect(Array.from(down(speech, 1000))).toEqual(Array.from(down(speech, 320)));
  });
});

describe('8 kHz → 16 kHz', () => {
  it('gives a 1 kHz tone at 16 kHz with its amplitude (±0.1 dB) and frequency', () => {
    const out = steady(up(sine(8000, 1, 1000, 10000)));
    expect(Math.abs(dB(amplitudeAt(out, 16000, 1000) / 10000))).toBeLessThan(0.1);
    expect(zeroCrossingFrequency(out, 16000)).toBeCloseTo(1000, -1);
  });

  it('suppresses the 7 kHz image of a 1 kHz tone by more than 40 dB', () => {
    const out = steady(up(sine(8000, 1, 1000, 20000)));
    expect(dB(amplitudeAt(out, 16000, 7000) / 20000)).toBeLessThan(-40);
  });

  it('has the documented delays: 15 samples down (at 8 kHz), 31 up (at 16 kHz)', () => {
    const impulse16 = new Int16Array(320);
    impulse16[100] = 20000;
    const d = down(impulse16);
    expect(d[65]).toBe(10000); // centre tap 1/2: output m is input 2m − 30
    expect(d.indexOf(Math.max(...d))).toBe(65);
    const impulse8 = new Int16Array(160);
    impulse8[50] = 20000;
    const u = up(impulse8);
    expect(u[131]).toBe(20000); // output 2n + 1 is input n − 15
    expect(u.indexOf(Math.max(...u))).toBe(131);
  });

  it('round-trips a 1 kHz tone 8 → 16 → 8 kHz with its amplitude and no audible residue', () => {
    const tone = sine(8000, 1, 1000, 16000);
    const back = steady(down(up(tone, 160), 320));
    const a = amplitudeAt(back, 8000, 1000);
    expect(Math.abs(dB(a / 16000))).toBeLessThan(0.1);
    // Everything but the 1 kHz component is at least 60 dB down.
    const residue = Math.sqrt(Math.max(0, rms(back) ** 2 - (a / Math.SQRT2) ** 2));
    expect(dB(residue / (a / Math.SQRT2))).toBeLessThan(-60);
    const speech = speechLike(8000, 1, 62, 8000);
    expect(Array.from(up(speech, 1))).toEqual(Array.from(up(speech, 160)));
  });

  it('rejects too-small outputs and odd 16 kHz counts (caller bugs)', () => {
    expect(() => new Upsampler8to16().process(new Int16Array(10), new Int16Array(19))).toThrow(RangeError);
    expect(() => new Downsampler16to8().process(new Int16Array(11), new Int16Array(10))).toThrow(RangeError);
    expect(() => new Downsampler16to8().process(new Int16Array(20), new Int16Array(9))).toThrow(RangeError);
  });
});
