import { beforeAll, describe, expect, it } from 'vitest';
import { DECODE_MALFORMED } from '../../src/codecs/codec.js';
import type { AudioCodec } from '../../src/codecs/codec.js';
import type { G729Decoder, G729Encoder } from '../../src/codecs/g729.js';
import { loadG729, loadG729Native } from '../../src/codecs/g729.js';
import { createCodecRegistry } from '../../src/codecs/registry.js';
import { asBytes, asInt16, bcg729Ref, ensureG729Addon, runRef } from './ref-harness.js';
import { clipping, concat, random16, randomBytes, silence, sineSweep, speechLike, whiteNoise } from './signals.js';

// Oracle: libbcg729 1.1.1 called from C frame by frame (test/codecs/ref/bcg729-ref.c).
// The addon is built first if missing (node-gyp); a failed build fails every test here.
let ref: string;
let G729: AudioCodec;

beforeAll(() => {
  ensureG729Addon();
  ref = bcg729Ref();
  const loaded = loadG729();
  if (!loaded.ok) throw new Error(`${loaded.error.code}: ${loaded.error.message}`);
  G729 = loaded.value;
});

/** Splits bcg729-ref encode output into per-frame payloads (length 0, 2 or 10). */
function parseFrames(out: Buffer): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (let i = 0; i < out.length; ) {
    const n = out[i]!;
    frames.push(new Uint8Array(out.subarray(i + 1, i + 1 + n)));
    i += 1 + n;
  }
  return frames;
}

function refEncode(pcm: Int16Array, vad: boolean): Uint8Array[] {
  return parseFrames(runRef(ref, ['encode', vad ? '1' : '0'], asBytes(pcm)));
}

/** One decoder input record: a speech frame, a SID frame, or a lost/untransmitted frame. */
type Rec = Uint8Array | 'lost';

function refDecode(recs: readonly Rec[]): Int16Array {
  const parts: number[] = [];
  for (const r of recs) {
    if (r === 'lost') parts.push(2);
    else {
      parts.push(r.length === 10 ? 0 : 1);
      parts.push(...r);
    }
  }
  return asInt16(runRef(ref, ['decode'], Uint8Array.from(parts)));
}

function ourDecode(recs: readonly Rec[]): Int16Array {
  const dec = G729.createDecoder() as G729Decoder;
  const out = new Int16Array(recs.length * 80);
  const frame = new Int16Array(80);
  recs.forEach((r, k) => {
    const n = r === 'lost' ? dec.conceal(frame) : dec.decode(r, frame);
    expect(n).toBe(80);
    out.set(frame, k * 80);
  });
  return out;
}

function diff(ours: ArrayLike<number>, theirs: ArrayLike<number>): string {
  if (ours.length !== theirs.length) return `length ${ours.length} vs ${theirs.length}`;
  for (let i = 0; i < ours.length; i++) {
    if (ours[i] !== theirs[i]) return `first difference at ${i} (frame ${Math.floor(i / 80)}): ours ${ours[i]}, bcg729 ${theirs[i]}`;
  }
  return '';
}

function hex(frames: readonly Uint8Array[]): string[] {
  return frames.map((f) => Buffer.from(f).toString('hex'));
}

const signals: [string, () => Int16Array][] = [
  ['speech-like with pauses', () => concat([speechLike(8000, 3, 41), silence(8000, 0.5), speechLike(8000, 1, 42, 2000)])],
  ['sine sweep 50 Hz–3.9 kHz', () => sineSweep(8000, 2, 50, 3900, 12000)],
  ['white noise (seed 43)', () => whiteNoise(8000, 1, 2500, 43)],
  ['silence', () => silence(8000, 1)],
  ['full-scale clipping values', () => clipping(8000, 1, 44)],
  ['random 16-bit samples', () => random16(8000, 45)],
];

