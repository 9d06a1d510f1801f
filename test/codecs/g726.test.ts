import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DECODE_MALFORMED } from '../../src/codecs/codec.js';
import type { G726Packing, G726Rate } from '../../src/codecs/g726.js';
import {
  G726_16,
  G726_24,
  G726_32,
  G726_40,
  G726_RATES,
  G726Decoder,
  G726Encoder,
  createG726Codec,
  g726SamplesPerUnit,
} from '../../src/codecs/g726.js';
import { REPO_ROOT, asBytes, asInt16, buildC, runRef } from './ref-harness.js';
import { clipping, concat, mixedCorpus, random16, randomBytes, silence, sine, sineSweep, speechLike, whiteNoise } from './signals.js';

// Oracle: libspandsp g726_init(NULL, rate, G726_ENCODING_LINEAR, G726_PACKING_RIGHT|LEFT),
// driven by test/codecs/ref/spandsp-g726-ref.c.
let ref: string;
beforeAll(() => {
  ref = buildC(join(REPO_ROOT, 'test/codecs/ref/spandsp-g726-ref.c'), 'spandsp-g726-ref', ['-lspandsp']);
});

const FRAME = 160; // 20 ms at 8 kHz

function refEncode(rate: G726Rate, pcm: Int16Array, packing: G726Packing = 'right'): Buffer {
  return runRef(ref, ['g726-encode', String(rate), packing], asBytes(pcm));
}

function refDecode(rate: G726Rate, bytes: Uint8Array, packing: G726Packing = 'right'): Int16Array {
  return asInt16(runRef(ref, ['g726-decode', String(rate), packing], bytes));
}

function encodeStream(rate: G726Rate, pcm: Int16Array, frame = FRAME, packing: G726Packing = 'right'): Uint8Array {
  const enc = new G726Encoder(rate, packing);
  const bits = rate / 8000;
  const out = new Uint8Array((pcm.length * bits) >> 3);
  const buf = new Uint8Array((frame * bits) >> 3);
  for (let i = 0; i < pcm.length; i += frame) {
    const n = enc.encode(pcm.subarray(i, Math.min(i + frame, pcm.length)), buf);
    out.set(buf.subarray(0, n), (i * bits) >> 3);
  }
  return out;
}

function decodeStream(rate: G726Rate, bytes: Uint8Array, frameBytes = (FRAME * rate) / 64000, packing: G726Packing = 'right'): Int16Array {
  const dec = new G726Decoder(rate, packing);
  const bits = rate / 8000;
  const out = new Int16Array((bytes.length * 8) / bits);
  const buf = new Int16Array((frameBytes * 8) / bits);
  for (let i = 0; i < bytes.length; i += frameBytes) {
    const n = dec.decode(bytes.subarray(i, Math.min(i + frameBytes, bytes.length)), buf);
    expect(n).toBeGreaterThanOrEqual(0);
    out.set(buf.subarray(0, n), (i * 8) / bits);
  }
  return out;
}

/** "" when equal, else the first index at which they differ. */
function diff(ours: ArrayLike<number>, theirs: ArrayLike<number>): string {
  if (ours.length !== theirs.length) return `${ours.length} values, spandsp ${theirs.length}`;
  const at = Array.prototype.findIndex.call(ours, (v: number, i: number) => v !== theirs[i]);
  return at < 0 ? '' : `at ${at}: ours ${ours[at]}, spandsp ${theirs[at]}`;
}

/** 2100 Hz answer tone with a phase reversal every 450 ms (V.25 ANSam-like): drives TONE/TRANS. */
function answerTone(seconds: number): Int16Array {
  const seg = sine(8000, 0.45, 2100, 12000);
  const parts: Int16Array[] = [];
  for (let t = 0, k = 0; t < seconds; t += 0.45, k++) parts.push(k % 2 ? seg.map((v) => -v) : seg);
  return concat(parts);
}

/** DTMF "5" (770 + 1336 Hz) bursts and gaps. */
function dtmf(seconds: number): Int16Array {
  const a = sine(8000, 0.1, 770, 8000);
  const b = sine(8000, 0.1, 1336, 8000);
  const burst = a.map((v, i) => v + b[i]!);
  const parts: Int16Array[] = [];
  for (let t = 0; t < seconds; t += 0.2) parts.push(burst, silence(8000, 0.1));
  return concat(parts);
}

