// Two (or three) phones' MediaStreams in virtual time over an in-memory network: G.711, G.722
// and G.729 audio both ways with each side's identity detector naming who it hears (and catching
// crossed streams), RFC 4733 digits, hold/resume with RTP_CLOSE_ENABLE_n, RTCP (RTT, mux), stats
// against the network's own counts, and re-INVITE changes (remote, codec).
import { afterEach, describe, expect, it } from 'vitest';
import { PCMA, PCMU } from '../../src/codecs/g711.js';
import { G722 } from '../../src/codecs/g722.js';
import { loadG729 } from '../../src/codecs/g729.js';
import { DtmfSource, ToneSource } from '../../src/codecs/audio-source.js';
import { LevelMeter } from '../../src/codecs/audio-sink.js';
import { DtmfDetector } from '../../src/codecs/dtmf-detector.js';
import { toneFromTimings } from '../../src/codecs/tone-generator.js';
import { goertzelPower } from '../../src/codecs/goertzel.js';
import { unwrap } from '../../src/core/result.js';
import { MemoryNetwork } from '../../src/rtp/memory-network.js';
import { PortAllocator } from '../../src/rtp/port-allocator.js';
import { MediaStream } from '../../src/media/media-stream.js';
import { seededRandom } from '../rtp/impairment.js';
import { VirtualClock, type Clock } from '../../src/core/clock.js';
import { MediaClock } from '../../src/media/media-clock.js';
import { addPhone, closeAll, connect, dtmfDigits, lab, runFor, type Lab } from './harness.js';

let current: Lab | undefined;
afterEach(() => {
  if (current) closeAll(current);
  current = undefined;
});

function memLab(names: string[], path?: ConstructorParameters<typeof MemoryNetwork>[1]): { l: Lab; net: () => MemoryNetwork } {
  let net: MemoryNetwork | undefined;
  const l = lab(names, (clock) => (net = new MemoryNetwork(clock, path ?? { path: () => 5 })));
  current = l;
  return { l, net: () => net! };
}

