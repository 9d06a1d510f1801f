import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unwrap } from '../../src/core/result.js';
import { alawToLinear, linearToAlaw, linearToUlaw, ulawToLinear } from '../../src/codecs/g711.js';
import { goertzelAmplitude } from '../../src/codecs/goertzel.js';
import { decodeWav, downsampleWhole, encodeWav, parseWav, readWavFile, upsampleWhole, writeWavFile } from '../../src/codecs/wav.js';
import { random16, randomBytes, sine, speechLike } from './signals.js';

const dir = mkdtempSync(join(tmpdir(), 'vphone-wav-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A hand-made WAV: RIFF header, then the given chunks (id, body) with even padding. */
function riff(chunks: ReadonlyArray<readonly [string, Uint8Array]>, form = 'WAVE'): Uint8Array {
  const size = 4 + chunks.reduce((n, [, b]) => n + 8 + b.length + (b.length & 1), 0);
  const out = new Uint8Array(8 + size);
  const v = new DataView(out.buffer);
  const put = (at: number, s: string): void => s.split('').forEach((c, i) => (out[at + i] = c.charCodeAt(0)));
  put(0, 'RIFF');
  v.setUint32(4, size, true);
  put(8, form);
  let at = 12;
  for (const [id, body] of chunks) {
    put(at, id);
    v.setUint32(at + 4, body.length, true);
    out.set(body, at + 8);
    at += 8 + body.length + (body.length & 1);
  }
  return out;
}

function fmt(code: number, channels: number, rate: number, bits: number, extra?: Uint8Array): Uint8Array {
  const b = new Uint8Array(16 + (extra?.length ?? 0));
  const v = new DataView(b.buffer);
  v.setUint16(0, code, true);
  v.setUint16(2, channels, true);
  v.setUint32(4, rate, true);
  v.setUint32(8, (rate * channels * bits) / 8, true);
  v.setUint16(12, (channels * bits) / 8, true);
  v.setUint16(14, bits, true);
  if (extra) b.set(extra, 16);
  return b;
}

function pcm16(samples: ArrayLike<number>): Uint8Array {
  const b = new Uint8Array(samples.length * 2);
  const v = new DataView(b.buffer);
  for (let i = 0; i < samples.length; i++) v.setInt16(2 * i, samples[i]!, true);
  return b;
}

describe('WAV files', () => {
  it('round-trips 16-bit mono at 8 and 16 kHz, byte-exact header', () => {
    for (const rate of [8000, 16000]) {
      const x = random16(rate / 2 + 1, rate);
      const bytes = encodeWav(x, rate);
      expect(bytes.length).toBe(44 + x.length * 2);
      expect(String.fromCharCode(...bytes.subarray(0, 4), ...bytes.subarray(8, 16), ...bytes.subarray(36, 40))).toBe('RIFFWAVEfmt data');
      const w = unwrap(parseWav(bytes));
      expect(w).toMatchObject({ sampleRate: rate, channels: 1, format: 'pcm16' });
      expect(w.samples).toEqual(x);
    }
  });

  it('reads and writes 8-bit µ-law and A-law (formats 7 and 6) with G.711 exactness', () => {
    const x = speechLike(8000, 0.5, 3);
    for (const [format, enc, dec] of [
      ['ulaw', linearToUlaw, ulawToLinear],
      ['alaw', linearToAlaw, alawToLinear],
    ] as const) {
      const bytes = encodeWav(x, 8000, format);
      expect(new DataView(bytes.buffer).getUint16(20, true)).toBe(format === 'ulaw' ? 7 : 6);
      const w = unwrap(parseWav(bytes));
      expect(w.format).toBe(format);
      expect(w.samples).toEqual(Int16Array.from(x, (s) => dec(enc(s))));
    }
    // 8-bit unsigned PCM.
    const eight = unwrap(parseWav(encodeWav(Int16Array.of(0, 32767, -32768, 256), 8000, 'pcm8')));
    expect([...eight.samples]).toEqual([0, 127 << 8, -32768, 256]);
  });

  it('mixes stereo (and WAVE_FORMAT_EXTENSIBLE) down to mono', () => {
    const frames = [100, 300, -200, -400, 32767, 32767, -32768, -32768];
    const stereo = riff([
      ['fmt ', fmt(1, 2, 8000, 16)],
      ['data', pcm16(frames)],
    ]);
    expect([...unwrap(parseWav(stereo)).samples]).toEqual([200, -300, 32767, -32768]);
    const guid = new Uint8Array(24);
    new DataView(guid.buffer).setUint16(0, 22, true); // cbSize
    new DataView(guid.buffer).setUint16(8, 1, true); // SubFormat = PCM
    const ext = riff([
      ['fmt ', fmt(0xfffe, 2, 16000, 16, guid)],
      ['LIST', new Uint8Array(5)], // an odd-sized chunk before the data, padded
      ['data', pcm16(frames)],
    ]);
    const w = unwrap(parseWav(ext));
    expect(w).toMatchObject({ sampleRate: 16000, channels: 2, format: 'pcm16' });
    expect([...w.samples]).toEqual([200, -300, 32767, -32768]);
    const uStereo = riff([
      ['fmt ', fmt(7, 2, 8000, 8)],
      ['data', Uint8Array.of(0xff, 0x7f, 0x80, 0x00)],
    ]);
    expect([...unwrap(parseWav(uStereo)).samples]).toEqual([0, Math.round((ulawToLinear(0x80) + ulawToLinear(0)) / 2)]);
  });

  it('resamples 8 <-> 16 kHz with the half-band resampler, without delay', () => {
    const tone8 = sine(8000, 1, 1000, 10000);
    const up = unwrap(decodeWav(encodeWav(tone8, 8000), 16000));
    expect(up.sampleRate).toBe(16000);
    expect(up.samples.length).toBe(2 * tone8.length);
    expect(goertzelAmplitude(up.samples, 1000, 16000, 800, 14400) / 10000).toBeCloseTo(1, 1);
    // Aligned: odd output samples are the input samples (resample.ts: output 2n+1 = input n - 15, delay removed).
    let err = 0;
    for (let n = 100; n < 7900; n++) err = Math.max(err, Math.abs(up.samples[2 * n]! - tone8[n]!));
    expect(err).toBeLessThan(50);
    const tone16 = sine(16000, 1, 1000, 10000);
    const down = unwrap(decodeWav(encodeWav(tone16, 16000), 8000));
    expect(down.samples.length).toBe(8000);
    err = 0;
    for (let n = 100; n < 7900; n++) err = Math.max(err, Math.abs(down.samples[n]! - tone16[2 * n]!));
    expect(err).toBeLessThan(50);
    expect(upsampleWhole(new Int16Array(0)).length).toBe(0);
    expect(downsampleWhole(Int16Array.of(1, 2, 3)).length).toBe(2);
    expect(unwrap(decodeWav(encodeWav(tone8, 8000))).samples).toEqual(tone8);
    expect(decodeWav(encodeWav(tone8, 44100), 8000)).toMatchObject({ ok: false, error: { code: 'WAV_UNSUPPORTED_RATE' } });
  });

  it('malformed headers and truncated data are Result errors with stable codes', () => {
    const good = encodeWav(sine(8000, 0.1, 440, 1000), 8000);
    const cases: Array<[string, Uint8Array, string]> = [
      ['empty', new Uint8Array(0), 'WAV_TRUNCATED'],
      ['short header', good.subarray(0, 11), 'WAV_TRUNCATED'],
      ['not RIFF', Uint8Array.from(good, (b, i) => (i === 0 ? 0x58 : b)), 'WAV_NOT_RIFF'],
      ['RIFX', Uint8Array.from(good, (b, i) => (i === 3 ? 0x58 : b)), 'WAV_NOT_RIFF'],
      ['not WAVE', riff([], 'AVI '), 'WAV_NOT_WAVE'],
      ['header only', good.subarray(0, 12), 'WAV_BAD_FMT'],
      ['no data', riff([['fmt ', fmt(1, 1, 8000, 16)]]), 'WAV_NO_DATA'],
      ['data before fmt', riff([['data', pcm16([1, 2])], ['fmt ', fmt(1, 1, 8000, 16)]]), 'WAV_BAD_FMT'],
      ['fmt too small', riff([['fmt ', new Uint8Array(12)], ['data', pcm16([1])]]), 'WAV_BAD_FMT'],
      ['float', riff([['fmt ', fmt(3, 1, 8000, 32)], ['data', new Uint8Array(8)]]), 'WAV_UNSUPPORTED'],
      ['24-bit', riff([['fmt ', fmt(1, 1, 8000, 24)], ['data', new Uint8Array(6)]]), 'WAV_UNSUPPORTED'],
      ['0 channels', riff([['fmt ', fmt(1, 0, 8000, 16)], ['data', new Uint8Array(2)]]), 'WAV_UNSUPPORTED'],
      ['rate 0', riff([['fmt ', fmt(1, 1, 0, 16)], ['data', new Uint8Array(2)]]), 'WAV_UNSUPPORTED'],
      ['bad block align', riff([['fmt ', Uint8Array.from(fmt(1, 1, 8000, 16), (b, i) => (i === 12 ? 4 : b))], ['data', new Uint8Array(4)]]), 'WAV_BAD_FMT'],
      ['extensible too short', riff([['fmt ', fmt(0xfffe, 1, 8000, 16)], ['data', new Uint8Array(2)]]), 'WAV_BAD_FMT'],
      ['truncated data', good.subarray(0, good.length - 10), 'WAV_TRUNCATED'],
      ['truncated mid-header', good.subarray(0, 30), 'WAV_TRUNCATED'],
      ['half a sample', riff([['fmt ', fmt(1, 1, 8000, 16)], ['data', new Uint8Array(3)]]), 'WAV_TRUNCATED'],
      ['chunk past the end', good.subarray(0, 40), 'WAV_TRUNCATED'],
    ];
    for (const [name, bytes, code] of cases) {
      const r = parseWav(bytes);
      expect(r.ok, name).toBe(false);
      if (!r.ok) {
        expect(r.error.code, name).toBe(code);
        expect(r.error.message, name).toMatch(/^wav: /);
      }
    }
  });

  it('never throws on arbitrary bytes, nor on mutated valid files', () => {
    const good = encodeWav(sine(8000, 0.05, 440, 1000), 8000);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(() => parseWav(bytes)).not.toThrow();
        expect(() => decodeWav(bytes, 16000)).not.toThrow();
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat(good.length), (edits, cut) => {
        const bytes = good.slice(0, cut);
        for (const [at, value] of edits) if (at < bytes.length) bytes[at] = value;
        expect(() => decodeWav(bytes, 16000)).not.toThrow();
      }),
    );
    expect(() => parseWav(randomBytes(5000, 77))).not.toThrow();
  });

  it('reads and writes files (atomically), with I/O errors as Results', () => {
    const x = speechLike(16000, 0.3, 2);
    const path = join(dir, 'prompt.wav');
    expect(writeWavFile(path, x, 16000)).toEqual({ ok: true, value: undefined });
    const back = unwrap(readWavFile(path));
    expect(back.samples).toEqual(x);
    expect(unwrap(readWavFile(path, 8000)).samples.length).toBe(x.length / 2);
    expect(readWavFile(join(dir, 'missing.wav'))).toMatchObject({ ok: false, error: { code: 'WAV_IO' } });
    expect(writeWavFile(join(dir, 'no/such/dir.wav'), x, 16000)).toMatchObject({ ok: false, error: { code: 'WAV_IO' } });
    writeFileSync(join(dir, 'junk.wav'), 'not a wav file');
    expect(readWavFile(join(dir, 'junk.wav'))).toMatchObject({ ok: false, error: { code: 'WAV_NOT_RIFF' } });
  });
});
