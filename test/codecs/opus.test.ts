// Opus over libopus-in-wasm (src/codecs/opus.ts): RFC 7587 descriptor, tone quality at 8/16/48
// kHz, packet sizes, PLC, malformed packets (no throw, state untouched, instance alive), wasm
// memory freed on close, the identity mark through Opus, and interop both ways with Debian's
// native libopus (test/codecs/ref/opus-ref.c, another build and version of the codec).
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AudioCodec, AudioDecoder, AudioEncoder } from '../../src/codecs/codec.js';
import { DECODE_MALFORMED, rtpTimestampTicks } from '../../src/codecs/codec.js';
import { goertzelPower } from '../../src/codecs/goertzel.js';
import { IdentityDetector, IdentityMarker, MARK_LEVEL_DBFS, identityMarkFromSeed, type IdentityMark } from '../../src/codecs/identity-mark.js';
import { measureRmsDbfs } from '../../src/codecs/level.js';
import { createOpusCodec, loadOpus, loadOpusRuntime, opusHeapBytes, opusLiveHandlers, opusSampleRateFor, type OpusSampleRate } from '../../src/codecs/opus.js';
import { createCodecRegistry } from '../../src/codecs/registry.js';
import { unwrap } from '../../src/core/result.js';
import { seededRandom } from '../rtp/impairment.js';
import { REPO_ROOT, asBytes, asInt16, buildC, runRef } from './ref-harness.js';
import { Rng, speechLike } from './signals.js';

let OPUS: AudioCodec;
let ref: string;

beforeAll(() => {
  OPUS = unwrap(loadOpus());
  ref = buildC(join(REPO_ROOT, 'test/codecs/ref/opus-ref.c'), 'opus-ref', ['-lopus']);
});

function codecAt(sampleRate: OpusSampleRate): AudioCodec {
  return createOpusCodec(unwrap(loadOpusRuntime()), { sampleRate });
}

function tone(rate: number, seconds: number, hz: number, amplitude: number): Int16Array {
  const out = new Int16Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rate));
  return out;
}

/** 20 ms packets from a fresh encoder (closed after); `mark` adds a device's mark per frame as a phone does. */
function encodeAll(codec: AudioCodec, pcm: Int16Array, mark?: IdentityMark): Uint8Array[] {
  const enc = codec.createEncoder();
  const frame = codec.sampleRate / 50;
  const buf = new Uint8Array(codec.maxEncodedBytes(frame));
  const marker = mark ? new IdentityMarker(mark, codec.sampleRate) : undefined;
  const packets: Uint8Array[] = [];
  for (let i = 0; i + frame <= pcm.length; i += frame) {
    const f = pcm.slice(i, i + frame);
    marker?.apply(f);
    packets.push(buf.slice(0, enc.encode(f, buf)));
  }
  enc.close?.();
  return packets;
}

/** Decodes packets (null = lost → conceal) of `frame` samples each with a fresh decoder. */
function decodeAll(codec: AudioCodec, packets: ReadonlyArray<Uint8Array | null>, frame = codec.sampleRate / 50): Int16Array {
  const dec = codec.createDecoder();
  const out = new Int16Array(packets.length * frame);
  packets.forEach((p, k) => {
    const o = out.subarray(k * frame, (k + 1) * frame);
    const n = p ? dec.decode(p, o) : dec.conceal!(o);
    expect(n).toBe(frame);
  });
  dec.close?.();
  return out;
}

/** Share of the power at `hz` (Goertzel) in a window: 1 for a pure tone. */
function purity(pcm: Int16Array, rate: number, hz: number): number {
  let total = 0;
  for (const v of pcm) total += v * v;
  return (2 * goertzelPower(pcm, hz, rate)) / (total * pcm.length);
}

/** Records as opus-ref reads and writes them: u16le length + packet; 0xffff = lost. */
function records(packets: ReadonlyArray<Uint8Array | null>): Uint8Array {
  const parts: number[] = [];
  for (const p of packets) {
    const n = p ? p.length : 0xffff;
    parts.push(n & 0xff, n >> 8, ...(p ?? []));
  }
  return Uint8Array.from(parts);
}

function parseRecords(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i + 2 <= bytes.length; ) {
    const n = bytes[i]! | (bytes[i + 1]! << 8);
    out.push(bytes.slice(i + 2, i + 2 + n));
    i += 2 + n;
  }
  return out;
}

/** SNR of `b` against `a` in dB, over the common length after `skip` samples. */
function snrDb(a: Int16Array, b: Int16Array, skip: number): number {
  let s = 0;
  let e = 0;
  for (let i = skip; i < Math.min(a.length, b.length); i++) {
    s += a[i]! * a[i]!;
    e += (a[i]! - b[i]!) ** 2;
  }
  return 10 * Math.log10(s / Math.max(e, 1));
}

