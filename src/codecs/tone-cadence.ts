// Fanvil A12 tone strings (manual 9.22 "Intercom settings >> Tone") and the country tone sets
// the "Select Your Tone" area picks.
//
// The manual's grammar is broken across lines (catalog README, A12 garbled place 12); rebuilt:
//
//   tone     = cadence *("," cadence)                  ; at most eight cadences
//   cadence  = ["!"] freqs "/" duration
//   freqs    = freq *3("+" freq)                       ; up to four frequencies mixed
//            / freq "*" modfreq                         ; Freq1 modulated by Freq2
//   freq     = hz ["@" gain]                            ; 0 (silence) or 200-4000 Hz
//   duration = 0-30000                                  ; ms; 0 holds the cadence for ever
//
// "Duration: ... If it is set to 0, it means the tone is stopped": the list stops advancing, so
// `350+440/0` is a continuous dial tone and a trailing `0/0` ends the tone in silence (the US
// call-waiting default `440/300,0/10000,440/300,0/10000,0/0` beeps twice). The whole list
// repeats otherwise. Extensions to the manual, as other Fanvil/Asterisk-style tone strings use
// them: `!` plays a cadence on the first pass only; `@gain` sets one frequency's level in dB
// relative to the nominal tone level (tone-generator.ts), -60..+6.

import type { Result } from '../core/result.js';
import { failure, ok } from '../core/result.js';
import { US_TONE_CADENCES } from '../settings/canonical-intercom.js';
import type { ToneComponent, ToneSegment, ToneSpec } from './tone-generator.js';

export const MAX_CADENCES = 8;
export const MAX_CADENCE_FREQUENCIES = 4;
export const MIN_TONE_HZ = 200;
export const MAX_TONE_HZ = 4000;
export const MAX_CADENCE_MS = 30000;
/**
 * DEVIATION: the manual's 200-4000 Hz range is for tone frequencies; a modulating frequency
 * (`Freq1*Freq2`) may be as low as 1 Hz, as the national tones that use modulation need
 * (16 Hz in Japan, 24-33 Hz in India, Singapore, South Africa; ITU-T E.180 Supplement 2).
 */
export const MIN_MODULATION_HZ = 1;
export const MIN_GAIN_DB = -60;
export const MAX_GAIN_DB = 6;

function bad(message: string): { readonly ok: false; readonly error: { code: string; message: string } } {
  return failure('TONE_BAD_CADENCE', `tone: ${message}`);
}

const NUMBER = /^-?[0-9]+$/;

function parseNumber(text: string): number | undefined {
  const t = text.trim();
  return NUMBER.test(t) ? Number(t) : undefined;
}

function parseFreq(text: string, where: string): Result<ToneComponent> {
  const at = text.indexOf('@');
  const hzText = at < 0 ? text : text.slice(0, at);
  const hz = parseNumber(hzText);
  if (hz === undefined) return bad(`${where}: frequency ${JSON.stringify(hzText.trim())} is not a whole number of Hz`);
  if (hz !== 0 && (hz < MIN_TONE_HZ || hz > MAX_TONE_HZ)) return bad(`${where}: frequency ${hz} Hz outside ${MIN_TONE_HZ}-${MAX_TONE_HZ} (0 = silence)`);
  let levelDb = 0;
  if (at >= 0) {
    const g = parseNumber(text.slice(at + 1));
    if (g === undefined) return bad(`${where}: gain ${JSON.stringify(text.slice(at + 1).trim())} is not a whole number of dB`);
    if (g < MIN_GAIN_DB || g > MAX_GAIN_DB) return bad(`${where}: gain ${g} dB outside ${MIN_GAIN_DB}..${MAX_GAIN_DB}`);
    levelDb = g;
  }
  return ok({ freqHz: hz, levelDb });
}

