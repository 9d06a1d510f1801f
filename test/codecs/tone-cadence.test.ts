import { describe, expect, it } from 'vitest';
import { fanvilA12Catalogue } from '../../firmware-sim/models/fanvil-a12/catalogue.js';
import { TONE_KEYS } from '../../firmware-sim/models/fanvil-a12/catalogue-intercom.js';
import { unwrap } from '../../src/core/result.js';
import { goertzelAmplitude } from '../../src/codecs/goertzel.js';
import {
  CUSTOM_TONE_AREA,
  MAX_CADENCES,
  PRESET_TONE_KINDS,
  TONE_PRESETS,
  a12Tone,
  a12ToneCadence,
  formatToneCadence,
  parseToneCadence,
} from '../../src/codecs/tone-cadence.js';
import { renderTone, tonePattern, toneFrequencies } from '../../src/codecs/tone-generator.js';
import { US_TONE_CADENCES } from '../../src/settings/canonical-intercom.js';

describe('A12 9.22 tone grammar', () => {
  it('parses the manual forms: mixed, modulated, silent, held', () => {
    expect(unwrap(parseToneCadence('350+440/0'))).toEqual({
      gainDb: 0,
      segments: [
        {
          components: [
            { freqHz: 350, levelDb: 0 },
            { freqHz: 440, levelDb: 0 },
          ],
          durationMs: Infinity,
          once: false,
        },
      ],
    });
    const ring = unwrap(parseToneCadence('440+480/2000,0/4000'));
    expect(tonePattern(ring)).toEqual([
      { on: true, ms: 2000 },
      { on: false, ms: 4000 },
    ]);
    const howler = unwrap(parseToneCadence('1400+2060+2450+2600/100,0/100'));
    expect(toneFrequencies(howler)).toEqual([1400, 2060, 2450, 2600]);
    const mod = unwrap(parseToneCadence('425*25/1000,0/4000'));
    expect(mod.segments[0]).toMatchObject({ components: [{ freqHz: 425 }], modulationHz: 25, durationMs: 1000 });
    // Extensions: one-shot and per-frequency gain; whitespace around items is tolerated.
    const ext = unwrap(parseToneCadence(' !350@-6+440@3/100 , !0/100, 350+440/0'));
    expect(ext.segments.map((s) => s.once)).toEqual([true, true, false]);
    expect(ext.segments[0]!.components).toEqual([
      { freqHz: 350, levelDb: -6 },
      { freqHz: 440, levelDb: 3 },
    ]);
  });

  it('parses every default tone string of the A12 catalogue (the US set) and renders it', () => {
    expect(TONE_KEYS.length).toBe(16);
    for (const [key, canonical, def] of TONE_KEYS) {
      expect(US_TONE_CADENCES[canonical], key).toBe(def);
      const spec = unwrap(parseToneCadence(def));
      expect(formatToneCadence(spec)).toBe(def);
      const x = renderTone(spec, 8000, 2000);
      expect(x.some((v) => v !== 0), key).toBe(true);
    }
    // "0/0" at the end stops the tone in silence: call waiting beeps twice, then nothing.
    const cw = renderTone(unwrap(parseToneCadence(US_TONE_CADENCES.callWaiting!)), 8000, 40000);
    const beeps = (from: number, to: number): number => goertzelAmplitude(cw, 440, 8000, from * 8, (to - from) * 8);
    expect(beeps(0, 300)).toBeGreaterThan(1000);
    expect(beeps(10300, 10600)).toBeGreaterThan(1000);
    expect(cw.subarray(20600 * 8).every((v) => v === 0)).toBe(true);
  });

  it('rejects malformed strings with a clear message', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /empty tone string/],
      ['350+440', /cadence 1 "350\+440": missing "\/Duration"/],
      ['350+440/abc', /duration "abc" is not a whole number/],
      ['350/40000', /duration 40000 ms outside 0-30000/],
      ['350/-5', /duration -5 ms outside/],
      ['5000/100', /frequency 5000 Hz outside 200-4000 \(0 = silence\)/],
      ['100/100', /frequency 100 Hz outside/],
      ['abc/100', /frequency "abc" is not a whole number/],
      ['350+440+480+620+700/0', /5 frequencies, at most 4/],
      ['350++440/0', /empty frequency around "\+"/],
      ['350*440+480/100', /"\+" and "\*" cannot be combined/],
      ['350*25*2/100', /only one "\*"/],
      ['0*25/100', /needs a carrier frequency/],
      ['350*0/100', /modulating frequency 0 Hz outside 1-4000/],
      ['350/100/200', /more than one "\/"/],
      ['/100', /no frequency before "\/"/],
      ['350/0,', /cadence 2 is empty/],
      [',350/0', /cadence 1 is empty/],
      ['350@-99/0', /gain -99 dB outside -60..6/],
      ['350@x/0', /gain "x" is not a whole number of dB/],
      [Array.from({ length: MAX_CADENCES + 1 }, () => '440/100').join(','), /9 cadences, at most 8/],
    ];
    for (const [text, message] of cases) {
      const r = parseToneCadence(text);
      expect(r.ok, text).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('TONE_BAD_CADENCE');
        expect(r.error.message, text).toMatch(/^tone: /);
        expect(r.error.message, text).toMatch(message);
      }
    }
  });
});

