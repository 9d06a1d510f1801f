// MediaWorkerPool on real loopback UDP: streams open in worker threads (their sockets bound
// there), two streams in different workers carry each other's identity mark, decoded audio
// reaches main-thread sinks, a main-thread source is fed across, close frees the ports, and a
// worker that crashes ends its streams cleanly and is replaced while the other keeps going.
// Workers run on their own SystemClock, so these tests wait in real time (a few seconds).
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { ToneSource } from '../../src/codecs/audio-source.js';
import { identifyAudio, identityMarkFromSeed } from '../../src/codecs/identity-mark.js';
import { toneFromTimings } from '../../src/codecs/tone-generator.js';
import { SystemClock } from '../../src/core/system-clock.js';
import type { MediaStreamEvent } from '../../src/media/media-stream.js';
import { MediaWorkerPool } from '../../src/media/workers/media-worker-pool.js';
import type { WorkerMediaStream } from '../../src/media/workers/worker-stream.js';
import { PortAllocator } from '../../src/rtp/port-allocator.js';
import { waitFor } from '../peers/index.js';
import { freePortRange, loopbackAddress } from '../peers/ports.js';

function canBind(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.once('error', () => {
      s.close();
      resolve(false);
    });
    s.bind(port, address, () => s.close(() => resolve(true)));
  });
}

const A = identityMarkFromSeed('worker-A');
const B = identityMarkFromSeed('worker-B');

let clock: SystemClock | undefined;
let pool: MediaWorkerPool | undefined;
afterEach(async () => {
  await pool?.close();
  clock?.stop();
  pool = undefined;
});

async function startPool(workers: number, onWorkerLost?: (w: number, m: string) => void): Promise<MediaWorkerPool> {
  clock = new SystemClock();
  const r = await MediaWorkerPool.start({ workers, clock, reportIntervalMs: 200, ...(onWorkerLost ? { onWorkerLost } : {}) });
  if (!r.ok) throw new Error(r.error.message);
  return (pool = r.value);
}

interface Phone {
  stream: WorkerMediaStream;
  ports: PortAllocator;
  address: string;
  events: MediaStreamEvent[];
}

async function phone(p: MediaWorkerPool, id: string, worker: number, mark = id === 'A' ? A : B): Promise<Phone> {
  const address = loopbackAddress();
  const first = await freePortRange(address, 8, { protocols: ['udp'], even: true });
  const ports = new PortAllocator(first, first + 6);
  const events: MediaStreamEvent[] = [];
  const r = await p.open(
    { codec: 'PCMU', payloadType: 0, telephoneEventPayloadType: 101, localAddress: address, cname: `${id}@${address}`, identity: mark, candidates: [A, B], report: true, rtcp: { enabled: true, intervalS: 5 } },
    { ports, worker, onEvent: (e) => events.push(e) },
  );
  if (!r.ok) throw new Error(r.error.message);
  return { stream: r.value, ports, address, events };
}

function connect(a: Phone, b: Phone): void {
  a.stream.setRemote({ address: b.address, port: b.stream.localPort });
  b.stream.setRemote({ address: a.address, port: a.stream.localPort });
  a.stream.start();
  b.stream.start();
}

