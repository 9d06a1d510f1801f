// Two MediaStreams exchange Opus (RFC 7587) in virtual time over an in-memory network: RTP
// timestamps at the 48 kHz clock (+960 per 20 ms) whatever the audio rate (16 or 48 kHz), a
// dynamic payload type, identity marks through Opus, loss and jitter measured in 48 kHz units,
// malformed payloads concealed instead of played as silence, and the wasm state freed on close.
import { afterEach, describe, expect, it } from 'vitest';
import { ToneSource } from '../../src/codecs/audio-source.js';
import { WavRecorder } from '../../src/codecs/audio-sink.js';
import type { AudioCodec } from '../../src/codecs/codec.js';
import { goertzelPower } from '../../src/codecs/goertzel.js';
import { measureRmsDbfs } from '../../src/codecs/level.js';
import { createOpusCodec, loadOpusRuntime, opusLiveHandlers, type OpusSampleRate } from '../../src/codecs/opus.js';
import { toneFromTimings } from '../../src/codecs/tone-generator.js';
import { unwrap } from '../../src/core/result.js';
import { MediaStream } from '../../src/media/media-stream.js';
import { MemoryNetwork } from '../../src/rtp/memory-network.js';
import { PortAllocator } from '../../src/rtp/port-allocator.js';
import { RtpView } from '../../src/rtp/rtp-packet.js';
import type { TransportAddress } from '../../src/rtp/symmetric-latch.js';
import { seededRandom } from '../rtp/impairment.js';
import { addPhone, closeAll, connect, lab, runFor, type Lab } from './harness.js';

const PT = 111; // a dynamic payload type other than the codec's usual 107: the SDP decides

function opus(sampleRate: OpusSampleRate): AudioCodec {
  return createOpusCodec(unwrap(loadOpusRuntime()), { sampleRate });
}

type Path = (from: TransportAddress, to: TransportAddress, bytes: Uint8Array) => number | undefined;

let current: Lab | undefined;
afterEach(() => {
  if (current) closeAll(current);
  current = undefined;
});

function memLab(names: string[], path: Path = () => 5): Lab {
  const l = lab(names, (clock) => new MemoryNetwork(clock, { path }));
  current = l;
  return l;
}

/** RTP packets (not RTCP) `from` sent, as parsed headers. */
function rtpLog(): { path: (inner: Path) => Path; from: (address: string) => Array<{ pt: number; seq: number; ts: number; bytes: number }> } {
  const log: Array<{ address: string; pt: number; seq: number; ts: number; bytes: number }> = [];
  const v = new RtpView();
  return {
    path: (inner) => (from, to, bytes) => {
      if (to.port % 2 === 0 && v.read(bytes).ok) log.push({ address: from.address, pt: v.payloadType, seq: v.sequenceNumber, ts: v.timestamp, bytes: v.payloadLength });
      return inner(from, to, bytes);
    },
    from: (address) => log.filter((p) => p.address === address),
  };
}

