import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { kxUt670Catalogue } from '../../firmware-sim/models/kx-ut670/catalogue.js';
import { PCMA, PCMU } from '../../src/codecs/g711.js';
import type { AudioCodec } from '../../src/codecs/codec.js';
import { DtmfDetector, detectDtmf } from '../../src/codecs/dtmf-detector.js';
import type { DtmfDigitEvent } from '../../src/codecs/dtmf-detector.js';
import { DTMF_DEFAULTS, DTMF_DIGITS, DtmfGenerator, dtmfFrequencies, dtmfTimingFromSettings, renderDtmf } from '../../src/codecs/dtmf-generator.js';
import { goertzelAmplitude } from '../../src/codecs/goertzel.js';
import { sineAmplitudeForDbm0 } from '../../src/codecs/level.js';
import { buildDeviceSettings } from '../../src/settings/build-canonical.js';
import { REPO_ROOT, asBytes, asInt16, buildC, runRef } from './ref-harness.js';
import { Rng, concat, silence, speechLike, whiteNoise } from './signals.js';

function sines(rate: number, ms: number, parts: ReadonlyArray<readonly [number, number]>): Int16Array {
  const n = Math.round((rate * ms) / 1000);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (const [f, a] of parts) v += a * Math.sin((2 * Math.PI * f * i) / rate);
    out[i] = Math.max(-32768, Math.min(32767, Math.round(v)));
  }
  return out;
}

function add(a: Int16Array, b: Int16Array): Int16Array {
  return Int16Array.from(a, (v, i) => Math.max(-32768, Math.min(32767, v + (b[i] ?? 0))));
}

function through(codec: AudioCodec, x: Int16Array): Int16Array {
  const bytes = new Uint8Array(x.length);
  codec.encode(x, bytes);
  const out = new Int16Array(x.length);
  codec.decode(bytes, out);
  return out;
}

/** Music-like: two or three notes of the equal-tempered scale with decaying harmonics, 100-500 ms each. */
function musicLike(rate: number, seconds: number, seed: number, harmonics: number): Int16Array {
  const rng = new Rng(seed);
  const out = new Float64Array(Math.round(rate * seconds));
  let t = 0;
  while (t < out.length) {
    const len = Math.round(rate * (0.1 + 0.4 * rng.next()));
    const notes = Array.from({ length: 2 + Math.floor(rng.next() * 2) }, () => 440 * 2 ** (Math.floor(rng.next() * 49 - 24) / 12));
    for (let i = 0; i < len && t + i < out.length; i++) {
      const env = Math.min(1, i / (0.01 * rate)) * Math.exp((-3 * i) / len);
      let v = 0;
      for (const f of notes) for (let h = 1; h <= harmonics; h++) if (f * h < rate / 2) v += Math.sin((2 * Math.PI * f * h * i) / rate) / h;
      out[t + i] = 5000 * env * v;
    }
    t += len;
  }
  return Int16Array.from(out, (v) => Math.max(-32768, Math.min(32767, Math.round(v))));
}

describe('DTMF generator', () => {
  it('plays the Q.23 frequency pair of every key at the set levels', () => {
    for (const digit of DTMF_DIGITS) {
      const { rowHz, colHz } = dtmfFrequencies(digit)!;
      const x = renderDtmf(digit, 8000, { lowDbm0: -10, highDbm0: -8 });
      const tone = (DTMF_DEFAULTS.signalMs * 8000) / 1000;
      expect(goertzelAmplitude(x, rowHz, 8000, 0, tone) / sineAmplitudeForDbm0(-10)).toBeCloseTo(1, 2);
      expect(goertzelAmplitude(x, colHz, 8000, 0, tone) / sineAmplitudeForDbm0(-8)).toBeCloseTo(1, 2);
    }
    expect(dtmfFrequencies('a')).toEqual({ rowHz: 697, colHz: 1633 });
    expect(dtmfFrequencies('x')).toBeUndefined();
    expect(dtmfFrequencies('12')).toBeUndefined();
  });

  it('uses DTMF_SIGNAL_LEN / DTMF_INTDIGIT_TIM (KX-UT670 5.7.3) to the sample', () => {
    const settings = buildDeviceSettings(kxUt670Catalogue, { lineCount: 6, buttonCount: 24 }, (n) => kxUt670Catalogue.defaultOf(n)!);
    const timing = dtmfTimingFromSettings(settings);
    expect(timing).toEqual({ signalMs: 180, interDigitMs: 90 });
    for (const rate of [8000, 16000]) {
      const x = renderDtmf('19', rate, timing);
      const tone = (180 * rate) / 1000;
      const digit = tone + (90 * rate) / 1000;
      expect(x.length).toBe(2 * digit);
      expect(x[1]).not.toBe(0);
      expect(x[tone - 1]).not.toBe(0);
      expect(x.subarray(tone, digit).every((v) => v === 0)).toBe(true);
      expect(x[digit + 1]).not.toBe(0);
    }
    const gen = new DtmfGenerator(8000, { signalMs: 60, interDigitMs: 60 });
    expect(gen.enqueue('1x2')).toBe('x');
    expect(gen.pending).toBe(2);
    const frame = new Int16Array(160);
    let produced = 0;
    for (let i = 0; i < 15; i++) produced += gen.fill(frame);
    expect(produced).toBe(2 * 960);
    expect(gen.idle).toBe(true);
    expect(frame.every((v) => v === 0)).toBe(true);
  });
});