const signals: [string, () => Int16Array][] = [
  ['speech-like', () => speechLike(8000, 3, 21)],
  ['quiet speech-like', () => speechLike(8000, 1, 22, 300)],
  ['sine sweep 20 Hz–3.9 kHz', () => sineSweep(8000, 3, 20, 3900, 16000)],
  ['full-scale sine sweep', () => sineSweep(8000, 1, 100, 3500, 32767)],
  ['1004 Hz tone', () => sine(8000, 1, 1004, 10000)],
  ['2100 Hz answer tone with phase reversals', () => answerTone(2)],
  ['DTMF bursts', () => dtmf(1)],
  ['white noise (seed 23)', () => whiteNoise(8000, 2, 4000, 23)],
  ['silence', () => silence(8000, 1)],
  ['full-scale clipping values', () => clipping(8000, 2, 24)],
  ['full-scale random 16-bit noise', () => random16(16000, 25)],
  ['full-scale DC', () => new Int16Array(8000).fill(32767)],
];

const rates: [string, G726Rate][] = G726_RATES.map((r) => [`${r / 1000} kbit/s`, r]);

describe.each(rates)('G.726 %s encoder bit-exact with libspandsp g726_encode', (_label, rate) => {
  it.each(signals)('%s: every encoded byte equals spandsp', (_name, make) => {
    const pcm = make();
    expect(diff(encodeStream(rate, pcm), refEncode(rate, pcm))).toBe('');
  });

  it('the mixed corpus encoded in one stream equals spandsp, for any whole packet size and in one shot', () => {
    const pcm = mixedCorpus(8000).subarray(0, 80000);
    const theirs = refEncode(rate, pcm);
    expect(theirs.length).toBe((pcm.length * rate) / 64000);
    expect(diff(encodeStream(rate, pcm), theirs)).toBe('');
    expect(diff(encodeStream(rate, pcm, 8 * 5), theirs)).toBe('');
    const codec = createG726Codec(rate);
    const whole = new Uint8Array(theirs.length);
    expect(codec.encode(pcm, whole)).toBe(theirs.length);
    expect(diff(whole, theirs)).toBe('');
  });

  it('AAL2 (left) packing equals spandsp G726_PACKING_LEFT', () => {
    const pcm = mixedCorpus(8000).subarray(0, 40000);
    const theirs = refEncode(rate, pcm, 'left');
    expect(diff(encodeStream(rate, pcm, FRAME, 'left'), theirs)).toBe('');
    expect(diff(decodeStream(rate, theirs, undefined, 'left'), refDecode(rate, theirs, 'left'))).toBe('');
  });
});

describe.each(rates)('G.726 %s decoder bit-exact with libspandsp g726_decode', (_label, rate) => {
  it.each(signals)("%s: decoding spandsp's bitstream gives every sample spandsp gives", (_name, make) => {
    const bits = refEncode(rate, make());
    expect(diff(decodeStream(rate, bits), refDecode(rate, bits))).toBe('');
  });

  it('10 s of random code words decode to the same samples as spandsp, in any whole packet size', () => {
    const bytes = randomBytes(rate / 8 * 10, 26 + rate / 8000);
    const theirs = refDecode(rate, bytes);
    expect(theirs.length).toBe(80000);
    expect(diff(decodeStream(rate, bytes), theirs)).toBe('');
    const unitBytes = (g726SamplesPerUnit(rate) * rate) / 64000;
    expect(diff(decodeStream(rate, bytes, unitBytes * 7), theirs)).toBe('');
    const ours = new Int16Array(80000);
    expect(createG726Codec(rate).decode(bytes, ours)).toBe(80000);
    expect(diff(ours, theirs)).toBe('');
  });
});