function parseCadence(raw: string, index: number): Result<ToneSegment> {
  let text = raw.trim();
  const where = `cadence ${index} ${JSON.stringify(text)}`;
  if (text === '') return bad(`cadence ${index} is empty (stray comma?)`);
  let once = false;
  if (text.startsWith('!')) {
    once = true;
    text = text.slice(1).trim();
  }
  const slash = text.indexOf('/');
  if (slash < 0) return bad(`${where}: missing "/Duration" (e.g. 350+440/0)`);
  if (text.indexOf('/', slash + 1) >= 0) return bad(`${where}: more than one "/"`);
  const durationText = text.slice(slash + 1);
  const duration = parseNumber(durationText);
  if (duration === undefined) return bad(`${where}: duration ${JSON.stringify(durationText.trim())} is not a whole number of ms`);
  if (duration < 0 || duration > MAX_CADENCE_MS) return bad(`${where}: duration ${duration} ms outside 0-${MAX_CADENCE_MS}`);
  const freqText = text.slice(0, slash);
  if (freqText.trim() === '') return bad(`${where}: no frequency before "/"`);
  const hasPlus = freqText.includes('+');
  const star = freqText.indexOf('*');
  let components: ToneComponent[];
  let modulationHz: number | undefined;
  if (star >= 0) {
    if (hasPlus) return bad(`${where}: "+" and "*" cannot be combined (Freq1*Freq2 modulates one frequency)`);
    if (freqText.indexOf('*', star + 1) >= 0) return bad(`${where}: only one "*" (Freq1*Freq2)`);
    const carrier = parseFreq(freqText.slice(0, star), where);
    if (!carrier.ok) return carrier;
    const m = parseNumber(freqText.slice(star + 1));
    if (m === undefined) return bad(`${where}: modulating frequency ${JSON.stringify(freqText.slice(star + 1).trim())} is not a whole number of Hz`);
    if (m < MIN_MODULATION_HZ || m > MAX_TONE_HZ) return bad(`${where}: modulating frequency ${m} Hz outside ${MIN_MODULATION_HZ}-${MAX_TONE_HZ}`);
    if (carrier.value.freqHz === 0) return bad(`${where}: a modulated tone needs a carrier frequency, not 0`);
    components = [carrier.value];
    modulationHz = m;
  } else {
    const parts = freqText.split('+');
    if (parts.length > MAX_CADENCE_FREQUENCIES) return bad(`${where}: ${parts.length} frequencies, at most ${MAX_CADENCE_FREQUENCIES}`);
    components = [];
    for (const p of parts) {
      if (p.trim() === '') return bad(`${where}: empty frequency around "+"`);
      const c = parseFreq(p, where);
      if (!c.ok) return c;
      if (c.value.freqHz > 0) components.push(c.value);
    }
  }
  const segment: ToneSegment = { components, durationMs: duration === 0 ? Infinity : duration, once };
  return ok(modulationHz === undefined ? segment : { ...segment, modulationHz });
}

/** Parses an A12 9.22 tone string into a ToneSpec (gain 0 dB). */
export function parseToneCadence(text: string): Result<ToneSpec> {
  if (text.trim() === '') return bad('empty tone string (expected cadence[,cadence]..., e.g. 350+440/0)');
  const parts = text.split(',');
  if (parts.length > MAX_CADENCES) return bad(`${parts.length} cadences, at most ${MAX_CADENCES}`);
  const segments: ToneSegment[] = [];
  for (let i = 0; i < parts.length; i++) {
    const s = parseCadence(parts[i]!, i + 1);
    if (!s.ok) return s;
    segments.push(s.value);
  }
  return ok({ segments, gainDb: 0 });
}

/** Writes a ToneSpec back in the 9.22 grammar (held segments as `/0`). Gain other than 0 is not expressible. */
export function formatToneCadence(spec: ToneSpec): string {
  return spec.segments
    .map((s) => {
      const freqs = s.components.length === 0 ? '0' : s.components.map((c) => (c.levelDb !== 0 ? `${c.freqHz}@${c.levelDb}` : String(c.freqHz))).join('+');
      const mod = s.modulationHz !== undefined ? `*${s.modulationHz}` : '';
      return `${s.once ? '!' : ''}${freqs}${mod}/${s.durationMs === Infinity ? 0 : s.durationMs}`;
    })
    .join(',');
}

// ---------------------------------------------------------------------------------------------
// Country tone sets

/** The tones every country set defines (the call-progress tones of ITU-T E.180). */
export type PresetToneKind = 'dial' | 'ringback' | 'busy' | 'congestion' | 'callWaiting';
export const PRESET_TONE_KINDS: readonly PresetToneKind[] = ['dial', 'ringback', 'busy', 'congestion', 'callWaiting'];