describe('G.729A encoder (addon) equals bcg729 from C, frame by frame', () => {
  it.each(signals)('%s, VAD off: every 10-byte frame equals bcg729', (_name, make) => {
    const pcm = make();
    const theirs = refEncode(pcm, false);
    expect(theirs.length).toBe(pcm.length / 80);
    const enc = G729.createEncoder({ vad: false });
    const ours: Uint8Array[] = [];
    const buf = new Uint8Array(20);
    for (let i = 0; i < pcm.length; i += 160) {
      const pkt = pcm.subarray(i, Math.min(i + 160, pcm.length));
      const n = enc.encode(pkt, buf);
      expect(n).toBe((pkt.length / 80) * 10);
      for (let o = 0; o < n; o += 10) ours.push(buf.slice(o, o + 10));
    }
    expect(hex(ours)).toEqual(hex(theirs));
  });

  it.each(signals)('%s, VAD on (Annex B): every frame, SID and untransmitted frame equals bcg729', (_name, make) => {
    const pcm = make();
    const theirs = refEncode(pcm, true);
    const enc = G729.createEncoder({ vad: true });
    const buf = new Uint8Array(10);
    const ours: Uint8Array[] = [];
    for (let i = 0; i < pcm.length; i += 80) ours.push(buf.slice(0, enc.encode(pcm.subarray(i, i + 80), buf)));
    expect(hex(ours)).toEqual(hex(theirs));
  });

  it('VAD on really produces speech, SID and untransmitted frames on speech with pauses', () => {
    const frames = refEncode(signals[0]![1](), true);
    const count = (len: number): number => frames.filter((f) => f.length === len).length;
    expect(count(10)).toBeGreaterThan(50);
    expect(count(2)).toBeGreaterThan(0);
    expect(count(0)).toBeGreaterThan(10);
  });

  it('packs 20 ms Annex B packets per RFC 3551 §4.5.6: a SID frame only last, none before speech', () => {
    const pcm = concat([signals[0]![1](), whiteNoise(8000, 0.3, 40, 46), speechLike(8000, 1, 47)]);
    const theirs = refEncode(pcm, true);
    const enc = G729.createEncoder({ vad: true }) as G729Encoder;
    const buf = new Uint8Array(20);
    const seen = { sidBeforeSpeech: 0, nothingBeforeSpeech: 0, speechThenSid: 0 };
    for (let p = 0; p < theirs.length / 2; p++) {
      const [a, b] = [theirs[2 * p]!, theirs[2 * p + 1]!];
      const expected = a.length === 2 && b.length === 10 ? [b] : [a, b];
      if (a.length === 2 && b.length === 10) seen.sidBeforeSpeech++;
      if (a.length === 0 && b.length === 10) seen.nothingBeforeSpeech++;
      if (a.length === 10 && b.length === 2) seen.speechThenSid++;
      const n = enc.encode(pcm.subarray(p * 160, p * 160 + 160), buf);
      expect(Buffer.from(buf.subarray(0, n)).toString('hex')).toBe(Buffer.concat(expected).toString('hex'));
      const lead = a.length === 0 || (a.length === 2 && b.length === 10) ? (b.length === 0 ? 2 : 1) : 0;
      expect(enc.leadingUntransmittedFrames).toBe(lead);
    }
    // The corpus is chosen so that every packing case occurs at least once.
    expect(seen.sidBeforeSpeech).toBeGreaterThan(0);
    expect(seen.nothingBeforeSpeech).toBeGreaterThan(0);
    expect(seen.speechThenSid).toBeGreaterThan(0);
  });
});

describe('G.729A decoder (addon) equals bcg729 from C, frame by frame', () => {
  it.each(signals)('%s: bcg729\'s VAD-off bitstream, with every 23rd frame lost, decodes to the same samples', (_name, make) => {
    const recs: Rec[] = refEncode(make(), false).map((f, k) => (k % 23 === 22 ? 'lost' : f));
    expect(diff(ourDecode(recs), refDecode(recs))).toBe('');
  });

  it.each(signals)('%s: bcg729\'s Annex B bitstream (speech, SID, untransmitted → conceal) decodes to the same samples', (_name, make) => {
    const recs: Rec[] = refEncode(make(), true).map((f, k) => (f.length === 0 || k % 31 === 30 ? 'lost' : f));
    expect(diff(ourDecode(recs), refDecode(recs))).toBe('');
  });

  it('multi-frame payloads (20 ms = two frames; speech + trailing SID) decode like frame-by-frame bcg729', () => {
    const frames = refEncode(speechLike(8000, 2, 48), false);
    const theirs = refDecode(frames);
    const dec = G729.createDecoder();
    const out = new Int16Array(frames.length * 80);
    const buf = new Int16Array(160);
    for (let k = 0; k < frames.length; k += 2) {
      const payload = Buffer.concat([frames[k]!, frames[k + 1]!]);
      expect(dec.decode(payload, buf)).toBe(160);
      out.set(buf, k * 80);
    }
    expect(diff(out, theirs)).toBe('');

    const sid = Uint8Array.of(0x5a, 0x3c);
    const recs: Rec[] = [...frames.slice(0, 10), sid, 'lost', 'lost'];
    const oursDec = G729.createDecoder();
    const got = new Int16Array(13 * 80);
    const pair = new Int16Array(240);
    expect(oursDec.decode(Buffer.concat([...frames.slice(0, 8)]), got)).toBe(640);
    expect(oursDec.decode(Buffer.concat([frames[8]!, frames[9]!, sid]), pair)).toBe(240);
    got.set(pair, 640);
    oursDec.conceal!(pair);
    got.set(pair.subarray(0, 80), 880);
    oursDec.conceal!(pair);
    got.set(pair.subarray(0, 80), 960);
    expect(diff(got, refDecode(recs))).toBe('');
  });

  it('random bytes as speech and SID frames decode to the same samples as bcg729', () => {
    const bytes = randomBytes(600 * 10, 49);
    const recs: Rec[] = [];
    for (let k = 0; k < 600; k++) {
      const f = bytes.subarray(k * 10, k * 10 + 10);
      recs.push(k % 17 === 16 ? f.slice(0, 2) : k % 29 === 28 ? 'lost' : f.slice());
    }
    expect(diff(ourDecode(recs), refDecode(recs))).toBe('');
  });

  it('returns DECODE_MALFORMED for payload lengths other than 10n and 10n + 2, leaving state alone', () => {
    const dec = G729.createDecoder();
    const out = new Int16Array(400);
    for (const len of [1, 3, 5, 9, 11, 13, 19, 21, 25]) expect(dec.decode(new Uint8Array(len), out)).toBe(DECODE_MALFORMED);
    // State untouched: a valid stream then decodes exactly as on a fresh decoder.
    const frames = Buffer.concat(refEncode(speechLike(8000, 0.1, 52), false));
    const fresh = new Int16Array(800);
    G729.createDecoder().decode(frames, fresh);
    const after = new Int16Array(800);
    expect(dec.decode(frames, after)).toBe(800);
    expect(diff(after, fresh)).toBe('');
    expect(dec.decode(new Uint8Array(0), out)).toBe(0);
    expect(dec.decode(new Uint8Array(2), out)).toBe(80);
    expect(dec.decode(new Uint8Array(32), out)).toBe(320);
    expect(() => dec.decode(new Uint8Array(20), new Int16Array(159))).toThrow(RangeError);
  });
});