describe('Opus descriptor (RFC 7587)', () => {
  it('clock 48000 whatever the internal rate, 20 ms frames, timestamps +960 per frame', () => {
    for (const rate of [8000, 16000, 48000] as const) {
      const c = codecAt(rate);
      expect([c.name, c.clockRate, c.sampleRate, c.channels, c.frameMs, c.samplesPerFrame]).toEqual(['opus', 48000, rate, 1, 20, rate / 50]);
      expect(rtpTimestampTicks(c, c.samplesPerFrame)).toBe(960);
      expect(rtpTimestampTicks(c, 3 * c.samplesPerFrame)).toBe(2880);
    }
    expect(OPUS.sampleRate).toBe(16000);
    // A12 9.16 "Opus Sample Rate": 0 = OPUS-NB (8 kHz), 1 = OPUS-WB (16 kHz).
    expect([opusSampleRateFor(false), opusSampleRateFor(true)]).toEqual([8000, 16000]);
  });

  it('is in the default registry by its SDP name, but not as a static payload type', () => {
    const r = createCodecRegistry({ g729: null });
    expect(r.names()).toEqual(['PCMU', 'PCMA', 'G722', 'G726-16', 'G726-24', 'G726-32', 'G726-40', 'opus']);
    expect(r.get('OPUS')?.clockRate).toBe(48000);
    expect(r.get('opus')).toBe(r.get('Opus'));
    expect(r.byStaticPayloadType(107)).toBeUndefined();
    expect(createCodecRegistry({ g729: null, opus: null }).has('opus')).toBe(false);
  });

  it('encodes 20, 40 and 60 ms packets; other lengths are caller bugs (RangeError)', () => {
    const enc = OPUS.createEncoder();
    const dec = OPUS.createDecoder();
    const pcm = tone(16000, 0.06, 440, 8000);
    const buf = new Uint8Array(OPUS.maxEncodedBytes(960));
    const out = new Int16Array(OPUS.maxDecodedSamples(buf.length));
    for (const samples of [320, 640, 960]) {
      const n = enc.encode(pcm.subarray(0, samples), buf);
      expect(n).toBeGreaterThan(0);
      expect(dec.decode(buf.subarray(0, n), out)).toBe(samples);
    }
    expect(() => enc.encode(pcm.subarray(0, 480), buf)).toThrow(RangeError); // 30 ms
    expect(() => enc.encode(new Int16Array(1280), buf)).toThrow(RangeError); // 80 ms
    expect(() => enc.encode(pcm.subarray(0, 320), new Uint8Array(2))).toThrow(RangeError);
    enc.close?.();
    dec.close?.();
  });
});

describe('Opus round trip', () => {
  for (const [rate, hz] of [
    [8000, 1000],
    [16000, 1000],
    [16000, 5000],
    [48000, 1000],
  ] as const) {
    it(`a ${hz} Hz tone at ${rate / 1000} kHz keeps its level (±1 dB) and stays a pure tone`, () => {
      const c = codecAt(rate);
      const input = tone(rate, 1, hz, 8000); // about -15 dBFS
      const packets = encodeAll(c, input);
      // VBR at the default bit rate: 12 / 20 / 32 kbit/s ≈ 30 / 50 / 80 octets per 20 ms.
      const mean = packets.reduce((s, p) => s + p.length, 0) / packets.length;
      expect(mean).toBeGreaterThan(15);
      expect(mean).toBeLessThan(c.sampleRate <= 8000 ? 60 : c.sampleRate <= 16000 ? 90 : 140);
      const out = decodeAll(c, packets);
      const settled = out.subarray(rate / 5); // after 200 ms
      expect(Math.abs(measureRmsDbfs(settled) - measureRmsDbfs(input))).toBeLessThan(1);
      expect(purity(settled, rate, hz)).toBeGreaterThan(0.99);
    });
  }

  it('an 8 kHz encoder cuts a 6 kHz tone (narrowband); a 16 kHz one keeps it', () => {
    const wide = decodeAll(codecAt(16000), encodeAll(codecAt(16000), tone(16000, 0.5, 6000, 8000)));
    expect(measureRmsDbfs(wide.subarray(3200))).toBeGreaterThan(-17);
    // The same tone through the NB encoder, decoded at 16 kHz: nothing above 4 kHz was coded.
    const nb = codecAt(8000);
    const pcm8 = tone(8000, 0.5, 3000, 8000);
    const heard = decodeAll(codecAt(16000), encodeAll(nb, pcm8));
    expect(purity(heard.subarray(3200), 16000, 3000)).toBeGreaterThan(0.95);
  });
});

