// RFC 3551 §4.2: a receiver SHOULD accept packets of 0–200 ms whatever its own ptime. A raw RTP
// sender on the in-memory network sends a tone gliding from 600 to 1400 Hz (never periodic, so a
// dropped, repeated or silent piece of audio cannot line up again) in packets of 10/20/30/40/60
// ms, or changing mid-stream, to a MediaStream with a 20 ms ptime. What the stream plays out must
// be that tone, continuous: every 20 ms block matches the sent signal at one fixed delay.
import { afterEach, describe, expect, it } from 'vitest';
import type { AudioCodec } from '../../src/codecs/codec.js';
import { PCMA, PCMU } from '../../src/codecs/g711.js';
import { G722 } from '../../src/codecs/g722.js';
import { loadG729 } from '../../src/codecs/g729.js';
import { goertzelAmplitude } from '../../src/codecs/goertzel.js';
import { measureRmsDbfs } from '../../src/codecs/level.js';
import { serializeRtp } from '../../src/rtp/rtp-packet.js';
import type { DatagramEndpoint } from '../../src/rtp/datagram.js';
import { MemoryNetwork } from '../../src/rtp/memory-network.js';
import { opusPacketMs } from '../../src/media/packet-duration.js';
import type { MediaStreamOptions, MediaStreamStats } from '../../src/media/media-stream.js';
import { addPhone, closeAll, lab, type Lab, type Phone } from './harness.js';

const AMPLITUDE = 8000;
const F0 = 600;
const SWEEP_HZ_PER_S = 800 / 3;
const SENDER = { address: '127.0.0.21', port: 20000 };

let current: Lab | undefined;
afterEach(() => {
  if (current) closeAll(current);
  current = undefined;
});

const tone = (sampleRate: number, n: number): number => {
  const t = n / sampleRate;
  return Math.round(AMPLITUDE * Math.sin(2 * Math.PI * (F0 * t + (SWEEP_HZ_PER_S / 2) * t * t)));
};

interface Run {
  phone: Phone;
  sent: Int16Array;
  packets: number;
  /** Stats while the stream still runs (at the last packet's send time): at the end, the buffer conceals while it waits for more. */
  running: MediaStreamStats;
}

/**
 * Sends the tone in packets of `durationsMs` (each sent when its audio is complete, arriving 5 ms
 * later; indexes in `lost` never arrive, `corrupt` replaces a payload) to a receiving stream with
 * a 20 ms ptime, and runs until everything has played out.
 */
async function run(codec: AudioCodec, durationsMs: number[], opts: { lost?: Set<number>; corrupt?: Map<number, Uint8Array>; jitter?: MediaStreamOptions['jitter'] } = {}): Promise<Run> {
  let net: MemoryNetwork | undefined;
  const l = lab(['R'], (clock) => (net = new MemoryNetwork(clock, { path: () => 5 })));
  current = l;
  const phone = await addPhone(l, 'R', '127.0.0.12', codec, 16000, opts.jitter ? { jitter: opts.jitter } : {});
  const opened = await net!.open({ address: SENDER.address, port: SENDER.port, onPacket: () => undefined });
  if (!opened.ok) throw new Error(opened.error.message);
  const endpoint: DatagramEndpoint = opened.value;
  phone.stream.setRemote(SENDER);
  phone.stream.start();

  const total = durationsMs.reduce((a, b) => a + b, 0);
  const sent = new Int16Array((total * codec.sampleRate) / 1000);
  for (let n = 0; n < sent.length; n++) sent[n] = tone(codec.sampleRate, n);
  const encoder = codec.createEncoder({ vad: false });
  const schedule: { at: number; bytes: Uint8Array }[] = [];
  let t = 0;
  let sample = 0;
  durationsMs.forEach((ms, k) => {
    const count = (ms * codec.sampleRate) / 1000;
    const payload = new Uint8Array(codec.maxEncodedBytes(count));
    const len = encoder.encode(sent.subarray(sample, sample + count), payload);
    const bytes = serializeRtp({
      marker: k === 0,
      payloadType: codec.payloadType,
      sequenceNumber: (40000 + k) & 0xffff,
      timestamp: (0xfffff000 + (t * codec.clockRate) / 1000) >>> 0,
      ssrc: 0x1234,
      csrc: [],
      payload: opts.corrupt?.get(k) ?? payload.subarray(0, len),
      paddingLength: 0,
    });
    t += ms;
    sample += count;
    if (!opts.lost?.has(k)) schedule.push({ at: t, bytes });
  });
  let next = 0;
  let running: MediaStreamStats | undefined;
  for (let now = 0; now <= total + 200; now += 10) {
    if (now === total) running = phone.stream.stats();
    for (; next < schedule.length && schedule[next]!.at <= now; next++) {
      const { bytes } = schedule[next]!;
      endpoint.send(bytes, bytes.length, { address: '127.0.0.12', port: phone.stream.localPort });
    }
    l.clock.advance(10);
  }
  return { phone, sent, packets: durationsMs.length, running: running! };
}

