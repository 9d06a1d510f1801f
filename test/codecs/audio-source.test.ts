// Audio sources: one frame per read into the caller's buffer; silence, tone, in-band DTMF, samples
// (once and looped), sample-exact concatenation, mixing with gains, and the identity mark.
import { describe, expect, it } from 'vitest';
import { ConcatSource, DtmfSource, MarkedSource, MixSource, SamplesSource, SilenceSource, ToneSource, frameSamples, pullFrames, type AudioSource } from '../../src/codecs/audio-source.js';
import { detectDtmf } from '../../src/codecs/dtmf-detector.js';
import { goertzelPower } from '../../src/codecs/goertzel.js';
import { IdentityMarker, identifyAudio, identityMarkFromSeed } from '../../src/codecs/identity-mark.js';
import { measureRmsDbfs } from '../../src/codecs/level.js';
import { unwrap } from '../../src/core/result.js';
import { toneFromTimings } from '../../src/codecs/tone-generator.js';

function ramp(n: number, from = 1): Int16Array {
  return Int16Array.from({ length: n }, (_, i) => from + i);
}

describe('audio sources', () => {
  it('frameSamples: 20 ms is 160 samples at 8 kHz, 320 at 16 kHz; 30 ms at 8 kHz is 240', () => {
    expect(frameSamples(8000)).toBe(160);
    expect(frameSamples(16000)).toBe(320);
    expect(frameSamples(8000, 30)).toBe(240);
  });

  it('silence overwrites the whole frame and never ends', () => {
    const s = new SilenceSource(8000);
    const out = new Int16Array(160).fill(123);
    expect(s.read(out)).toBe(160);
    expect(out.every((v) => v === 0)).toBe(true);
    expect(s.ended).toBe(false);
  });

  it('samples: played once with the tail of the last frame zeroed, then ended; reset restarts', () => {
    const s = new SamplesSource(ramp(250), 8000);
    const out = new Int16Array(160);
    expect(s.read(out)).toBe(160);
    expect(out[159]).toBe(160);
    out.fill(7);
    expect(s.read(out)).toBe(90);
    expect(out[89]).toBe(250);
    expect(out.subarray(90).every((v) => v === 0)).toBe(true);
    expect(s.ended).toBe(true);
    expect(s.read(out)).toBe(0);
    s.reset();
    expect(s.ended).toBe(false);
    expect(s.read(out)).toBe(160);
    expect(out[0]).toBe(1);
  });

  it('samples looped wrap around sample-exactly and never end', () => {
    const s = new SamplesSource(ramp(100), 8000, true);
    const out = pullFrames(s, 3);
    for (let i = 0; i < out.length; i++) expect(out[i]).toBe((i % 100) + 1);
    expect(s.ended).toBe(false);
    expect(new SamplesSource(new Int16Array(0), 8000, true).ended).toBe(true); // empty loop cannot spin
  });

  it('tone: a steady 1 kHz tone at the KX-UT670 nominal level, endless', () => {
    const spec = unwrap(toneFromTimings([1000], 0, [0], 'on-first'));
    const s = new ToneSource(spec, 8000);
    const out = pullFrames(s, 50);
    expect(s.ended).toBe(false);
    expect(goertzelPower(out, 1000, 8000)).toBeGreaterThan(1000 * goertzelPower(out, 1400, 8000));
    expect(measureRmsDbfs(out)).toBeGreaterThan(-20);
  });

  it('tone: a one-shot tone ends', () => {
    const spec = unwrap(toneFromTimings([440], 0, [100], 'on-first'));
    const s = new ToneSource({ ...spec, segments: spec.segments.map((g) => ({ ...g, once: true })) }, 8000);
    pullFrames(s, 10);
    expect(s.ended).toBe(true);
  });

  it('DTMF: the digits are detectable, enqueue appends, reset replays everything', () => {
    const s = new DtmfSource('12', 8000, { signalMs: 100, interDigitMs: 60 });
    s.enqueue('#');
    const audio = pullFrames(s, 30); // 600 ms ≥ 3 × 160 ms
    expect(s.ended).toBe(true);
    expect(detectDtmf(audio, 8000)).toBe('12#');
    s.reset();
    expect(detectDtmf(pullFrames(s, 30), 8000)).toBe('12#');
  });

  it('concat: continues inside the frame where the previous source ended', () => {
    const s = new ConcatSource([new SamplesSource(ramp(100, 1), 8000), new SamplesSource(ramp(100, 1001), 8000)]);
    const out = new Int16Array(160);
    expect(s.read(out)).toBe(160);
    expect(out[99]).toBe(100);
    expect(out[100]).toBe(1001);
    expect(s.read(out)).toBe(40);
    expect(out[39]).toBe(1100);
    expect(s.ended).toBe(true);
    s.reset();
    expect(s.ended).toBe(false);
    expect(() => new ConcatSource([new SilenceSource(8000), new SilenceSource(16000)])).toThrow(RangeError);
  });

  it('concat: a source that breaks the contract (0 samples, not ended) cannot make it spin', () => {
    const stuck: AudioSource = { sampleRate: 8000, ended: false, read: () => 0, reset: () => {} };
    const s = new ConcatSource([stuck]);
    expect(s.read(new Int16Array(160))).toBe(0);
  });

  it('mix: sums with gains, saturates, ends when all sources ended', () => {
    const a = new SamplesSource(new Int16Array(160).fill(1000), 8000);
    const b = new SamplesSource(new Int16Array(80).fill(30000), 8000);
    const m = new MixSource([a, b], [0.5, 1]);
    const out = new Int16Array(160);
    expect(m.read(out)).toBe(160);
    expect(out[0]).toBe(30500);
    expect(out[100]).toBe(500);
    expect(m.ended).toBe(true);
    const loud = new MixSource([new SamplesSource(new Int16Array(4).fill(30000), 8000), new SamplesSource(new Int16Array(4).fill(30000), 8000)]);
    const o2 = new Int16Array(4);
    loud.read(o2);
    expect([...o2]).toEqual([32767, 32767, 32767, 32767]);
    expect(() => new MixSource([a], [1, 2])).toThrow(RangeError);
  });

  it('marked: the mark is added to every frame, also after the source ended, and identifies the device', () => {
    const mark = identityMarkFromSeed('phone-a');
    const s = new MarkedSource(new SamplesSource(new Int16Array(160), 8000), new IdentityMarker(mark, 8000));
    const out = pullFrames(s, 150); // 3 s
    expect(s.ended).toBe(true);
    expect(out.subarray(160).some((v) => v !== 0)).toBe(true);
    const report = identifyAudio(out, 8000, [mark, identityMarkFromSeed('phone-b')]);
    expect(report.verdict).toBe('phone-a');
    expect(() => new MarkedSource(new SilenceSource(16000), new IdentityMarker(mark, 8000))).toThrow(RangeError);
  });
});