describe('MediaStream over an in-memory network', () => {
  for (const [name, codec] of [
    ['PCMU', PCMU],
    ['PCMA', PCMA],
    ['G722', G722],
  ] as const) {
    it(`${name}: both phones hear each other, and the identity detectors prove whose audio it is`, async () => {
      const { l } = memLab(['A', 'B', 'C']);
      const a = await addPhone(l, 'A', '127.0.0.11', codec, 16000);
      const b = await addPhone(l, 'B', '127.0.0.12', codec, 16000);
      connect(a, b);
      await runFor(l, 4000);
      expect(b.detector.detect().verdict).toBe('A');
      expect(a.detector.detect().verdict).toBe('B');
      const sb = b.stream.stats();
      expect(sb.rtp.packetsReceived).toBeGreaterThan(195);
      expect(sb.rtp.packetsLost).toBe(0);
      expect(sb.audioFramesSent).toBe(200);
      expect(sb.rtp.remoteSsrc).toBe(a.stream.session.sender.ssrc);
      expect(sb.remote).toEqual({ address: '127.0.0.11', port: 16000 });
      expect(b.recorder.durationMs).toBe(4000);
    });
  }

  it('G729 (when the addon is built): B names A', async (ctx) => {
    const g729 = loadG729();
    if (!g729.ok) return ctx.skip();
    const { l } = memLab(['A', 'B']);
    const a = await addPhone(l, 'A', '127.0.0.11', g729.value, 16000);
    const b = await addPhone(l, 'B', '127.0.0.12', g729.value, 16000);
    connect(a, b);
    await runFor(l, 4000);
    expect(b.detector.detect().verdict).toBe('A');
    expect(a.detector.detect().verdict).toBe('B');
    expect(b.stream.stats().rtp.packetsReceived).toBeGreaterThan(195);
  });

  it('catches crossed streams: A expects B but hears C (B`s media goes astray, C`s reaches A)', async () => {
    // Without symmetric latching (which would pair A and B up again by itself).
    const { l } = memLab(['A', 'B', 'C']);
    const a = await addPhone(l, 'A', '127.0.0.11', PCMU, 16000, { symmetric: false });
    const b = await addPhone(l, 'B', '127.0.0.12', PCMU, 16000, { symmetric: false });
    const c = await addPhone(l, 'C', '127.0.0.13', PCMU, 16000, { symmetric: false });
    a.stream.setRemote({ address: b.address, port: b.stream.localPort });
    b.stream.setRemote({ address: '127.0.0.99', port: 30000 });
    c.stream.setRemote({ address: a.address, port: a.stream.localPort });
    for (const p of [a, b, c]) p.stream.start();
    await runFor(l, 3000);
    const heard = a.detector.detect();
    expect(heard.verdict).toBe('C');
    expect(heard.scores.find((s) => s.id === 'B')!.present).toBe(false);
    expect(c.detector.detect().reason).toBe('silence');
  });

  it('symmetric RTP: media goes where the peer`s media comes from (a NAT), not to its SDP address', async () => {
    const { l } = memLab(['A', 'B']);
    const a = await addPhone(l, 'A', '127.0.0.11', PCMU, 16000);
    const b = await addPhone(l, 'B', '127.0.0.12', PCMU, 16000);
    a.stream.setRemote({ address: '10.1.2.3', port: 5004 }); // B's private address, unreachable
    b.stream.setRemote({ address: a.address, port: a.stream.localPort });
    a.stream.start();
    b.stream.start();
    await runFor(l, 2500);
    expect(a.stream.stats().remote).toEqual({ address: b.address, port: b.stream.localPort });
    expect(a.stream.stats().connected).toBe(false); // stays free to follow the NAT
    expect(b.stream.stats().connected).toBe(true);
    expect(a.events).toContainEqual({ type: 'latched', remote: { address: b.address, port: b.stream.localPort }, relatch: false });
    expect(b.detector.detect().verdict).toBe('A');
  });

  it('RFC 4733: digits arrive once each with their duration; audio pauses meanwhile', async () => {
    const { l } = memLab(['A', 'B']);
    const a = await addPhone(l, 'A', '127.0.0.11', PCMU, 16000);
    const b = await addPhone(l, 'B', '127.0.0.12', PCMU, 16000);
    connect(a, b);
    await runFor(l, 500);
    const framesBefore = a.stream.stats().audioFramesSent;
    expect(a.stream.sendDtmf('19#*', { durationMs: 160, gapMs: 80 }).ok).toBe(true);
    await runFor(l, 1500);
    expect(dtmfDigits(b)).toBe('19#*');
    const ends = b.events.filter((e) => e.type === 'dtmf' && e.phase === 'end');
    for (const e of ends) expect(e.type === 'dtmf' && e.durationMs).toBe(160);
    const sa = a.stream.stats();
    expect(sa.dtmfSent).toBe(4);
    expect(b.stream.stats().dtmfReceived).toBe(4);
    // 4 × 240 ms of events (plus end packets) replaced audio: about 48 frames fewer in 75 ticks.
    expect(sa.audioFramesSent - framesBefore).toBeLessThan(75 - 40);
    expect(a.stream.sendDtmf('X').ok).toBe(false);
  });

  it('without telephone-event negotiated, sendDtmf fails', async () => {
    const { l } = memLab(['A']);
    const a = await addPhone(l, 'A', '127.0.0.11', PCMU, 16000, { telephoneEventPayloadType: undefined });
    const r = a.stream.sendDtmf('1');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('MEDIA_NO_TELEPHONE_EVENT');
  });

  it('hold (A sendonly, B recvonly): B stops sending audio, A hears silence, B still hears A; resume restores both', async () => {
    const { l } = memLab(['A', 'B']);
    const a = await addPhone(l, 'A', '127.0.0.11', PCMU, 16000);
    const b = await addPhone(l, 'B', '127.0.0.12', PCMU, 16000);
    connect(a, b);
    await runFor(l, 2500);
    expect(a.detector.detect().verdict).toBe('B');
    await a.stream.setDirection('sendonly');
    await b.stream.setDirection('recvonly');
    const sentByB = b.stream.stats().audioFramesSent;
    await runFor(l, 3000);
    expect(b.stream.stats().audioFramesSent).toBe(sentByB);
    expect(a.detector.detect().reason).toBe('silence');
    expect(b.detector.detect().verdict).toBe('A');
    expect(a.stream.socketsOpen).toBe(true);
    await a.stream.setDirection('sendrecv');
    await b.stream.setDirection('sendrecv');
    await runFor(l, 2500);
    expect(a.detector.detect().verdict).toBe('B');
  });

  it('RTP keep alive (A12 9.16, RFC 6263 §4.6): held (recvonly), B sends an unknown-payload RTP packet every 30 s; A ignores it; none while media flows', async () => {
    const { l } = memLab(['A', 'B']);
    const a = await addPhone(l, 'A', '127.0.0.11', PCMU, 16000);
    const b = await addPhone(l, 'B', '127.0.0.12', PCMU, 16000, { rtpKeepAliveMs: 30_000 });
    connect(a, b);
    await runFor(l, 2000);
    expect(b.stream.stats().keepAlivesSent).toBeUndefined(); // media flows: no keep-alive
    await b.stream.setDirection('recvonly');
    await runFor(l, 20); // B's last audio packet arrives
    await a.stream.setDirection('sendonly');
    const received = a.stream.stats().rtp.packetsReceived;
    const ignored = a.stream.stats().ignored;
    await runFor(l, 28_980);
    expect(b.stream.stats().keepAlivesSent).toBeUndefined(); // under 30 s since B's last packet
    await runFor(l, 62_000);
    expect(b.stream.stats().keepAlivesSent).toBe(3); // at 30, 60 and 90 s after the last audio
    // A (sendonly: not receiving) counts them as RTP of the session but plays nothing.
    expect(a.stream.stats().rtp.packetsReceived - received).toBe(3);
    expect(a.stream.stats().ignored - ignored).toBe(3);
    // Resumed: audio flows again, A hears B, and B's audio continues B's sequence numbers.
    await a.stream.setDirection('sendrecv');
    await b.stream.setDirection('sendrecv');
    await runFor(l, 2500);
    expect(a.detector.detect().verdict).toBe('B');
    expect(b.stream.stats().keepAlivesSent).toBe(3);
    expect(a.stream.stats().rtp.packetsLost).toBe(0);
  });

  it('a payload type that was not negotiated is ignored by the receiver (RFC 3550 §5.1), not played', async () => {
    const { l } = memLab(['A', 'B']);
    const a = await addPhone(l, 'A', '127.0.0.11', PCMU, 16000, { rtpKeepAliveMs: 1000 });
    const b = await addPhone(l, 'B', '127.0.0.12', PCMU, 16000);
    connect(a, b);
    await a.stream.setDirection('recvonly'); // A sends only keep-alives (PT 127, no payload)
    await runFor(l, 5010); // (the network delay is 5 ms)
    const sb = b.stream.stats();
    const sent = a.stream.stats().keepAlivesSent!;
    expect(sent).toBe(5); // at 1, 2, 3, 4 and 5 s
    // The first two validate A as a new source (RFC 3550 A.1 probation); the rest are RTP of the
    // session that B drops before its jitter buffer.
    expect(sb.rtp.packetsReceived).toBe(3);
    expect(sb.ignored).toBe(3);
    expect(sb.concealedFrames).toBe(0);
    expect(b.detector.detect().reason).toBe('silence');
  });

  it('RTP_CLOSE_ENABLE_n=y: inactive closes the sockets (no RTP, no RTCP), resume binds the same port again', async () => {
    const { l, net } = memLab(['A', 'B']);
    const rtcp = { enabled: true, intervalS: 1 };
    const a = await addPhone(l, 'A', '127.0.0.11', PCMU, 16000, { rtcp, closeOnHold: true });
    const b = await addPhone(l, 'B', '127.0.0.12', PCMU, 16000, { rtcp });
    connect(a, b);
    await runFor(l, 1000);
    await a.stream.setDirection('inactive');
    await b.stream.setDirection('inactive');
    expect(a.stream.socketsOpen).toBe(false);
    const rtcpBefore = a.stream.stats().rtp.rtcpSent;
    const undeliverable = net().undeliverable;
    await runFor(l, 3000);
    // A sends nothing; B's RTCP (RFC 3264 §5.1: RTCP continues) hits a closed port.
    expect(net().undeliverable).toBeGreaterThan(undeliverable);
    expect(b.stream.stats().rtp.rtcpSent).toBeGreaterThan(2);
    await a.stream.setDirection('sendrecv');
    await b.stream.setDirection('sendrecv');
    expect(a.stream.socketsOpen).toBe(true);
    expect(a.stream.localPort).toBe(16000);
    await runFor(l, 2500);
    expect(b.detector.detect().verdict).toBe('A');
    expect(a.detector.detect().verdict).toBe('B');
    expect(a.stream.stats().rtp.rtcpSent).toBeGreaterThan(rtcpBefore);
  });

  it('RTP_CLOSE_ENABLE_n=n: inactive keeps the sockets and RTCP flowing', async () => {
    const { l } = memLab(['A', 'B']);
    const rtcp = { enabled: true, intervalS: 1 };
    const a = await addPhone(l, 'A', '127.0.0.11', PCMU, 16000, { rtcp, closeOnHold: false });
    const b = await addPhone(l, 'B', '127.0.0.12', PCMU, 16000, { rtcp, closeOnHold: false });
    connect(a, b);
    await runFor(l, 1000);
    await a.stream.setDirection('inactive');
    await b.stream.setDirection('inactive');
    const before = a.stream.stats();
    await runFor(l, 3000);
    const after = a.stream.stats();
    expect(a.stream.socketsOpen).toBe(true);
    expect(after.audioFramesSent).toBe(before.audioFramesSent);
    expect(after.rtp.rtcpSent - before.rtp.rtcpSent).toBe(3);
    expect(after.rtp.rtcpReceived).toBeGreaterThan(before.rtp.rtcpReceived);
  });

  it('stats agree with the network: loss, jitter, concealment, RTT from RTCP', async () => {
    const rnd = seededRandom(11);
    let lostAtoB = 0;
    const { l } = memLab(['A', 'B'], {
      path: (from, to, bytes) => {
        const isRtp = to.port % 2 === 0 && bytes[1] !== 200 && bytes[1] !== 201;
        if (isRtp && from.address === '127.0.0.11' && rnd() < 0.05) {
          lostAtoB++;
          return undefined;
        }
        return 20 + (isRtp ? 30 * rnd() : 0);
      },
    });
    const rtcp = { enabled: true, intervalS: 5 };
    const a = await addPhone(l, 'A', '127.0.0.11', PCMU, 16000, { rtcp, jitter: { minDelayMs: 20, nominalDelayMs: 60, maxDelayMs: 200 } });
    const b = await addPhone(l, 'B', '127.0.0.12', PCMU, 16000, { rtcp, jitter: { minDelayMs: 20, nominalDelayMs: 60, maxDelayMs: 200 } });
    connect(a, b);
    await runFor(l, 20_000);
    const s = b.stream.stats();
    expect(lostAtoB).toBeGreaterThan(20);
    // The last packets may still be in flight: lost counts what is missing below the highest.
    expect(Math.abs(s.rtp.packetsLost - lostAtoB)).toBeLessThanOrEqual(1);
    expect(s.rtp.jitterMs).toBeGreaterThan(5);
    expect(s.rtp.jitterMs).toBeLessThan(15);
    expect(s.concealmentPercent).toBeGreaterThan(3);
    expect(s.concealmentPercent).toBeLessThan(8);
    expect(s.jitterBufferDelayMs).toBeGreaterThanOrEqual(20);
    // RTCP takes 20 ms each way.
    expect(a.stream.stats().rtp.roundTripMs).toBeCloseTo(40, 0);
    expect(b.detector.detect().verdict).toBe('A');
    const statsEvents = b.events.filter((e) => e.type === 'stats');
    expect(statsEvents.length).toBe(4);
  });

  it('rtcp-mux (RFC 5761): one socket carries RTP and RTCP; RTT still measured', async () => {
    const { l } = memLab(['A', 'B']);
    const rtcp = { enabled: true, intervalS: 1, mux: true };
    const a = await addPhone(l, 'A', '127.0.0.11', PCMU, 16000, { rtcp });
    const b = await addPhone(l, 'B', '127.0.0.12', PCMU, 16000, { rtcp });
    connect(a, b);
    await runFor(l, 4000);
    expect(a.stream.stats().rtp.roundTripMs).toBeCloseTo(10, 0);
    expect(b.stream.stats().malformed).toBe(0);
    expect(b.detector.detect().verdict).toBe('A');
  });

  it('close sends a BYE the other side reports, releases the ports, and emits final stats', async () => {
    const { l } = memLab(['A', 'B']);
    const a = await addPhone(l, 'A', '127.0.0.11', PCMU, 16000, { rtcp: { enabled: true } });
    const b = await addPhone(l, 'B', '127.0.0.12', PCMU, 16000, { rtcp: { enabled: true } });
    connect(a, b);
    await runFor(l, 1000);
    a.stream.close('bye');
    await runFor(l, 100);
    expect(b.events).toContainEqual({ type: 'remote-bye', reason: 'bye' });
    expect(a.ports.isAllocated(16000)).toBe(false);
    expect(a.events.at(-1)!.type).toBe('stats');
    expect(a.stream.closed).toBe(true);
  });

  it('re-INVITE: new remote (the media moves to C) and a codec change (PCMU → PCMA) keep audio flowing', async () => {
    const { l } = memLab(['A', 'B', 'C']);
    const a = await addPhone(l, 'A', '127.0.0.11', PCMU, 16000);
    const b = await addPhone(l, 'B', '127.0.0.12', PCMU, 16000);
    const c = await addPhone(l, 'C', '127.0.0.13', PCMU, 16000);
    connect(a, b);
    await runFor(l, 2500);
    expect(a.detector.detect().verdict).toBe('B');
    b.stream.close();
    a.stream.setRemote({ address: c.address, port: c.stream.localPort });
    c.stream.setRemote({ address: a.address, port: a.stream.localPort });
    c.stream.start();
    await runFor(l, 2500);
    expect(a.detector.detect().verdict).toBe('C');
    expect(c.detector.detect().verdict).toBe('A');
    expect(a.stream.setCodec({ codec: PCMA, payloadType: 8 }).ok).toBe(true);
    expect(c.stream.setCodec({ codec: PCMA, payloadType: 8 }).ok).toBe(true);
    expect(a.stream.setCodec({ codec: G722, payloadType: 9 }).ok).toBe(false);
    await runFor(l, 2500);
    expect(a.stream.codec.name).toBe('PCMA');
    expect(a.detector.detect().verdict).toBe('C');
  });

  it('play(): a tone replaces the speech; ptime 40 sends 25 packets/s', async () => {
    const { l } = memLab(['A', 'B']);
    const a = await addPhone(l, 'A', '127.0.0.11', PCMU, 16000, { ptimeMs: 40 });
    const b = await addPhone(l, 'B', '127.0.0.12', PCMU, 16000, { ptimeMs: 40 });
    connect(a, b);
    a.stream.play(new ToneSource(unwrap(toneFromTimings([1000], 0, [0], 'on-first')), 8000));
    await runFor(l, 2000);
    expect(a.stream.stats().audioFramesSent).toBe(50);
    const heard = b.recorder.samples().subarray(8000);
    expect(goertzelPower(heard, 1000, 8000)).toBeGreaterThan(100 * goertzelPower(heard, 600, 8000));
    expect(() => a.stream.play(new ToneSource(unwrap(toneFromTimings([1000], 0, [0], 'on-first')), 16000))).toThrow(RangeError);
  });

  it('sinks: in-band DTMF played by A is decoded by B`s DTMF detector; the level meter hears it', async () => {
    const { l } = memLab(['A', 'B']);
    const a = await addPhone(l, 'A', '127.0.0.11', PCMA, 16000);
    const b = await addPhone(l, 'B', '127.0.0.12', PCMA, 16000);
    const detector = new DtmfDetector(8000);
    const meter = new LevelMeter(8000);
    b.stream.addSink(detector);
    const removeMeter = b.stream.addSink(meter);
    connect(a, b);
    a.stream.play(new DtmfSource('2580', 8000));
    await runFor(l, 1500);
    expect(detector.digits).toBe('2580');
    expect(meter.rmsDbfs).toBeGreaterThan(-25);
    removeMeter();
    meter.reset();
    await runFor(l, 100);
    expect(meter.measuredMs).toBe(0);
    expect(() => b.stream.addSink(new LevelMeter(16000))).toThrow(RangeError);
  });

  it('a stalled media tick: RTP timestamps and playout catch up with real time', async () => {
    // A clock that jumps 100 ms while one tick runs (a GC pause, an overloaded event loop).
    const vc = new VirtualClock();
    let extra = 0;
    const clock: Clock = {
      now: () => vc.now() + extra,
      wallTime: () => new Date(vc.wallTime().getTime() + extra),
      setTimer: (ms, fn, label) => vc.setTimer(ms, fn, label),
      setPeriodic: (ms, fn, label) => vc.setPeriodic(ms, fn, label),
    };
    const mediaClock = new MediaClock(clock);
    let stalled = false;
    mediaClock.subscribe((_now, tick) => {
      if (tick === 50 && !stalled) {
        stalled = true;
        extra += 100;
      }
    });
    const l: Lab = { clock: vc, mediaClock, opener: new MemoryNetwork(vc, { path: () => 5 }), marks: [], phones: [] };
    current = l;
    const a = await addPhone(l, 'A', '127.0.0.11', PCMU, 16000, { clock });
    const b = await addPhone(l, 'B', '127.0.0.12', PCMU, 16000, { clock });
    connect(a, b);
    const t0 = clock.now();
    const ts0 = a.stream.session.sender.timestamp;
    await runFor(l, 2000);
    expect(mediaClock.skipped).toBe(5);
    const elapsed = clock.now() - t0;
    expect(elapsed).toBe(2100);
    expect((a.stream.session.sender.timestamp - ts0) >>> 0).toBe(8 * elapsed);
    expect(b.recorder.durationMs).toBe(elapsed);
    expect(a.stream.stats().audioFramesSent).toBe(100);
  });

  it('open: a ptime that is not a multiple of the tick fails; taken ports are skipped; exhaustion fails', async () => {
    const { l } = memLab(['A']);
    const base = { clock: l.clock, mediaClock: l.mediaClock, localAddress: '127.0.0.11', codec: PCMU, payloadType: 0, cname: 'x', opener: l.opener! };
    const bad = await MediaStream.open({ ...base, ports: new PortAllocator(16000, 16002), ptimeMs: 30 });
    expect(!bad.ok && bad.error.code).toBe('MEDIA_BAD_PTIME');
    const taken = await MediaStream.open({ ...base, ports: new PortAllocator(16000, 16002) });
    const next = await MediaStream.open({ ...base, ports: new PortAllocator(16000, 16002) });
    expect(taken.ok && taken.value.localPort).toBe(16000);
    expect(next.ok && next.value.localPort).toBe(16002);
    // A fresh allocator finds both pairs bound by someone else; the shared one knows they are in use.
    const none = await MediaStream.open({ ...base, ports: new PortAllocator(16000, 16002) });
    expect(!none.ok && none.error.code).toBe('MEDIA_NO_SOCKET');
    const shared = new PortAllocator(16000, 16002);
    const s1 = await MediaStream.open({ ...base, localAddress: '127.0.0.21', ports: shared });
    const s2 = await MediaStream.open({ ...base, localAddress: '127.0.0.21', ports: shared });
    const s3 = await MediaStream.open({ ...base, localAddress: '127.0.0.21', ports: shared });
    expect(!s3.ok && s3.error.code).toBe('RTP_NO_PORT');
    if (s1.ok) s1.value.close();
    expect(shared.allocated).toBe(1);
    if (s2.ok) s2.value.close();
    if (taken.ok) taken.value.close();
    if (next.ok) next.value.close();
  });
});
