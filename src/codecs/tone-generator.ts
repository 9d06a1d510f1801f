// Call-progress tones: one to four frequencies mixed (or one modulated by another), with a gain
// in dB and an on/off cadence, rendered sample-exact into 16-bit PCM.
//
// Two dialects describe tones and both become a ToneSpec:
// - KX-UT670 5.6.2 / 4.7.3: `<TONE>_FRQ` (Hz, 0 = no tone), `<TONE>_GAIN` (dB, -24..6) and
//   `<TONE>_TIMING` (ms, 0 = infinite time), kept as DeviceSettings.tones (canonical.ts). The
//   timing list starts with an OFF time for most tones ("off 1, on 1, off 2, on 2...") but with
//   an ON time for HOLD_ALARM_TIMING and CW_TONE1_TIMING ("on 1, off 1, on 2, off 2..."); see
//   KX_UT670_TIMING_ORDER. "The whole sequence will then repeat."
// - Fanvil A12 9.22 cadence strings (`350+440/0`): tone-cadence.ts.

import type { Result } from '../core/result.js';
import { failure, ok } from '../core/result.js';
import type { ToneSettings } from '../settings/canonical.js';
import { sineAmplitudeForDbm0 } from './level.js';

/**
 * Level of each frequency of a tone at gain 0 dB. DEVIATION: neither manual gives the absolute
 * level; -13 dBm0 per frequency (-10 dBm0 for a dual tone) is the usual North American and
 * ITU-T E.180 level for dial, ringback and busy tones.
 */
export const TONE_NOMINAL_DBM0 = -13;
/** Modulation depth of a `Freq1*Freq2` tone (as Asterisk's indications use: 90 %). */
export const TONE_MODULATION_DEPTH = 0.9;

export interface ToneComponent {
  readonly freqHz: number;
  /** Level relative to {@link TONE_NOMINAL_DBM0}, before the tone's own gain. */
  readonly levelDb: number;
}

export interface ToneSegment {
  /** Frequencies played together; empty = silence. */
  readonly components: readonly ToneComponent[];
  /** `Freq1*Freq2` (A12 9.22): the components are amplitude-modulated by this frequency. */
  readonly modulationHz?: number;
  /** Duration in ms; `Infinity` holds the segment for ever (KX-UT670 "0: Infinite time", A12 `/0`). */
  readonly durationMs: number;
  /** Played on the first pass only (the `!` prefix of a cadence); repeats skip it. */
  readonly once: boolean;
}

export interface ToneSpec {
  /** Played in order, then repeated (without the `once` segments) until a segment holds for ever. */
  readonly segments: readonly ToneSegment[];
  /** Gain of the whole tone in dB (KX-UT670 `_GAIN`). */
  readonly gainDb: number;
}

/** Which state the first value of a KX-UT670 `_TIMING` list describes. */
export type TimingOrder = 'off-first' | 'on-first';

/**
 * KX-UT670 5.6.2 order of each canonical tone's timing list. HOLD_ALARM_TIMING and
 * CW_TONE1_TIMING say "(on 1, off 1, on 2, off 2...)"; every other tone "(off 1, on 1, ...)".
 * DIAL_TONE4_TIMING (stutter) is garbled in the manual (catalog README place 1); its rebuilt
 * default `560,100,…,0` starts with the off time like the other dial tones.
 */
export const KX_UT670_TIMING_ORDER: Readonly<Record<string, TimingOrder>> = {
  dial: 'off-first',
  dial2: 'off-first',
  stutter: 'off-first',
  busy: 'off-first',
  reorder: 'off-first',
  ringback: 'off-first',
  hold: 'off-first',
  holdAlarm: 'on-first',
  callWaiting: 'on-first',
};

const MAX_FREQUENCIES = 4;

function toneFailure(message: string): { readonly ok: false; readonly error: { code: string; message: string } } {
  return failure('TONE_BAD_SETTING', `tone: ${message}`);
}

/**
 * A tone from KX-UT670 style values: frequencies (0 = no tone), gain and an alternating on/off
 * timing list (0 = infinite time).
 */
