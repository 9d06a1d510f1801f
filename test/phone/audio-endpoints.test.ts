// The call-media audio endpoints on real RTP (two RtpCallMedia over loopback UDP): a source and
// a recorder at 8 kHz on a G.722 (16 kHz) call, identity verdicts through hold (the held side
// hears no mark, the holder still does), SRTP with matching keys (audio proven by the mark) and
// with a wrong key (authentication failures counted, silence, no crash).
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/system-clock.js';
import { ToneSource } from '../../src/codecs/audio-source.js';
import { WavRecorder } from '../../src/codecs/audio-sink.js';
import { identityMarkFromSeed, type IdentityMark } from '../../src/codecs/identity-mark.js';
import { goertzelPower } from '../../src/codecs/goertzel.js';
import { toneFromTimings } from '../../src/codecs/tone-generator.js';
import { createCodecRegistry } from '../../src/codecs/registry.js';
import { MediaClock } from '../../src/media/media-clock.js';
import { PortAllocator } from '../../src/rtp/port-allocator.js';
import { generateSdesKey, SRTP_SUITE } from '../../src/rtp/srtp.js';
import { rtpCallMediaFactory } from '../../src/phone/rtp-call-media.js';
import type { CallMedia } from '../../src/phone/call-media.js';
import type { NegotiatedMedia } from '../../src/sip/sdp/index.js';
import { waitFor } from '../peers/index.js';

const clocks: SystemClock[] = [];
const opened: CallMedia[] = [];
afterEach(async () => {
  for (const m of opened.splice(0)) await m.close();
  for (const c of clocks.splice(0)) c.stop();
});

const MARKS: Record<string, IdentityMark> = { a: identityMarkFromSeed('a0000000000a'), b: identityMarkFromSeed('b0000000000b'), c: identityMarkFromSeed('c0000000000c') };
const LINE = { rtcp: { enabled: true, intervalS: 1 }, jitter: { minDelayMs: 20, nominalDelayMs: 40, maxDelayMs: 200 }, closeOnHold: false, dtmf: { durationMs: 100, gapMs: 50 } };

async function pair(ip: string): Promise<{ a: CallMedia; b: CallMedia }> {
  const clock = new SystemClock();
  clocks.push(clock);
  const mediaClock = new MediaClock(clock, 20);
  const codecs = createCodecRegistry();
  const make = (who: 'a' | 'b', min: number) =>
    rtpCallMediaFactory({ clock, mediaClock, ports: new PortAllocator(min, min + 20), codecs, cname: who, identity: MARKS[who]!, candidates: () => Object.values(MARKS), line: () => LINE });
  const a = await make('a', 41000).open(ip, 'a', 1);
  const b = await make('b', 41100).open(ip, 'b', 1);
  opened.push(a, b);
  return { a, b };
}

function negotiated(ip: string, remotePort: number, codec: 'PCMU' | 'G722', direction: NegotiatedMedia['direction'], srtp?: { local: string; remote: string }): NegotiatedMedia {
  const c = codec === 'PCMU' ? { name: 'PCMU', encodingName: 'PCMU', clockRate: 8000, channels: 1, payloadType: 0, receivePayloadType: 0 } : { name: 'G722', encodingName: 'G722', clockRate: 8000, channels: 1, payloadType: 9, receivePayloadType: 9 };
  const crypto = (info: string) => ({ tag: 1, suite: SRTP_SUITE, keyParams: [{ method: 'inline', info }], sessionParams: [] });
  return {
    mediaIndex: 0,
    localPort: 0,
    remoteAddress: ip,
    remotePort,
    remoteRtcpAddress: ip,
    remoteRtcpPort: remotePort + 1,
    codec: c,
    codecs: [c],
    ptimeMs: 20,
    direction,
    remoteHold: direction === 'sendonly' || direction === 'inactive',
    ...(srtp ? { srtp: { suite: SRTP_SUITE, localCrypto: crypto(srtp.local), remoteCrypto: crypto(srtp.remote) } } : {}),
  } as NegotiatedMedia;
}

const heardMac = (m: CallMedia): string | undefined => m.received().heard?.mac;