type ToneSet = Readonly<Record<PresetToneKind, string>>;

function set(dial: string, ringback: string, busy: string, congestion: string, callWaiting: string): ToneSet {
  return { dial, ringback, busy, congestion, callWaiting };
}

const NANP = set('350+440/0', '440+480/2000,0/4000', '480+620/500,0/500', '480+620/250,0/250', '440/300,0/10000');

/**
 * Country tone sets for the A12 "Select Your Tone" areas (ISO 3166 codes as in the A12
 * catalogue), written in the 9.22 grammar. Frequencies and cadences follow ITU-T E.180
 * Supplement 2 ("Various tones used in national networks") and the national specifications it
 * lists; where a country's call-waiting tone is a one-off burst, the set repeats it, and sets
 * are cut to the manual's eight cadences. US is the A12 default set of the catalogue
 * (US_TONE_CADENCES); CA follows it (NANP).
 */
export const TONE_PRESETS: Readonly<Record<string, ToneSet>> = {
  AT: set('420/0', '420/1000,0/5000', '420/400,0/400', '420/200,0/200', '420/40,0/1960'),
  AU: set('413+438/0', '413+438/400,0/200,413+438/400,0/2000', '425/375,0/375', '425/375,0/375,420/375,0/375', '425/200,0/200,425/200,0/4400'),
  BE: set('425/0', '425/1000,0/3000', '425/500,0/500', '425/167,0/167', '1400/175,0/175,1400/175,0/3500'),
  BR: set('425/0', '425/1000,0/4000', '425/250,0/250', '425/250,0/250,425/750,0/250', '425/50,0/1000'),
  CA: NANP,
  CH: set('425/0', '425/1000,0/4000', '425/500,0/500', '425/200,0/200', '425/200,0/200,425/200,0/4000'),
  CL: set('400/0', '400/1000,0/3000', '400/500,0/500', '400/200,0/200', '400/250,0/8750'),
  CN: set('450/0', '450/1000,0/4000', '450/350,0/350', '450/700,0/700', '450/400,0/4000'),
  CZ: set('425/330,0/330,425/660,0/660', '425/1000,0/4000', '425/330,0/330', '425/165,0/165', '425/330,0/9000'),
  DE: set('425/0', '425/1000,0/4000', '425/480,0/480', '425/240,0/240', '425/200,0/200,425/200,0/5000'),
  DK: set('425/0', '425/1000,0/4000', '425/500,0/500', '425/200,0/200', '425/200,0/600,425/200,0/3000'),
  ES: set('425/0', '425/1500,0/3000', '425/200,0/200', '425/200,0/200,425/200,0/200,425/200,0/600', '425/175,0/175,425/175,0/3500'),
  FI: set('425/0', '425/1000,0/4000', '425/300,0/300', '425/200,0/200', '425/150,0/150,425/150,0/8000'),
  FR: set('440/0', '440/1500,0/3500', '440/500,0/500', '440/250,0/250', '440/300,0/10000'),
  GB: set('350+440/0', '400+450/400,0/200,400+450/400,0/2000', '400/375,0/375', '400/400,0/350,400/225,0/525', '400/100,0/4000'),
  GR: set('425/200,0/300,425/700,0/800', '425/1000,0/4000', '425/300,0/300', '425/200,0/200', '425/150,0/150,425/150,0/8000'),
  HK: set('350+440/0', '440+480/400,0/200,440+480/400,0/3000', '480+620/500,0/500', '480+620/250,0/250', '440/300,0/10000'),
  HU: set('425/0', '425/1250,0/3750', '425/300,0/300', '425/300,0/300', '425/40,0/1960'),
  IL: set('414/0', '414/1000,0/3000', '414/500,0/500', '414/250,0/250', '414/100,0/100,414/100,0/100,414/600,0/3000'),
  IN: set('400*25/0', '400*25/400,0/200,400*25/400,0/2000', '400/750,0/750', '400/250,0/250', '400/200,0/100,400/200,0/7500'),
  IT: set('425/200,0/200,425/600,0/1000', '425/1000,0/4000', '425/500,0/500', '425/200,0/200', '425/400,0/100,425/250,0/100,425/150,0/14000'),
  JP: set('400/0', '400*16/1000,0/2000', '400/500,0/500', '400/500,0/500', '400*16/500,0/8000'),
  KR: set('350+440/0', '440+480/1000,0/2000', '480+620/500,0/500', '480+620/300,0/200', '440/300,0/10000'),
  MX: set('425/0', '425/1000,0/4000', '425/250,0/250', '425/250,0/250', '425/200,0/600,425/200,0/10000'),
  NL: set('425/0', '425/1000,0/4000', '425/500,0/500', '425/250,0/250', '425/500,0/9500'),
  NO: set('425/0', '425/1000,0/4000', '425/500,0/500', '425/200,0/200', '425/200,0/600,425/200,0/10000'),
  NZ: set('400/0', '400+450/400,0/200,400+450/400,0/2000', '400/500,0/500', '400/250,0/250', '400/200,0/3000'),
  PL: set('425/0', '425/1000,0/4000', '425/500,0/500', '425/500,0/500', '425/150,0/150,425/150,0/4000'),
  PT: set('425/0', '425/1000,0/5000', '425/500,0/500', '425/200,0/200', '440/300,0/10000'),
  RU: set('425/0', '425/1000,0/4000', '425/350,0/350', '425/175,0/175', '425/200,0/5000'),
  SE: set('425/0', '425/1000,0/5000', '425/250,0/250', '425/250,0/750', '425/200,0/500,425/200,0/9100'),
  SG: set('425/0', '425*24/400,0/200,425*24/400,0/2000', '425/750,0/750', '425/250,0/250', '425*24/300,0/200,425*24/300,0/3200'),
  TR: set('450/0', '450/2000,0/4000', '450/500,0/500', '450/200,0/200,450/200,0/200,450/200,0/200,450/600,0/200', '450/200,0/600,450/200,0/8000'),
  TW: set('350+440/0', '440+480/1000,0/2000', '480+620/500,0/500', '480+620/250,0/250', '350+440/250,0/250,350+440/250,0/3250'),
  US: set(US_TONE_CADENCES.dial!, US_TONE_CADENCES.ringback!, US_TONE_CADENCES.busy!, US_TONE_CADENCES.congestion!, US_TONE_CADENCES.callWaiting!),
  ZA: set('400*33/0', '400*33/400,0/200,400*33/400,0/2000', '400/500,0/500', '400/250,0/250', '400*33/250,0/250,400*33/250,0/250,400*33/250,0/250,400*33/250,0/250'),
};

