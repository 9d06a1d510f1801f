// Silence suppression with RFC 3389 comfort noise between two MediaStreams in virtual time
// (cng-lab.ts): A talks half the time with the A12's "Enable VAD" on and CN negotiated. Voice
// packets drop by about half, CN packets carry the background level, the first voice packet
// after a silence has the marker (RFC 3551 §4.1); B plays noise at the signalled level in the
// gaps (not digital zero), counts no loss or concealment for them, and its RFC 3550 A.8 jitter
// stays that of a constant-delay path.
import { afterEach, describe, expect, it } from 'vitest';
import { CN_PAYLOAD_TYPE, DBFS_OVER_DBOV } from '../../src/codecs/comfort-noise.js';
import { MARK_LEVEL_DBFS } from '../../src/codecs/identity-mark.js';
import { PCMU } from '../../src/codecs/g711.js';
import { G722 } from '../../src/codecs/g722.js';
import { loadG729 } from '../../src/codecs/g729.js';
import { rmsDbov } from '../../src/codecs/vad.js';
import { closeAll, type Lab } from './harness.js';
import { BACKGROUND_DBOV, cnRun, type CnRun, type SentPacket } from './cng-lab.js';

let current: Lab | undefined;
afterEach(() => {
  if (current) closeAll(current);
  current = undefined;
});

async function run(...args: Parameters<typeof cnRun>): Promise<CnRun> {
  const r = await cnRun(...args);
  current = r.l;
  return r;
}

const VAD_CN = { silenceSuppression: true, comfortNoisePayloadType: CN_PAYLOAD_TYPE };

function cnLevels(packets: readonly SentPacket[]): number[] {
  return packets.filter((p) => p.payloadType === CN_PAYLOAD_TYPE).map((p) => -p.payload[0]!);
}

