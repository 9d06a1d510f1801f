// What a call hears, measured on the decoded audio: the level of the last second and whose
// identity mark it carries (src/codecs/identity-mark.ts). A test or a fleet scenario reads it to
// prove that A hears B (not C, not itself, not nobody): one-way audio, a crossed call, hold and
// mute each leave a distinct trace (no mark, another mark, silence with packets flowing).
import type { AudioSink } from '../codecs/audio-sink.js';
import { IdentityDetector, type IdentityMark, type IdentityReport } from '../codecs/identity-mark.js';
import { SILENCE_DB, peakToDbfs, rmsToDbfs } from '../codecs/level.js';

export interface HeardReport {
  /** MAC (12 upper-case hex digits) of the device whose mark is heard; undefined for none. */
  readonly mac: string | undefined;
  /** Score of that mark (peak in standard deviations; ≥ 7 counts, noise stays near 4), else of the best candidate. */
  readonly score: number;
  /** 'mark': a known device is heard; 'silence': too little audio; 'no-mark': audio, but no known mark. */
  readonly reason: IdentityReport['reason'];
  /** Milliseconds of audio with signal in the 2 s window. */
  readonly activeMs: number;
  /** The strongest candidates, at most three. */
  readonly candidates: ReadonlyArray<{ readonly mac: string; readonly score: number }>;
}

export interface ReceivedLevel {
  /** RMS of the last second of received audio, dBFS (-120 for digital silence). */
  readonly levelDbfs: number;
  readonly peakDbfs: number;
  /** How much audio the level covers, ms. */
  readonly measuredMs: number;
}

const LEVEL_FRAMES = 50;

const macOf = (id: string): string => id.toUpperCase();

export function heardReport(r: IdentityReport): HeardReport {
  const best = r.scores[0];
  return {
    mac: r.reason === 'mark' ? macOf(r.verdict) : undefined,
    score: Math.round((best?.score ?? 0) * 10) / 10,
    reason: r.reason,
    activeMs: r.activeMs,
    candidates: r.scores.slice(0, 3).map((s) => ({ mac: macOf(s.id), score: Math.round(s.score * 10) / 10 })),
  };
}

/**
 * A sink on the received audio of one stream: level over the last {@link LEVEL_FRAMES} frames
 * and, with candidate marks, an identity detector. `heard()` runs the detector at most once
 * per `cacheMs` of the caller's clock (it costs one FFT per candidate).
 */
export class ReceivedAudioMonitor implements AudioSink {
  private readonly energy = new Float64Array(LEVEL_FRAMES);
  private readonly samples = new Float64Array(LEVEL_FRAMES);
  private readonly peaks = new Float64Array(LEVEL_FRAMES);
  private slot = 0;
  private readonly detector: IdentityDetector | undefined;
  private cached: { at: number; report: HeardReport } | undefined;

  constructor(
    readonly sampleRate: number,
    readonly candidates: readonly IdentityMark[],
    private readonly now: () => number,
    private readonly cacheMs = 200,
  ) {
    this.detector = candidates.length > 0 ? new IdentityDetector(sampleRate, candidates) : undefined;
  }

  write(frame: Int16Array): void {
    let e = 0;
    let p = 0;
    for (let i = 0; i < frame.length; i++) {
      const v = frame[i]!;
      e += v * v;
      const a = v < 0 ? -v : v;
      if (a > p) p = a;
    }
    this.energy[this.slot] = e;
    this.samples[this.slot] = frame.length;
    this.peaks[this.slot] = p;
    this.slot = (this.slot + 1) % LEVEL_FRAMES;
    this.detector?.write(frame);
  }

  level(): ReceivedLevel {
    let e = 0;
    let n = 0;
    let p = 0;
    for (let i = 0; i < LEVEL_FRAMES; i++) {
      e += this.energy[i]!;
      n += this.samples[i]!;
      p = Math.max(p, this.peaks[i]!);
    }
    const round = (x: number): number => Math.round(x * 10) / 10;
    return { levelDbfs: n > 0 ? round(rmsToDbfs(Math.sqrt(e / n))) : SILENCE_DB, peakDbfs: round(peakToDbfs(p)), measuredMs: (n * 1000) / this.sampleRate };
  }

  heard(): HeardReport | undefined {
    if (!this.detector) return undefined;
    const t = this.now();
    if (this.cached && t - this.cached.at < this.cacheMs) return this.cached.report;
    const report = heardReport(this.detector.detect());
    this.cached = { at: t, report };
    return report;
  }
}
