// In-band DTMF (ITU-T Q.23): each key is the sum of one low-group ("row") and one high-group
// ("column") frequency. Tone and pause lengths come from KX-UT670 5.7.3: DTMF_SIGNAL_LEN
// (60-200 ms in 5 ms steps, default 180) and DTMF_INTDIGIT_TIM (60-200 ms, default 90),
// canonical rtp.dtmfSignalMs / rtp.dtmfInterDigitMs.

import type { DeviceSettings } from '../settings/canonical.js';
import { sineAmplitudeForDbm0 } from './level.js';

export const DTMF_ROW_HZ = [697, 770, 852, 941] as const;
export const DTMF_COL_HZ = [1209, 1336, 1477, 1633] as const;
/** Keypad layout: DTMF_KEYS[row][col]. */
export const DTMF_KEYS = ['123A', '456B', '789C', '*0#D'] as const;
export const DTMF_DIGITS = '0123456789*#ABCD';

/** Row and column frequencies of `digit` (case-insensitive A-D), or undefined. */
export function dtmfFrequencies(digit: string): { rowHz: number; colHz: number } | undefined {
  const d = digit.toUpperCase();
  if (d.length !== 1) return undefined;
  for (let r = 0; r < 4; r++) {
    const c = DTMF_KEYS[r]!.indexOf(d);
    if (c >= 0) return { rowHz: DTMF_ROW_HZ[r]!, colHz: DTMF_COL_HZ[c]! };
  }
  return undefined;
}

export function isDtmfDigit(digit: string): boolean {
  return dtmfFrequencies(digit) !== undefined;
}

export interface DtmfToneOptions {
  /** Tone length in ms (KX-UT670 DTMF_SIGNAL_LEN). */
  readonly signalMs?: number;
  /** Pause after each tone in ms (KX-UT670 DTMF_INTDIGIT_TIM). */
  readonly interDigitMs?: number;
  /**
   * Level of the low-group frequency in dBm0. ITU-T Q.23 leaves sending levels to
   * administrations; -10 dBm0 low / -8 dBm0 high (2 dB pre-emphasis of the high group) is the
   * common choice (and within the -3..-20 dBm0 per frequency that receivers must accept).
   */
  readonly lowDbm0?: number;
  /** Level of the high-group frequency in dBm0. */
  readonly highDbm0?: number;
}

export const DTMF_DEFAULTS = { signalMs: 180, interDigitMs: 90, lowDbm0: -10, highDbm0: -8 } as const;

/** DTMF timing of a device (KX-UT670 5.7.3 DTMF_SIGNAL_LEN, DTMF_INTDIGIT_TIM). */
export function dtmfTimingFromSettings(settings: Pick<DeviceSettings, 'rtp'>): { signalMs: number; interDigitMs: number } {
  return { signalMs: settings.rtp.dtmfSignalMs, interDigitMs: settings.rtp.dtmfInterDigitMs };
}

/**
 * Generates queued DTMF digits frame by frame: `signalMs` of dual tone then `interDigitMs` of
 * silence per digit. Phases restart at each digit. No allocation per `fill`.
 */
export class DtmfGenerator {
  private readonly queue: string[] = [];
  private current: { rowInc: number; colInc: number } | undefined;
  /** Samples played of the current digit (tone then pause). */
  private pos = 0;
  private readonly toneSamples: number;
  private readonly digitSamples: number;
  private readonly lowAmp: number;
  private readonly highAmp: number;

  constructor(
    readonly sampleRate: number,
    options: DtmfToneOptions = {},
  ) {
    const signalMs = options.signalMs ?? DTMF_DEFAULTS.signalMs;
    const interDigitMs = options.interDigitMs ?? DTMF_DEFAULTS.interDigitMs;
    if (!(signalMs > 0) || !(interDigitMs >= 0)) throw new RangeError(`dtmf: bad timing ${signalMs}/${interDigitMs} ms`);
    if (sampleRate < 2 * DTMF_COL_HZ[3] + 1) throw new RangeError(`dtmf: sample rate ${sampleRate} too low`);
    this.toneSamples = Math.round((signalMs * sampleRate) / 1000);
    this.digitSamples = this.toneSamples + Math.round((interDigitMs * sampleRate) / 1000);
    this.lowAmp = sineAmplitudeForDbm0(options.lowDbm0 ?? DTMF_DEFAULTS.lowDbm0);
    this.highAmp = sineAmplitudeForDbm0(options.highDbm0 ?? DTMF_DEFAULTS.highDbm0);
  }

  /**
   * Queues digits (0-9, *, #, A-D, case-insensitive). Other characters are ignored and
   * returned, so a caller can report them.
   */
  enqueue(digits: string): string {
    let rejected = '';
    for (const d of digits) {
      if (isDtmfDigit(d)) this.queue.push(d.toUpperCase());
      else rejected += d;
    }
    return rejected;
  }

  /** True when nothing is playing or queued. */
  get idle(): boolean {
    return this.current === undefined && this.queue.length === 0;
  }

  /** Digits waiting (not counting the one playing). */
  get pending(): number {
    return this.queue.length;
  }

  /** Drops queued digits and stops the current one. */
  clear(): void {
    this.queue.length = 0;
    this.current = undefined;
    this.pos = 0;
  }

  /**
   * Writes the next samples into `out[start .. end)`; silence when idle.
   * @returns samples written that belong to a digit (tone or its pause).
   */
  fill(out: Int16Array, start = 0, end = out.length): number {
    let i = start;
    let produced = 0;
    while (i < end) {
      if (this.current === undefined) {
        const next = this.queue.shift();
        if (next === undefined) break;
        const f = dtmfFrequencies(next)!;
        this.current = { rowInc: (2 * Math.PI * f.rowHz) / this.sampleRate, colInc: (2 * Math.PI * f.colHz) / this.sampleRate };
        this.pos = 0;
      }
      const { rowInc, colInc } = this.current;
      const n = Math.min(end - i, this.digitSamples - this.pos);
      for (let k = 0; k < n; k++, i++) {
        const t = this.pos + k;
        if (t < this.toneSamples) {
          const v = Math.round(this.lowAmp * Math.sin(rowInc * t) + this.highAmp * Math.sin(colInc * t));
          out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
        } else {
          out[i] = 0;
        }
      }
      produced += n;
      this.pos += n;
      if (this.pos >= this.digitSamples) this.current = undefined;
    }
    if (i < end) out.fill(0, i, end);
    return produced;
  }
}

/** Renders `digits` as one buffer (tone + pause per digit). */
export function renderDtmf(digits: string, sampleRate: number, options: DtmfToneOptions = {}): Int16Array {
  const gen = new DtmfGenerator(sampleRate, options);
  gen.enqueue(digits);
  const signalMs = options.signalMs ?? DTMF_DEFAULTS.signalMs;
  const interDigitMs = options.interDigitMs ?? DTMF_DEFAULTS.interDigitMs;
  const perDigit = Math.round((signalMs * sampleRate) / 1000) + Math.round((interDigitMs * sampleRate) / 1000);
  const out = new Int16Array(perDigit * gen.pending);
  gen.fill(out);
  return out;
}