describe('G.729 descriptor, state and optional availability', () => {
  it('is static payload type 18 at 8000 Hz, 20 ms packets of 10 ms frames (RFC 3551 §4.5.6)', () => {
    expect([G729.name, G729.payloadType, G729.clockRate, G729.sampleRate, G729.frameMs, G729.samplesPerFrame]).toEqual([
      'G729', 18, 8000, 8000, 20, 80,
    ]);
    expect(G729.maxEncodedBytes(160)).toBe(20);
    expect(G729.maxDecodedSamples(22)).toBe(240);
    expect((G729.createEncoder() as G729Encoder).vad).toBe(true); // RFC 4856: no annexb means yes
    expect((G729.createEncoder({ vad: false }) as G729Encoder).vad).toBe(false);
  });

  it('keeps state per encoder and per decoder; reset starts over', () => {
    const pcm = speechLike(8000, 0.5, 50);
    const first = new Uint8Array(pcm.length / 8);
    const enc = G729.createEncoder({ vad: false });
    expect(enc.encode(pcm, first)).toBe(pcm.length / 8);
    const other = G729.createEncoder({ vad: false });
    other.encode(whiteNoise(8000, 0.5, 3000, 51), new Uint8Array(pcm.length / 8));
    const second = new Uint8Array(pcm.length / 8);
    enc.encode(pcm, second);
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(false);
    enc.reset();
    enc.encode(pcm, second);
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
    const oneShot = new Uint8Array(pcm.length / 8);
    G729.encode(pcm, oneShot); // VAD on by default: a speech-only start still gives full frames
    expect(hex([oneShot.subarray(0, 10)])).toEqual(hex([first.subarray(0, 10)]));

    const dec = G729.createDecoder();
    const a = new Int16Array(pcm.length);
    const b = new Int16Array(pcm.length);
    dec.decode(first, a);
    dec.reset();
    dec.decode(first, b);
    expect(diff(b, a)).toBe('');
  });

  it('rejects partial frames and small buffers (caller bugs), and foreign handles in the addon', () => {
    const enc = G729.createEncoder({ vad: false });
    expect(() => enc.encode(new Int16Array(100), new Uint8Array(20))).toThrow(RangeError);
    expect(() => enc.encode(new Int16Array(160), new Uint8Array(19))).toThrow(RangeError);
    const native = loadG729Native();
    if (!native.ok) throw new Error(native.error.message);
    const decHandle = native.value.decoderCreate();
    expect(() => native.value.encode(decHandle, new Int16Array(80), new Uint8Array(10))).toThrow(TypeError);
  });

  it('is in the default registry when the addon is built, and simply absent when it is not', () => {
    expect(createCodecRegistry({ opus: null }).names()).toEqual(['PCMU', 'PCMA', 'G722', 'G726-16', 'G726-24', 'G726-32', 'G726-40', 'G729']);
    const missing = loadG729('/nonexistent/g729.node');
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error.code).toBe('CODEC_G729_MISSING');
    const without = createCodecRegistry({ g729: null, opus: null });
    expect(without.names()).toEqual(['PCMU', 'PCMA', 'G722', 'G726-16', 'G726-24', 'G726-32', 'G726-40']);
    expect(without.get('g729')).toBeUndefined();
    expect(without.get('pcmu')?.payloadType).toBe(0);
    expect(without.byStaticPayloadType(9)?.name).toBe('G722');
  });
});
