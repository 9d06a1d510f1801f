// RTCP timing on the injected clock: the KX-UT670 fixed RTCP_INTVL_n and the RFC 3550 §6.3 / A.7
// computed interval with timer reconsideration.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { RtcpScheduler, rtcpIntervalS, type RtcpIntervalInput } from '../../src/rtp/rtcp-scheduler.js';
import { seededRandom } from './impairment.js';

// RFC 3550 A.7 writes e as 2.71828.
const COMPENSATION = 2.71828 - 1.5;

describe('rtcpIntervalS (RFC 3550 A.7)', () => {
  const base: RtcpIntervalInput = { members: 2, senders: 2, rtcpBandwidth: 400, weSent: true, avgRtcpSize: 128, initial: false };

  it('is the 5 s minimum for a two-party G.711 call, randomised over [0.5, 1.5] and compensated', () => {
    // 5% of ~80 kbit/s = 500 B/s; 2 × 128 / 500 ≈ 0.5 s < 5 s, so the minimum applies.
    expect(rtcpIntervalS({ ...base, rtcpBandwidth: 500 }, () => 0.5)).toBeCloseTo(5 / COMPENSATION, 9);
    expect(rtcpIntervalS({ ...base, rtcpBandwidth: 500 }, () => 0)).toBeCloseTo((5 * 0.5) / COMPENSATION, 9);
    expect(rtcpIntervalS({ ...base, rtcpBandwidth: 500 }, () => 0.999999)).toBeCloseTo((5 * 1.5) / COMPENSATION, 4);
  });

  it('halves the minimum before the first report (§6.2)', () => {
    expect(rtcpIntervalS({ ...base, initial: true }, () => 0.5)).toBeCloseTo(2.5 / COMPENSATION, 9);
  });

  it('scales with members once the bandwidth share, not the minimum, decides', () => {
    // 100 receivers, 1 sender; we receive: n = 99 share 75 % of 100 B/s → 99 × 200 / 75 = 264 s.
    const t = rtcpIntervalS({ members: 100, senders: 1, rtcpBandwidth: 100, weSent: false, avgRtcpSize: 200, initial: false }, () => 0.5);
    expect(t).toBeCloseTo((99 * 200) / 75 / COMPENSATION, 6);
    // The sender shares 25 %: 1 × 200 / 25 = 8 s.
    const s = rtcpIntervalS({ members: 100, senders: 1, rtcpBandwidth: 100, weSent: true, avgRtcpSize: 200, initial: false }, () => 0.5);
    expect(s).toBeCloseTo(8 / COMPENSATION, 6);
  });

  it('honours a smaller minimum interval when asked', () => {
    expect(rtcpIntervalS({ ...base, rtcpBandwidth: 1e6, minIntervalS: 1 }, () => 0.5)).toBeCloseTo(1 / COMPENSATION, 9);
  });
});

describe('RtcpScheduler', () => {
  it('fixed (RTCP_INTVL_n): exact multiples of the interval from the start, stops cleanly', () => {
    const clock = new VirtualClock({ startMs: 1000 });
    const at: number[] = [];
    const s = new RtcpScheduler({ clock, timing: { mode: 'fixed', intervalMs: 5000 }, random: Math.random, send: () => (at.push(clock.now()), 60) });
    expect(s.running).toBe(false);
    s.start();
    s.start(); // idempotent
    expect(s.nextDueMs).toBe(6000);
    clock.advance(20_000);
    expect(at).toEqual([6000, 11000, 16000, 21000]);
    expect(s.sent).toBe(4);
    s.stop();
    expect(s.running).toBe(false);
    clock.advance(20_000);
    expect(at).toHaveLength(4);
  });

  it('fixed: rejects a non-positive interval', () => {
    const clock = new VirtualClock();
    expect(() => new RtcpScheduler({ clock, timing: { mode: 'fixed', intervalMs: 0 }, random: Math.random, send: () => 0 })).toThrow(RangeError);
  });

  it('rfc3550: first report after the halved minimum, then about every 5 s on average, never synchronised', () => {
    const clock = new VirtualClock();
    const at: number[] = [];
    const s = new RtcpScheduler({ clock, timing: { mode: 'rfc3550', sessionBandwidthBps: 80_000 }, random: seededRandom(7), send: () => (at.push(clock.now()), 72) });
    s.start();
    clock.advance(600_000);
    // First: 2.5 s × [0.5, 1.5] / 1.218 → within [1.03, 3.08] s.
    expect(at[0]!).toBeGreaterThanOrEqual(1026);
    expect(at[0]!).toBeLessThanOrEqual(3080);
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    // Reconsideration makes the mean interval close to the minimum of 5 s.
    expect(mean).toBeGreaterThan(4000);
    expect(mean).toBeLessThan(6000);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual((5000 * 0.5) / COMPENSATION - 1);
    expect(Math.max(...gaps)).toBeLessThanOrEqual((5000 * 1.5) / COMPENSATION + 1);
    expect(new Set(gaps).size).toBeGreaterThan(gaps.length / 2); // randomised
  });

  it('rfc3550: big received reports raise the average size and so the interval (A.7 OnReceive)', () => {
    const run = (received: number): number => {
      const clock = new VirtualClock();
      let sent = 0;
      const s = new RtcpScheduler({
        clock,
        timing: { mode: 'rfc3550', sessionBandwidthBps: 8_000, minIntervalS: 0.1 },
        random: () => 0.5,
        send: () => (sent++, 100),
        membership: () => ({ members: 2, senders: 1, weSent: false }),
      });
      s.start();
      for (let i = 0; i < 50; i++) s.onReceived(received);
      clock.advance(300_000);
      return sent;
    };
    expect(run(1000)).toBeLessThan(run(50));
  });
});
