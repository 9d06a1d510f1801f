// In-band signal detectors over 16-bit PCM: a DTMF receiver (ITU-T Q.23 frequencies, Q.24 style
// acceptance checks) and a call-progress tone detector (dial, ringback, busy, ... by frequency
// and cadence). Both are sinks fed frames of any length; neither allocates per frame.
//
// DTMF: a bank of eight Goertzel filters over a 102-sample window at 8 kHz (204 at 16 kHz:
// 12.75 ms, bins ~78 Hz wide, as libspandsp's receiver) evaluated every half window. A window is
// a hit for key (row, col) when
//   - both tones are above the minimum level (default -36 dBm0: -10 dBm0 sent, 26 dB loss),
//   - the twist is acceptable: the high group at most 8 dB below the low group ("normal twist")
//     and at most 4 dB above it ("reverse twist"),
//   - each tone beats the other three of its group by at least 6 dB (relative peak),
//   - the two tones carry at least 80 % of the window's energy (rejects speech, music and
//     tones more than ~3.5 % off frequency).
// Durations are counted in windows whose level is within 6 dB of the key's peak level, which
// makes them independent of the signal level: a key is accepted after 5 such windows (~32 ms,
// so 40 ms tones always pass and 20 ms ones never do; Q.24 "operate >= 40 ms, non-operate
// <= 20 ms") and ends after 4 windows without it (~25 ms: a 10 ms drop-out does not split a key,
// a 40 ms pause does). Start and end times are estimated from the first and last such window,
// whose Goertzel amplitude is proportional to the share of it the tone covers (within ~4 ms).

import type { ToneSpec } from './tone-generator.js';
import { toneFrequencies, tonePattern } from './tone-generator.js';
import { GoertzelBank } from './goertzel.js';
import { DTMF_COL_HZ, DTMF_KEYS, DTMF_ROW_HZ } from './dtmf-generator.js';
import { sineAmplitudeForDbm0 } from './level.js';

export interface DtmfDetectorOptions {
  /** Minimum level of each tone in dBm0 (default -36). */
  readonly minLevelDbm0?: number;
  /** High group at most this far below the low group, dB (default 8). */
  readonly normalTwistDb?: number;
  /** High group at most this far above the low group, dB (default 4). */
  readonly reverseTwistDb?: number;
  /** Each tone at least this far above the other tones of its group, dB (default 6). */
  readonly relativePeakDb?: number;
  /** Minimum share of the window energy in the two tones (default 0.8). */
  readonly minToneFraction?: number;
  /** Windows (half-window hops of ~6.4 ms) of a key needed to accept it (default 5). */
  readonly onWindows?: number;
  /** Windows without the key that end it (default 4). */
  readonly offWindows?: number;
}

export interface DtmfDigitEvent {
  readonly type: 'start' | 'end';
  readonly digit: string;
  /** Estimated start of the tone, ms since the detector started (or was reset). */
  readonly startMs: number;
  /** For 'end': estimated end of the tone, ms. */
  readonly endMs?: number;
}

const DEFAULTS = {
  minLevelDbm0: -36,
  normalTwistDb: 8,
  reverseTwistDb: 4,
  relativePeakDb: 6,
  minToneFraction: 0.8,
  onWindows: 5,
  offWindows: 4,
} as const;

/** Windows of a key whose level is within this factor (-6 dB) of its peak count towards its duration. */
const STRONG_FRACTION = 0.5;

export class DtmfDetector {
  readonly window: number;
  readonly hop: number;
  private readonly bank: GoertzelBank;
  private readonly buf: Float64Array;
  private fillCount = 0;
  /** Samples consumed since start; the window in `buf` ends at `consumed`. */
  private consumed = 0;
  private readonly minPower: number;
  private readonly normalTwist: number;
  private readonly reverseTwist: number;
  private readonly relPeak: number;
  private readonly minFraction: number;
  private readonly onWindows: number;
  private readonly offWindows: number;
  private readonly listener: ((e: DtmfDigitEvent) => void) | undefined;

  // Candidate run (before a key is accepted).
  private candidate = -1;
  private readonly runAmp: Float64Array;
  private runStart = 0;
  private runLen = 0;
  // Accepted key.
  private active = -1;
  private activeStartMs = 0;
  private activePeak = 0;
  private misses = 0;
  private lastStrongEnd = 0;
  private lastStrongAmp = 0;

  private collected = '';
  private readonly events: DtmfDigitEvent[] = [];