describe('Opus packet-loss concealment', () => {
  it('continues a lost tone at about its level, fades over a long gap, and recovers', () => {
    const input = tone(16000, 1.2, 500, 8000);
    const packets: Array<Uint8Array | null> = encodeAll(OPUS, input);
    for (let k = 25; k < 30; k++) packets[k] = null; // 100 ms lost
    const out = decodeAll(OPUS, packets);
    const frame = (k: number): Int16Array => out.subarray(k * 320, (k + 1) * 320);
    const ref = measureRmsDbfs(frame(24));
    expect(measureRmsDbfs(frame(25))).toBeGreaterThan(ref - 8); // the first lost frame sounds on
    expect(purity(frame(25), 16000, 500)).toBeGreaterThan(0.5);
    expect(measureRmsDbfs(frame(29))).toBeLessThan(measureRmsDbfs(frame(25))); // and fades
    expect(Math.abs(measureRmsDbfs(frame(40)) - ref)).toBeLessThan(1); // back after the gap
  });

  it('before any packet, concealment is silence of the asked length', () => {
    const dec = OPUS.createDecoder();
    const out = new Int16Array(640).fill(123);
    expect(dec.conceal!(out)).toBe(640);
    expect(out.every((v) => v === 0)).toBe(true);
    dec.close?.();
  });
});

describe('Opus with untrusted packets', () => {
  it('invalid packets give DECODE_MALFORMED and leave the decoder state untouched', () => {
    const packets = encodeAll(OPUS, speechLike(16000, 1, 3));
    const bad = [
      new Uint8Array(0), // RFC 6716 §3.4 [R1]: at least one octet
      Uint8Array.of(0x03), // code 3 without its frame count octet [R6]
      Uint8Array.of(0x03, 0x00), // code 3 with M = 0 [R5]
      Uint8Array.of(0x01, 0x01, 0x01, 0x01), // code 1 with an odd payload [R3]
      Uint8Array.of(0x02, 0xff, 0xff), // code 2 whose first frame runs past the end [R4]
      new Uint8Array(5000).fill(0x78), // longer than any packet
    ];
    const clean = decodeAll(OPUS, packets);
    const dec = OPUS.createDecoder();
    const out = new Int16Array(320);
    const mixed = new Int16Array(clean.length);
    packets.forEach((p, k) => {
      for (const b of bad) expect(dec.decode(b, out)).toBe(DECODE_MALFORMED);
      expect(dec.decode(p, out)).toBe(320);
      mixed.set(out, k * 320);
    });
    expect(mixed).toEqual(clean);
    dec.close?.();
  });

  it('5,000 random packets never throw nor break the wasm instance; decoding goes on', () => {
    const rng = new Rng(77);
    const dec = OPUS.createDecoder();
    const out = new Int16Array(320);
    let malformed = 0;
    for (let k = 0; k < 5000; k++) {
      const p = new Uint8Array(1 + (rng.nextU32() % 400));
      for (let i = 0; i < p.length; i++) p[i] = rng.nextU32() & 0xff;
      const n = dec.decode(p, out);
      if (n === DECODE_MALFORMED) malformed++;
      else expect(n).toBeGreaterThanOrEqual(0);
      expect(n).toBeLessThanOrEqual(320); // longer packets are cut to what `out` holds
    }
    expect(malformed).toBeGreaterThan(100);
    expect(malformed).toBeLessThan(5000);
    dec.close?.();
    const heard = decodeAll(OPUS, encodeAll(OPUS, tone(16000, 0.5, 1000, 8000)));
    expect(measureRmsDbfs(heard.subarray(3200))).toBeCloseTo(measureRmsDbfs(tone(16000, 0.1, 1000, 8000)), 0);
  });
});