describe('silence suppression with comfort noise (A12 "Enable VAD", RFC 3389)', () => {
  for (const codec of [PCMU, G722]) {
    it(`${codec.name}: half the voice packets, CN in the gaps, noise at the signalled level at the far end`, async () => {
      const ms = 8000;
      const { a, b, fromA } = await run(codec, ms, VAD_CN);
      const voice = fromA.filter((p) => p.payloadType === codec.payloadType);
      const cn = fromA.filter((p) => p.payloadType === CN_PAYLOAD_TYPE);
      // Without VAD: 400 packets. Speech is 1 s in 2, plus the 200 ms hangover.
      expect(voice.length).toBeGreaterThan(180);
      expect(voice.length).toBeLessThan(260);
      // One CN at the start of each of the 4 silences, then every 200 ms: 4 per second of gap.
      expect(cn.length).toBeGreaterThanOrEqual(12);
      expect(cn.length).toBeLessThanOrEqual(24);
      expect(a.stream.stats().comfortNoiseSent).toBe(cn.length);
      // Spectral payloads (RFC 3389 §3.3: the level byte and M = 10 reflection coefficients, never the
      // reserved index 255) at the background level measured by the VAD: noise + identity mark ≈ -42.7 dBov
      // (the very first CN, before any background was measured, carries the floor).
      expect(cn.every((p) => p.payload.length === 11 && p.payload[0]! < 128 && p.payload.subarray(1).every((n) => n <= 254) && !p.marker)).toBe(true);
      const background = 10 * Math.log10(10 ** (BACKGROUND_DBOV / 10) + 10 ** ((MARK_LEVEL_DBFS - DBFS_OVER_DBOV) / 10));
      for (const level of cnLevels(fromA).slice(1)) expect(Math.abs(level - background)).toBeLessThan(1.5);
      // RFC 3551 §4.1: the marker on the first packet of each talkspurt (and only there).
      let talkspurts = 0;
      for (let i = 1; i < fromA.length; i++) {
        const p = fromA[i]!;
        if (p.payloadType !== codec.payloadType) continue;
        const afterCn = fromA[i - 1]!.payloadType === CN_PAYLOAD_TYPE;
        expect(p.marker).toBe(afterCn);
        if (afterCn) talkspurts++;
      }
      expect(talkspurts).toBeGreaterThanOrEqual(3);
      // Sequence numbers run on across CN packets; timestamps stay on the 20 ms media grid.
      const frameTicks = 160;
      for (let i = 1; i < fromA.length; i++) {
        expect(fromA[i]!.sequenceNumber).toBe((fromA[i - 1]!.sequenceNumber + 1) & 0xffff);
        expect(((fromA[i]!.timestamp - fromA[0]!.timestamp) >>> 0) % frameTicks).toBe(0);
      }

      // B: noise in the gaps at the signalled level, not digital zero.
      const rec = b.recorder.samples();
      const rate = codec.sampleRate;
      for (let k = 0; k < 4; k++) {
        const gap = rec.subarray(Math.round(((2000 * k + 1300) * rate) / 1000), Math.round(((2000 * k + 1900) * rate) / 1000));
        const heard = rmsDbov(gap);
        const signalled = cnLevels(fromA.filter((p) => p.arrivalMs > 2000 * k + 1000 && p.arrivalMs < 2000 * k + 1900));
        expect(signalled.length).toBeGreaterThan(0);
        const mean = signalled.reduce((s, x) => s + x, 0) / signalled.length;
        expect(Math.abs(heard - mean)).toBeLessThan(1);
        expect(gap.filter((s) => s === 0).length).toBeLessThan(gap.length / 4);
      }
      const sb = b.stream.stats();
      // The last CN may still wait in B's jitter buffer.
      expect(sb.comfortNoiseReceived).toBeGreaterThanOrEqual(cn.length - 1);
      expect(sb.comfortNoiseReceived).toBeLessThanOrEqual(cn.length);
      // Silence suppression is not loss: nothing concealed, nothing lost, jitter of a constant path.
      expect(sb.rtp.packetsLost).toBe(0);
      expect(sb.jitterBuffer.lost).toBe(0);
      expect(sb.concealedFrames).toBe(0);
      expect(sb.jitterBuffer.concealed).toBe(0);
      expect(sb.rtp.jitterMs).toBeLessThan(0.5);
    });
  }

  it('VAD on without CN negotiated, or VAD off: every frame is sent as voice', async () => {
    const noCn = await run(PCMU, 4000, { silenceSuppression: true });
    expect(noCn.fromA.filter((p) => p.payloadType === CN_PAYLOAD_TYPE)).toHaveLength(0);
    expect(noCn.fromA.length).toBeGreaterThanOrEqual(200);
    closeAll(noCn.l);
    const off = await run(PCMU, 4000, { comfortNoisePayloadType: CN_PAYLOAD_TYPE });
    expect(off.fromA.length).toBeGreaterThanOrEqual(200);
    expect(off.fromA.every((p) => p.payloadType === 0)).toBe(true);
  });

  it('setCodec: PCMU → G.729 (its own Annex B DTX) turns CN off', async (ctx) => {
    const r = await run(PCMU, 4000, VAD_CN);
    const before = r.fromA.filter((p) => p.payloadType === CN_PAYLOAD_TYPE).length;
    expect(before).toBeGreaterThan(0);
    const g729 = loadG729();
    if (!g729.ok) return ctx.skip();
    expect(r.a.stream.setCodec({ codec: g729.value, payloadType: 18, comfortNoisePayloadType: CN_PAYLOAD_TYPE, vad: false }).ok).toBe(true);
    const sent = r.a.stream.stats().comfortNoiseSent;
    for (let t = 0; t < 3000; t += 20) r.l.clock.advance(20);
    expect(r.a.stream.stats().comfortNoiseSent).toBe(sent);
  });
});

describe('G.729 Annex B DTX (its own comfort noise)', () => {
  it('after a SID the gap plays the decoder`s comfort noise, counted neither as concealment nor as loss', async (ctx) => {
    const g729 = loadG729();
    if (!g729.ok) return ctx.skip();
    const { a, b, fromA } = await run(g729.value, 8000, { vad: true });
    const sids = fromA.filter((p) => p.payload.length % 10 === 2);
    expect(sids.length).toBeGreaterThan(3);
    expect(fromA.length).toBeLessThan(320); // DTX: fewer packets than 400 frames
    expect(a.stream.stats().comfortNoiseSent).toBe(0); // Annex B, not RFC 3389
    const sb = b.stream.stats();
    expect(sb.rtp.packetsLost).toBe(0);
    expect(sb.jitterBuffer.concealed).toBe(0);
    expect(sb.concealedFrames).toBe(0);
    const rec = b.recorder.samples();
    for (let k = 0; k < 4; k++) {
      const gap = rec.subarray(8 * (2000 * k + 1300), 8 * (2000 * k + 1900));
      // Not digital zero: comfort noise near the background (≈ -42.7 dBov with the identity mark).
      expect(gap.filter((s) => s === 0).length).toBeLessThan(gap.length / 4);
      expect(rmsDbov(gap)).toBeGreaterThan(-55);
      expect(rmsDbov(gap)).toBeLessThan(-35);
    }
  });
});
