// Two A12s make an IP direct call over real UDP on loopback with G.726-32 alone in "SIP1
// VoiceCodecMap" (A12 9.12): the SDP offer and answer carry G726-32/8000 on a dynamic payload
// type (RFC 3551 §4.5.4), the call runs on it with RTP and identity marks both ways, and each
// side records the tone the other plays (A 1000 Hz, B 700 Hz). When tshark can capture on lo it
// is the second opinion: it reads G726-32 in both SDP bodies, and libspandsp decodes A's RTP
// payloads off the wire (RFC 3551 right packing) back into A's 1000 Hz tone.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/system-clock.js';
import { G726_PAYLOAD_TYPES } from '../../src/codecs/g726.js';
import { goertzelAmplitude } from '../../src/codecs/goertzel.js';
import { decodeWav, encodeWav } from '../../src/codecs/wav.js';
import type { Device } from '../../firmware-sim/device.js';
import { basicAuth, deviceApi, tempDir, type Json } from '../helpers/device.js';
import { captureLoopback, tshark, type LiveCapture } from '../helpers/tshark.js';
import { bootPhone, callIn, type TestPhone } from '../phone/in-call-devices.js';
import { waitFor } from '../peers/index.js';
import { REPO_ROOT, asInt16, buildC, runRef } from '../codecs/ref-harness.js';

const clock = new SystemClock();
const devices: Device[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.shutdown('test');
  clock.stop();
});

type RtpStats = { codec?: string; packetsSent: number; packetsReceived: number; packetsLost: number; heard?: { mac?: string } };
const rtpOf = (p: TestPhone): RtpStats | undefined => callIn(p, 'connected')?.rtp as RtpStats | undefined;
const api = (d: Device, path: string, body: unknown) => deviceApi(d, 'POST', path, body);

/** An 8 kHz WAV of `hz` at about -12 dBFS, 0.2 s (whole periods) to loop. */
function toneWav(hz: number): string {
  const s = new Int16Array(1600);
  for (let i = 0; i < s.length; i++) s[i] = Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / 8000));
  return Buffer.from(encodeWav(s, 8000)).toString('base64');
}

async function recordingOf(d: Device, call: string): Promise<{ samples: Int16Array; sampleRate: number }> {
  await waitFor(`${d.ip}: 1.2 s recorded`, async () => {
    const r = await fetch(`http://${d.ip}:${d.httpPort}/api/v1/audio`, { headers: { authorization: basicAuth('admin', 'admin') } });
    const list = (await r.json()) as Json;
    return list[0]?.recording?.durationMs >= 1200 ? true : undefined;
  }, 8000);
  const stopped = await api(d, '/audio/stop', { call, what: 'record' });
  const rec = decodeWav(Buffer.from(stopped.json.recording.wav, 'base64'));
  if (!rec.ok) throw new Error(rec.error.message);
  return rec.value;
}

/**
 * Amplitudes at the two tones over the last second of a recording, and the 1000 / 700 Hz one in
 * its best 200 ms window (a loaded machine can leave playout gaps that lower the whole second).
 */
function tones(rec: { samples: Int16Array; sampleRate: number }): { a: number; b: number; bestA: number; bestB: number } {
  const rate = rec.sampleRate;
  const tail = rec.samples.subarray(rec.samples.length - rate);
  const best = (hz: number): number => {
    let max = 0;
    for (let w = 0; w + rate / 5 <= tail.length; w += rate / 10) max = Math.max(max, goertzelAmplitude(tail, hz, rate, w, rate / 5));
    return max;
  };
  return { a: goertzelAmplitude(tail, 1000, rate), b: goertzelAmplitude(tail, 700, rate), bestA: best(1000), bestB: best(700) };
}

const G726_32_ONLY = { 'SIP1 VoiceCodecMap': 'G726-32' };
const PT = G726_PAYLOAD_TYPES[32000];

