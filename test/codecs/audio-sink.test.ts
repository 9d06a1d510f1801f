// Audio sinks: the WAV recorder (growth, bound, round trip through wav.ts), the level meter
// against known sine levels, the tee, and detectors used as sinks.
import { describe, expect, it } from 'vitest';
import { LevelMeter, TeeSink, WavRecorder, pushFrames, type AudioSink } from '../../src/codecs/audio-sink.js';
import { DtmfDetector } from '../../src/codecs/dtmf-detector.js';
import { renderDtmf } from '../../src/codecs/dtmf-generator.js';
import { SILENCE_DB, sineAmplitudeForDbfs } from '../../src/codecs/level.js';
import { decodeWav } from '../../src/codecs/wav.js';
import { sine, speechLike } from './signals.js';

describe('audio sinks', () => {
  it('recorder keeps every frame in order, copies (not references) them, and round-trips as WAV', () => {
    const rec = new WavRecorder(8000);
    const speech = speechLike(8000, 2.5);
    const frame = new Int16Array(160);
    for (let i = 0; i < speech.length; i += 160) {
      frame.set(speech.subarray(i, i + 160));
      rec.write(frame); // the same buffer every time, as the media tick does
    }
    frame.fill(0);
    expect(rec.durationMs).toBe(2500);
    expect(rec.samples()).toEqual(speech);
    const wav = decodeWav(rec.toWav());
    expect(wav.ok && wav.value.samples).toEqual(speech);
    expect(wav.ok && wav.value.sampleRate).toBe(8000);
    rec.clear();
    expect(rec.durationMs).toBe(0);
  });

  it('recorder stops at maxSeconds', () => {
    const rec = new WavRecorder(8000, 1);
    pushFrames(rec, new Int16Array(8000 * 3).fill(5));
    expect(rec.durationMs).toBe(1000);
    expect(rec.samples().length).toBe(8000);
  });

  it('level meter: a -20 dBFS sine reads -20 dBFS RMS and -20 dBFS peak; silence reads the floor', () => {
    const m = new LevelMeter(8000);
    expect(m.rmsDbfs).toBe(SILENCE_DB);
    pushFrames(m, sine(8000, 1, 1000, sineAmplitudeForDbfs(-20)));
    expect(m.rmsDbfs).toBeCloseTo(-20, 1);
    expect(m.peakDbfs).toBeCloseTo(-20, 1); // peak relative to 32767: a sine's peak reads its RMS level
    expect(m.frameRmsDbfs).toBeCloseTo(-20, 1);
    expect(m.measuredMs).toBe(1000);
    m.write(new Int16Array(160));
    expect(m.frameRmsDbfs).toBeLessThan(-100);
    m.reset();
    expect(m.measuredMs).toBe(0);
    expect(m.rmsDbfs).toBe(SILENCE_DB);
  });

  it('tee feeds every sink; detectors are sinks as they are', () => {
    const rec = new WavRecorder(8000);
    const meter = new LevelMeter(8000);
    const dtmf: AudioSink = new DtmfDetector(8000);
    const tee = new TeeSink([rec, meter, dtmf]);
    pushFrames(tee, renderDtmf('59', 8000));
    expect((dtmf as DtmfDetector).digits).toBe('59');
    expect(rec.durationMs).toBeGreaterThan(400);
    expect(meter.rmsDbfs).toBeGreaterThan(-30);
    expect(() => new TeeSink([])).toThrow(RangeError);
    expect(() => new TeeSink([rec, new LevelMeter(16000)])).toThrow(RangeError);
  });
});
