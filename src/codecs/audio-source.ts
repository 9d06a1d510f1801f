// Media as sources (ARCHITECTURE.md "Media as sources and sinks"): a call pulls one 20 ms frame
// per media tick from its source — silence, a tone, DTMF, a WAV file, a sequence of those or a
// mix — encodes it and sends it. Sources write into the caller's buffer: nothing is allocated
// per frame.

import type { IdentityMarker } from './identity-mark.js';
import type { DtmfToneOptions } from './dtmf-generator.js';
import { DtmfGenerator } from './dtmf-generator.js';
import type { ToneSpec } from './tone-generator.js';
import { ToneGenerator } from './tone-generator.js';

/** Samples in one frame of `frameMs` at `sampleRate` (20 ms: 160 at 8 kHz, 320 at 16 kHz). */
export function frameSamples(sampleRate: number, frameMs = 20): number {
  return Math.round((sampleRate * frameMs) / 1000);
}

export interface AudioSource {
  readonly sampleRate: number;
  /**
   * Fills `out` with the next samples (normally one 20 ms frame).
   * @returns how many samples of the source's audio were written from the start of `out`; fewer
   * than `out.length` means the source ended inside this frame and the rest is silence (0 once
   * it has ended).
   */
  read(out: Int16Array): number;
  /** True once the source has nothing more to play (a looping or endless source never ends). */
  readonly ended: boolean;
  /** Back to the beginning. */
  reset(): void;
}

/** Endless digital silence. */
export class SilenceSource implements AudioSource {
  readonly ended = false;
  constructor(readonly sampleRate: number) {}
  read(out: Int16Array): number {
    out.fill(0);
    return out.length;
  }
  reset(): void {}
}

/** A tone (tone-generator.ts): endless for repeating cadences, finite for one-shot ones. */
export class ToneSource implements AudioSource {
  private readonly gen: ToneGenerator;
  constructor(
    spec: ToneSpec,
    readonly sampleRate: number,
  ) {
    this.gen = new ToneGenerator(spec, sampleRate);
  }
  get ended(): boolean {
    return this.gen.done;
  }
  read(out: Int16Array): number {
    return this.gen.fill(out);
  }
  reset(): void {
    this.gen.reset();
  }
}

/** In-band DTMF digits (dtmf-generator.ts); ends when the queue is played out. */
export class DtmfSource implements AudioSource {
  private readonly gen: DtmfGenerator;
  private digits: string;
  constructor(
    digits: string,
    readonly sampleRate: number,
    options: DtmfToneOptions = {},
  ) {
    this.gen = new DtmfGenerator(sampleRate, options);
    this.digits = digits;
    this.gen.enqueue(digits);
  }
  /** Adds digits to play after the queued ones. */
  enqueue(digits: string): void {
    this.digits += digits;
    this.gen.enqueue(digits);
  }
  get ended(): boolean {
    return this.gen.idle;
  }
  read(out: Int16Array): number {
    return this.gen.fill(out);
  }
  reset(): void {
    this.gen.clear();
    this.gen.enqueue(this.digits);
  }
}

/** PCM samples (a decoded WAV file, wav.ts) played once or looped. */
export class SamplesSource implements AudioSource {
  private pos = 0;
  constructor(
    private readonly samples: Int16Array,
    readonly sampleRate: number,
    readonly loop = false,
  ) {}
  get ended(): boolean {
    return this.samples.length === 0 || (!this.loop && this.pos >= this.samples.length);
  }
  read(out: Int16Array): number {
    const src = this.samples;
    let i = 0;
    while (i < out.length && !this.ended) {
      if (this.pos >= src.length) this.pos = 0; // looping
      const n = Math.min(out.length - i, src.length - this.pos);
      out.set(src.subarray(this.pos, this.pos + n), i);
      i += n;
      this.pos += n;
    }
    if (i < out.length) out.fill(0, i);
    return i;
  }
  reset(): void {
    this.pos = 0;
  }
}

