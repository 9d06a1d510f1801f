import { describe, expect, it } from 'vitest';
import { kxUt670Catalogue } from '../../firmware-sim/models/kx-ut670/catalogue.js';
import { unwrap } from '../../src/core/result.js';
import { goertzelAmplitude, goertzelPower, GoertzelBank } from '../../src/codecs/goertzel.js';
import { dbm0ToDbfs, measureRmsDbfs, sineAmplitudeForDbm0 } from '../../src/codecs/level.js';
import type { ToneSpec, TimingOrder } from '../../src/codecs/tone-generator.js';
import {
  KX_UT670_TIMING_ORDER,
  TONE_NOMINAL_DBM0,
  ToneGenerator,
  kxUt670Tone,
  kxUt670Tones,
  renderTone,
  toneFromTimings,
  tonePattern,
} from '../../src/codecs/tone-generator.js';
import { buildDeviceSettings } from '../../src/settings/build-canonical.js';
import { defaultDeviceSettings } from '../../src/settings/canonical.js';

const kxDefaults = buildDeviceSettings(kxUt670Catalogue, { lineCount: 6, buttonCount: 24 }, (name) => kxUt670Catalogue.defaultOf(name)!);

function db(ratio: number): number {
  return 20 * Math.log10(ratio);
}

/** Expected on/off state of every sample, expanded independently of the generator. */
function expectedMask(timingMs: readonly number[], order: TimingOrder, sampleRate: number, length: number): Uint8Array {
  const mask = new Uint8Array(length);
  let n = 0;
  while (n < length) {
    for (let i = 0; i < timingMs.length && n < length; i++) {
      const on = order === 'on-first' ? i % 2 === 0 : i % 2 === 1;
      const count = timingMs[i] === 0 ? length - n : (timingMs[i]! * sampleRate) / 1000;
      mask.fill(on ? 1 : 0, n, Math.min(length, n + count));
      n += count;
    }
  }
  return mask;
}

describe('Goertzel', () => {
  it('measures the amplitude of a sine on and off its bin', () => {
    const x = Float64Array.from({ length: 800 }, (_, i) => 1000 * Math.sin((2 * Math.PI * 440 * i) / 8000));
    expect(goertzelAmplitude(x, 440, 8000)).toBeCloseTo(1000, -1);
    expect(goertzelAmplitude(x, 620, 8000)).toBeLessThan(20);
    const bank = new GoertzelBank([440, 620], 8000);
    bank.update(x, 0, 400);
    bank.update(x, 400, 800);
    expect(bank.power(0)).toBeCloseTo(goertzelPower(x, 440, 8000), 3);
  });
});