  constructor(
    readonly sampleRate: number,
    options: DtmfDetectorOptions & { onEvent?: (e: DtmfDigitEvent) => void } = {},
  ) {
    if (sampleRate !== 8000 && sampleRate !== 16000) throw new RangeError(`dtmf: detector runs at 8000 or 16000 Hz, not ${sampleRate}`);
    this.window = (102 * sampleRate) / 8000;
    this.hop = this.window / 2;
    this.bank = new GoertzelBank([...DTMF_ROW_HZ, ...DTMF_COL_HZ], sampleRate);
    this.buf = new Float64Array(this.window);
    const minAmp = sineAmplitudeForDbm0(options.minLevelDbm0 ?? DEFAULTS.minLevelDbm0);
    this.minPower = ((minAmp * this.window) / 2) ** 2;
    this.normalTwist = 10 ** ((options.normalTwistDb ?? DEFAULTS.normalTwistDb) / 10);
    this.reverseTwist = 10 ** ((options.reverseTwistDb ?? DEFAULTS.reverseTwistDb) / 10);
    this.relPeak = 10 ** ((options.relativePeakDb ?? DEFAULTS.relativePeakDb) / 10);
    this.minFraction = options.minToneFraction ?? DEFAULTS.minToneFraction;
    this.onWindows = options.onWindows ?? DEFAULTS.onWindows;
    this.offWindows = options.offWindows ?? DEFAULTS.offWindows;
    this.runAmp = new Float64Array(64);
    this.listener = options.onEvent;
  }

  /** Digits accepted so far (at their start), e.g. "1234#". */
  get digits(): string {
    return this.collected;
  }

  /** Returns and forgets the accepted digits. */
  takeDigits(): string {
    const d = this.collected;
    this.collected = '';
    return d;
  }

  /** Returns and forgets the start/end events since the last call. */
  takeEvents(): DtmfDigitEvent[] {
    return this.events.splice(0, this.events.length);
  }

  /** The key being received now, if any. */
  get current(): string | undefined {
    return this.active >= 0 ? keyName(this.active) : undefined;
  }

  reset(): void {
    this.fillCount = 0;
    this.consumed = 0;
    this.candidate = -1;
    this.runLen = 0;
    this.active = -1;
    this.misses = 0;
    this.collected = '';
    this.events.length = 0;
  }

  /** Feeds samples (any count). */
  write(samples: Int16Array): void {
    let i = 0;
    const n = samples.length;
    const buf = this.buf;
    while (i < n) {
      const take = Math.min(n - i, this.window - this.fillCount);
      for (let k = 0; k < take; k++) buf[this.fillCount + k] = samples[i + k]!;
      this.fillCount += take;
      this.consumed += take;
      i += take;
      if (this.fillCount === this.window) {
        this.analyse();
        buf.copyWithin(0, this.hop, this.window);
        this.fillCount = this.window - this.hop;
      }
    }
  }

  private ms(sample: number): number {
    return (sample * 1000) / this.sampleRate;
  }