/** A12 9.22 tone area meaning "use the cadence strings as configured". */
export const CUSTOM_TONE_AREA = 'Custom';

/** The A12's tone settings (IntercomSettings.tones). */
export interface A12ToneSettings {
  readonly area: string;
  readonly cadences: Readonly<Record<string, string>>;
}

/**
 * The effective cadence string of tone `kind` (a key of US_TONE_CADENCES: dial, ringback, busy,
 * congestion, callWaiting, holding, error, stutter, ...). Custom area: the configured string,
 * or the US default when it is empty ("Empty = area default"). A country area: its preset for
 * the five call-progress tones; `error` sounds like its congestion tone; the other tones, which
 * E.180 leaves to the equipment, keep the configured (default US) strings.
 * DEVIATION: the A12 firmware's own per-country tables for those other tones are not published.
 */
export function a12ToneCadence(tones: A12ToneSettings, kind: string): string | undefined {
  const configured = tones.cadences[kind];
  const fallback = configured !== undefined && configured !== '' ? configured : US_TONE_CADENCES[kind];
  if (tones.area === CUSTOM_TONE_AREA) return fallback;
  const preset = TONE_PRESETS[tones.area];
  if (preset === undefined) return fallback;
  if ((PRESET_TONE_KINDS as readonly string[]).includes(kind)) return preset[kind as PresetToneKind];
  if (kind === 'error') return preset.congestion;
  return fallback;
}

/** The ToneSpec of A12 tone `kind` under these settings. */
export function a12Tone(tones: A12ToneSettings, kind: string): Result<ToneSpec> {
  const text = a12ToneCadence(tones, kind);
  if (text === undefined) return failure('TONE_UNKNOWN', `tone: no A12 tone named ${JSON.stringify(kind)}`);
  const r = parseToneCadence(text);
  if (!r.ok) return failure(r.error.code, `${r.error.message} (area ${tones.area}, tone ${kind})`);
  return r;
}
