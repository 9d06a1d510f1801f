// tshark as the second opinion on our RFC 3389 comfort noise. (1) A pcap of what an in-memory
// network delivered while A talked half the time with silence suppression (test/media/cng-lab.ts):
// tshark decodes every CN packet as "Comfort noise" (PT 13) with the bytes we sent (level and
// RFC 3389 §3.2 reflection coefficients; tshark has no CN payload dissector), finds no
// malformed packet or expert warning, and its rtp,streams counts no loss across the CN gaps.
// (2) Two A12s with 9.16 "Enable VAD" call each other over real UDP on loopback while tshark
// captures on lo: both SDP bodies carry CN/8000 and CN packets flow both ways (skipped when tshark
// cannot capture as this user).
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CN_PAYLOAD_TYPE } from '../../src/codecs/comfort-noise.js';
import { PCMU } from '../../src/codecs/g711.js';
import { encodeWav } from '../../src/codecs/wav.js';
import { SystemClock } from '../../src/core/system-clock.js';
import type { CallSnapshot } from '../../src/phone/call.js';
import type { Device } from '../../firmware-sim/device.js';
import { bootDevice, deviceApi, tempDir } from '../helpers/device.js';
import { captureLoopback, parseStreams, tshark } from '../helpers/tshark.js';
import { cnRun, halfSilence } from '../media/cng-lab.js';
import { closeAll } from '../media/harness.js';
import { writePcap } from '../media/pcap.js';
import { waitFor } from '../peers/index.js';

const dir = tempDir('vphone-tshark-cn-');
const clocks: SystemClock[] = [];
const devices: Device[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.shutdown('test');
  for (const c of clocks.splice(0)) c.stop();
});

const NO_ERRORS = '_ws.malformed || _ws.expert.severity >= warning';