describe('MediaStream with Opus', () => {
  it('16 kHz audio, 48 kHz clock: both hear each other (identity marks), timestamps +960 per packet', async () => {
    const rtp = rtpLog();
    const l = memLab(['A', 'B', 'C'], rtp.path(() => 5));
    const codec = opus(16000);
    const a = await addPhone(l, 'A', '127.0.0.11', codec, 16000, { payloadType: PT });
    const b = await addPhone(l, 'B', '127.0.0.12', codec, 16000, { payloadType: PT });
    connect(a, b);
    await runFor(l, 4000);
    expect(b.detector.detect().verdict).toBe('A');
    expect(a.detector.detect().verdict).toBe('B');
    const sent = rtp.from('127.0.0.11');
    expect(sent.length).toBe(200);
    for (let k = 1; k < sent.length; k++) {
      expect(sent[k]!.pt).toBe(PT);
      expect((sent[k]!.seq - sent[k - 1]!.seq) & 0xffff).toBe(1);
      expect((sent[k]!.ts - sent[k - 1]!.ts) >>> 0).toBe(960);
    }
    // 20 kbit/s VBR: about 50 octets per 20 ms, far from G.722's 160.
    const mean = sent.reduce((s, p) => s + p.bytes, 0) / sent.length;
    expect(mean).toBeGreaterThan(20);
    expect(mean).toBeLessThan(90);
    const sb = b.stream.stats();
    expect(sb.codec).toBe('opus');
    expect(sb.rtp.packetsLost).toBe(0);
    expect(sb.rtp.packetsReceived).toBeGreaterThan(195);
    expect(b.recorder.durationMs).toBe(4000);
    expect(measureRmsDbfs(b.recorder.samples().subarray(16000))).toBeGreaterThan(-35);
  });

  it('loss and jitter: counted in 48 kHz units (ms right), Opus PLC fills the gaps, B still names A', async () => {
    const rnd = seededRandom(5);
    let lost = 0;
    const l = memLab(['A', 'B'], (from, to, bytes) => {
      const isRtp = to.port % 2 === 0 && bytes[1] !== 200 && bytes[1] !== 201;
      if (isRtp && from.address === '127.0.0.11' && rnd() < 0.05) {
        lost++;
        return undefined;
      }
      return 20 + (isRtp ? 30 * rnd() : 0);
    });
    const extra = { payloadType: PT, jitter: { minDelayMs: 20, nominalDelayMs: 60, maxDelayMs: 200 }, rtcp: { enabled: true, intervalS: 5 } };
    const [a, b] = [await addPhone(l, 'A', '127.0.0.11', opus(16000), 16000, extra), await addPhone(l, 'B', '127.0.0.12', opus(16000), 16000, extra)];
    connect(a, b);
    await runFor(l, 20_000);
    const s = b.stream.stats();
    // Uniform 0–30 ms transit: RFC 3550 jitter ≈ 10 ms, the figure PCMU gives at 8 kHz; 5 % lost.
    const figures = { lost, lostCounted: s.rtp.packetsLost, jitterMs: s.rtp.jitterMs, concealed: s.concealmentPercent, rttMs: a.stream.stats().rtp.roundTripMs };
    expect(figures).toMatchObject({
      lost: expect.toSatisfy((n: number) => n > 20),
      lostCounted: expect.toSatisfy((n: number) => Math.abs(n - lost) <= 1),
      jitterMs: expect.toSatisfy((ms: number) => ms > 5 && ms < 15),
      concealed: expect.toSatisfy((p: number) => p > 3 && p < 8),
      rttMs: expect.toSatisfy((ms: number) => Math.abs(ms - 40) < 0.5),
    });
    expect(b.detector.detect().verdict).toBe('A');
  });

  it('malformed Opus payloads are concealed, not played as silent frames', async () => {
    let n = 0;
    const l = memLab(['A', 'B'], (from, to, bytes) => {
      // Every 10th RTP packet from A: the payload becomes a code-3 packet with M = 0 (RFC 6716 §3.2.5).
      if (to.port % 2 === 0 && from.address === '127.0.0.11' && ++n % 10 === 0) return bytes.fill(0, 12), bytes.fill(0x03, 12, 13), 5;
      return 5;
    });
    const codec = opus(16000);
    const a = await addPhone(l, 'A', '127.0.0.11', codec, 16000, { payloadType: PT });
    const b = await addPhone(l, 'B', '127.0.0.12', codec, 16000, { payloadType: PT });
    connect(a, b);
    await runFor(l, 4000);
    const heard = b.recorder.samples();
    let silentFrames = 0;
    for (let i = 16000; i + 320 <= heard.length; i += 320) if (heard.subarray(i, i + 320).every((v) => v === 0)) silentFrames++;
    expect(silentFrames).toBe(0); // the mark (-40 dBFS) is in every frame A sends; PLC carries it on
    expect(b.detector.detect().verdict).toBe('A');
  });

  it('48 kHz audio: a 1 kHz tone arrives at its level; timestamps still +960', async () => {
    const rtp = rtpLog();
    const l = memLab([], rtp.path(() => 5));
    const net = l.opener!;
    const codec = opus(48000);
    const open = async (address: string, port: number): Promise<MediaStream> =>
      unwrap(
        await MediaStream.open({ clock: l.clock, mediaClock: l.mediaClock, ports: new PortAllocator(port, port + 2), localAddress: address, codec, payloadType: PT, cname: address, opener: net, random: seededRandom(port) }),
      );
    const a = await open('127.0.0.21', 17000);
    const b = await open('127.0.0.22', 17100);
    const rec = new WavRecorder(48000);
    b.addSink(rec);
    a.play(new ToneSource(unwrap(toneFromTimings([1000], 0, [0], 'on-first')), 48000));
    a.setRemote({ address: '127.0.0.22', port: b.localPort });
    b.setRemote({ address: '127.0.0.21', port: a.localPort });
    a.start();
    b.start();
    await runFor(l, 2000);
    const sent = rtp.from('127.0.0.21');
    expect(sent.length).toBe(100);
    for (let k = 1; k < sent.length; k++) expect((sent[k]!.ts - sent[k - 1]!.ts) >>> 0).toBe(960);
    const heard = rec.samples().subarray(48000);
    expect(heard.length).toBe(48000);
    expect(goertzelPower(heard, 1000, 48000)).toBeGreaterThan(1000 * goertzelPower(heard, 1500, 48000));
    const sentTone = new Int16Array(4800);
    new ToneSource(unwrap(toneFromTimings([1000], 0, [0], 'on-first')), 48000).read(sentTone);
    expect(Math.abs(measureRmsDbfs(heard) - measureRmsDbfs(sentTone))).toBeLessThan(1);
    a.close();
    b.close();
  });

  it('close and codec changes free the libopus state (no wasm leak per call)', async () => {
    const before = opusLiveHandlers();
    const l = memLab(['A', 'B']);
    const codec = opus(16000);
    const a = await addPhone(l, 'A', '127.0.0.11', codec, 16000, { payloadType: PT });
    const b = await addPhone(l, 'B', '127.0.0.12', codec, 16000, { payloadType: PT });
    expect(opusLiveHandlers()).toBe(before + 4); // an encoder and a decoder each
    connect(a, b);
    await runFor(l, 200);
    // re-INVITE to Opus under another payload type: new encoder and decoder, the old ones freed.
    expect(a.stream.setCodec({ codec, payloadType: 112 }).ok).toBe(true);
    expect(opusLiveHandlers()).toBe(before + 4);
    closeAll(l);
    expect(opusLiveHandlers()).toBe(before);
  });
});