describe('MediaWorkerPool', () => {
  it('opens a stream in a worker: the pair comes from the allocator and is bound in that worker', async () => {
    const p = await startPool(2);
    expect(p.codecs).toContain('PCMU');
    const a = await phone(p, 'A', 1);
    expect(a.stream.worker).toBe(1);
    expect(p.load).toEqual([0, 1]);
    expect(a.ports.isAllocated(a.stream.localPort)).toBe(true);
    expect(a.stream.sampleRate).toBe(8000);
    // The RTP and RTCP ports are taken (by the worker's sockets), not just reserved.
    expect(await canBind(a.address, a.stream.localPort)).toBe(false);
    expect(await canBind(a.address, a.stream.localPort + 1)).toBe(false);
    const bad = await p.open({ codec: 'NOPE', payloadType: 96, localAddress: a.address, cname: 'x' }, { ports: a.ports });
    expect(bad.ok).toBe(false);
    expect(bad.ok ? '' : bad.error.message).toMatch(/codec NOPE/);
    expect(a.ports.allocated).toBe(1); // the failed open gave its pair back
  });

  it('two streams in different workers hear each other (identity marks), RFC 4733 digits, sinks and a fed source', async () => {
    const p = await startPool(2);
    const a = await phone(p, 'A', 0);
    const b = await phone(p, 'B', 1);
    connect(a, b);
    const heard = (x: Phone): string | undefined => x.stream.lastReport?.heard?.mac;
    expect(await waitFor('B to hear A', () => (heard(b) === 'WORKER-A' ? heard(b) : undefined), 8000)).toBe('WORKER-A');
    expect(await waitFor('A to hear B', () => (heard(a) === 'WORKER-B' ? heard(a) : undefined), 8000)).toBe('WORKER-B');
    // Decoded audio comes to a main-thread sink in batches; it carries A's mark, not B's.
    const got: Int16Array[] = [];
    const remove = b.stream.addSink({ sampleRate: 8000, write: (f) => void got.push(f.slice()) });
    await waitFor('2.5 s of audio at the sink', () => (got.reduce((n, f) => n + f.length, 0) >= 20000 ? true : undefined), 8000);
    remove();
    const all = new Int16Array(got.reduce((n, f) => n + f.length, 0));
    got.reduce((at, f) => (all.set(f, at), at + f.length), 0);
    expect(identifyAudio(all, 8000, [A, B]).verdict).toBe('worker-A');
    // Digits as RFC 4733 events, reported by the receiving worker.
    expect((await a.stream.sendDtmf('7#')).ok).toBe(true);
    await waitFor('digits at B', () => (b.events.filter((e) => e.type === 'dtmf' && e.phase === 'end').length >= 2 ? true : undefined), 8000);
    expect(b.events.filter((e) => e.type === 'dtmf' && e.phase === 'start').map((e) => (e.type === 'dtmf' ? e.digit : ''))).toEqual(['7', '#']);
    // A main-thread AudioSource (a 1 kHz tone) fed to A's worker is heard loud at B.
    const quiet = b.stream.lastReport?.level?.levelDbfs ?? 0;
    const tone = toneFromTimings([1000], 0, [0], 'on-first');
    if (!tone.ok) throw new Error(tone.error.message);
    a.stream.play(new ToneSource(tone.value, 8000));
    const loud = await waitFor('the tone at B', () => {
      const l = b.stream.lastReport?.level?.levelDbfs;
      return l !== undefined && l > -25 ? l : undefined;
    }, 8000);
    expect(quiet).toBeLessThan(-35); // silence + the -40 dBFS mark before
    expect(loud).toBeGreaterThan(-25);
    const st = await b.stream.stats();
    expect(st.ok && st.value.stats.rtp.packetsReceived).toBeGreaterThan(100);
    expect(st.ok && st.value.stats.rtp.lossPercent).toBe(0);
  });

  it('close sends the stream away and frees its ports', async () => {
    const p = await startPool(1);
    const a = await phone(p, 'A', 0);
    const port = a.stream.localPort;
    const closed: MediaStreamEvent[] = a.events;
    await a.stream.close('done');
    expect(a.stream.closed).toBe(true);
    expect(a.ports.isAllocated(port)).toBe(false);
    expect(p.load).toEqual([0]);
    expect(closed.some((e) => e.type === 'stats')).toBe(true); // the final stats came back
    expect(await canBind(a.address, port)).toBe(true);
    expect(await canBind(a.address, port + 1)).toBe(true);
    expect((await a.stream.stats()).ok).toBe(false);
  });

  it('a worker crash ends its streams cleanly, is reported, replaced, and the other worker keeps going', async () => {
    const lost: Array<[number, string]> = [];
    const p = await startPool(2, (w, m) => lost.push([w, m]));
    const a = await phone(p, 'A', 0);
    const b = await phone(p, 'B', 1);
    connect(a, b);
    await waitFor('audio flowing', () => ((b.stream.lastReport?.stats.rtp.packetsReceived ?? 0) > 20 ? true : undefined), 8000);
    p.drill(0);
    await waitFor('A to end', () => (a.stream.closed ? true : undefined), 8000);
    expect(lost).toHaveLength(1);
    expect(lost[0]![0]).toBe(0);
    expect(lost[0]![1]).toMatch(/crash drill/);
    expect(a.events.some((e) => e.type === 'error' && /crash drill/.test(e.message))).toBe(true);
    expect(a.ports.allocated).toBe(0); // A's pair went back
    // The dead worker's sockets are gone with it: the port can be bound again.
    expect(await waitFor('A port free', async () => ((await canBind(a.address, a.stream.localPort)) ? true : undefined), 8000)).toBe(true);
    // B, in the other worker, is still alive and answers.
    const sb = await b.stream.stats();
    expect(sb.ok).toBe(true);
    expect(b.stream.closed).toBe(false);
    // A replacement worker takes new streams in slot 0.
    const c = await phone(p, 'A', 0);
    expect(c.stream.worker).toBe(0);
    expect(c.stream.closed).toBe(false);
    const clocks = await p.clockStats();
    expect(clocks.every((r) => r.ok)).toBe(true);
  });
});
