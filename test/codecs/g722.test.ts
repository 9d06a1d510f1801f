import { beforeAll, describe, expect, it } from 'vitest';
import { G722, G722Decoder, G722Encoder } from '../../src/codecs/g722.js';
import { asBytes, asInt16, runRef, spandspRef } from './ref-harness.js';
import { clipping, mixedCorpus, random16, randomBytes, silence, sineSweep, speechLike, whiteNoise } from './signals.js';

// Oracle: libspandsp g722_encode_init(NULL, 64000, 0) / g722_decode_init(NULL, 64000, 0),
// driven by test/codecs/ref/spandsp-ref.c.
let ref: string;
beforeAll(() => {
  ref = spandspRef();
});

const FRAME = 320; // 20 ms at 16 kHz

function encodeStream(pcm: Int16Array, frame = FRAME): Uint8Array {
  const enc = G722.createEncoder();
  const out = new Uint8Array(pcm.length >> 1);
  const buf = new Uint8Array(frame >> 1);
  for (let i = 0; i < pcm.length; i += frame) {
    const chunk = pcm.subarray(i, Math.min(i + frame, pcm.length));
    const n = enc.encode(chunk, buf);
    out.set(buf.subarray(0, n), i >> 1);
  }
  return out;
}

function decodeStream(bytes: Uint8Array, frame = FRAME >> 1): Int16Array {
  const dec = G722.createDecoder();
  const out = new Int16Array(bytes.length * 2);
  const buf = new Int16Array(frame * 2);
  for (let i = 0; i < bytes.length; i += frame) {
    const n = dec.decode(bytes.subarray(i, Math.min(i + frame, bytes.length)), buf);
    out.set(buf.subarray(0, n), i * 2);
  }
  return out;
}

/** "" when equal, else where and how they first differ. */
function diff(ours: ArrayLike<number>, theirs: ArrayLike<number>): string {
  if (ours.length !== theirs.length) return `length ${ours.length} vs ${theirs.length}`;
  for (let i = 0; i < ours.length; i++) {
    if (ours[i] !== theirs[i]) return `first difference at ${i}: ours ${ours[i]}, spandsp ${theirs[i]}`;
  }
  return '';
}

const signals: [string, () => Int16Array][] = [
  ['speech-like', () => speechLike(16000, 3, 21)],
  ['quiet speech-like', () => speechLike(16000, 1, 22, 300)],
  ['sine sweep 20 Hz–7.9 kHz', () => sineSweep(16000, 3, 20, 7900, 16000)],
  ['full-scale sine sweep', () => sineSweep(16000, 1, 100, 7000, 32767)],
  ['white noise (seed 23)', () => whiteNoise(16000, 2, 4000, 23)],
  ['silence', () => silence(16000, 1)],
  ['full-scale clipping values', () => clipping(16000, 2, 24)],
  ['random 16-bit samples', () => random16(32000, 25)],
];

describe('G.722 64 kbit/s encoder bit-exact with libspandsp g722_encode', () => {
  it.each(signals)('%s: every encoded byte equals spandsp', (_name, make) => {
    const pcm = make();
    const theirs = runRef(ref, ['g722-encode'], asBytes(pcm));
    expect(diff(encodeStream(pcm), theirs)).toBe('');
  });

  it('a 10.5 s mixed corpus encoded in one stream equals spandsp, for any packet size', () => {
    const pcm = mixedCorpus(16000);
    const theirs = runRef(ref, ['g722-encode'], asBytes(pcm));
    expect(theirs.length).toBe(pcm.length / 2);
    expect(diff(encodeStream(pcm), theirs)).toBe('');
    expect(diff(encodeStream(pcm, 2 * 37), theirs)).toBe('');
    const whole = new Uint8Array(pcm.length / 2);
    expect(G722.encode(pcm, whole)).toBe(pcm.length / 2);
    expect(diff(whole, theirs)).toBe('');
  });
});

describe('G.722 64 kbit/s decoder bit-exact with libspandsp g722_decode', () => {
  it.each(signals)('%s: decoding spandsp\'s bitstream gives every sample spandsp gives', (_name, make) => {
    const bits = runRef(ref, ['g722-encode'], asBytes(make()));
    const theirs = asInt16(runRef(ref, ['g722-decode'], bits));
    expect(diff(decodeStream(bits), theirs)).toBe('');
  });

  it('10 s of random bytes decode to the same samples as spandsp', () => {
    const bytes = randomBytes(80000, 26);
    const theirs = asInt16(runRef(ref, ['g722-decode'], bytes));
    expect(theirs.length).toBe(160000);
    expect(diff(decodeStream(bytes), theirs)).toBe('');
    expect(diff(decodeStream(bytes, 13), theirs)).toBe('');
  });

  it('the mixed corpus round trip (spandsp encode, our decode) equals spandsp', () => {
    const bits = runRef(ref, ['g722-encode'], asBytes(mixedCorpus(16000)));
    const theirs = asInt16(runRef(ref, ['g722-decode'], bits));
    const ours = new Int16Array(bits.length * 2);
    expect(G722.decode(bits, ours)).toBe(bits.length * 2);
    expect(diff(ours, theirs)).toBe('');
  });
});

describe('G.722 descriptor and state', () => {
  it('is payload type 9 with an RTP clock of 8000 Hz but 16 kHz PCM (RFC 3551 §4.5.2)', () => {
    expect([G722.name, G722.payloadType, G722.clockRate, G722.sampleRate, G722.frameMs, G722.stateful]).toEqual([
      'G722', 9, 8000, 16000, 20, true,
    ]);
    expect(G722.maxEncodedBytes(320)).toBe(160);
    expect(G722.maxDecodedSamples(160)).toBe(320);
  });

  it('keeps state per encoder: two calls do not disturb each other, reset starts over', () => {
    const a = speechLike(16000, 0.2, 31);
    const b = whiteNoise(16000, 0.2, 2000, 32);
    const alone = new Uint8Array(1600);
    new G722Encoder().encode(a, alone);
    const ea = new G722Encoder();
    const eb = new G722Encoder();
    const outA = new Uint8Array(1600);
    const scratch = new Uint8Array(160);
    for (let i = 0; i < a.length; i += FRAME) {
      ea.encode(a.subarray(i, i + FRAME), outA.subarray(i / 2, i / 2 + 160));
      eb.encode(b.subarray(i, i + FRAME), scratch);
    }
    expect(diff(outA, alone)).toBe('');
    ea.reset();
    const again = new Uint8Array(1600);
    ea.encode(a, again);
    expect(diff(again, alone)).toBe('');

    const dec = new G722Decoder();
    const first = new Int16Array(3200);
    dec.decode(alone, first);
    dec.reset();
    const second = new Int16Array(3200);
    dec.decode(alone, second);
    expect(diff(second, first)).toBe('');
  });

  it('rejects odd sample counts and too-small buffers (caller bugs)', () => {
    expect(() => G722.encode(new Int16Array(3), new Uint8Array(10))).toThrow(RangeError);
    expect(() => G722.encode(new Int16Array(320), new Uint8Array(159))).toThrow(RangeError);
    expect(() => G722.decode(new Uint8Array(160), new Int16Array(319))).toThrow(RangeError);
  });
});
