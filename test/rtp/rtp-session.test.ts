// Two RtpSessions wired back to back in virtual time: media one way or both, RTCP reports both
// ways over an in-memory path with a known delay. Checks the SR/RR choice (RFC 3550 §6.4), report
// block figures against what the path did (loss, jitter), RTT from LSR/DLSR (§6.4.1), BYE (§6.6),
// SSRC collisions (§8.2), RTCP_ENABLE_n off, malformed RTCP and XR VoIP metrics (RFC 3611 §4.7).
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { JitterBuffer } from '../../src/rtp/jitter-buffer.js';
import { parseRtcp, type RtcpPacket } from '../../src/rtp/rtcp-packet.js';
import { RtpView } from '../../src/rtp/rtp-packet.js';
import { RtpSession, type RtpSessionEvent, type RtpSessionOptions } from '../../src/rtp/rtp-session.js';
import { seededRandom } from './impairment.js';

interface Pair {
  clock: VirtualClock;
  a: RtpSession;
  b: RtpSession;
  rtcpAtoB: RtcpPacket[][];
  rtcpBtoA: RtcpPacket[][];
  eventsA: RtpSessionEvent[];
  eventsB: RtpSessionEvent[];
  /** Sends one 20 ms frame from `from` to `to` arriving after `delayMs` (undefined = lost). */
  frame(from: RtpSession, to: RtpSession, delayMs: number | undefined): void;
}

function pair(opts: { rtcpDelayMs?: number; a?: Partial<RtpSessionOptions>; b?: Partial<RtpSessionOptions> } = {}): Pair {
  const clock = new VirtualClock();
  const rnd = seededRandom(42);
  const delay = opts.rtcpDelayMs ?? 30;
  const p = { clock, rtcpAtoB: [] as RtcpPacket[][], rtcpBtoA: [] as RtcpPacket[][], eventsA: [] as RtpSessionEvent[], eventsB: [] as RtpSessionEvent[] } as Pair;
  const deliver = (to: () => RtpSession, log: RtcpPacket[][]) => (bytes: Uint8Array) => {
    const parsed = parseRtcp(bytes);
    if (!parsed.ok) throw new Error(parsed.error.message);
    log.push(parsed.value);
    const copy = bytes.slice();
    clock.setTimer(delay, () => to().receiveRtcp(copy), 'net');
  };
  const base = { clock, random: rnd, payloadType: 0, clockRate: 8000, rtcp: { enabled: true } };
  p.a = new RtpSession({ ...base, cname: 'a@127.0.0.1', transmitRtcp: deliver(() => p.b, p.rtcpAtoB), onEvent: (e) => p.eventsA.push(e), ...opts.a });
  p.b = new RtpSession({ ...base, cname: 'b@127.0.0.2', transmitRtcp: deliver(() => p.a, p.rtcpBtoA), onEvent: (e) => p.eventsB.push(e), ...opts.b });
  const buf = new Uint8Array(172);
  const view = new RtpView();
  p.frame = (from, to, delayMs) => {
    const n = from.writeFrame(buf, 160, 160);
    if (delayMs === undefined) return;
    const bytes = buf.slice(0, n);
    clock.setTimer(delayMs, () => {
      const r = view.read(bytes);
      if (!r.ok) throw new Error(r.error.message);
      to.receiveRtp(view);
    }, 'net');
  };
  return p;
}

/** Runs `ms` of 20 ms frames a→b (and b→a when `both`), with per-frame delay/loss from `path`. */
function run(p: Pair, ms: number, path: (k: number) => number | undefined, both = false): void {
  const frames = ms / 20;
  for (let k = 0; k < frames; k++) {
    p.frame(p.a, p.b, path(k));
    if (both) p.frame(p.b, p.a, 10);
    p.clock.advance(20);
  }
}