describe('tshark on RFC 3389 comfort noise', () => {
  it('pcap of a VAD call leg: every CN packet decodes as Comfort noise with our level, nothing malformed, no loss', async () => {
    const r = await cnRun(PCMU, 6000, { silenceSuppression: true, comfortNoisePayloadType: CN_PAYLOAD_TYPE });
    try {
      const file = join(dir, 'cn.pcap');
      writePcap(file, r.net.delivered.map((d) => ({ timeMs: d.arrivalMs, from: d.from, to: d.to, bytes: d.bytes })));
      const decodeAs = ['-d', `udp.port==${r.a.stream.localPort},rtp`, '-d', `udp.port==${r.b.stream.localPort},rtp`];
      expect((await tshark(['-r', file, ...decodeAs, '-Y', NO_ERRORS])).trim()).toBe('');
      const ours = r.fromA.filter((p) => p.payloadType === CN_PAYLOAD_TYPE);
      expect(ours.length).toBeGreaterThan(8);
      // tshark's own name for the payload type, and the level byte it shows as the payload.
      const summary = (await tshark(['-r', file, ...decodeAs, '-Y', `rtp.p_type == 13 && ip.src == ${r.a.address}`])).trim().split('\n');
      expect(summary).toHaveLength(ours.length);
      for (const line of summary) expect(line).toContain('PT=Comfort noise');
      const fields = (await tshark(['-r', file, ...decodeAs, '-Y', `rtp.p_type == 13 && ip.src == ${r.a.address}`, '-T', 'fields', '-e', 'rtp.seq', '-e', 'rtp.marker', '-e', 'rtp.payload']))
        .trim()
        .split('\n')
        .map((l) => l.split('\t'));
      // RFC 3389 §3.3: the level byte and the M = 10 quantised reflection coefficients, byte for byte.
      const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
      expect(fields.map(([seq, marker, payload]) => [Number(seq), marker, payload!.replace(/:/g, '')])).toEqual(ours.map((p) => [p.sequenceNumber, '0', hex(p.payload)]));
      expect(ours.every((p) => p.payload.length === 11 && p.payload.subarray(1).every((n) => n <= 254))).toBe(true);
      // Voice packets after a silence carry the marker in tshark's reading too.
      const marked = (await tshark(['-r', file, ...decodeAs, '-Y', `rtp.p_type == 0 && rtp.marker == 1 && ip.src == ${r.a.address}`])).trim().split('\n');
      expect(marked.length).toBeGreaterThanOrEqual(2);
      const rows = parseStreams(await tshark(['-r', file, ...decodeAs, '-q', '-z', 'rtp,streams']));
      const ab = rows.find((row) => row.ssrc === r.a.stream.session.sender.ssrc)!;
      expect(ab.packets).toBe(r.fromA.length);
      expect(ab.lost).toBe(0);
      // A constant 5 ms path: RFC 3550 A.8 jitter stays ~0 across the gaps, in tshark's view and ours.
      expect(ab.maxJitter).toBeLessThan(1);
      expect(r.b.stream.stats().rtp.jitterMs).toBeLessThan(1);
    } finally {
      closeAll(r.l);
    }
  });

  it('two A12s with Enable VAD: CN/8000 in offer and answer, CN packets both ways on the wire', async (ctx) => {
    const [ipA, ipB] = ['127.0.0.131', '127.0.0.132'];
    const file = join(dir, 'a12.pcap');
    const cap = await captureLoopback(`udp and host ${ipA} and host ${ipB}`, file);
    if (!cap) return ctx.skip();
    try {
      const settings = { VAD: '1', 'SIP1 VoiceCodecMap': 'PCMU' };
      for (const ip of [ipA, ipB]) {
        const clock = new SystemClock();
        clocks.push(clock);
        devices.push((await bootDevice({ model: 'fanvil-a12', ip, clock, settings })).device);
      }
      const [a, b] = devices as [Device, Device];
      const callOf = (d: Device): CallSnapshot | undefined => d.telephony()!.listCalls().find((c) => c.state === 'connected');
      expect((await a.telephony()!.dial(`${b.ip}:${b.telephony()!.lineStatuses()[0]!.local.port}`)).ok).toBe(true);
      const [ab] = await Promise.all([waitFor('A connected', () => callOf(a), 8000), waitFor('B connected', () => callOf(b), 8000)]);
      // A talks half the time (a 2 s loop: the API takes 64 kB of JSON); B plays nothing (its identity mark alone: all silence, all CN).
      const wav = Buffer.from(encodeWav(halfSilence(8000, 1), 8000)).toString('base64');
      expect((await deviceApi(a, 'POST', '/audio/play', { call: ab.id, wav, loop: true })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 4000));
      expect(a.telephony()!.act(ab.id, 'hangup').ok).toBe(true);
      await new Promise((r) => setTimeout(r, 500));
      await cap.stop();
      expect((await tshark(['-r', file, '-Y', '_ws.malformed || _ws.expert.severity >= error'])).trim()).toBe('');
      const rtpmaps = (await tshark(['-r', file, '-Y', 'sdp', '-T', 'fields', '-e', 'ip.src', '-e', 'sdp.media_attr'])).trim().split('\n');
      expect(rtpmaps).toHaveLength(2);
      for (const line of rtpmaps) expect(line).toContain('rtpmap:13 CN/8000');
      const cn = (await tshark(['-r', file, '-Y', 'rtp.p_type == 13', '-T', 'fields', '-e', 'ip.src', '-e', 'rtp.payload'])).trim().split('\n').map((l) => l.split('\t'));
      const fromA = cn.filter(([src]) => src === ipA);
      const fromB = cn.filter(([src]) => src === ipB);
      // B (silent) sends CN every 200 ms for ~4 s; A in its pauses only.
      expect(fromB.length).toBeGreaterThan(12);
      expect(fromA.length).toBeGreaterThan(3);
      const voiceA = (await tshark(['-r', file, '-Y', `rtp.p_type == 0 && ip.src == ${ipA}`])).trim().split('\n').length;
      expect(voiceA).toBeGreaterThan(50);
      expect(voiceA).toBeLessThan(170);
      // B's level is its identity mark's, about -43 dBov: the byte says 40–46.
      // Spectral CN (RFC 3389 §3.3): 11 bytes, the level first.
      for (const [, payload] of fromB) {
        const bytes = Buffer.from(payload!.replace(/:/g, ''), 'hex');
        expect(bytes.length).toBe(11);
        expect(Math.abs(bytes[0]! - 43)).toBeLessThanOrEqual(3);
      }
      console.log(JSON.stringify({ cnFromA: fromA.length, cnFromB: fromB.length, voiceA }));
    } finally {
      await cap.stop();
    }
  }, 40_000);
});