/** The playout delay (samples) at which the recording best matches the sent tone. */
function bestDelay(rec: Int16Array, sent: Int16Array, from: number, length: number, maxDelay: number): number {
  let best = 0;
  let bestErr = Infinity;
  for (let d = 0; d <= maxDelay; d++) {
    let err = 0;
    for (let n = from; n < from + length; n++) err += (rec[n]! - (sent[n - d] ?? 0)) ** 2;
    if (err < bestErr) [best, bestErr] = [d, err];
  }
  return best;
}

/** SNR (dB) of each 20 ms block of the recording against the sent tone delayed by `delay`. */
function blockSnrs(rec: Int16Array, sent: Int16Array, delay: number, from: number, to: number, block: number): number[] {
  const out: number[] = [];
  for (let b = from; b + block <= to; b += block) {
    let sig = 0;
    let err = 0;
    for (let n = b; n < b + block; n++) {
      const s = sent[n - delay] ?? 0;
      sig += s * s;
      err += (rec[n]! - s) ** 2;
    }
    out.push(10 * Math.log10(sig / Math.max(err, 1)));
  }
  return out;
}

/**
 * Checks the recording is the tone without a gap: every 20 ms block holds the tone's frequency of
 * that moment at its level (±3 dB) and, for waveform codecs (`minSnrDb`; G.729 keeps the
 * spectrum, not the waveform), matches it within `minSnrDb` at one delay.
 */
function expectContinuousTone(r: Run, minSnrDb: number | undefined): { delayMs: number; worstSnrDb: number } {
  const rate = r.phone.stream.sampleRate;
  const rec = r.phone.recorder.samples();
  const block = rate / 50;
  // After 200 ms playout has started; G.729 takes about 600 ms to reach the tone's level.
  const from = minSnrDb === undefined ? (rate * 3) / 5 : rate / 5;
  const delay = bestDelay(rec, r.sent, from, block * 5, rate / 5);
  const to = r.sent.length + delay - block; // the last packet's audio has played
  const levels: number[] = [];
  for (let b = from; b + block <= to; b += block) {
    const t = (b + block / 2 - delay) / rate;
    levels.push(goertzelAmplitude(rec, F0 + SWEEP_HZ_PER_S * t, rate, b, block) / AMPLITUDE);
  }
  expect(levels.length).toBeGreaterThan(20);
  expect(Math.min(...levels), 'weakest 20 ms block, tone amplitude (1 = as sent)').toBeGreaterThan(minSnrDb === undefined ? 0.65 : 0.7);
  expect(Math.max(...levels)).toBeLessThan(1.4);
  if (minSnrDb === undefined) return { delayMs: (1000 * delay) / rate, worstSnrDb: NaN };
  const snrs = blockSnrs(rec, r.sent, delay, from, to, block);
  const worst = Math.min(...snrs);
  expect(worst, `worst 20 ms block (of ${snrs.length}) SNR`).toBeGreaterThan(minSnrDb);
  // The level of the sent tone (-15.3 dBFS), within the codec's accuracy.
  expect(measureRmsDbfs(rec.subarray(from, to))).toBeCloseTo(measureRmsDbfs(r.sent), 0);
  return { delayMs: (1000 * delay) / rate, worstSnrDb: worst };
}

const g729 = loadG729();
const CODECS: [AudioCodec, number | undefined][] = [
  [PCMU, 30],
  [PCMA, 30],
  [G722, 15],
  ...(g729.ok ? [[g729.value, undefined] as [AudioCodec, undefined]] : []),
];

