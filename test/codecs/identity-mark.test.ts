// The identity mark: a device's faint spread-spectrum signature survives G.711, G.722 and G.729
// with speech 20+ dB above it and lost packets, and the detector names the right device, rejects
// the others, and says 'silence' or 'no-mark' when there is nothing to judge.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AudioCodec } from '../../src/codecs/codec.js';
import { PCMA, PCMU } from '../../src/codecs/g711.js';
import { G722 } from '../../src/codecs/g722.js';
import { loadG729 } from '../../src/codecs/g729.js';
import { IdentityDetector, IdentityMarker, MARK_LEVEL_DBFS, MARK_PERIOD, identifyAudio, identityMarkFromMac, identityMarkFromSeed, type IdentityMark } from '../../src/codecs/identity-mark.js';
import { measureRmsDbfs } from '../../src/codecs/level.js';
import { unwrap } from '../../src/core/result.js';
import { seededRandom } from '../rtp/impairment.js';
import { speechLike, whiteNoise } from './signals.js';

const A = identityMarkFromSeed('A');
const B = identityMarkFromSeed('B');
const C = identityMarkFromSeed('C');
const CANDIDATES = [A, B, C];

function marked(audio: Int16Array, mark: IdentityMark, rate: number): Int16Array {
  const out = audio.slice();
  const m = new IdentityMarker(mark, rate);
  const frame = (rate * 20) / 1000;
  for (let i = 0; i < out.length; i += frame) m.apply(out.subarray(i, i + frame));
  return out;
}

/** Through a codec frame by frame (stateful encoder/decoder), losing `loss` of the frames (PLC or zeros). */
function throughCodec(audio: Int16Array, codec: AudioCodec, loss = 0, seed = 1): Int16Array {
  const enc = codec.createEncoder({ vad: false });
  const dec = codec.createDecoder();
  const frame = (codec.sampleRate * 20) / 1000;
  const out = new Int16Array(audio.length);
  const payload = new Uint8Array(codec.maxEncodedBytes(frame));
  const rnd = seededRandom(seed);
  for (let i = 0; i + frame <= audio.length; i += frame) {
    const n = enc.encode(audio.subarray(i, i + frame), payload);
    const o = out.subarray(i, i + frame);
    if (rnd() < loss) {
      if (dec.conceal) dec.conceal(o);
    } else dec.decode(payload.subarray(0, n), o);
  }
  return out;
}

let G729: AudioCodec | undefined;
beforeAll(() => {
  const r = loadG729();
  G729 = r.ok ? r.value : undefined;
});