describe('Opus wasm memory', () => {
  it('1,000 encoders and decoders created and closed leave no handler and no heap growth behind', () => {
    const cycle = (n: number): void => {
      for (let i = 0; i < n; i++) {
        const e: AudioEncoder = OPUS.createEncoder();
        const d: AudioDecoder = OPUS.createDecoder();
        const pkt = new Uint8Array(400);
        d.decode(pkt.subarray(0, e.encode(new Int16Array(320), pkt)), new Int16Array(320));
        e.close?.();
        d.close?.();
        d.close?.(); // idempotent
      }
    };
    const live = opusLiveHandlers();
    cycle(10);
    const heap = opusHeapBytes();
    cycle(1000);
    expect(opusLiveHandlers()).toBe(live);
    // Each pair holds tens of kB of libopus state: 1,000 leaked pairs would grow the heap by MBs.
    expect(opusHeapBytes()).toBe(heap);
  });

  it('counts open handlers, and a closed codec encodes nothing and conceals silence', () => {
    const live = opusLiveHandlers();
    const open = Array.from({ length: 20 }, () => OPUS.createEncoder());
    expect(opusLiveHandlers()).toBe(live + 20);
    for (const e of open) e.close?.();
    expect(opusLiveHandlers()).toBe(live);
    const e = open[0]!;
    expect(e.encode(new Int16Array(320), new Uint8Array(400))).toBe(0);
    const d = OPUS.createDecoder();
    d.close?.();
    expect(d.decode(Uint8Array.of(0xf8, 1, 2), new Int16Array(320))).toBe(DECODE_MALFORMED);
    const o = new Int16Array(320).fill(5);
    expect(d.conceal!(o)).toBe(320);
    expect(o.every((v) => v === 0)).toBe(true);
  });

  it('one-shot encode/decode free their state', () => {
    const live = opusLiveHandlers();
    const buf = new Uint8Array(400);
    const n = OPUS.encode(tone(16000, 0.02, 1000, 8000), buf);
    expect(OPUS.decode(buf.subarray(0, n), new Int16Array(320))).toBe(320);
    expect(opusLiveHandlers()).toBe(live);
  });
});

describe('identity mark through Opus', () => {
  const A = identityMarkFromSeed('A');
  const B = identityMarkFromSeed('B');
  const C = identityMarkFromSeed('C');
  for (const [rate, loss] of [
    [16000, 0],
    [16000, 0.05],
    [8000, 0.05],
  ] as const) {
    it(`at ${rate / 1000} kHz with speech 20 dB above the mark${loss ? ' and 5 % loss' : ''}: names B, not A or C`, () => {
      const c = codecAt(rate);
      const speech = speechLike(rate, 3, 7, 24000);
      expect(measureRmsDbfs(speech) - MARK_LEVEL_DBFS).toBeGreaterThan(20);
      const rnd = seededRandom(1);
      const packets = encodeAll(c, speech, B).map((p) => (rnd() < loss ? null : p));
      const heard = decodeAll(c, packets);
      const d = new IdentityDetector(rate, [A, B, C], { windowMs: 2000 });
      d.write(heard);
      const r = d.detect();
      expect(r.verdict).toBe('B');
      expect(r.scores[0]!.id).toBe('B');
      for (const s of r.scores.slice(1)) expect(s.present).toBe(false);
    });
  }
});

describe('interop with Debian libopus (native, another version)', () => {
  it('libopus decodes our packets as we do', () => {
    const input = speechLike(16000, 2, 11);
    const packets = encodeAll(OPUS, input);
    const theirs = asInt16(runRef(ref, ['decode', '16000'], records(packets)));
    const ours = decodeAll(OPUS, packets);
    expect(theirs.length).toBe(ours.length);
    // Two float builds of the same normative decoder: equal but for rounding.
    expect(snrDb(ours, theirs, 0)).toBeGreaterThan(40);
  });

  it('we decode libopus packets: a tone keeps its level and purity', () => {
    const input = tone(16000, 1, 1000, 8000);
    const packets = parseRecords(runRef(ref, ['encode', '16000', '20000'], asBytes(input)));
    expect(packets.length).toBe(50);
    const out = decodeAll(OPUS, packets);
    expect(Math.abs(measureRmsDbfs(out.subarray(3200)) - measureRmsDbfs(input))).toBeLessThan(1);
    expect(purity(out.subarray(3200), 16000, 1000)).toBeGreaterThan(0.99);
  });

  it('our concealment (one-octet packets) sounds like libopus` own (opus_decode with no data)', () => {
    const packets: Array<Uint8Array | null> = encodeAll(OPUS, tone(16000, 1, 500, 8000));
    for (let k = 20; k < 23; k++) packets[k] = null;
    const theirs = asInt16(runRef(ref, ['decode', '16000'], records(packets)));
    const ours = decodeAll(OPUS, packets);
    for (let k = 19; k < 25; k++) {
      const a = ours.subarray(k * 320, (k + 1) * 320);
      const b = theirs.subarray(k * 320, (k + 1) * 320);
      expect(Math.abs(measureRmsDbfs(a) - measureRmsDbfs(b))).toBeLessThan(1);
      expect(Math.abs(purity(a, 16000, 500) - purity(b, 16000, 500))).toBeLessThan(0.05);
    }
    expect(measureRmsDbfs(ours.subarray(20 * 320, 21 * 320))).toBeGreaterThan(-30); // not silence
  });
});
