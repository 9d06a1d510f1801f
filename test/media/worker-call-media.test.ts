// CallMedia over the media worker pool (src/phone/worker-call-media.ts) on real loopback UDP:
// two calls' streams in different workers hear each other's identity marks; a G.711 -> G.722
// re-INVITE reopens the stream on the same port pair (a main-thread tone and recorder at 8 kHz
// keep working across it); hold leaves the held side without a mark; SRTP keys of the exchange
// carry audio; in-band DTMF without telephone-event; close gives the pair back.
import { afterEach, describe, expect, it } from 'vitest';
import { ToneSource } from '../../src/codecs/audio-source.js';
import { WavRecorder } from '../../src/codecs/audio-sink.js';
import { goertzelPower } from '../../src/codecs/goertzel.js';
import { identityMarkFromSeed, type IdentityMark } from '../../src/codecs/identity-mark.js';
import { createCodecRegistry } from '../../src/codecs/registry.js';
import { toneFromTimings } from '../../src/codecs/tone-generator.js';
import { SystemClock } from '../../src/core/system-clock.js';
import { MediaWorkerPool } from '../../src/media/workers/media-worker-pool.js';
import type { CallMedia } from '../../src/phone/call-media.js';
import { workerCallMediaFactory } from '../../src/phone/worker-call-media.js';
import { PortAllocator } from '../../src/rtp/port-allocator.js';
import { generateSdesKey, SRTP_SUITE } from '../../src/rtp/srtp.js';
import type { NegotiatedMedia } from '../../src/sip/sdp/index.js';
import { waitFor } from '../peers/index.js';
import { freePortRange, loopbackAddress } from '../peers/ports.js';

const MARKS: Record<string, IdentityMark> = { a: identityMarkFromSeed('a0000000000a'), b: identityMarkFromSeed('b0000000000b') };
const LINE = { rtcp: { enabled: true, intervalS: 1 }, jitter: { minDelayMs: 20, nominalDelayMs: 40, maxDelayMs: 200 }, closeOnHold: false, dtmf: { durationMs: 100, gapMs: 50 } };

let pool: MediaWorkerPool | undefined;
let clock: SystemClock | undefined;
const opened: CallMedia[] = [];
afterEach(async () => {
  for (const m of opened.splice(0)) await m.close();
  await pool?.close();
  clock?.stop();
  pool = undefined;
});

interface Pair {
  ip: string;
  a: CallMedia;
  b: CallMedia;
  portsA: PortAllocator;
}

async function pair(): Promise<Pair> {
  clock = new SystemClock();
  const started = await MediaWorkerPool.start({ workers: 2, clock, reportIntervalMs: 200 });
  if (!started.ok) throw new Error(started.error.message);
  pool = started.value;
  const ip = loopbackAddress();
  const codecs = createCodecRegistry();
  const make = async (who: 'a' | 'b') => {
    const first = await freePortRange(ip, 8, { protocols: ['udp'], even: true });
    const ports = new PortAllocator(first, first + 6);
    return { ports, factory: workerCallMediaFactory({ pool: pool!, clock: clock!, ports, codecs, cname: who, identity: MARKS[who]!, candidates: () => Object.values(MARKS), line: () => LINE }) };
  };
  const ma = await make('a');
  const mb = await make('b');
  const a = await ma.factory.open(ip, 'call-a', 1);
  const b = await mb.factory.open(ip, 'call-b', 1);
  opened.push(a, b);
  return { ip, a, b, portsA: ma.ports };
}

const CODECS = {
  PCMU: { name: 'PCMU', encodingName: 'PCMU', clockRate: 8000, channels: 1, payloadType: 0, receivePayloadType: 0 },
  G722: { name: 'G722', encodingName: 'G722', clockRate: 8000, channels: 1, payloadType: 9, receivePayloadType: 9 },
};

/** The outcome of an offer/answer as the call layer hands it to CallMedia.apply. */
function negotiated(ip: string, remotePort: number, codec: keyof typeof CODECS, direction: NegotiatedMedia['direction'], extra: { srtp?: { local: string; remote: string }; events?: boolean } = {}): NegotiatedMedia {
  const key = (info: string) => ({ tag: 1, suite: SRTP_SUITE, keyParams: [{ method: 'inline', info }], sessionParams: [] });
  const media: Record<string, unknown> = { mediaIndex: 0, localPort: 0, ptimeMs: 20, direction, remoteHold: direction === 'sendonly' || direction === 'inactive' };
  Object.assign(media, { remoteAddress: ip, remoteRtcpAddress: ip, remotePort, remoteRtcpPort: remotePort + 1, codec: CODECS[codec], codecs: [CODECS[codec]] });
  if (extra.events !== false) media.telephoneEvent = { payloadType: 101, receivePayloadType: 101, clockRate: 8000, events: [] };
  if (extra.srtp) media.srtp = { suite: SRTP_SUITE, localCrypto: key(extra.srtp.local), remoteCrypto: key(extra.srtp.remote) };
  return media as unknown as NegotiatedMedia;
}

