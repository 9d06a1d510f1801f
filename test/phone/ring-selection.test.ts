// Ring selection (policy/ring-selection.ts) and the ring types' sounds (handset/ring-types.ts),
// pure: settings built from each model's catalogue with manual parameter names, as a device
// builds them. A12: Alert Info Ring entries (forms of the Alert-Info header, case, parts, first
// entry wins), the line's Ring Type, the Default Ring Type. KX-UT670: the line key's ringtone.
// The 32 ring types sound different from each other; the ringer plays an uploaded A12 file.
import { describe, expect, it } from 'vitest';
import { fanvilA12Catalogue } from '../../firmware-sim/models/fanvil-a12/catalogue.js';
import { A12_LINES } from '../../firmware-sim/models/fanvil-a12/catalogue-helpers.js';
import { kxUt670Catalogue } from '../../firmware-sim/models/kx-ut670/catalogue.js';
import { unwrap } from '../../src/core/result.js';
import { goertzelAmplitude } from '../../src/codecs/goertzel.js';
import { encodeWav } from '../../src/codecs/wav.js';
import { pullFrames } from '../../src/codecs/audio-source.js';
import { tonePattern, toneFrequencies } from '../../src/codecs/tone-generator.js';
import type { Catalogue } from '../../src/settings/catalogue.js';
import { buildDeviceSettings } from '../../src/settings/build-canonical.js';
import type { DeviceSettings } from '../../src/settings/canonical.js';
import { alertInfoMatches, selectRing } from '../../src/phone/policy/ring-selection.js';
import { builtInRingType, RING_TYPE_COUNT, ringTypeSound, ringTypeSpec } from '../../src/phone/handset/ring-types.js';
import { checkRingFile, listRingFiles, ringFileName, ringFileSamples, saveRingFile } from '../../src/phone/handset/ring-files.js';
import { handsetToneSpec, ringerSource } from '../../src/phone/handset/handset-tones.js';
import { tempDir } from '../helpers/device.js';

function build(catalogue: Catalogue, shape: { lineCount: number; buttonCount: number }, values: Readonly<Record<string, string>>): DeviceSettings {
  for (const [n, v] of Object.entries(values)) expect(catalogue.validate(n, v).ok, `${n}=${v}`).toBe(true);
  return buildDeviceSettings(catalogue, shape, (n) => values[n] ?? catalogue.defaultOf(n)!);
}
const a12 = (values: Readonly<Record<string, string>> = {}) => build(fanvilA12Catalogue, { lineCount: A12_LINES, buttonCount: 0 }, values);
const kx = (values: Readonly<Record<string, string>> = {}) => build(kxUt670Catalogue, { lineCount: 6, buttonCount: 24 }, values);

const ALERTS = {
  'Alert1 Text': 'alert-internal',
  'Alert1 Ring Type': '3.wav',
  'Alert2 Text': 'Bellcore-dr2',
  'Alert2 Ring Type': '5.wav',
  'Alert3 Text': 'alert-1',
  'Alert3 Ring Type': '7.wav',
  'Alert4 Text': 'alert-10',
  'Alert4 Ring Type': '8.wav',
};