describe('call audio endpoints on real RTP', () => {
  it('plays an 8 kHz tone into a G.722 call and records it at 8 kHz on the other side; identities both ways', async () => {
    const ip = '127.0.0.115';
    const { a, b } = await pair(ip);
    a.apply(negotiated(ip, b.port, 'G722', 'sendrecv'));
    b.apply(negotiated(ip, a.port, 'G722', 'sendrecv'));
    const spec = toneFromTimings([1000], 0, [0], 'on-first');
    if (!spec.ok) throw new Error(spec.error.message);
    a.play(new ToneSource(spec.value, 8000));
    const rec = new WavRecorder(8000);
    b.addSink(rec);
    await waitFor('identities', () => (heardMac(a) === 'B0000000000B' && heardMac(b) === 'A0000000000A' ? true : undefined), 6000);
    expect(b.sampleRate).toBe(16000);
    await waitFor('a second recorded', () => (rec.durationMs >= 1000 ? true : undefined), 3000);
    const s = rec.samples().subarray(-4000);
    // The tone arrives at 1 kHz after 8 → 16 → 8 kHz: its energy dwarfs that at 1.5 kHz.
    expect(goertzelPower(s, 1000, 8000)).toBeGreaterThan(100 * goertzelPower(s, 1500, 8000));
    expect(b.received().levelDbfs).toBeGreaterThan(-20);
    expect(b.stats()).toMatchObject({ heard: { mac: 'A0000000000A', reason: 'mark' } });
  }, 15000);

  it('hold: the held side hears no mark while the holder still hears the other', async () => {
    const ip = '127.0.0.116';
    const { a, b } = await pair(ip);
    a.apply(negotiated(ip, b.port, 'PCMU', 'sendrecv'));
    b.apply(negotiated(ip, a.port, 'PCMU', 'sendrecv'));
    await waitFor('identities', () => (heardMac(a) === 'B0000000000B' && heardMac(b) === 'A0000000000A' ? true : undefined), 6000);
    // A holds B (RFC 3264 §8.4): A sendonly, B recvonly. B hears A's hold audio; A hears nobody.
    a.apply(negotiated(ip, b.port, 'PCMU', 'sendonly'));
    b.apply(negotiated(ip, a.port, 'PCMU', 'recvonly'));
    const quiet = await waitFor('A hears silence', () => (a.received().heard?.reason === 'silence' ? a.received().heard : undefined), 6000);
    expect(quiet.mac).toBeUndefined();
    expect(heardMac(b)).toBe('A0000000000A');
    // Resume: both marks again.
    a.apply(negotiated(ip, b.port, 'PCMU', 'sendrecv'));
    b.apply(negotiated(ip, a.port, 'PCMU', 'sendrecv'));
    await waitFor('A hears B again', () => (heardMac(a) === 'B0000000000B' ? true : undefined), 6000);
  }, 20000);

  it('SRTP with the SDES keys of the exchange carries audio; a wrong key only counts failures', async () => {
    const ip = '127.0.0.117';
    const { a, b } = await pair(ip);
    const ka = generateSdesKey().keySalt;
    const kb = generateSdesKey().keySalt;
    a.apply(negotiated(ip, b.port, 'PCMU', 'sendrecv', { local: ka, remote: kb }));
    b.apply(negotiated(ip, a.port, 'PCMU', 'sendrecv', { local: kb, remote: ka }));
    await waitFor('identities over SRTP', () => (heardMac(a) === 'B0000000000B' && heardMac(b) === 'A0000000000A' ? true : undefined), 6000);
    const sa = a.stats() as unknown as { srtp: { protectedRtp: number; unprotectedRtp: number; unprotectedRtcp: number; authFailures: number } };
    expect(sa.srtp.protectedRtp).toBeGreaterThan(25);
    expect(sa.srtp.unprotectedRtp).toBeGreaterThan(25);
    expect(sa.srtp.authFailures).toBe(0);
    expect(a.stats().packetsReceived).toBeGreaterThan(25);

    // A re-INVITE where B believes another key for A: every packet from A fails authentication at B.
    b.apply(negotiated(ip, a.port, 'PCMU', 'sendrecv', { local: kb, remote: generateSdesKey().keySalt }));
    const failing = await waitFor('auth failures at B', () => {
      const st = b.stats() as unknown as { srtp: { authFailures: number } };
      return st.srtp.authFailures >= 50 ? st : undefined;
    }, 5000);
    expect(failing.srtp.authFailures).toBeGreaterThanOrEqual(50);
    await waitFor('B hears silence', () => (b.received().heard?.reason === 'silence' ? true : undefined), 6000);
    // A still hears B: only one direction is broken, and nothing crashed.
    expect(heardMac(a)).toBe('B0000000000B');
    expect((a.stats() as unknown as { srtp: { authFailures: number } }).srtp.authFailures).toBe(0);
  }, 20000);
});