describe('country tone sets', () => {
  const areaRule = fanvilA12Catalogue.lookup('Select Your Tone')!.def.rule;
  const areas = areaRule.kind === 'enum' ? areaRule.values.filter((a) => a !== CUSTOM_TONE_AREA) : [];

  it('cover every area of the A12 catalogue, at least US, UK, DE, FR, CN, JP', () => {
    expect(areas.length).toBeGreaterThan(30);
    expect(Object.keys(TONE_PRESETS).sort()).toEqual([...areas].sort());
    for (const a of ['US', 'GB', 'DE', 'FR', 'CN', 'JP']) expect(TONE_PRESETS[a]).toBeDefined();
  });

  it('every preset parses within the manual limits and the plain ones pass the catalogue rule', () => {
    const toneRule = fanvilA12Catalogue.lookup('Dial Tone')!.def.rule;
    for (const [area, set] of Object.entries(TONE_PRESETS)) {
      for (const kind of PRESET_TONE_KINDS) {
        const text = set[kind];
        const spec = unwrap(parseToneCadence(text));
        expect(spec.segments.length, `${area} ${kind}`).toBeLessThanOrEqual(MAX_CADENCES);
        expect(formatToneCadence(spec)).toBe(text);
        // Modulated tones use a modulating frequency under 200 Hz (DEVIATION in tone-cadence.ts).
        if (!text.includes('*') && toneRule.kind === 'string') expect(toneRule.pattern!.test(text), `${area} ${kind}: ${text}`).toBe(true);
        const x = renderTone(spec, 8000, 1500);
        expect(x.some((v) => v !== 0), `${area} ${kind}`).toBe(true);
      }
      // A dial tone sounds at once; busy and congestion are cadenced.
      expect(unwrap(parseToneCadence(set.dial)).segments[0]!.components.length, area).toBeGreaterThan(0);
      expect(tonePattern(unwrap(parseToneCadence(set.busy))).length, area).toBeGreaterThanOrEqual(2);
    }
    expect(TONE_PRESETS.DE).toMatchObject({ dial: '425/0', busy: '425/480,0/480', ringback: '425/1000,0/4000' });
    expect(TONE_PRESETS.GB).toMatchObject({ dial: '350+440/0', ringback: '400+450/400,0/200,400+450/400,0/2000', busy: '400/375,0/375' });
    expect(TONE_PRESETS.FR).toMatchObject({ dial: '440/0', ringback: '440/1500,0/3500' });
    expect(TONE_PRESETS.CN).toMatchObject({ dial: '450/0', busy: '450/350,0/350' });
    expect(TONE_PRESETS.JP).toMatchObject({ dial: '400/0', ringback: '400*16/1000,0/2000' });
    expect(TONE_PRESETS.US).toMatchObject({ dial: US_TONE_CADENCES.dial, callWaiting: US_TONE_CADENCES.callWaiting });
  });

  it('the area selects the set; Custom uses the configured strings, empty ones fall back to US', () => {
    const custom = { area: 'Custom', cadences: { ...US_TONE_CADENCES, dial: '425/0', busy: '' } };
    expect(a12ToneCadence(custom, 'dial')).toBe('425/0');
    expect(a12ToneCadence(custom, 'busy')).toBe(US_TONE_CADENCES.busy);
    const de = { area: 'DE', cadences: { ...US_TONE_CADENCES } };
    expect(a12ToneCadence(de, 'busy')).toBe('425/480,0/480');
    expect(a12ToneCadence(de, 'error')).toBe('425/240,0/240');
    expect(a12ToneCadence(de, 'howler')).toBe(US_TONE_CADENCES.howler);
    expect(a12ToneCadence(de, 'nope')).toBeUndefined();
    expect(a12Tone(de, 'nope')).toMatchObject({ ok: false, error: { code: 'TONE_UNKNOWN' } });
    expect(a12Tone({ area: 'Custom', cadences: { dial: '99999/0' } }, 'dial')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/area Custom, tone dial/) } });
    const x = renderTone(unwrap(a12Tone(de, 'dial')), 8000, 500);
    expect(goertzelAmplitude(x, 425, 8000)).toBeGreaterThan(1000);
  });
});
