// RFC 3389 comfort noise (src/codecs/comfort-noise.ts): the level byte both ways, untrusted
// payloads, and the generator's level measured with level.ts.
import { describe, expect, it } from 'vitest';
import {
  CN_PAYLOAD_TYPE,
  ComfortNoiseGenerator,
  comfortNoiseLevelDbov,
  DBFS_OVER_DBOV,
  encodeComfortNoise,
  parseComfortNoise,
} from '../../src/codecs/comfort-noise.js';
import { measureRmsDbfs } from '../../src/codecs/level.js';
import { rmsDbov } from '../../src/codecs/vad.js';

describe('CN payload (RFC 3389 §3)', () => {
  it('level-only payload: one byte, -dBov, clamped to 0..127', () => {
    const out = new Uint8Array(4).fill(0xff);
    expect(encodeComfortNoise(-52.4, out, 1)).toBe(1);
    expect([...out]).toEqual([0xff, 52, 0xff, 0xff]);
    encodeComfortNoise(3, out);
    expect(out[0]).toBe(0);
    encodeComfortNoise(-200, out);
    expect(out[0]).toBe(127);
    encodeComfortNoise(Number.NaN, out);
    expect(out[0]).toBe(127);
    expect(CN_PAYLOAD_TYPE).toBe(13);
  });

  it('parses level and reflection coefficients; refuses an empty payload and the reserved bit', () => {
    const p = parseComfortNoise(Uint8Array.of(64, 127, 200, 3));
    expect(p.ok && p.value).toEqual({ levelDbov: -64, reflectionCoefficients: [127, 200, 3] });
    const empty = parseComfortNoise(new Uint8Array(0));
    expect(!empty.ok && empty.error.code).toBe('CN_EMPTY');
    const msb = parseComfortNoise(Uint8Array.of(0x80 | 40));
    expect(!msb.ok && msb.error.code).toBe('CN_BAD_LEVEL');
    // The hot-path reader is liberal: the reserved bit masked, NaN only for no byte at all.
    expect(comfortNoiseLevelDbov(Uint8Array.of(0x80 | 40))).toBe(-40);
    expect(comfortNoiseLevelDbov(Uint8Array.of(9, 70), 1, 1)).toBe(-70);
    expect(comfortNoiseLevelDbov(new Uint8Array(0))).toBeNaN();
  });
});

describe('ComfortNoiseGenerator', () => {
  it.each([-20, -35, -50, -65, -80])('noise at %d dBov measures within 1 dB (1 s at 8 kHz, and each 20 ms frame within 1.5 dB)', (level) => {
    const g = new ComfortNoiseGenerator(8000, 11);
    g.setLevel(level, true);
    const pcm = new Int16Array(8000);
    g.fill(pcm);
    expect(Math.abs(rmsDbov(pcm) - level)).toBeLessThan(1);
    // The same figure through level.ts's AES17 dBFS.
    expect(Math.abs(measureRmsDbfs(pcm) - DBFS_OVER_DBOV - level)).toBeLessThan(1);
    for (let o = 0; o < pcm.length; o += 160) expect(Math.abs(rmsDbov(pcm.subarray(o, o + 160)) - level)).toBeLessThan(1.5);
  });

  it('is deterministic per seed, differs between seeds, and is not a constant or a tone', () => {
    const a = new Int16Array(800);
    const b = new Int16Array(800);
    const c = new Int16Array(800);
    for (const [buf, seed] of [[a, 1], [b, 1], [c, 2]] as const) {
      const g = new ComfortNoiseGenerator(8000, seed);
      g.setLevel(-40, true);
      g.fill(buf);
    }
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    // White: neighbouring samples are uncorrelated (|r1| small).
    let r0 = 0;
    let r1 = 0;
    for (let i = 1; i < a.length; i++) {
      r0 += a[i]! * a[i]!;
      r1 += a[i]! * a[i - 1]!;
    }
    expect(Math.abs(r1 / r0)).toBeLessThan(0.15);
  });

  it('a level change ramps within ~20 ms; fill(out, from, count) writes only that range; -127 and below are silence', () => {
    const g = new ComfortNoiseGenerator(8000, 3);
    g.setLevel(-60, true);
    const warm = new Int16Array(800);
    g.fill(warm);
    g.setLevel(-30);
    const after = new Int16Array(1600);
    g.fill(after);
    expect(Math.abs(rmsDbov(after.subarray(400)) - -30)).toBeLessThan(1);
    expect(rmsDbov(after.subarray(0, 8))).toBeLessThan(-40); // no step
    const part = new Int16Array(10);
    g.fill(part, 3, 4);
    expect([...part.subarray(0, 3), ...part.subarray(7)]).toEqual([0, 0, 0, 0, 0, 0]);
    expect(part.subarray(3, 7).some((v) => v !== 0)).toBe(true);
    g.setLevel(-127, true);
    const quiet = new Int16Array(160);
    g.fill(quiet);
    expect(quiet.every((v) => v === 0)).toBe(true);
    g.reset();
    expect(g.levelDbov).toBe(-Infinity);
  });

  it('16 kHz (G.722 decoders): the same level', () => {
    const g = new ComfortNoiseGenerator(16000, 5);
    g.setLevel(-45, true);
    const pcm = new Int16Array(16000);
    g.fill(pcm);
    expect(Math.abs(rmsDbov(pcm) - -45)).toBeLessThan(1);
  });
});