describe('MediaStream receives packets of any duration (RFC 3551 §4.2)', () => {
  for (const [codec, minSnr] of CODECS) {
    for (const ms of [10, 20, 30, 40, 60]) {
      it(`${codec.name}: ${ms} ms packets into a 20 ms stream play as a continuous tone; nothing lost or concealed`, async () => {
        const r = await run(codec, new Array<number>(Math.round(3000 / ms)).fill(ms));
        expectContinuousTone(r, minSnr);
        const s = r.phone.stream.stats();
        // RFC 3550 A.1: the first packet only starts the source's probation.
        expect(s.rtp.packetsReceived).toBe(r.packets - 1);
        expect(s.rtp.packetsLost).toBe(0);
        expect(s.jitterBuffer.pushed).toBe(r.packets - 1);
        expect(s.jitterBuffer.played).toBe(s.jitterBuffer.pushed);
        expect(r.running.jitterBuffer.concealed).toBe(0);
        expect(r.running.concealmentPercent).toBe(0);
        expect(s.decodeErrors).toBe(0);
      });
    }
  }

  // 20 → 60 ms makes each packet's first sample arrive 40 ms later: an adaptive buffer at 20 ms
  // must grow (concealing) and shrinks back later (dropping). A fixed 80 ms buffer has the room:
  // then the change is seamless.
  const CHANGES = [...new Array<number>(25).fill(20), ...new Array<number>(10).fill(60), ...new Array<number>(50).fill(10), ...new Array<number>(20).fill(30), ...new Array<number>(10).fill(40)];
  const FIXED_80 = { minDelayMs: 80, nominalDelayMs: 80, maxDelayMs: 200, adaptive: false };

  for (const [codec, minSnr] of CODECS) {
    it(`${codec.name}: the packet duration changes mid-stream (20 → 60 → 10 → 30 → 40 ms), fixed 80 ms buffer: one continuous tone`, async () => {
      const r = await run(codec, CHANGES, { jitter: FIXED_80 });
      expectContinuousTone(r, minSnr);
      const s = r.phone.stream.stats();
      expect(s.rtp.packetsLost).toBe(0);
      expect(s.jitterBuffer.played).toBe(CHANGES.length - 1);
      expect(r.running.jitterBuffer.concealed).toBe(0);
      expect(r.running.jitterBuffer.dropped).toBe(0);
    });
  }

  it('PCMA: the same changes into the default adaptive buffer: every packet played, the delay grows for the 60 ms packets and shrinks after', async () => {
    const r = await run(PCMA, CHANGES);
    const s = r.running;
    expect(s.rtp.packetsLost).toBe(0);
    expect(s.jitterBuffer.lost).toBe(0);
    expect(s.jitterBuffer.late).toBe(0);
    // Growing by 40 ms costs at most 40 ms of concealment (frames inserted, nothing lost) …
    expect(s.jitterBuffer.concealedMs).toBeLessThanOrEqual(40);
    expect(s.jitterBuffer.inserted).toBeGreaterThan(0);
    expect(s.jitterBuffer.concealed).toBe(s.jitterBuffer.inserted);
    // … and the surplus is dropped again once the packets are short.
    expect(s.jitterBuffer.dropped).toBeGreaterThan(0);
    expect(s.jitterBuffer.played + s.jitterBuffer.dropped).toBe(s.jitterBuffer.pushed - s.jitterBuffer.bufferedFrames);
    expect(s.concealmentPercent).toBeLessThan(3);
  });

  it('PCMU: two lost 30 ms packets are concealed for 60 ms in all (3 of our 20 ms frames), counted lost', async () => {
    const r = await run(PCMU, new Array<number>(100).fill(30), { lost: new Set([40, 70]) });
    const s = r.running;
    expect(s.rtp.packetsLost).toBe(2);
    expect(s.jitterBuffer.lost).toBe(2);
    // 30 ms each; a frame inserted where the buffer was below its target adds 20 ms (the delay grows).
    expect(s.jitterBuffer.concealedMs).toBe(60 + 20 * s.jitterBuffer.inserted);
    expect(s.jitterBuffer.inserted).toBeLessThanOrEqual(1);
    expect(s.concealedFrames).toBeCloseTo(s.jitterBuffer.concealedMs / 20, 5);
    expect(s.concealmentPercent).toBeGreaterThan(0);
    expect(s.concealmentPercent).toBeCloseTo((100 * s.concealedFrames) / 150, 0);
    // The audio after each loss continues at the same delay, grown by what was inserted (the
    // hole is filled, not skipped).
    const rate = r.phone.stream.sampleRate;
    const rec = r.phone.recorder.samples();
    const block = rate / 50;
    const before = bestDelay(rec, r.sent, rate / 5, block * 5, rate / 5);
    const after = bestDelay(rec, r.sent, r.sent.length - rate / 2, block * 5, rate / 5);
    expect(after).toBe(before + (s.jitterBuffer.inserted * 20 * rate) / 1000);
  });

  it.skipIf(!g729.ok)('G729: a payload the decoder rejects is concealed and counted, the tick does not throw', async () => {
    const r = await run(g729.ok ? g729.value : PCMU, new Array<number>(100).fill(30), { corrupt: new Map([[50, new Uint8Array(7)]]) });
    const s = r.running;
    expect(s.decodeErrors).toBe(1);
    expect(s.concealedFrames).toBeCloseTo(1.5, 5);
    expect(r.phone.events.filter((e) => e.type === 'error')).toEqual([]);
  });
});

describe('opusPacketMs (RFC 6716 §3.1)', () => {
  it('reads the TOC: config frame size × frame count code', () => {
    const ms = (...b: number[]): number => opusPacketMs(Uint8Array.from(b), 0, b.length);
    expect(ms(31 << 3)).toBe(20); // CELT FB 20 ms, one frame
    expect(ms((31 << 3) | 1, 0)).toBe(40); // two frames
    expect(ms((3 << 3) | 3, 3)).toBe(180); // SILK 60 ms × 3
    expect(ms((13 << 3) | 0)).toBe(20); // Hybrid 20 ms
    expect(ms((16 << 3) | 0)).toBe(2.5);
    expect(ms((31 << 3) | 3)).toBe(0); // code 3 without its count octet
    expect(ms()).toBe(0);
  });
});