export function toneFromTimings(frequenciesHz: readonly number[], gainDb: number, timingMs: readonly number[], order: TimingOrder): Result<ToneSpec> {
  if (frequenciesHz.length > MAX_FREQUENCIES) return toneFailure(`${frequenciesHz.length} frequencies, at most ${MAX_FREQUENCIES}`);
  for (const f of frequenciesHz) {
    if (!Number.isFinite(f) || f < 0) return toneFailure(`bad frequency ${f}`);
  }
  if (!Number.isFinite(gainDb)) return toneFailure(`bad gain ${gainDb}`);
  if (timingMs.length === 0) return toneFailure('empty timing list');
  for (const t of timingMs) {
    if (!Number.isInteger(t) || t < 0) return toneFailure(`bad timing value ${t} (whole milliseconds, 0 = infinite)`);
  }
  // "0: No tone": a zero among the frequencies contributes nothing.
  const components = frequenciesHz.filter((f) => f > 0).map((freqHz) => ({ freqHz, levelDb: 0 }));
  const segments: ToneSegment[] = [];
  for (let i = 0; i < timingMs.length; i++) {
    const on = order === 'on-first' ? i % 2 === 0 : i % 2 === 1;
    const t = timingMs[i]!;
    segments.push({ components: on ? components : [], durationMs: t === 0 ? Infinity : t, once: false });
    if (t === 0) break; // an infinite segment: the rest of the list is never reached
  }
  return ok({ segments, gainDb });
}

/** The ToneSpec of canonical tone `name` (a key of DeviceSettings.tones) of a KX-UT670. */
export function kxUt670Tone(name: string, settings: ToneSettings): Result<ToneSpec> {
  const order = KX_UT670_TIMING_ORDER[name];
  if (order === undefined) return failure('TONE_UNKNOWN', `tone: no KX-UT670 tone named ${JSON.stringify(name)}`);
  return toneFromTimings(settings.frequenciesHz, settings.gainDb, settings.timingMs, order);
}

/** Every tone of DeviceSettings.tones as a ToneSpec; the first bad one fails the lot. */
export function kxUt670Tones(tones: Readonly<Record<string, ToneSettings>>): Result<Record<string, ToneSpec>> {
  const out: Record<string, ToneSpec> = {};
  for (const [name, settings] of Object.entries(tones)) {
    const r = kxUt670Tone(name, settings);
    if (!r.ok) return failure(r.error.code, `${r.error.message} (tone ${name})`);
    out[name] = r.value;
  }
  return ok(out);
}

/** Samples of a segment at `sampleRate` (Infinity for a held segment). */
export function segmentSamples(segment: ToneSegment, sampleRate: number): number {
  return segment.durationMs === Infinity ? Infinity : Math.round((segment.durationMs * sampleRate) / 1000);
}

/**
 * Renders a ToneSpec frame by frame. Phases run on across segments and calls, so a tone split
 * into 20 ms frames is the same signal as one rendered in a single call. Nothing is allocated
 * per call. Components at or above Nyquist are rejected at construction (a bug).
 */
export class ToneGenerator {
  private segmentIndex = 0;
  /** Samples already played of the current segment. */
  private segmentPos = 0;
  private firstPass = true;
  private finished = false;
  private readonly phase: Float64Array;
  private modPhase = 0;
  /** Per segment: sample count, phase increments and amplitudes, computed once. */
  private readonly lengths: number[];
  private readonly increments: Float64Array[];
  private readonly amplitudes: Float64Array[];
  private readonly modIncrement: number[];
  private playedSamples = 0;

  constructor(
    readonly spec: ToneSpec,
    readonly sampleRate: number,
  ) {
    if (!(sampleRate > 0)) throw new RangeError(`tone: bad sample rate ${sampleRate}`);
    let maxComponents = 0;
    this.lengths = spec.segments.map((s) => segmentSamples(s, sampleRate));
    this.increments = spec.segments.map((s) =>
      Float64Array.from(s.components, (c) => {
        if (!(c.freqHz > 0 && c.freqHz < sampleRate / 2)) throw new RangeError(`tone: ${c.freqHz} Hz cannot be played at ${sampleRate} Hz`);
        return (2 * Math.PI * c.freqHz) / sampleRate;
      }),
    );
    this.amplitudes = spec.segments.map((s) => {
      maxComponents = Math.max(maxComponents, s.components.length);
      const scale = s.modulationHz !== undefined ? 1 / (1 + TONE_MODULATION_DEPTH) : 1;
      return Float64Array.from(s.components, (c) => sineAmplitudeForDbm0(TONE_NOMINAL_DBM0 + spec.gainDb + c.levelDb) * scale);
    });
    this.modIncrement = spec.segments.map((s) => (s.modulationHz !== undefined ? (2 * Math.PI * s.modulationHz) / sampleRate : 0));
    this.phase = new Float64Array(maxComponents);
    this.finished = spec.segments.length === 0;
    this.skipEmpty();
  }

  /** True once a tone without a held or repeating segment has played out. */
  get done(): boolean {
    return this.finished;
  }

  /** Samples produced since construction or reset (including silent segments). */
  get elapsedSamples(): number {
    return this.playedSamples;
  }