function checkRates(sources: readonly AudioSource[]): number {
  if (sources.length === 0) throw new RangeError('audio: needs at least one source');
  const rate = sources[0]!.sampleRate;
  for (const s of sources) if (s.sampleRate !== rate) throw new RangeError(`audio: sources at ${rate} and ${s.sampleRate} Hz cannot be combined`);
  return rate;
}

/**
 * Plays sources one after the other, sample-exactly: a frame that straddles the end of one
 * source continues with the next. An endless source (silence, a steady tone) never hands over.
 */
export class ConcatSource implements AudioSource {
  readonly sampleRate: number;
  private index = 0;
  constructor(private readonly sources: readonly AudioSource[]) {
    this.sampleRate = checkRates(sources);
  }
  get ended(): boolean {
    while (this.index < this.sources.length && this.sources[this.index]!.ended) this.index++;
    return this.index >= this.sources.length;
  }
  read(out: Int16Array): number {
    let i = 0;
    while (i < out.length && !this.ended) {
      const s = this.sources[this.index]!;
      const n = s.read(out.subarray(i));
      i += n;
      if (n === 0 && !s.ended) break; // a source breaking the contract must not spin here
    }
    if (i < out.length) out.fill(0, i);
    return i;
  }
  reset(): void {
    this.index = 0;
    for (const s of this.sources) s.reset();
  }
}

/** Sums sources with per-source gains (linear factors), saturating. Ends when all have ended. */
export class MixSource implements AudioSource {
  readonly sampleRate: number;
  private scratch = new Int16Array(0);
  private sum = new Float64Array(0);
  constructor(
    private readonly sources: readonly AudioSource[],
    private readonly gains: readonly number[] = sources.map(() => 1),
  ) {
    this.sampleRate = checkRates(sources);
    if (gains.length !== sources.length) throw new RangeError('audio: one gain per source');
  }
  get ended(): boolean {
    return this.sources.every((s) => s.ended);
  }
  read(out: Int16Array): number {
    if (this.scratch.length !== out.length) {
      this.scratch = new Int16Array(out.length);
      this.sum = new Float64Array(out.length);
    }
    const sum = this.sum;
    sum.fill(0);
    let longest = 0;
    for (let k = 0; k < this.sources.length; k++) {
      const s = this.sources[k]!;
      if (s.ended) continue;
      longest = Math.max(longest, s.read(this.scratch));
      const g = this.gains[k]!;
      for (let i = 0; i < out.length; i++) sum[i] = sum[i]! + g * this.scratch[i]!;
    }
    for (let i = 0; i < out.length; i++) {
      const r = Math.round(sum[i]!);
      out[i] = r > 32767 ? 32767 : r < -32768 ? -32768 : r;
    }
    return longest;
  }
  reset(): void {
    for (const s of this.sources) s.reset();
  }
}

/** A source with the device's identity mark added (identity-mark.ts): what a phone sends. */
export class MarkedSource implements AudioSource {
  constructor(
    private readonly source: AudioSource,
    private readonly marker: IdentityMarker,
  ) {
    if (marker.sampleRate !== source.sampleRate) throw new RangeError('audio: marker and source rates differ');
  }
  get sampleRate(): number {
    return this.source.sampleRate;
  }
  get ended(): boolean {
    return this.source.ended;
  }
  /** The whole frame carries the mark, also after the source has ended (the phone still sends). */
  read(out: Int16Array): number {
    const n = this.source.read(out);
    this.marker.apply(out);
    return n;
  }
  reset(): void {
    this.source.reset();
    this.marker.reset();
  }
}

/** Pulls `frames` frames of `frameMs` from a source into one buffer (tests, files). */
export function pullFrames(source: AudioSource, frames: number, frameMs = 20): Int16Array {
  const n = frameSamples(source.sampleRate, frameMs);
  const out = new Int16Array(n * frames);
  for (let f = 0; f < frames; f++) source.read(out.subarray(f * n, (f + 1) * n));
  return out;
}
