// tshark as the second opinion on our RTP/RTCP: (1) a pcap written from what an in-memory network
// delivered (loss, jitter, reordering-free) — tshark finds no malformed packet, decodes the SRs,
// SDES and RFC 4733 events, and its per-stream loss equals ours and its jitter brackets ours;
// (2) a live capture on lo of two streams on real sockets in real time (skipped when tshark
// cannot capture as this user).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PCMU } from '../../src/codecs/g711.js';
import { SystemClock } from '../../src/core/system-clock.js';
import { MediaClock } from '../../src/media/media-clock.js';
import { MemoryNetwork } from '../../src/rtp/memory-network.js';
import { seededRandom } from '../rtp/impairment.js';
import { freeRtpPair, loopbackAddress } from '../peers/ports.js';
import { parseStreams, tshark, type StreamRow } from '../helpers/tshark.js';
import { addPhone, closeAll, connect, lab, type Lab } from './harness.js';
import { writePcap } from './pcap.js';

const dir = mkdtempSync(join(tmpdir(), 'vphone-tshark-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function decodeAs(rtpPorts: number[]): string[] {
  return rtpPorts.flatMap((p) => ['-d', `udp.port==${p},rtp`, '-d', `udp.port==${p + 1},rtcp`]);
}

async function checkCapture(file: string, rtpPorts: number[]): Promise<StreamRow[]> {
  const bad = await tshark(['-r', file, ...decodeAs(rtpPorts), '-Y', '_ws.malformed || _ws.expert.severity >= warning']);
  expect(bad.trim()).toBe('');
  return parseStreams(await tshark(['-r', file, ...decodeAs(rtpPorts), '-q', '-z', 'rtp,streams']));
}

describe('tshark cross-check', () => {
  it('pcap of delivered datagrams: no malformed RTP/RTCP/RFC 4733; tshark`s loss equals ours, its jitter brackets ours', async () => {
    const rnd = seededRandom(5);
    const lastArrival = new Map<string, number>();
    let net!: MemoryNetwork;
    const l = lab(['A', 'B'], (clock) => {
      net = new MemoryNetwork(clock, {
        record: true,
        // 3 % RTP loss, 10–40 ms delay, never reordering (tshark counts reordered packets its own way).
        path: (from, to) => {
          if (to.port % 2 === 0 && rnd() < 0.03) return undefined;
          const flow = `${from.address}:${from.port}>${to.address}`;
          const now = clock.now();
          const arrival = Math.max(now + 10 + 30 * rnd(), (lastArrival.get(flow) ?? 0) + 0.01);
          lastArrival.set(flow, arrival);
          return arrival - now;
        },
      });
      return net;
    });
    try {
      const a = await addPhone(l, 'A', '127.0.0.11', PCMU, 16000, { rtcp: { enabled: true } });
      const b = await addPhone(l, 'B', '127.0.0.12', PCMU, 16000, { rtcp: { enabled: true } });
      connect(a, b);
      for (let t = 0; t < 10_000; t += 20) l.clock.advance(20);
      l.clock.advance(100); // the last packets land
      b.stream.sendDtmf('7#'); // events after the comparison window are checked for decoding only
      for (let t = 0; t < 1000; t += 20) l.clock.advance(20);
      const file = join(dir, 'memory.pcap');
      writePcap(file, net.delivered.map((d) => ({ timeMs: d.arrivalMs, from: d.from, to: d.to, bytes: d.bytes })));
      const rows = await checkCapture(file, [16000]);
      expect(rows).toHaveLength(2);
      const events = await tshark(['-r', file, ...decodeAs([16000]), '-Y', 'rtpevent.end_of_event == 1', '-T', 'fields', '-e', 'rtpevent.event_id']);
      expect([...new Set(events.trim().split('\n'))]).toEqual(['7', '11']);
      const rtcp = await tshark(['-r', file, ...decodeAs([16000]), '-Y', 'rtcp.pt == 200 && rtcp.sdes.text', '-T', 'fields', '-e', 'rtcp.sdes.text']);
      expect(rtcp).toContain('A@127.0.0.11');
      expect(rtcp).toContain('B@127.0.0.12');
      // A→B audio: tshark's figures over the whole capture vs B's session at the end.
      const ab = rows.find((r) => r.ssrc === a.stream.session.sender.ssrc)!;
      const sB = b.stream.stats().rtp;
      expect(ab.lost).toBe(sB.packetsLost);
      expect(ab.lost).toBeGreaterThan(5);
      const ba = rows.find((r) => r.ssrc === b.stream.session.sender.ssrc)!;
      // B→A carries B's RFC 4733 events at the end, whose frozen timestamps tshark counts as jitter: loss only.
      expect(ba.lost).toBe(a.stream.stats().rtp.packetsLost);
      // RFC 3550 A.8 both: our last value lies within tshark's range and near its mean.
      expect(sB.jitterMs).toBeGreaterThanOrEqual(ab.minJitter);
      expect(sB.jitterMs).toBeLessThanOrEqual(ab.maxJitter);
      expect(Math.abs(sB.jitterMs - ab.meanJitter)).toBeLessThan(0.4 * ab.meanJitter);
    } finally {
      closeAll(l);
    }
  });

  it('live capture on lo: two phones on real sockets in real time, 3 s of G.711', async (ctx) => {
    const addrA = loopbackAddress();
    let addrB = loopbackAddress();
    while (addrB === addrA) addrB = loopbackAddress();
    const portA = await freeRtpPair(addrA);
    const portB = await freeRtpPair(addrB);
    const file = join(dir, 'live.pcap');
    const cap = spawn('tshark', ['-i', 'lo', '-f', `udp and (port ${portA} or port ${portB} or port ${portA + 1} or port ${portB + 1})`, '-w', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    const started = await new Promise<boolean>((resolve) => {
      let err = '';
      const timer = setTimeout(() => resolve(false), 10_000);
      cap.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        if (/Capturing on/.test(err)) {
          clearTimeout(timer);
          resolve(true);
        }
      });
      cap.on('exit', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    if (!started) {
      cap.kill();
      return ctx.skip(); // no capture permission for this user
    }
    const clock = new SystemClock();
    const l: Lab = { clock: clock as never, mediaClock: new MediaClock(clock), opener: undefined, marks: [], phones: [] };
    try {
      const a = await addPhone(l, 'A', addrA, PCMU, portA, { rtcp: { enabled: true, intervalS: 5 }, receiveBufferBytes: 1 << 20 });
      const b = await addPhone(l, 'B', addrB, PCMU, portB, { rtcp: { enabled: true, intervalS: 5 } });
      expect(a.stream.localPort).toBe(portA);
      connect(a, b);
      await new Promise((r) => setTimeout(r, 3000));
      closeAll(l); // BYEs
      await new Promise((r) => setTimeout(r, 300));
      cap.kill('SIGINT');
      await new Promise((r) => cap.on('exit', r));
      const rows = await checkCapture(file, [portA, portB]);
      const ab = rows.find((r) => r.ssrc === a.stream.session.sender.ssrc)!;
      expect(ab.packets).toBeGreaterThan(140);
      expect(ab.lost).toBe(0);
      expect(b.stream.stats().rtp.packetsLost).toBe(0);
      // Both sides agree that real-time loopback jitter is small.
      expect(ab.maxJitter).toBeLessThan(10);
      expect(b.stream.stats().rtp.jitterMs).toBeLessThan(10);
      const bye = await tshark(['-r', file, ...decodeAs([portA, portB]), '-Y', 'rtcp.pt == 203']);
      expect(bye.trim().split('\n').length).toBe(2);
    } finally {
      closeAll(l);
      if (cap.exitCode === null) cap.kill();
    }
  }, 30_000);
});