  reset(): void {
    this.segmentIndex = 0;
    this.segmentPos = 0;
    this.firstPass = true;
    this.finished = this.spec.segments.length === 0;
    this.phase.fill(0);
    this.modPhase = 0;
    this.playedSamples = 0;
    this.skipEmpty();
  }

  /**
   * Writes the next samples into `out[start .. end)`. After the tone has finished the rest is
   * zero-filled. Samples sum with saturation to int16.
   * @returns samples of the tone written (less than `end - start` only when it finished).
   */
  fill(out: Int16Array, start = 0, end = out.length): number {
    let i = start;
    while (i < end && !this.finished) {
      const k = this.segmentIndex;
      const len = this.lengths[k]!;
      const n = Math.min(end - i, len - this.segmentPos);
      this.render(k, out, i, i + n);
      i += n;
      this.segmentPos += n;
      if (this.segmentPos >= len) this.advance();
    }
    this.playedSamples += i - start;
    if (i < end) out.fill(0, i, end);
    return i - start;
  }

  private render(k: number, out: Int16Array, from: number, to: number): void {
    const inc = this.increments[k]!;
    const amp = this.amplitudes[k]!;
    const count = inc.length;
    if (count === 0) {
      out.fill(0, from, to);
      return;
    }
    const phase = this.phase;
    const modInc = this.modIncrement[k]!;
    for (let i = from; i < to; i++) {
      let v = 0;
      for (let c = 0; c < count; c++) {
        v += amp[c]! * Math.sin(phase[c]!);
        let p = phase[c]! + inc[c]!;
        if (p > 2 * Math.PI) p -= 2 * Math.PI;
        phase[c] = p;
      }
      if (modInc !== 0) {
        v *= 1 + TONE_MODULATION_DEPTH * Math.sin(this.modPhase);
        this.modPhase += modInc;
        if (this.modPhase > 2 * Math.PI) this.modPhase -= 2 * Math.PI;
      }
      const r = Math.round(v);
      out[i] = r > 32767 ? 32767 : r < -32768 ? -32768 : r;
    }
  }

  /** Moves to the next segment that will play (skipping `once` ones after the first pass). */
  private advance(): void {
    this.segmentPos = 0;
    this.segmentIndex++;
    this.skipEmpty();
  }

  private skipEmpty(): void {
    const segs = this.spec.segments;
    let guard = 0;
    for (;;) {
      if (this.segmentIndex >= segs.length) {
        this.segmentIndex = 0;
        this.firstPass = false;
        if (!segs.some((s, i) => !s.once && this.lengths[i]! > 0)) {
          this.finished = true;
          return;
        }
      }
      const s = segs[this.segmentIndex]!;
      if ((this.firstPass || !s.once) && this.lengths[this.segmentIndex]! > 0) return;
      this.segmentIndex++;
      if (++guard > 2 * segs.length + 2) {
        this.finished = true;
        return;
      }
    }
  }
}

/** Renders `durationMs` of a tone (tests, files, previews). */
export function renderTone(spec: ToneSpec, sampleRate: number, durationMs: number): Int16Array {
  const out = new Int16Array(Math.round((durationMs * sampleRate) / 1000));
  new ToneGenerator(spec, sampleRate).fill(out);
  return out;
}

/**
 * The on/off pattern of one period of a tone, merged where adjacent segments share a state:
 * `[{on: true, ms: 500}, {on: false, ms: 500}]` for a busy tone. A held segment ends the list
 * with `ms: Infinity`. Used by the call-progress detector.
 */
export function tonePattern(spec: ToneSpec, repeatPass = true): Array<{ on: boolean; ms: number }> {
  const out: Array<{ on: boolean; ms: number }> = [];
  for (const s of spec.segments) {
    if (repeatPass && s.once) continue;
    const on = s.components.length > 0;
    const last = out[out.length - 1];
    if (last && last.on === on) last.ms += s.durationMs;
    else out.push({ on, ms: s.durationMs });
    if (s.durationMs === Infinity) break;
  }
  // A cyclic pattern whose first and last entries share a state is one run across the wrap.
  if (out.length > 2 && out[0]!.on === out[out.length - 1]!.on && out[out.length - 1]!.ms !== Infinity) {
    out[0]!.ms += out.pop()!.ms;
  }
  return out;
}

/** Every frequency (Hz) a tone uses, sorted, without duplicates. */
export function toneFrequencies(spec: ToneSpec): number[] {
  const set = new Set<number>();
  for (const s of spec.segments) for (const c of s.components) set.add(c.freqHz);
  return [...set].sort((a, b) => a - b);
}
