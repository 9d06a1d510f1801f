// Voice activity detection for silence suppression with RFC 3389 comfort noise (Fanvil A12 9.16
// "Enable VAD": "the device will suppress the audio transmission with artificial comfort noise
// signal to save the bandwidth"). Energy-based, pure and deterministic, allocation-free: one call
// per frame (any length, usually one ptime) says whether the frame is to be sent as voice.
//
// The rule. A frame is active when its RMS level (dBov, see comfort-noise.ts) is at least
//   max(minSpeechDbov, noiseFloor + marginDb).
// The noise floor follows the quietest frames: it drops at once to a quieter frame and rises by
// at most `floorRiseDbPerS` otherwise, never above `maxFloorDbov` — so steady background noise
// below -45 dBov stops being "speech" within a few seconds while a tone or music louder than
// maxFloorDbov + marginDb (-36 dBov by default) is sent as long as it lasts.
// Onset is immediate (the first active frame: word beginnings are never clipped); the end of
// speech waits for `hangoverMs` (200 ms) of inactive frames, which bridges the pauses between
// syllables and keeps the tail of a word.
// Defaults: minSpeechDbov -55, marginDb 9, maxFloorDbov -45, floorRiseDbPerS 6, hangoverMs 200.

/** Tunables of {@link VoiceActivityDetector}; the defaults are in the header. */
export interface VadOptions {
  readonly sampleRate: number;
  /** Absolute threshold: nothing quieter is speech, dBov (default -55). */
  readonly minSpeechDbov?: number;
  /** How far above the noise floor a frame must be to be speech, dB (default 9). */
  readonly marginDb?: number;
  /** Highest noise floor, dBov (default -45): louder steady sounds stay "speech". */
  readonly maxFloorDbov?: number;
  /** How fast the noise floor may rise, dB per second (default 6). */
  readonly floorRiseDbPerS?: number;
  /** Inactive time before the end of speech is declared, ms (default 200). */
  readonly hangoverMs?: number;
}

/** Level reported for digital silence, dBov (the lowest RFC 3389 §3.1 can carry is -127). */
export const VAD_SILENCE_DBOV = -127;

/** Frames within this many dB of the floor count as background for the comfort-noise level. */
const BACKGROUND_SPREAD_DB = 3;
/** Time constant of the background level average, ms. */
const BACKGROUND_AVERAGE_MS = 500;

/** 0 dBov: the RMS of a full-scale square wave (RFC 3389 §3.1), int16 scale. */
const OVERLOAD = 32767;

/** RMS level of `pcm` in dBov (RFC 3389 §3.1), at least {@link VAD_SILENCE_DBOV}. */
export function rmsDbov(pcm: Int16Array): number {
  const n = pcm.length;
  if (n === 0) return VAD_SILENCE_DBOV;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += pcm[i]! * pcm[i]!;
  if (sum === 0) return VAD_SILENCE_DBOV;
  return Math.max(VAD_SILENCE_DBOV, 10 * Math.log10(sum / n / (OVERLOAD * OVERLOAD)));
}

export class VoiceActivityDetector {
  readonly sampleRate: number;
  readonly minSpeechDbov: number;
  readonly marginDb: number;
  readonly maxFloorDbov: number;
  readonly floorRiseDbPerS: number;
  readonly hangoverMs: number;
  /** Whether the last frame was voice (active, or within the hangover). */
  active = false;
  /** Level of the last frame, dBov. */
  levelDbov = VAD_SILENCE_DBOV;
  /** Current noise floor estimate, dBov. */
  noiseFloorDbov = VAD_SILENCE_DBOV;
  /**
   * Level of the background noise for comfort noise, dBov: the power average (500 ms time
   * constant) of the frames past the hangover within 3 dB of the floor; the floor until one was seen.
   */
  noiseLevelDbov = VAD_SILENCE_DBOV;
  private started = false;
  /** Inactive time since the last active frame, ms. */
  private quietMs = Infinity;
  /** Mean square of inactive frames (linear), and whether it holds anything yet. */
  private noisePower = 0;
  private noiseSeen = false;

  constructor(options: VadOptions) {
    if (!(options.sampleRate > 0)) throw new RangeError('vad: sampleRate must be > 0');
    this.sampleRate = options.sampleRate;
    this.minSpeechDbov = options.minSpeechDbov ?? -55;
    this.marginDb = options.marginDb ?? 9;
    this.maxFloorDbov = options.maxFloorDbov ?? -45;
    this.floorRiseDbPerS = options.floorRiseDbPerS ?? 6;
    this.hangoverMs = options.hangoverMs ?? 200;
  }

  /** Classifies one frame; returns whether it is voice (to be sent). */
  process(pcm: Int16Array): boolean {
    const ms = (1000 * pcm.length) / this.sampleRate;
    const level = rmsDbov(pcm);
    this.levelDbov = level;
    // Below minSpeechDbov - marginDb the floor decides nothing (the absolute threshold does): it
    // never starts lower, so it reaches steady noise in seconds even after digital silence.
    const lowest = this.minSpeechDbov - this.marginDb;
    if (!this.started) {
      this.started = true;
      this.noiseFloorDbov = Math.max(lowest, Math.min(level, this.maxFloorDbov));
    } else if (level < this.noiseFloorDbov) {
      this.noiseFloorDbov = Math.max(lowest, level);
    } else {
      this.noiseFloorDbov = Math.min(this.maxFloorDbov, level, this.noiseFloorDbov + (this.floorRiseDbPerS * ms) / 1000);
    }
    const speech = level >= this.minSpeechDbov && level >= this.noiseFloorDbov + this.marginDb;
    if (speech) this.quietMs = 0;
    else this.quietMs += ms;
    this.active = this.quietMs < this.hangoverMs;
    // The background is measured past the hangover, on frames near the floor (the quiet tail of
    // a word is not background noise).
    if (!this.active && level <= this.noiseFloorDbov + BACKGROUND_SPREAD_DB) this.noteNoise(level, ms);
    if (!this.noiseSeen) this.noiseLevelDbov = this.noiseFloorDbov;
    return this.active;
  }

  /** Back to the state of a fresh detector. */
  reset(): void {
    this.started = false;
    this.active = false;
    this.quietMs = Infinity;
    this.levelDbov = VAD_SILENCE_DBOV;
    this.noiseFloorDbov = VAD_SILENCE_DBOV;
    this.noiseLevelDbov = VAD_SILENCE_DBOV;
    this.noisePower = 0;
    this.noiseSeen = false;
  }

  /** Background level for comfort noise: exponential power average, 500 ms time constant. */
  private noteNoise(levelDbov: number, ms: number): void {
    const power = levelDbov <= VAD_SILENCE_DBOV ? 0 : 10 ** (levelDbov / 10);
    const w = this.noiseSeen ? Math.min(1, ms / BACKGROUND_AVERAGE_MS) : 1;
    this.noisePower += (power - this.noisePower) * w;
    this.noiseSeen = true;
    this.noiseLevelDbov = this.noisePower > 0 ? Math.max(VAD_SILENCE_DBOV, 10 * Math.log10(this.noisePower)) : VAD_SILENCE_DBOV;
  }
}