describe('RtpSession', () => {
  it('sender sends SR with its counts, receiver sends RR about it, both with SDES CNAME', () => {
    const p = pair();
    p.a.start();
    p.b.start();
    run(p, 5100, () => 10);
    const sr = p.rtcpAtoB[0]!;
    expect(sr.map((x) => x.type)).toEqual(['SR', 'SDES']);
    const rr = p.rtcpBtoA[0]!;
    expect(rr.map((x) => x.type)).toEqual(['RR', 'SDES']);
    if (sr[0]!.type !== 'SR' || rr[0]!.type !== 'RR' || sr[1]!.type !== 'SDES') throw new Error('types');
    // At t = 5000 ms the 251st frame (t=5000) has not been written yet: frames 0..249.
    expect(sr[0]!.sender.packetCount).toBe(250);
    expect(sr[0]!.sender.octetCount).toBe(250 * 160);
    expect(sr[1]!.chunks[0]!.items[0]!.text).toBe('a@127.0.0.1');
    expect(rr[0]!.reports).toHaveLength(1);
    expect(rr[0]!.reports[0]!.ssrc).toBe(p.a.sender.ssrc);
    expect(rr[0]!.reports[0]!.cumulativeLost).toBe(0);
  });

  it('report blocks and stats match a path with known loss and jitter', () => {
    const p = pair();
    p.a.start();
    p.b.start();
    const jitterRnd = seededRandom(3);
    // Every 10th frame lost, the rest delayed 10..50 ms uniformly.
    run(p, 10_000, (k) => (k % 10 === 5 ? undefined : 10 + 40 * jitterRnd()));
    p.clock.advance(100); // the report B sent at 10 s arrives
    const s = p.b.stats();
    expect(s.packetsExpected).toBeGreaterThan(490);
    expect(s.packetsLost).toBe(s.packetsExpected - s.packetsReceived);
    expect(s.lossPercent).toBeGreaterThan(9);
    expect(s.lossPercent).toBeLessThan(11);
    // Uniform ±20 ms spread: E|D| for the difference of two U(0,40) is 40/3 ≈ 13.3 ms.
    expect(s.jitterMs).toBeGreaterThan(9);
    expect(s.jitterMs).toBeLessThan(18);
    // A learns the same from B's receiver reports.
    const remote = p.a.stats().remote!;
    expect(remote.cumulativeLost).toBeGreaterThan(40);
    expect(remote.fractionLost).toBeGreaterThan(0.07);
    expect(remote.fractionLost).toBeLessThan(0.13);
    expect(remote.jitterMs).toBeGreaterThan(9);
    expect(s.mos).toBeLessThan(p.a.stats().mos + 0.0001); // A hears nothing, B hears a lossy stream: not better
  });

  it('measures the round trip from LSR/DLSR (RFC 3550 §6.4.1) when both send', () => {
    const p = pair({ rtcpDelayMs: 40 });
    p.a.start();
    p.b.start();
    run(p, 12_000, () => 10, true);
    const rtt = p.a.stats().roundTripMs;
    expect(rtt).toBeDefined();
    expect(rtt!).toBeGreaterThan(78);
    expect(rtt!).toBeLessThan(82);
    expect(p.eventsA.some((e) => e.type === 'rtt')).toBe(true);
    // Both sent media: both send SRs.
    expect(p.rtcpBtoA.at(-1)![0]!.type).toBe('SR');
  });

  it('switches from SR to RR once it sent nothing in the last two intervals (§6.4)', () => {
    const p = pair();
    p.a.start();
    run(p, 5100, () => 10); // the last frame goes at 5080 ms: in the interval reported at 10 s
    p.clock.advance(15_000);
    expect(p.rtcpAtoB.map((c) => c[0]!.type)).toEqual(['SR', 'SR', 'SR', 'RR']);
  });

  it('stop() sends a BYE, the remote reports it once; stop is idempotent', () => {
    const p = pair();
    p.a.start();
    p.b.start();
    run(p, 1000, () => 10);
    const bye = p.a.stop('hangup');
    expect(bye).toBeDefined();
    expect(p.a.stop()).toBeUndefined();
    p.clock.advance(100);
    expect(p.rtcpAtoB.at(-1)!.map((x) => x.type)).toEqual(['SR', 'SDES', 'BYE']);
    expect(p.eventsB).toContainEqual({ type: 'remote-bye', ssrc: p.a.sender.ssrc, reason: 'hangup' });
    expect(p.b.stats().remoteBye).toBe(true);
    // No more periodic reports after stop.
    const count = p.rtcpAtoB.length;
    p.clock.advance(20_000);
    expect(p.rtcpAtoB.length).toBe(count);
  });

  it('RTCP_ENABLE_n off: sends no RTCP, but reads the remote`s', () => {
    const p = pair({ a: { rtcp: { enabled: false } } });
    expect(p.a.rtcpEnabled).toBe(false);
    p.a.start();
    p.b.start();
    run(p, 12_000, () => 10, true);
    expect(p.rtcpAtoB).toHaveLength(0);
    expect(p.a.stop()).toBeUndefined();
    expect(p.a.stats().rtcpReceived).toBeGreaterThan(1);
    expect(p.a.stats().remote).toBeDefined();
  });

  it('counts malformed RTCP and returns the failure', () => {
    const p = pair();
    const r = p.b.receiveRtcp(new Uint8Array([0x80, 200, 0, 1]));
    expect(r.ok).toBe(false);
    expect(p.b.stats().rtcpMalformed).toBe(1);
    expect(p.b.stats().rtcpReceived).toBe(0);
  });

  it('SSRC collision (§8.2): takes a new SSRC and BYEs the old one', () => {
    const p = pair({ a: { ssrc: 0x1234 }, b: { ssrc: 0x1234 } });
    p.a.start();
    p.b.start();
    p.frame(p.a, p.b, 5);
    p.clock.advance(20);
    expect(p.b.sender.ssrc).not.toBe(0x1234);
    expect(p.eventsB).toEqual([{ type: 'ssrc-collision', oldSsrc: 0x1234, newSsrc: p.b.sender.ssrc }]);
    expect(p.rtcpBtoA[0]!.map((x) => x.type)).toEqual(['RR', 'BYE']);
    expect(p.b.stats().collisions).toBe(1);
  });

  it('SSRC loop (§8.2): our packets mirrored back change the SSRC once, then count as loops', () => {
    const p = pair({ a: { ssrc: 0x1234 } });
    p.a.start();
    // Each packet A sends comes back to A with A's SSRC at that time (an echo service).
    const echo = (): void => {
      p.a.receiveRtp({ ssrc: p.a.sender.ssrc, sequenceNumber: 100 + p.a.stats().loops + p.a.stats().collisions, timestamp: 0, payloadType: 0 });
    };
    for (let i = 0; i < 5; i++) echo();
    expect(p.a.stats().collisions).toBe(1);
    expect(p.a.stats().loops).toBe(4);
    expect(p.a.sender.ssrc).not.toBe(0x1234);
  });

  it('a new remote SSRC after validation is reported as source-changed', () => {
    const p = pair({ b: { minSequential: 2 } });
    const view = new RtpView();
    const buf = new Uint8Array(172);
    const other = new RtpSession({ clock: p.clock, random: seededRandom(9), payloadType: 0, clockRate: 8000, cname: 'c' });
    for (let i = 0; i < 5; i++) {
      const n = p.a.writeFrame(buf, 160, 160);
      view.read(buf.subarray(0, n));
      p.b.receiveRtp(view);
    }
    const verdicts: string[] = [];
    for (let i = 0; i < 3; i++) {
      const n = other.writeFrame(buf, 160, 160);
      view.read(buf.subarray(0, n));
      verdicts.push(p.b.receiveRtp(view));
    }
    expect(verdicts).toEqual(['probation', 'source-changed', 'accepted']);
    expect(p.eventsB).toEqual([{ type: 'source-changed', ssrc: other.sender.ssrc }]);
  });

  it('adds an XR VoIP Metrics block when asked, and the remote keeps it', () => {
    const jb = new JitterBuffer({ clockRate: 8000, frameMs: 20, minDelayMs: 20, nominalDelayMs: 40, maxDelayMs: 200 });
    const p = pair({ b: { rtcp: { enabled: true, xr: true }, jitterBuffer: jb } });
    p.a.start();
    p.b.start();
    run(p, 5100, () => 10);
    const last = p.rtcpBtoA.at(-1)!;
    expect(last.map((x) => x.type)).toEqual(['RR', 'SDES', 'XR']);
    p.clock.advance(100);
    expect(p.a.remoteVoipMetrics?.ssrc).toBe(p.a.sender.ssrc);
  });

  it('skipFrame makes the next frame a talkspurt start (marker) and advances the timestamp', () => {
    const p = pair();
    const buf = new Uint8Array(172);
    const view = new RtpView();
    p.a.writeFrame(buf, 160, 160);
    view.read(buf);
    const ts0 = view.timestamp;
    expect(view.marker).toBe(true);
    p.a.writeFrame(buf, 160, 160);
    view.read(buf);
    expect(view.marker).toBe(false);
    p.a.skipFrame(160);
    p.a.writeFrame(buf, 160, 160);
    view.read(buf);
    expect(view.marker).toBe(true);
    expect((view.timestamp - ts0) >>> 0).toBe(480);
  });
});
