// The voice activity detector (src/codecs/vad.ts) on the deterministic test signals: speech with
// pauses, tones, background noise; onset, hangover and the noise level it reports for CN.
import { describe, expect, it } from 'vitest';
import { dbfsToRms, measureRmsDbfs } from '../../src/codecs/level.js';
import { DBFS_OVER_DBOV } from '../../src/codecs/comfort-noise.js';
import { rmsDbov, VAD_SILENCE_DBOV, VoiceActivityDetector } from '../../src/codecs/vad.js';
import { concat, sine, silence, speechLike, whiteNoise } from './signals.js';

const RATE = 8000;
const FRAME = 160; // 20 ms

/** The VAD's decision for every 20 ms frame of `signal`. */
function decisions(signal: Int16Array, vad = new VoiceActivityDetector({ sampleRate: RATE })): boolean[] {
  const out: boolean[] = [];
  for (let o = 0; o + FRAME <= signal.length; o += FRAME) out.push(vad.process(signal.subarray(o, o + FRAME)));
  return out;
}

function activeShare(d: readonly boolean[]): number {
  return d.filter(Boolean).length / d.length;
}

/** Noise whose RMS is `dbov`. */
function noiseAt(dbov: number, seconds: number, seed = 7): Int16Array {
  return whiteNoise(RATE, seconds, dbfsToRms(dbov + DBFS_OVER_DBOV), seed);
}

describe('rmsDbov', () => {
  it('is dBFS − 3.01 (0 dBov = full-scale square wave, RFC 3389 §3.1); silence is -127', () => {
    const tone = sine(RATE, 1, 1000, 10000);
    expect(rmsDbov(tone)).toBeCloseTo(measureRmsDbfs(tone) - 3.0103, 2);
    const square = new Int16Array(160).map((_, i) => (i % 2 ? 32767 : -32767));
    expect(rmsDbov(square)).toBeCloseTo(0, 3);
    expect(rmsDbov(new Int16Array(160))).toBe(VAD_SILENCE_DBOV);
    expect(rmsDbov(new Int16Array(0))).toBe(VAD_SILENCE_DBOV);
  });
});

describe('VoiceActivityDetector', () => {
  it('speech with 50 % digital silence: about half the frames are voice, never later than 200 ms into a silence', () => {
    // 1 s of speech, 1 s of silence, four times.
    const parts: Int16Array[] = [];
    for (let k = 0; k < 4; k++) parts.push(speechLike(RATE, 1, 20 + k, 12000), silence(RATE, 1));
    const d = decisions(concat(parts));
    const share = activeShare(d);
    expect(share).toBeGreaterThan(0.5);
    expect(share).toBeLessThan(0.68);
    for (let k = 0; k < 4; k++) {
      const silenceStart = k * 100 + 50;
      // The speech fades out before the second ends; the hangover (10 frames) may reach into the gap, no further.
      expect(d.slice(silenceStart + 10, silenceStart + 50).some(Boolean)).toBe(false);
      expect(d[silenceStart - 20]).toBe(true);
    }
  });

  it('onset is immediate: the first frame of speech after silence is voice', () => {
    const d = decisions(concat([silence(RATE, 1), sine(RATE, 0.02, 440, 3000), silence(RATE, 1)]));
    expect(d[49]).toBe(false);
    expect(d[50]).toBe(true);
    expect(d.slice(51, 60).every(Boolean)).toBe(true); // hangover
    expect(d[61]).toBe(false);
  });

  it('a steady tone louder than -36 dBov stays voice for 10 s; a quiet one below the floor cap fades to silence', () => {
    expect(activeShare(decisions(sine(RATE, 10, 425, 3000)))).toBe(1); // ≈ -23 dBov
    const quiet = decisions(concat([silence(RATE, 0.5), sine(RATE, 10, 425, 300)])); // ≈ -43 dBov, only 9+ dB over the start floor
    expect(quiet[30]).toBe(true);
    expect(quiet.slice(-100).some(Boolean)).toBe(false);
  });

  it('background noise at -60 dBov is not voice; speech over it is', () => {
    const bg = noiseAt(-60, 3);
    expect(activeShare(decisions(bg).slice(5))).toBe(0);
    const vad = new VoiceActivityDetector({ sampleRate: RATE });
    const speech = speechLike(RATE, 2, 9, 12000);
    const mixed = new Int16Array(speech.length);
    const noise = noiseAt(-60, 2, 8);
    for (let i = 0; i < mixed.length; i++) mixed[i] = speech[i]! + noise[i]!;
    decisions(noiseAt(-60, 1, 3), vad);
    expect(activeShare(decisions(mixed, vad))).toBeGreaterThan(0.6);
  });

  it('reports the background level for comfort noise within 1 dB', () => {
    const vad = new VoiceActivityDetector({ sampleRate: RATE });
    decisions(concat([speechLike(RATE, 1, 4, 12000), noiseAt(-50, 3)]), vad);
    expect(vad.active).toBe(false);
    expect(Math.abs(vad.noiseLevelDbov - -50)).toBeLessThan(1);
    // Loud noise (-20 dBov) is above the floor cap: sent as voice, not replaced by CN.
    expect(activeShare(decisions(noiseAt(-20, 3)))).toBe(1);
  });

  it('is deterministic and reset() starts over', () => {
    const signal = concat([speechLike(RATE, 1, 5), noiseAt(-58, 1), speechLike(RATE, 1, 6)]);
    const vad = new VoiceActivityDetector({ sampleRate: RATE });
    const a = decisions(signal, vad);
    vad.reset();
    expect(decisions(signal, vad)).toEqual(a);
    expect(decisions(signal)).toEqual(a);
  });

  it('16 kHz frames (G.722) are classified like 8 kHz ones', () => {
    const wb = new VoiceActivityDetector({ sampleRate: 16000 });
    const sig = concat([speechLike(16000, 1, 3, 12000), silence(16000, 1)]);
    const d: boolean[] = [];
    for (let o = 0; o + 320 <= sig.length; o += 320) d.push(wb.process(sig.subarray(o, o + 320)));
    expect(activeShare(d.slice(0, 50))).toBeGreaterThan(0.8);
    expect(d.slice(60).some(Boolean)).toBe(false);
    const nb = concat([speechLike(RATE, 1, 3, 12000), silence(RATE, 1)]);
    expect(decisions(nb)).toEqual(d);
  });
});
