// Media sinks (ARCHITECTURE.md "Media as sources and sinks"): decoded frames from the jitter
// buffer go to sinks — a WAV recorder, the DTMF and call-progress detectors, a level meter, the
// identity-mark detector — or to several through a tee. Sinks copy what they keep; nothing is
// allocated per frame except by the recorder when it grows.

import type { CallProgressDetector, DtmfDetector } from './dtmf-detector.js';
import type { IdentityDetector } from './identity-mark.js';
import { SILENCE_DB, peakToDbfs, rmsToDbfs } from './level.js';
import type { WavFormat } from './wav.js';
import { encodeWav } from './wav.js';

export interface AudioSink {
  readonly sampleRate: number;
  /** Consumes one frame (any length); the sink must not keep a reference to `frame`. */
  write(frame: Int16Array): void;
}

/** Records everything written; `samples()` / `toWav()` give the recording. */
export class WavRecorder implements AudioSink {
  private buf: Int16Array;
  private length = 0;

  constructor(
    readonly sampleRate: number,
    /** Stop recording after this many seconds (default 1 hour) so a forgotten recorder stays bounded. */
    readonly maxSeconds = 3600,
  ) {
    this.buf = new Int16Array(sampleRate); // one second, doubled as needed
  }

  write(frame: Int16Array): void {
    const room = this.maxSeconds * this.sampleRate - this.length;
    const n = Math.min(frame.length, room);
    if (n <= 0) return;
    if (this.length + n > this.buf.length) {
      const bigger = new Int16Array(Math.max(2 * this.buf.length, this.length + n));
      bigger.set(this.buf.subarray(0, this.length));
      this.buf = bigger;
    }
    this.buf.set(n === frame.length ? frame : frame.subarray(0, n), this.length);
    this.length += n;
  }

  get durationMs(): number {
    return (this.length * 1000) / this.sampleRate;
  }

  /** A copy of the recording. */
  samples(): Int16Array {
    return this.buf.slice(0, this.length);
  }

  toWav(format: WavFormat = 'pcm16'): Uint8Array {
    return encodeWav(this.buf.subarray(0, this.length), this.sampleRate, format);
  }

  clear(): void {
    this.length = 0;
  }
}

/**
 * RMS and peak levels in dBFS (level.ts: 0 dBFS = full-scale sine RMS; peak relative to 32767):
 * of the last frame, and accumulated since the last `reset`.
 */
export class LevelMeter implements AudioSink {
  private sumSq = 0;
  private count = 0;
  private peak = 0;
  private frameRms = 0;
  private framePeak = 0;

  constructor(readonly sampleRate: number) {}

  write(frame: Int16Array): void {
    let s = 0;
    let p = 0;
    for (let i = 0; i < frame.length; i++) {
      const v = frame[i]!;
      s += v * v;
      const a = v < 0 ? -v : v;
      if (a > p) p = a;
    }
    this.sumSq += s;
    this.count += frame.length;
    if (p > this.peak) this.peak = p;
    this.frameRms = frame.length > 0 ? Math.sqrt(s / frame.length) : 0;
    this.framePeak = p;
  }

  /** RMS level since the last reset, dBFS ({@link SILENCE_DB} when nothing or silence). */
  get rmsDbfs(): number {
    return this.count > 0 ? rmsToDbfs(Math.sqrt(this.sumSq / this.count)) : SILENCE_DB;
  }

  get peakDbfs(): number {
    return peakToDbfs(this.peak);
  }

  get frameRmsDbfs(): number {
    return rmsToDbfs(this.frameRms);
  }

  get framePeakDbfs(): number {
    return peakToDbfs(this.framePeak);
  }

  /** Milliseconds measured since the last reset. */
  get measuredMs(): number {
    return (this.count * 1000) / this.sampleRate;
  }

  reset(): void {
    this.sumSq = 0;
    this.count = 0;
    this.peak = 0;
    this.frameRms = 0;
    this.framePeak = 0;
  }
}

/** Anything with `write(frame)` at a known rate as a sink: the detectors are sinks as they are. */
export type DetectorSink = DtmfDetector | CallProgressDetector | IdentityDetector;

/** Sends each frame to several sinks. */
export class TeeSink implements AudioSink {
  readonly sampleRate: number;
  constructor(private readonly sinks: readonly AudioSink[]) {
    if (sinks.length === 0) throw new RangeError('audio: tee needs at least one sink');
    this.sampleRate = sinks[0]!.sampleRate;
    for (const s of sinks) if (s.sampleRate !== this.sampleRate) throw new RangeError('audio: tee sinks at different rates');
  }
  write(frame: Int16Array): void {
    for (const s of this.sinks) s.write(frame);
  }
}

/** Pushes a whole signal through a sink in frames of `frameMs` (tests, files). */
export function pushFrames(sink: AudioSink, samples: Int16Array, frameMs = 20): void {
  const n = Math.round((sink.sampleRate * frameMs) / 1000);
  for (let i = 0; i < samples.length; i += n) sink.write(samples.subarray(i, Math.min(samples.length, i + n)));
}