describe('DTMF detector', () => {
  it('recognises all 16 digits at -3 to -30 dBm0, at 8 and 16 kHz, with the KX-UT670 timing range', () => {
    for (const rate of [8000, 16000]) {
      for (const level of [-3, -10, -20, -30]) {
        for (const timing of [{ signalMs: 180, interDigitMs: 90 }, { signalMs: 60, interDigitMs: 60 }]) {
          const x = renderDtmf(DTMF_DIGITS, rate, { ...timing, lowDbm0: level - 2, highDbm0: level });
          expect(detectDtmf(x, rate), `${rate} Hz ${level} dBm0 ${timing.signalMs}/${timing.interDigitMs}`).toBe(DTMF_DIGITS);
        }
      }
    }
  });

  it('recognises them in white noise (SNR 12 dB) and through G.711', () => {
    const x = renderDtmf(DTMF_DIGITS, 8000);
    // Tone power: (A_low² + A_high²)/2; noise at 12 dB below.
    const toneRms = Math.sqrt((sineAmplitudeForDbm0(-10) ** 2 + sineAmplitudeForDbm0(-8) ** 2) / 2);
    for (const seed of [1, 2, 3]) {
      const noisy = add(x, whiteNoise(8000, x.length / 8000, toneRms / 10 ** (12 / 20), seed));
      expect(detectDtmf(noisy, 8000)).toBe(DTMF_DIGITS);
    }
    const quiet = renderDtmf(DTMF_DIGITS, 8000, { lowDbm0: -27, highDbm0: -25 });
    expect(detectDtmf(add(quiet, whiteNoise(8000, quiet.length / 8000, 60, 9)), 8000)).toBe(DTMF_DIGITS);
    for (const codec of [PCMU, PCMA]) expect(detectDtmf(through(codec, x), 8000), codec.name).toBe(DTMF_DIGITS);
  });

  it('accepts tones of 40 ms and rejects 20 ms ones at every alignment (Q.24 operate / non-operate)', () => {
    for (const rate of [8000, 16000]) {
      for (let offset = 0; offset < 16; offset++) {
        const lead = silence(rate, (offset * 0.8) / 1000);
        for (const level of [-5, -30]) {
          const ok40 = concat([lead, renderDtmf('5', rate, { signalMs: 40, interDigitMs: 100, lowDbm0: level, highDbm0: level })]);
          const no20 = concat([lead, renderDtmf('5', rate, { signalMs: 20, interDigitMs: 100, lowDbm0: level, highDbm0: level })]);
          expect(detectDtmf(ok40, rate), `40 ms, ${rate} Hz, offset ${offset}, ${level} dBm0`).toBe('5');
          expect(detectDtmf(no20, rate), `20 ms, ${rate} Hz, offset ${offset}, ${level} dBm0`).toBe('');
        }
      }
    }
  });

  it('bridges a 10 ms drop-out but splits at a 40 ms pause', () => {
    for (let offset = 0; offset < 16; offset++) {
      const lead = silence(8000, (offset * 0.8) / 1000);
      const dropout = concat([lead, renderDtmf('7', 8000, { signalMs: 100, interDigitMs: 10 }), renderDtmf('7', 8000, { signalMs: 100, interDigitMs: 100 })]);
      const pause = concat([lead, renderDtmf('7', 8000, { signalMs: 100, interDigitMs: 40 }), renderDtmf('7', 8000, { signalMs: 100, interDigitMs: 100 })]);
      expect(detectDtmf(dropout, 8000), `offset ${offset}`).toBe('7');
      expect(detectDtmf(pause, 8000), `offset ${offset}`).toBe('77');
    }
  });

  it('reports start and end with their times, frame by frame', () => {
    const events: DtmfDigitEvent[] = [];
    const d = new DtmfDetector(8000, { onEvent: (e) => events.push(e) });
    const x = concat([silence(8000, 0.1), renderDtmf('#', 8000, { signalMs: 120, interDigitMs: 200 })]);
    for (let i = 0; i < x.length; i += 160) d.write(x.subarray(i, i + 160));
    expect(d.digits).toBe('#');
    expect(events.map((e) => e.type)).toEqual(['start', 'end']);
    expect(Math.abs(events[0]!.startMs - 100)).toBeLessThan(4);
    expect(Math.abs(events[1]!.endMs! - 220)).toBeLessThan(4);
    expect(d.takeEvents()).toHaveLength(2);
    expect(d.takeDigits()).toBe('#');
    expect(d.digits).toBe('');
    expect(() => new DtmfDetector(44100)).toThrow(RangeError);
  });

  it('rejects single tones, off-frequency pairs, bad twist and levels below -36 dBm0', () => {
    const a = sineAmplitudeForDbm0(-10);
    for (const f of [697, 770, 852, 941, 1209, 1336, 1477, 1633]) expect(detectDtmf(sines(8000, 500, [[f, 2 * a]]), 8000), `${f} Hz`).toBe('');
    // ±1.5 % must be accepted, ±3.5 % rejected (libspandsp's documented tolerances).
    expect(detectDtmf(sines(8000, 200, [[770 * 1.015, a], [1336 * 1.015, a]]), 8000)).toBe('5');
    expect(detectDtmf(sines(8000, 200, [[770 * 0.985, a], [1336 * 0.985, a]]), 8000)).toBe('5');
    expect(detectDtmf(sines(8000, 200, [[770 * 1.035, a], [1336 * 1.035, a]]), 8000)).toBe('');
    expect(detectDtmf(sines(8000, 200, [[770 * 0.965, a], [1336 * 0.965, a]]), 8000)).toBe('');
    const twist = (highOverLowDb: number): string => detectDtmf(sines(8000, 200, [[770, a], [1336, a * 10 ** (highOverLowDb / 20)]]), 8000);
    expect(twist(3)).toBe('5');
    expect(twist(5)).toBe('');
    expect(twist(-7)).toBe('5');
    expect(twist(-10)).toBe('');
    expect(detectDtmf(renderDtmf('5', 8000, { lowDbm0: -34, highDbm0: -34 }), 8000)).toBe('5');
    expect(detectDtmf(renderDtmf('5', 8000, { lowDbm0: -40, highDbm0: -40 }), 8000)).toBe('');
  });

  it('talk-off: no digits from a minute of speech-like or music-like audio', () => {
    let speech = '';
    let music = '';
    for (const seed of [1, 2, 3, 4]) {
      speech += detectDtmf(speechLike(8000, 15, seed, 20000), 8000);
      music += detectDtmf(musicLike(8000, 15, seed, 5), 8000);
    }
    expect(speech).toBe('');
    expect(music).toBe('');
  });

  it('finds the digits inside speech (speech 15 dB under the tones) at 16 kHz', () => {
    const digits = '0123456789';
    const tones = concat([silence(16000, 0.3), renderDtmf(digits, 16000)]);
    const speech = speechLike(16000, tones.length / 16000, 7, 1500);
    expect(detectDtmf(add(tones, speech), 16000)).toBe(digits);
  });
});