  /** Index 0..15 of the key hit by the current window, or -1; sets `lastAmp`. */
  private lastAmp = 0;
  private classify(): number {
    const bank = this.bank;
    const buf = this.buf;
    const w = this.window;
    bank.reset();
    bank.update(buf, 0, w);
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < w; i++) {
      sum += buf[i]!;
      sumSq += buf[i]! * buf[i]!;
    }
    const energy = sumSq - (sum * sum) / w;
    let row = 0;
    let col = 0;
    for (let k = 1; k < 4; k++) {
      if (bank.power(k) > bank.power(row)) row = k;
      if (bank.power(4 + k) > bank.power(4 + col)) col = k;
    }
    const pr = bank.power(row);
    const pc = bank.power(4 + col);
    if (pr < this.minPower || pc < this.minPower) return -1;
    // Twist: pc may be normalTwist below pr and reverseTwist above it.
    if (pc * this.normalTwist < pr || pc > pr * this.reverseTwist) return -1;
    for (let k = 0; k < 4; k++) {
      if (k !== row && bank.power(k) * this.relPeak > pr) return -1;
      if (k !== col && bank.power(4 + k) * this.relPeak > pc) return -1;
    }
    // Share of the window's (DC-free) energy in the two tones: mean square of a sine of bin
    // power P over w samples is 2P/w².
    if (energy <= 0 || (2 * (pr + pc)) / (w * energy) < this.minFraction) return -1;
    this.lastAmp = Math.sqrt(pr + pc);
    return row * 4 + col;
  }

  private analyse(): void {
    const hit = this.classify();
    const amp = hit >= 0 ? this.lastAmp : 0;
    const windowStart = this.consumed - this.window;
    const windowEnd = this.consumed;
    if (this.active >= 0) {
      if (hit === this.active && amp >= STRONG_FRACTION * this.activePeak) {
        if (amp > this.activePeak) this.activePeak = amp;
        this.misses = 0;
        this.lastStrongEnd = windowEnd;
        this.lastStrongAmp = amp;
        return;
      }
      if (++this.misses >= this.offWindows) {
        // A window's Goertzel amplitude grows with the share of it the tone covers: the last
        // strong window ended (1 - share) of a window after the tone.
        const share = Math.min(1, this.lastStrongAmp / this.activePeak);
        const endMs = this.ms(this.lastStrongEnd - this.window * (1 - share));
        this.emit({ type: 'end', digit: keyName(this.active), startMs: this.activeStartMs, endMs });
        this.active = -1;
        this.candidate = -1;
        this.runLen = 0;
      }
      if (this.active >= 0 || hit < 0) return;
    }
    if (hit < 0) {
      this.candidate = -1;
      this.runLen = 0;
      return;
    }
    if (hit !== this.candidate || this.runLen >= this.runAmp.length) {
      this.candidate = hit;
      this.runLen = 0;
      this.runStart = windowStart;
    }
    this.runAmp[this.runLen++] = amp;
    let peak = 0;
    for (let k = 0; k < this.runLen; k++) if (this.runAmp[k]! > peak) peak = this.runAmp[k]!;
    let strong = 0;
    let firstStrong = -1;
    for (let k = 0; k < this.runLen; k++) {
      if (this.runAmp[k]! >= STRONG_FRACTION * peak) {
        strong++;
        if (firstStrong < 0) firstStrong = k;
      }
    }
    if (strong >= this.onWindows) {
      this.active = hit;
      this.activePeak = peak;
      this.misses = 0;
      this.lastStrongEnd = windowEnd;
      this.lastStrongAmp = amp;
      // The first strong window began (1 - share) of a window before the tone.
      const share = Math.min(1, this.runAmp[firstStrong]! / peak);
      this.activeStartMs = this.ms(this.runStart + firstStrong * this.hop + this.window * (1 - share));
      const digit = keyName(hit);
      this.collected += digit;
      this.emit({ type: 'start', digit, startMs: this.activeStartMs });
    }
  }

  private emit(e: DtmfDigitEvent): void {
    this.events.push(e);
    if (this.events.length > 256) this.events.shift();
    this.listener?.(e);
  }
}

function keyName(index: number): string {
  return DTMF_KEYS[index >> 2]![index & 3]!;
}

/** Runs a fresh detector over `samples` and returns the digits it accepts. */
export function detectDtmf(samples: Int16Array, sampleRate: number, options: DtmfDetectorOptions = {}): string {
  const d = new DtmfDetector(sampleRate, options);
  d.write(samples);
  d.write(new Int16Array(d.window * 4)); // flush a key still sounding at the end
  return d.digits;
}

// ---------------------------------------------------------------------------------------------
// Call-progress tones

export interface CallProgressOptions {
  /** Minimum tone level in dBm0 (default -40). */
  readonly minLevelDbm0?: number;
  /** Share of the block energy the candidate frequencies must carry (default 0.6). */
  readonly minToneFraction?: number;
  /** Cadence tolerance: |observed - expected| <= max(toleranceMs, toleranceRatio × expected). */
  readonly toleranceMs?: number;
  readonly toleranceRatio?: number;
  /** A steady tone is recognised after this long (default 1000 ms). */
  readonly steadyMs?: number;
}

export interface CallProgressEvent {
  /** The recognised tone (a key of the candidates), or undefined when it stopped. */
  readonly tone: string | undefined;
  readonly atMs: number;
}

interface Candidate {
  readonly name: string;
  readonly freqIdx: readonly number[];
  /** Cyclic on/off pattern; for a steady tone only its on entries. */
  readonly pattern: ReadonlyArray<{ on: boolean; ms: number }>;
  readonly steady: boolean;
  readonly maxOnMs: number;
  readonly maxOffMs: number;
}

const CP_DEFAULTS = { minLevelDbm0: -40, minToneFraction: 0.6, toleranceMs: 50, toleranceRatio: 0.15, steadyMs: 1000 } as const;
/** A frequency is present in a block when it carries this share of the block's energy. */
const PRESENT_FRACTION = 0.1;
const MAX_HISTORY = 16;