describe('A12 ring selection', () => {
  it('factory settings: every call rings with the Default Ring Type default.wav', () => {
    expect(selectRing({ dialect: 'a12', settings: a12(), line: 1, alertInfo: [] })).toEqual({ type: 'default.wav', by: 'default' });
    expect(selectRing({ dialect: 'a12', settings: a12(), line: 2, alertInfo: ['<http://127.0.0.1/Bellcore-dr2>'] })).toEqual({ type: 'default.wav', by: 'default' });
  });

  it('the line Ring Type, unless Default; the Default Ring Type for the other line', () => {
    const s = a12({ 'SIP1 Ring Type': '4.wav', 'Ring Type': '9.wav' });
    expect(selectRing({ dialect: 'a12', settings: s, line: 1, alertInfo: [] })).toEqual({ type: '4.wav', by: 'line' });
    expect(selectRing({ dialect: 'a12', settings: s, line: 2, alertInfo: [] })).toEqual({ type: '9.wav', by: 'default' });
    expect(selectRing({ dialect: 'a12', settings: a12({ 'SIP1 Ring Type': 'default' }), line: 1, alertInfo: [] }).by).toBe('default');
  });

  it('Alert-Info in its forms picks the mapped ring type, before the line and the default', () => {
    const s = a12({ ...ALERTS, 'SIP1 Ring Type': '4.wav' });
    const pick = (...alertInfo: string[]) => selectRing({ dialect: 'a12', settings: s, line: 1, alertInfo });
    expect(pick('<http://127.0.0.1/x.wav>;info=alert-internal')).toEqual({ type: '3.wav', by: 'alert-info', entry: 1 });
    expect(pick('<http://127.0.0.1/x.wav>;info="Alert-Internal"')).toEqual({ type: '3.wav', by: 'alert-info', entry: 1 });
    expect(pick('info=ALERT-INTERNAL')).toMatchObject({ type: '3.wav', entry: 1 });
    expect(pick('<http://127.0.0.1/Bellcore-dr2>')).toEqual({ type: '5.wav', by: 'alert-info', entry: 2 });
    expect(pick('<HTTP://127.0.0.1/BELLCORE-DR2>')).toMatchObject({ type: '5.wav', entry: 2 });
    // Several values in one header, or several headers: any of them.
    expect(pick('<http://a/none>, <http://127.0.0.1/Bellcore-dr2>')).toMatchObject({ entry: 2 });
    expect(pick('<http://a/none>', '<sip:x>;info=alert-internal')).toMatchObject({ entry: 1 });
    // alert-1 is not a part of alert-10 (glued to a digit); alert-10 picks its own entry.
    expect(pick('<http://a>;info=alert-10')).toEqual({ type: '8.wav', by: 'alert-info', entry: 4 });
    expect(pick('<http://a>;info=alert-1')).toEqual({ type: '7.wav', by: 'alert-info', entry: 3 });
    // No entry matches: the line's ring type; on a line without one, the default.
    expect(pick('<http://127.0.0.1/Bellcore-dr4>')).toEqual({ type: '4.wav', by: 'line' });
    expect(pick('<http://a>;info=alert-internally')).toEqual({ type: '4.wav', by: 'line' });
    expect(selectRing({ dialect: 'a12', settings: s, line: 2, alertInfo: ['<http://a>;info=alert-external'] })).toEqual({ type: 'default.wav', by: 'default' });
  });

  it('the first matching entry wins; an entry given with <> matches the bracketed URI', () => {
    const s = a12({ 'Alert5 Text': '<http://127.0.0.1/Bellcore-dr3>', 'Alert5 Ring Type': '6.wav', 'Alert6 Text': 'Bellcore-dr3', 'Alert6 Ring Type': '2.wav' });
    expect(selectRing({ dialect: 'a12', settings: s, line: 1, alertInfo: ['<http://127.0.0.1/Bellcore-dr3>'] })).toEqual({ type: '6.wav', by: 'alert-info', entry: 5 });
    expect(selectRing({ dialect: 'a12', settings: s, line: 1, alertInfo: ['<http://other/Bellcore-dr3>'] })).toEqual({ type: '2.wav', by: 'alert-info', entry: 6 });
  });

  it('alertInfoMatches: empty values match nothing; parts not glued to letters or digits', () => {
    expect(alertInfoMatches('<http://a>;info=alert-internal', '')).toBe(false);
    expect(alertInfoMatches('<http://a>;info=alert-internal', '  ')).toBe(false);
    expect(alertInfoMatches('<http://a>;info=alert-internal', 'internal')).toBe(true);
    expect(alertInfoMatches('<http://a>;info=alert-internal', 'intern')).toBe(false);
    expect(alertInfoMatches('<http://a>;info=alert-internal', 'info=alert-internal')).toBe(true);
  });
});

describe('KX-UT670 ring selection', () => {
  it('the ringtone of the line key of the call line (FLEX_BUTTON_FACILITY_ARGx "ringtone,line"); Alert-Info changes nothing', () => {
    const s = kx({ FLEX_BUTTON_FACILITY_ACT1: 'X_PANASONIC_IPTEL_DN', FLEX_BUTTON_FACILITY_ARG1: '7,1', FLEX_BUTTON_FACILITY_ACT2: 'X_PANASONIC_IPTEL_DN', FLEX_BUTTON_FACILITY_ARG2: '12,2', FLEX_BUTTON_FACILITY_ACT3: 'X_PANASONIC_IPTEL_DN', FLEX_BUTTON_FACILITY_ARG3: '30,2' });
    expect(selectRing({ dialect: 'kx-ut670', settings: s, line: 1, alertInfo: ['<http://a>;info=alert-internal'] })).toEqual({ type: '7', by: 'line', button: 1 });
    expect(selectRing({ dialect: 'kx-ut670', settings: s, line: 2, alertInfo: [] })).toEqual({ type: '12', by: 'line', button: 2 });
  });

  it('no line key for the line: ringtone 1', () => {
    const s = kx({ FLEX_BUTTON_FACILITY_ACT1: 'X_PANASONIC_IPTEL_DN', FLEX_BUTTON_FACILITY_ARG1: '7,1' });
    const buttons = s.buttons.filter((b) => b.action === 'line' && b.argument.endsWith(',3'));
    expect(buttons).toEqual([]);
    expect(selectRing({ dialect: 'kx-ut670', settings: s, line: 3, alertInfo: [] })).toEqual({ type: '1', by: 'default' });
  });
});