describe('DTMF against libspandsp (dtmf_tx / dtmf_rx)', () => {
  let ref: string;
  beforeAll(() => {
    ref = buildC(join(REPO_ROOT, 'test/codecs/ref/spandsp-dtmf-ref.c'), 'spandsp-dtmf-ref', ['-lspandsp']);
  });

  it('our detector recognises the digits spandsp generates', () => {
    // spandsp's level is its low tone in its own dBm0 scale, the high tone `twist` dB louder.
    // At -3 dBm0 with 2 dB twist its generator overflows int16 (sample sequences wrap), so -6 is the top.
    for (const level of [-6, -10, -20, -30]) {
      for (const [on, off] of [
        [50, 55],
        [100, 100],
      ] as const) {
        const theirs = asInt16(runRef(ref, ['tx', DTMF_DIGITS, String(on), String(off), String(level), '2']));
        expect(theirs.length).toBeGreaterThan(16 * on * 8);
        expect(detectDtmf(theirs, 8000), `spandsp ${level} dBm0 ${on}/${off} ms`).toBe(DTMF_DIGITS);
      }
    }
  });

  it('spandsp recognises the digits we generate', () => {
    for (const level of [-3, -10, -20, -30]) {
      for (const timing of [{ signalMs: 180, interDigitMs: 90 }, { signalMs: 60, interDigitMs: 60 }]) {
        const ours = renderDtmf(DTMF_DIGITS, 8000, { ...timing, lowDbm0: level - 2, highDbm0: level });
        expect(runRef(ref, ['rx'], asBytes(ours)).toString(), `ours ${level} dBm0 ${timing.signalMs}/${timing.interDigitMs}`).toBe(DTMF_DIGITS);
      }
    }
  });

  it('both reject the same speech (no talk-off on either side)', () => {
    const speech = speechLike(8000, 10, 5, 20000);
    expect(runRef(ref, ['rx'], asBytes(speech)).toString()).toBe('');
    expect(detectDtmf(speech, 8000)).toBe('');
  });
});