/**
 * Recognises call-progress tones by frequencies and cadence. The candidates are ToneSpecs (the
 * device's own tones from the KX-UT670 settings or an A12 country set), so what one phone plays
 * the other can name. Analyses 20 ms blocks with a Goertzel filter per candidate frequency; a
 * block is "on" when those frequencies carry most of its energy. Runs of on and off blocks are
 * compared with each candidate's cadence (one full period must be seen; candidates with longer
 * cadences are tried first) and the frequencies of each on-run with the candidate's (each
 * present in most blocks of the run, together carrying half its energy: frequencies closer
 * than the 50 Hz resolution, 440/450 Hz, may both look present, but a candidate needs all of
 * its own). A steady tone is recognised after `steadyMs` and once it has lasted longer than any
 * cadenced candidate with its frequencies sounds. Reports the tone, and `undefined` when what
 * is heard no longer fits it.
 */
export class CallProgressDetector {
  private readonly bank: GoertzelBank;
  private readonly block: number;
  private readonly blockMs: number;
  private readonly buf: Float64Array;
  private fill = 0;
  private blocks = 0;
  private readonly candidates: Candidate[];
  private readonly minPower: number;
  private readonly minFraction: number;
  private readonly tolMs: number;
  private readonly tolRatio: number;
  private readonly steadyMs: number;
  private readonly listener: ((e: CallProgressEvent) => void) | undefined;
  private readonly fraction: Float64Array;
  private readonly pendingFraction: Float64Array;
  private pending = false;
  // The current run of on or off blocks.
  private runOn = false;
  private runBlocks = 0;
  private firstRun = true;
  private readonly presentCount: Uint32Array;
  private readonly fractionSum: Float64Array;
  /** Completed runs, newest last; `fits` has bit i set when candidate i's frequencies match the run. */
  private readonly history: Array<{ on: boolean; ms: number; fits: number }> = [];
  private recognised: string | undefined;

  constructor(
    readonly sampleRate: number,
    tones: Readonly<Record<string, ToneSpec>>,
    options: CallProgressOptions & { onChange?: (e: CallProgressEvent) => void } = {},
  ) {
    const freqs = [...new Set(Object.values(tones).flatMap((t) => toneFrequencies(t)))].sort((a, b) => a - b);
    if (Object.keys(tones).length > 30) throw new RangeError('call progress: at most 30 candidate tones');
    this.bank = new GoertzelBank(freqs, sampleRate);
    this.block = Math.round(sampleRate / 50);
    this.blockMs = (this.block * 1000) / sampleRate;
    this.buf = new Float64Array(this.block);
    this.fraction = new Float64Array(freqs.length);
    this.pendingFraction = new Float64Array(freqs.length);
    this.presentCount = new Uint32Array(freqs.length);
    this.fractionSum = new Float64Array(freqs.length);
    this.candidates = Object.entries(tones)
      .map(([name, spec]) => {
        const full = tonePattern(spec);
        const steady = full.some((p) => p.on && p.ms === Infinity);
        const finite = (on: boolean): number[] => full.filter((p) => p.on === on && p.ms !== Infinity).map((p) => p.ms);
        return {
          name,
          freqIdx: toneFrequencies(spec).map((f) => freqs.indexOf(f)),
          pattern: steady ? full.filter((p) => p.on) : full,
          steady,
          maxOnMs: Math.max(0, ...finite(true)),
          maxOffMs: Math.max(0, ...finite(false)),
        };
      })
      // More evidence first: a cadence of four runs is tried before one of two that it contains.
      .sort((a, b) => Number(a.steady) - Number(b.steady) || b.pattern.length - a.pattern.length);
    const minAmp = sineAmplitudeForDbm0(options.minLevelDbm0 ?? CP_DEFAULTS.minLevelDbm0);
    this.minPower = ((minAmp * this.block) / 2) ** 2;
    this.minFraction = options.minToneFraction ?? CP_DEFAULTS.minToneFraction;
    this.tolMs = options.toleranceMs ?? CP_DEFAULTS.toleranceMs;
    this.tolRatio = options.toleranceRatio ?? CP_DEFAULTS.toleranceRatio;
    this.steadyMs = options.steadyMs ?? CP_DEFAULTS.steadyMs;
    this.listener = options.onChange;
  }

  /** The tone recognised now, if any. */
  get tone(): string | undefined {
    return this.recognised;
  }

  write(samples: Int16Array): void {
    for (let i = 0; i < samples.length; i++) {
      this.buf[this.fill++] = samples[i]!;
      if (this.fill === this.block) {
        this.analyse();
        this.fill = 0;
      }
    }
  }