describe('G.726-32 between two A12s', () => {
  it('SDP offers and answers G726-32/8000 alone, RTP and marks flow both ways, each side records the tone the other plays', async () => {
    const [ipA, ipB] = ['127.0.0.231', '127.0.0.232'];
    const file = join(tempDir('vphone-g726-call-'), 'call.pcap');
    const cap: LiveCapture | undefined = await captureLoopback(`udp and host ${ipA} and host ${ipB}`, file);
    if (!cap) console.warn('g726-a12: tshark cannot capture on lo: no wire check');
    try {
      const pa = await bootPhone(devices, 'fanvil-a12', ipA, clock, G726_32_ONLY);
      const pb = await bootPhone(devices, 'fanvil-a12', ipB, clock, G726_32_ONLY);
      const [a, b] = [pa.device, pb.device];
      expect(a.settings.lines[0]!.codecs['G726-32']).toEqual({ enabled: true, priority: 1 });
      expect((await a.telephony()!.dial(pb.address)).ok).toBe(true);
      const [ab, ba] = await Promise.all([waitFor('A connected', () => callIn(pa, 'connected'), 8000), waitFor('B connected', () => callIn(pb, 'connected'), 8000)]);
      expect([ab.codec, ba.codec]).toEqual(['G726-32', 'G726-32']);
      const flowing = (s: RtpStats | undefined): boolean => s !== undefined && s.packetsSent > 50 && s.packetsReceived > 50;
      await waitFor('marks through G.726 and 1 s of RTP each way', () =>
        rtpOf(pa)?.heard?.mac === b.mac && rtpOf(pb)?.heard?.mac === a.mac && flowing(rtpOf(pa)) && flowing(rtpOf(pb)) ? true : undefined, 8000);
      for (const s of [rtpOf(pa)!, rtpOf(pb)!]) {
        expect(s.codec).toBe('G726-32');
        expect(s.packetsLost).toBeLessThan(0.05 * s.packetsReceived);
      }

      // Audio both ways: A plays 1000 Hz and records, B plays 700 Hz and records.
      expect((await api(a, '/audio/play', { call: ab.id, wav: toneWav(1000), loop: true })).status).toBe(200);
      expect((await api(b, '/audio/play', { call: ba.id, wav: toneWav(700), loop: true })).status).toBe(200);
      expect((await api(a, '/audio/record', { call: ab.id })).status).toBe(200);
      expect((await api(b, '/audio/record', { call: ba.id })).status).toBe(200);
      const [atA, atB] = await Promise.all([recordingOf(a, ab.id), recordingOf(b, ba.id)]);
      const heardByB = tones(atB);
      const heardByA = tones(atA);
      // Played at 8000 peak, heard at about 8000: G.726-32 keeps a tone within a fraction of a
      // dB (best 200 ms window); over the whole second at least half of it, which allows for
      // playout gaps when a loaded machine stalls the event loop. The other side's tone stays
      // more than 26 dB below.
      expect(heardByB.bestA).toBeGreaterThan(7000);
      expect(heardByB.a).toBeGreaterThan(2000);
      expect(heardByB.a).toBeGreaterThan(20 * heardByB.b);
      expect(heardByA.bestB).toBeGreaterThan(7000);
      expect(heardByA.b).toBeGreaterThan(2000);
      expect(heardByA.b).toBeGreaterThan(20 * heardByA.a);
      console.info(`g726-a12: B hears 1000 Hz at ${heardByB.a.toFixed(0)} (best 200 ms ${heardByB.bestA.toFixed(0)}; 700 Hz ${heardByB.b.toFixed(0)}); A hears 700 Hz at ${heardByA.b.toFixed(0)} (best ${heardByA.bestB.toFixed(0)}; 1000 Hz ${heardByA.a.toFixed(0)})`);

      expect(a.telephony()!.act(ab.id, 'hangup').ok).toBe(true);
      await waitFor('B ended', () => callIn(pb, 'ended'), 5000);
      if (!cap) return;
      await new Promise((r) => setTimeout(r, 300));
      await cap.stop();

      // Both SDP bodies: one audio format besides telephone-event, G726-32/8000 on our dynamic type.
      const sdp = (await tshark(['-r', file, '-Y', 'sdp', '-T', 'fields', '-E', 'separator=|', '-e', 'ip.src', '-e', 'sdp.media', '-e', 'sdp.media_attr'])).trim().split('\n');
      expect(sdp).toHaveLength(2);
      for (const line of sdp) {
        expect(line).toContain(`rtpmap:${PT} G726-32/8000`);
        expect(line).not.toMatch(/PCMU|PCMA|G722|G729|opus/);
      }
      // A's RTP payloads, decoded by libspandsp (RFC 3551 right packing), carry A's tone.
      const payloads = (await tshark(['-r', file, '-Y', `rtp && !rtcp && ip.src == ${ipA} && rtp.p_type == ${PT}`, '-T', 'fields', '-e', 'rtp.payload'])).trim().split('\n');
      expect(payloads.length).toBeGreaterThan(100);
      const bytes = Buffer.from(payloads.map((p) => p.replace(/:/g, '')).join(''), 'hex');
      expect(bytes.length).toBe(payloads.length * 80); // 20 ms of 4-bit code words
      const ref = buildC(join(REPO_ROOT, 'test/codecs/ref/spandsp-g726-ref.c'), 'spandsp-g726-ref', ['-lspandsp']);
      const wire = asInt16(runRef(ref, ['g726-decode', '32000', 'right'], bytes));
      const last = wire.subarray(wire.length - 8000);
      expect(goertzelAmplitude(last, 1000, 8000)).toBeGreaterThan(5000);
    } finally {
      await cap?.stop();
    }
  }, 40000);
});