describe('tone generator', () => {
  it('KX-UT670 dial tone: 350 + 440 Hz, each at the nominal level, after 60 ms off', () => {
    for (const rate of [8000, 16000]) {
      const tone = unwrap(kxUt670Tone('dial', kxDefaults.tones.dial!));
      const x = renderTone(tone, rate, 1060);
      const off = (60 * rate) / 1000;
      expect(x.subarray(0, off).every((v) => v === 0)).toBe(true);
      const want = sineAmplitudeForDbm0(TONE_NOMINAL_DBM0);
      for (const f of [350, 440]) expect(Math.abs(db(goertzelAmplitude(x, f, rate, off, rate) / want))).toBeLessThan(0.1);
      for (const f of [480, 620, 1000]) expect(goertzelAmplitude(x, f, rate, off, rate)).toBeLessThan(want / 100);
      // Two equal sines at -13 dBm0 each: -10 dBm0 together.
      expect(measureRmsDbfs(x.subarray(off))).toBeCloseTo(dbm0ToDbfs(TONE_NOMINAL_DBM0 + 10 * Math.log10(2)), 1);
    }
  });

  it('_GAIN moves the level by its dB value (KX-UT670 5.6.2: -24..6)', () => {
    const ref = renderTone(unwrap(toneFromTimings([1000], 0, [0, 0], 'off-first')), 8000, 10);
    expect(ref.every((v) => v === 0)).toBe(true); // off for ever: "0: Infinite time"
    for (const gain of [-24, -12, -6, 0, 3, 6]) {
      const x = renderTone(unwrap(toneFromTimings([1000], gain, [0], 'on-first')), 8000, 500);
      expect(db(goertzelAmplitude(x, 1000, 8000) / sineAmplitudeForDbm0(TONE_NOMINAL_DBM0))).toBeCloseTo(gain, 1);
    }
  });

  it('cadences are exact to the sample, with phase continuity across on-segments', () => {
    const timing = [60, 500, 440]; // BUSY_TONE_TIMING default, off-first
    const spec = unwrap(toneFromTimings([480, 620], 0, timing, 'off-first'));
    for (const rate of [8000, 16000]) {
      const x = renderTone(spec, rate, 3000);
      const mask = expectedMask(timing, 'off-first', rate, x.length);
      const amp = sineAmplitudeForDbm0(TONE_NOMINAL_DBM0);
      let onCount = 0;
      let worst = 0;
      let noisyOff = -1;
      for (let n = 0; n < x.length; n++) {
        if (!mask[n]) {
          if (x[n] !== 0 && noisyOff < 0) noisyOff = n;
          continue;
        }
        const ideal = amp * Math.sin((2 * Math.PI * 480 * onCount) / rate) + amp * Math.sin((2 * Math.PI * 620 * onCount) / rate);
        worst = Math.max(worst, Math.abs(x[n]! - ideal));
        onCount++;
      }
      expect(noisyOff).toBe(-1);
      expect(worst).toBeLessThanOrEqual(1);
      expect(onCount).toBe(Math.round((3 * 500 * rate) / 1000)); // 3 periods of 1 s → 1.5 s on
    }
  });

  it('renders the same signal in 20 ms frames as in one call', () => {
    const spec = unwrap(kxUt670Tone('callWaiting', kxDefaults.tones.callWaiting!));
    const whole = renderTone(spec, 8000, 2000);
    const gen = new ToneGenerator(spec, 8000);
    const framed = new Int16Array(whole.length);
    for (let i = 0; i < framed.length; i += 160) gen.fill(framed, i, i + 160);
    expect(framed).toEqual(whole);
    gen.reset();
    const again = new Int16Array(whole.length);
    gen.fill(again);
    expect(again).toEqual(whole);
  });

  it('every KX-UT670 default tone of the catalogue renders with its own timing order', () => {
    const tones = unwrap(kxUt670Tones(kxDefaults.tones));
    expect(Object.keys(tones).sort()).toEqual(Object.keys(KX_UT670_TIMING_ORDER).sort());
    for (const [name, settings] of Object.entries(kxDefaults.tones)) {
      const order = KX_UT670_TIMING_ORDER[name]!;
      for (const rate of [8000, 16000]) {
        const x = renderTone(tones[name]!, rate, 16000);
        const mask = expectedMask(settings.timingMs, order, rate, x.length);
        let onSamples = 0;
        let noisyOff = -1;
        for (let n = 0; n < x.length; n++) {
          if (mask[n]) onSamples++;
          else if (x[n] !== 0 && noisyOff < 0) noisyOff = n;
        }
        expect(noisyOff, `${name}: first sample that should be silent`).toBe(-1);
        expect(onSamples, name).toBeGreaterThan(0);
        // The frequencies of the setting are there, at the nominal level plus the gain.
        const firstOn = mask.indexOf(1);
        let runEnd = firstOn;
        while (runEnd < mask.length && mask[runEnd]) runEnd++;
        const len = Math.min(runEnd - firstOn, rate);
        for (const f of settings.frequenciesHz.filter((v) => v > 0)) {
          const a = goertzelAmplitude(x, f, rate, firstOn, len);
          expect(Math.abs(db(a / sineAmplitudeForDbm0(TONE_NOMINAL_DBM0 + settings.gainDb))), `${name} ${f} Hz`).toBeLessThan(0.5);
        }
      }
    }
    // The two on-first tones start sounding at once; the others after their off 1.
    expect(renderTone(tones.holdAlarm!, 8000, 1)[1]).not.toBe(0);
    expect(renderTone(tones.callWaiting!, 8000, 1)[1]).not.toBe(0);
    expect(renderTone(tones.hold!, 8000, 500).every((v) => v === 0)).toBe(true);
  });

  it('matches the canonical defaults: the catalogue and defaultDeviceSettings agree on the tones', () => {
    expect(kxDefaults.tones).toEqual(defaultDeviceSettings(6, 24).tones);
    // garbled place 1: DIAL_TONE4_TIMING rebuilt as 560, 20 × 100, 0 → ten 100 ms bursts, then steady.
    const stutter = unwrap(kxUt670Tone('stutter', kxDefaults.tones.stutter!));
    expect(tonePattern(stutter, false)).toEqual([{ on: false, ms: 560 }, ...Array.from({ length: 20 }, (_, i) => ({ on: i % 2 === 0, ms: 100 })), { on: true, ms: Infinity }]);
  });

  it('a single frequency (garbled place 11: HOLD_ALARM/CW_TONE1/HOLD_TONE default 425) and "0: No tone"', () => {
    const x = renderTone(unwrap(toneFromTimings([425], 0, [0], 'on-first')), 8000, 500);
    expect(goertzelAmplitude(x, 425, 8000)).toBeGreaterThan(sineAmplitudeForDbm0(TONE_NOMINAL_DBM0) * 0.95);
    expect(renderTone(unwrap(toneFromTimings([0], 0, [0], 'on-first')), 8000, 100).every((v) => v === 0)).toBe(true);
    expect(renderTone(unwrap(toneFromTimings([0, 440], 0, [0], 'on-first')), 8000, 100).some((v) => v !== 0)).toBe(true);
  });

  it('rejects bad settings with a Result', () => {
    expect(toneFromTimings([350, 440], 0, [], 'off-first')).toMatchObject({ ok: false, error: { code: 'TONE_BAD_SETTING' } });
    expect(toneFromTimings([350], 0, [-1], 'off-first').ok).toBe(false);
    expect(toneFromTimings([350], 0, [1.5], 'off-first').ok).toBe(false);
    expect(toneFromTimings([1, 2, 3, 4, 5], 0, [0], 'off-first').ok).toBe(false);
    expect(toneFromTimings([-5], 0, [0], 'off-first').ok).toBe(false);
    expect(toneFromTimings([440], Number.NaN, [0], 'off-first').ok).toBe(false);
    expect(kxUt670Tone('nope', { frequenciesHz: [440], gainDb: 0, timingMs: [0] })).toMatchObject({ ok: false, error: { code: 'TONE_UNKNOWN' } });
    expect(kxUt670Tones({ ...kxDefaults.tones, busy: { frequenciesHz: [480], gainDb: 0, timingMs: [] } })).toMatchObject({ ok: false });
  });

  it('one-shot segments play once, modulation makes side bands, saturation instead of wrap-around', () => {
    const spec: ToneSpec = {
      gainDb: 0,
      segments: [
        { components: [{ freqHz: 1000, levelDb: 0 }], durationMs: 100, once: true },
        { components: [], durationMs: 100, once: true },
        { components: [{ freqHz: 500, levelDb: 0 }], durationMs: 100, once: false },
        { components: [], durationMs: 100, once: false },
      ],
    };
    const x = renderTone(spec, 8000, 1000);
    expect(goertzelAmplitude(x, 1000, 8000, 0, 800)).toBeGreaterThan(1000);
    expect(goertzelAmplitude(x, 1000, 8000, 1600, 6400)).toBeLessThan(50);
    expect(x.subarray(1600, 2400).some((v) => v !== 0)).toBe(true); // 500 Hz on again at 200-300 ms of the repeat
    const finite: ToneSpec = { gainDb: 0, segments: [{ components: [{ freqHz: 440, levelDb: 0 }], durationMs: 50, once: true }] };
    const gen = new ToneGenerator(finite, 8000);
    const buf = new Int16Array(800);
    expect(gen.fill(buf)).toBe(400);
    expect(gen.done).toBe(true);
    expect(buf.subarray(400).every((v) => v === 0)).toBe(true);

    const am: ToneSpec = { gainDb: 0, segments: [{ components: [{ freqHz: 400, levelDb: 0 }], modulationHz: 25, durationMs: Infinity, once: false }] };
    const y = renderTone(am, 8000, 1000);
    const carrier = goertzelAmplitude(y, 400, 8000);
    expect(goertzelAmplitude(y, 425, 8000) / carrier).toBeCloseTo(0.45, 1); // depth 0.9 → side bands at 0.45
    expect(goertzelAmplitude(y, 375, 8000) / carrier).toBeCloseTo(0.45, 1);

    const loud: ToneSpec = { gainDb: 6, segments: [{ components: [1400, 2060, 2450, 2600].map((freqHz) => ({ freqHz, levelDb: 6 })), durationMs: Infinity, once: false }] };
    const z = renderTone(loud, 8000, 200);
    expect(Math.max(...z)).toBe(32767);
    expect(Math.min(...z)).toBe(-32768);
    expect(() => new ToneGenerator({ gainDb: 0, segments: [{ components: [{ freqHz: 5000, levelDb: 0 }], durationMs: 10, once: false }] }, 8000)).toThrow(RangeError);
  });
});