const heardMac = (m: CallMedia): string | undefined => m.received().heard?.mac;
const both = (p: Pair) => () => (heardMac(p.a) === 'B0000000000B' && heardMac(p.b) === 'A0000000000A' ? true : undefined);

describe('CallMedia in media workers', () => {
  it('G.711 then G.722 on the same pair: identities both ways, an 8 kHz tone recorded at 8 kHz across the reopen, hold', async () => {
    const p = await pair();
    const { ip, a, b } = p;
    a.apply(negotiated(ip, b.port, 'PCMU', 'sendrecv'));
    b.apply(negotiated(ip, a.port, 'PCMU', 'sendrecv'));
    await waitFor('identities on G.711', both(p), 8000);
    expect(a.sampleRate).toBe(8000);
    expect(a.stats()).toMatchObject({ codec: 'PCMU', heard: { mac: 'B0000000000B', reason: 'mark' } });
    const spec = toneFromTimings([1000], 0, [0], 'on-first');
    if (!spec.ok) throw new Error(spec.error.message);
    a.play(new ToneSource(spec.value, 8000));
    const rec = new WavRecorder(8000);
    b.addSink(rec);
    // re-INVITE to G.722 (16 kHz): a new stream on the same pair, the tone and recorder follow.
    a.apply(negotiated(ip, b.port, 'G722', 'sendrecv'));
    b.apply(negotiated(ip, a.port, 'G722', 'sendrecv'));
    await waitFor('G.722 running', () => (b.sampleRate === 16000 && b.stats().codec === 'G722' ? true : undefined), 8000);
    expect(a.port).toBeGreaterThan(0);
    const before = rec.durationMs;
    await waitFor('a second more recorded', () => (rec.durationMs >= before + 1000 ? true : undefined), 6000);
    const s = rec.samples().subarray(-4000);
    expect(goertzelPower(s, 1000, 8000)).toBeGreaterThan(100 * goertzelPower(s, 1500, 8000));
    await waitFor('identities on G.722', both(p), 8000);
    // A holds B: A hears nobody, B still hears A.
    a.apply(negotiated(ip, b.port, 'G722', 'sendonly'));
    b.apply(negotiated(ip, a.port, 'G722', 'recvonly'));
    await waitFor('A hears silence', () => (a.received().heard?.reason === 'silence' ? true : undefined), 8000);
    expect(heardMac(b)).toBe('A0000000000A');
  }, 40000);

  it('SRTP keys of the exchange carry audio; in-band DTMF without telephone-event; close gives the pair back', async () => {
    const p = await pair();
    const { ip, a, b } = p;
    const ka = generateSdesKey().keySalt;
    const kb = generateSdesKey().keySalt;
    a.apply(negotiated(ip, b.port, 'PCMU', 'sendrecv', { srtp: { local: ka, remote: kb }, events: false }));
    b.apply(negotiated(ip, a.port, 'PCMU', 'sendrecv', { srtp: { local: kb, remote: ka }, events: false }));
    await waitFor('identities over SRTP', both(p), 8000);
    const sa = a.stats() as unknown as { srtp: { protectedRtp: number; unprotectedRtp: number; authFailures: number } };
    expect(sa.srtp.protectedRtp).toBeGreaterThan(25);
    expect(sa.srtp.unprotectedRtp).toBeGreaterThan(25);
    expect(sa.srtp.authFailures).toBe(0);
    // No telephone-event: the digits go in-band; B's recording carries the DTMF pair of '5' (770 + 1336 Hz).
    const rec = new WavRecorder(8000);
    b.addSink(rec);
    a.sendDtmf('5');
    await waitFor('the digit recorded', () => (rec.durationMs >= 600 ? true : undefined), 6000);
    const s = rec.samples();
    expect(goertzelPower(s, 770, 8000)).toBeGreaterThan(20 * goertzelPower(s, 1000, 8000));
    expect(goertzelPower(s, 1336, 8000)).toBeGreaterThan(20 * goertzelPower(s, 1000, 8000));
    const port = a.port;
    expect(p.portsA.isAllocated(port)).toBe(true);
    await a.close();
    expect(p.portsA.isAllocated(port)).toBe(false);
    expect(a.stats().packetsSent).toBeGreaterThan(25); // the last statistics stay readable
  }, 30000);
});