describe('G.726 descriptors and state', () => {
  it('are G726-16/24/32/40 at 8000 Hz with dynamic payload types (RFC 3551 §4.5.4, §6)', () => {
    const rows = [G726_16, G726_24, G726_32, G726_40].map((c) => [c.name, c.clockRate, c.sampleRate, c.frameMs, c.samplesPerFrame, c.maxEncodedBytes(160)]);
    expect(rows).toEqual([
      ['G726-16', 8000, 8000, 20, 4, 40],
      ['G726-24', 8000, 8000, 20, 8, 60],
      ['G726-32', 8000, 8000, 20, 2, 80],
      ['G726-40', 8000, 8000, 20, 8, 100],
    ]);
    for (const c of [G726_16, G726_24, G726_32, G726_40]) expect(c.payloadType).toBeGreaterThanOrEqual(96);
    expect(new Set([G726_16, G726_24, G726_32, G726_40].map((c) => c.payloadType)).size).toBe(4);
    expect(createG726Codec(32000, 'left').name).toBe('AAL2-G726-32');
    expect(G726_40.maxDecodedSamples(100)).toBe(160);
  });

  it('packs the first code word into the low bits of the first octet (RFC 3551 §4.5.4), AAL2 into the high bits', () => {
    // Silence encodes as the same code word every sample, so look at a loud first sample.
    const pcm = new Int16Array(8);
    pcm[0] = 20000;
    const right = new Uint8Array(4);
    const left = new Uint8Array(4);
    new G726Encoder(32000, 'right').encode(pcm, right);
    new G726Encoder(32000, 'left').encode(pcm, left);
    const first = right[0]! & 0x0f;
    expect(first).toBe(7); // the largest positive 4-bit code word
    expect(left[0]! >> 4).toBe(first);
    expect(right[0]! >> 4).toBe(left[0]! & 0x0f);
  });

  it('keeps state per encoder and decoder: streams of all four rates interleaved packet by packet match fresh ones; reset starts over', () => {
    const pcm = speechLike(8000, 0.5, 31);
    const encoders = G726_RATES.map((r) => new G726Encoder(r));
    const decoders = G726_RATES.map((r) => new G726Decoder(r));
    const encoded = G726_RATES.map((r) => new Uint8Array((pcm.length * r) / 64000));
    const decoded = G726_RATES.map(() => new Int16Array(pcm.length));
    const bytesOut = new Uint8Array(100);
    const samplesOut = new Int16Array(FRAME);
    for (let i = 0; i < pcm.length; i += FRAME) {
      G726_RATES.forEach((r, k) => {
        const n = encoders[k]!.encode(pcm.subarray(i, i + FRAME), bytesOut);
        encoded[k]!.set(bytesOut.subarray(0, n), (i * r) / 64000);
        expect(decoders[k]!.decode(bytesOut.subarray(0, n), samplesOut)).toBe(FRAME);
        decoded[k]!.set(samplesOut, i);
      });
    }
    G726_RATES.forEach((r, k) => {
      const fresh = encodeStream(r, pcm);
      expect(diff(encoded[k]!, fresh)).toBe('');
      expect(diff(decoded[k]!, decodeStream(r, fresh))).toBe('');
      encoders[k]!.reset();
      const again = new Uint8Array(fresh.length);
      encoders[k]!.encode(pcm, again);
      expect(diff(again, fresh)).toBe('');
      decoders[k]!.reset();
      const redecoded = new Int16Array(pcm.length);
      decoders[k]!.decode(fresh, redecoded);
      expect(diff(redecoded, decoded[k]!)).toBe('');
    });
  });

  it('rejects payloads that end inside a code word (24, 40 kbit/s) without touching the state', () => {
    const bits = refEncode(24000, speechLike(8000, 0.2, 33));
    const dec = new G726Decoder(24000);
    const out = new Int16Array(1600);
    expect(dec.decode(bits.subarray(0, 59), out)).toBe(DECODE_MALFORMED);
    expect(new G726Decoder(40000).decode(new Uint8Array(99), out)).toBe(DECODE_MALFORMED);
    expect(dec.decode(bits, out)).toBe(bits.length * 8 / 3);
    expect(diff(out.subarray(0, 1600 * 0 + (bits.length * 8) / 3), refDecode(24000, bits))).toBe('');
  });

  it('rejects partial code-word groups and too-small buffers (caller bugs)', () => {
    expect(() => G726_24.encode(new Int16Array(4), new Uint8Array(10))).toThrow(RangeError);
    expect(() => G726_32.encode(new Int16Array(3), new Uint8Array(10))).toThrow(RangeError);
    expect(() => G726_32.encode(new Int16Array(160), new Uint8Array(79))).toThrow(RangeError);
    expect(() => G726_40.decode(new Uint8Array(100), new Int16Array(159))).toThrow(RangeError);
  });
});