describe('ring types', () => {
  it('32 types, each with its own frequency pair and cadence; type 1 is the old ringer', () => {
    const seen = new Set<string>();
    for (let n = 1; n <= RING_TYPE_COUNT; n++) {
      const spec = ringTypeSpec(n)!;
      const key = `${toneFrequencies(spec).join('+')}/${tonePattern(spec).map((p) => `${p.on ? 'on' : 'off'}${p.ms}`).join(',')}`;
      expect(seen.has(key), `type ${n}`).toBe(false);
      seen.add(key);
    }
    expect(ringTypeSound(1)).toEqual({ frequenciesHz: [1000, 1200], cadenceMs: [2000, 4000] });
    expect(unwrap(handsetToneSpec(a12(), 'a12', 'ring'))).toEqual(ringTypeSpec(1));
    expect(ringTypeSpec(0)).toBeUndefined();
    expect(ringTypeSpec(33)).toBeUndefined();
  });

  it('names: A12 default.wav and N.wav, KX-UT670 numbers; others are not built in', () => {
    expect(builtInRingType('a12', 'default.wav')).toBe(1);
    expect(builtInRingType('a12', '12.WAV')).toBe(12);
    expect(builtInRingType('a12', '33.wav')).toBeUndefined();
    expect(builtInRingType('a12', 'door.wav')).toBeUndefined();
    expect(builtInRingType('a12', '7')).toBeUndefined();
    expect(builtInRingType('kx-ut670', '7')).toBe(7);
    expect(builtInRingType('kx-ut670', '7.wav')).toBeUndefined();
  });

  it('the ringer plays the chosen type: its frequencies sound, type 1 frequencies do not', () => {
    const x = pullFrames(ringerSource('kx-ut670', '10', tempDir(), 16000), 20); // 400 ms: the first "on" of the double ring
    const [f1, f2] = ringTypeSound(10)!.frequenciesHz;
    expect(goertzelAmplitude(x, f1, 16000)).toBeGreaterThan(1000);
    expect(goertzelAmplitude(x, f2, 16000)).toBeGreaterThan(1000);
    expect(goertzelAmplitude(x, 1000, 16000)).toBeLessThan(100);
    // An unknown name rings with type 1.
    expect(goertzelAmplitude(pullFrames(ringerSource('a12', 'nothing.wav', tempDir(), 16000), 20), 1000, 16000)).toBeGreaterThan(1000);
  });
});

describe('A12 ring files', () => {
  const sine = (hz: number, rate: number, ms: number) => Int16Array.from({ length: (rate * ms) / 1000 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / rate)));

  it('a stored WAV (8 kHz, played at 16 kHz) is the ringer of its name, looped; it replaces the built-in of the same name', () => {
    const dir = tempDir();
    expect(saveRingFile(dir, 'door.wav', encodeWav(sine(700, 8000, 300), 8000)).ok).toBe(true);
    expect(saveRingFile(dir, '3.wav', encodeWav(sine(1900, 16000, 200), 16000, 'ulaw')).ok).toBe(true);
    expect(listRingFiles(dir).map((f) => [f.name, f.sampleRate, f.format, f.durationMs])).toEqual([
      ['3.wav', 16000, 'ulaw', 200],
      ['door.wav', 8000, 'pcm16', 300],
    ]);
    const x = pullFrames(ringerSource('a12', 'door.wav', dir, 16000), 50); // 1 s: the 300 ms file looped
    for (let at = 0; at + 320 <= x.length; at += 320) expect(goertzelAmplitude(x, 700, 16000, at, 320), `block ${at / 320}`).toBeGreaterThan(3000);
    const y = pullFrames(ringerSource('a12', '3.wav', dir, 16000), 10);
    expect(goertzelAmplitude(y, 1900, 16000)).toBeGreaterThan(3000);
    expect(goertzelAmplitude(y, ringTypeSound(3)!.frequenciesHz[0], 16000)).toBeLessThan(100);
    // A KX-UT670 has no ring files: its ringtone 3 stays the built-in one.
    expect(goertzelAmplitude(pullFrames(ringerSource('kx-ut670', '3', dir, 16000), 10), 1900, 16000)).toBeLessThan(100);
    expect(ringFileSamples(dir, 'absent.wav', 16000)).toBeUndefined();
  });

  it('refuses what it cannot play, with the reason', () => {
    expect(checkRingFile('x.wav', Buffer.from('ID3\x04 not a wav at all')).ok).toBe(false);
    const r = checkRingFile('x.wav', encodeWav(sine(700, 44100, 100), 44100));
    expect(r).toMatchObject({ ok: false, error: { code: 'RINGTONE_BAD_WAV' } });
    expect(!r.ok && r.error.message).toContain('44100 Hz');
    expect(checkRingFile('x.wav', encodeWav(new Int16Array(0), 8000))).toMatchObject({ ok: false, error: { code: 'RINGTONE_BAD_WAV' } });
    expect(ringFileName('song.mp3')).toMatchObject({ ok: false, error: { code: 'RINGTONE_UNSUPPORTED' } });
    expect(ringFileName('../etc.wav')).toMatchObject({ ok: false, error: { code: 'RINGTONE_BAD_NAME' } });
    expect(ringFileName('7')).toEqual({ ok: true, value: '7.wav' });
  });
});