  /** Fills `fraction` for the block; true when the candidate frequencies dominate it. */
  private blockIsOn(): boolean {
    const bank = this.bank;
    const n = this.block;
    bank.reset();
    bank.update(this.buf, 0, n);
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      sum += this.buf[i]!;
      sumSq += this.buf[i]! * this.buf[i]!;
    }
    const energy = sumSq - (sum * sum) / n;
    let share = 0;
    for (let k = 0; k < bank.size; k++) {
      const p = bank.power(k);
      // Mean square of a sine of bin power p over n samples is 2p/n²; as a share of the block's.
      const f = energy > 0 && p >= this.minPower ? (2 * p) / (n * energy) : 0;
      this.fraction[k] = f;
      if (f >= PRESENT_FRACTION) share += f;
    }
    return share >= this.minFraction;
  }

  private analyse(): void {
    this.blocks++;
    const on = this.blockIsOn();
    if (on === this.runOn) {
      // A single block of the other state between two of this one is a glitch (a modulated
      // tone's trough, a block straddling a click): it belongs to the run.
      if (this.pending) this.accumulate(this.pendingFraction);
      this.pending = false;
      this.accumulate(this.fraction);
    } else if (!this.pending) {
      this.pending = true;
      this.pendingFraction.set(this.fraction);
    } else {
      // Two blocks of the other state: the run ended before the first of them.
      if (!this.firstRun) {
        this.history.push({ on: this.runOn, ms: this.runBlocks * this.blockMs, fits: this.runOn ? this.fitsOfRun() : 0 });
        if (this.history.length > MAX_HISTORY) this.history.shift();
      }
      this.firstRun = false;
      this.runOn = on;
      this.runBlocks = 0;
      this.presentCount.fill(0);
      this.fractionSum.fill(0);
      this.pending = false;
      this.accumulate(this.pendingFraction);
      this.accumulate(this.fraction);
    }
    this.update();
  }

  private accumulate(fraction: Float64Array): void {
    this.runBlocks++;
    for (let k = 0; k < fraction.length; k++) {
      const f = fraction[k]!;
      if (f >= PRESENT_FRACTION) this.presentCount[k]!++;
      this.fractionSum[k] = this.fractionSum[k]! + f;
    }
  }

  /** Whether the current run's frequencies are candidate c's. */
  private fits(c: Candidate): boolean {
    let share = 0;
    for (const k of c.freqIdx) {
      if (2 * this.presentCount[k]! < this.runBlocks) return false;
      share += this.fractionSum[k]!;
    }
    return share >= 0.5 * this.runBlocks;
  }

  private fitsOfRun(): number {
    let bits = 0;
    this.candidates.forEach((c, i) => {
      if (this.fits(c)) bits |= 1 << i;
    });
    return bits;
  }

  private tolerance(ms: number): number {
    return Math.max(this.tolMs, this.tolRatio * ms);
  }

  private matches(c: Candidate, index: number): boolean {
    const runMs = this.runBlocks * this.blockMs;
    if (c.steady) {
      if (!this.runOn || runMs < this.steadyMs || !this.fits(c)) return false;
      // Longer than any on-time of a cadenced candidate with the same frequencies.
      return !this.candidates.some((o) => !o.steady && this.fits(o) && runMs <= o.maxOnMs + this.tolerance(o.maxOnMs));
    }
    // The run in progress must still fit the cadence.
    const limit = this.runOn ? c.maxOnMs : c.maxOffMs;
    if (runMs > limit + this.tolerance(limit)) return false;
    const p = c.pattern;
    const h = this.history;
    if (p.length < 2 || h.length < p.length) return false;
    const first = h.length - p.length;
    for (let rot = 0; rot < p.length; rot++) {
      let ok = true;
      for (let i = 0; i < p.length && ok; i++) {
        const e = p[(rot + i) % p.length]!;
        const o = h[first + i]!;
        ok = o.on === e.on && Math.abs(o.ms - e.ms) <= this.tolerance(e.ms) && (!o.on || (o.fits & (1 << index)) !== 0);
      }
      if (ok) return true;
    }
    return false;
  }

  private update(): void {
    let found: string | undefined;
    for (let i = 0; i < this.candidates.length && found === undefined; i++) {
      if (this.matches(this.candidates[i]!, i)) found = this.candidates[i]!.name;
    }
    if (found === this.recognised) return;
    this.recognised = found;
    this.listener?.({ tone: found, atMs: this.blocks * this.blockMs });
  }
}