describe('identity mark', () => {
  it('is deterministic per id, ±1 chips, balanced, and different devices are uncorrelated', () => {
    expect(identityMarkFromSeed('A').chips).toEqual(A.chips);
    expect(A.chips.length).toBe(MARK_PERIOD);
    let sum = 0;
    let cross = 0;
    for (let i = 0; i < MARK_PERIOD; i++) {
      expect(Math.abs(A.chips[i]!)).toBe(1);
      sum += A.chips[i]!;
      cross += A.chips[i]! * B.chips[i]!;
    }
    expect(Math.abs(sum)).toBeLessThan(4 * Math.sqrt(MARK_PERIOD));
    expect(Math.abs(cross)).toBeLessThan(4 * Math.sqrt(MARK_PERIOD));
  });

  it('from a MAC in any usual notation, Result failure otherwise', () => {
    const a = unwrap(identityMarkFromMac('00:80:F0:12:34:56'));
    expect(a.id).toBe('0080f0123456');
    expect(unwrap(identityMarkFromMac('00-80-f0-12-34-56')).chips).toEqual(a.chips);
    expect(unwrap(identityMarkFromMac('0080.f012.3456')).chips).toEqual(a.chips);
    const bad = identityMarkFromMac('00:80:F0:12:34');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.code).toBe('MARK_BAD_MAC');
  });

  it('is added at -40 dBFS', () => {
    const out = marked(new Int16Array(8000 * 2), A, 8000);
    expect(measureRmsDbfs(out)).toBeCloseTo(MARK_LEVEL_DBFS, 0);
  });

  it('silence and an unmarked line: nothing is claimed', () => {
    const sil = identifyAudio(new Int16Array(16000), 8000, CANDIDATES);
    expect(sil.reason).toBe('silence');
    expect(sil.verdict).toBe('none');
    const speech = identifyAudio(speechLike(8000, 3, 5), 8000, CANDIDATES);
    expect(speech.reason).toBe('no-mark');
    expect(speech.verdict).toBe('none');
    for (const s of speech.scores) expect(s.score).toBeLessThan(7);
  });

  const cases: Array<[string, () => AudioCodec | undefined, number]> = [
    ['PCMU', () => PCMU, 0],
    ['PCMA', () => PCMA, 0.05],
    ['G722', () => G722, 0.05],
    ['G729', () => G729, 0.05],
  ];
  for (const [name, get, loss] of cases) {
    it(`through ${name} with speech 20 dB above the mark${loss ? ' and 5 % loss' : ''}: names B, not A or C`, (ctx) => {
      const codec = get();
      if (!codec) return ctx.skip(); // G.729 addon not built
      const rate = codec.sampleRate;
      const speech = speechLike(rate, 3, 7, 24000); // about -19 dBFS RMS, pauses included
      expect(measureRmsDbfs(speech) - MARK_LEVEL_DBFS).toBeGreaterThan(20);
      const heard = throughCodec(marked(speech, B, rate), codec, loss);
      const d = new IdentityDetector(rate, CANDIDATES, { windowMs: 2000 });
      d.write(heard.subarray(0, 7 * 160)); // odd-sized writes are fine
      d.write(heard.subarray(7 * 160));
      const r = d.detect();
      expect(r.verdict).toBe('B');
      expect(r.reason).toBe('mark');
      expect(r.scores[0]!.id).toBe('B');
      expect(r.scores[0]!.score).toBeGreaterThan(10);
      for (const s of r.scores.slice(1)) expect(s.present).toBe(false);
    });
  }

  it('catches crossed audio: what arrives carries C`s mark, not the expected A', () => {
    const heard = throughCodec(marked(speechLike(8000, 3, 9, 24000), C, 8000), PCMU);
    const r = identifyAudio(heard, 8000, CANDIDATES);
    expect(r.verdict).toBe('C');
    expect(r.scores.find((s) => s.id === 'A')!.present).toBe(false);
  });

  it('two marks mixed (a conference) are both present', () => {
    const mix = marked(marked(whiteNoise(8000, 3, 30, 4), A, 8000), C, 8000);
    const r = identifyAudio(mix, 8000, CANDIDATES);
    const present = r.scores.filter((s) => s.present).map((s) => s.id).sort();
    expect(present).toEqual(['A', 'C']);
  });

  it('the window slides: after switching from A to B, only B is heard once A left the window', () => {
    const d = new IdentityDetector(8000, CANDIDATES, { windowMs: 1000 });
    d.write(marked(whiteNoise(8000, 2, 50, 1), A, 8000));
    expect(d.detect().verdict).toBe('A');
    d.write(marked(whiteNoise(8000, 1.5, 50, 2), B, 8000));
    const r = d.detect();
    expect(r.verdict).toBe('B');
    expect(r.scores.find((s) => s.id === 'A')!.present).toBe(false);
    d.reset();
    expect(d.detect().reason).toBe('silence');
  });

  it('rejects unsupported rates and odd 16 kHz frames for the marker', () => {
    expect(() => new IdentityMarker(A, 44100)).toThrow(RangeError);
    expect(() => new IdentityDetector(11025, CANDIDATES)).toThrow(RangeError);
    expect(() => new IdentityMarker(A, 16000).apply(new Int16Array(3))).toThrow(RangeError);
  });
});
