// Device media against SIPp's own RTP code (issue 4, real peers):
//  - RTP echo: a KX-UT670 calls a SIPp UAS that answers in one codec (PCMU, PCMA, G.722, G.729)
//    and echoes every RTP packet (-rtp_echo, media/uas_echo_codec.xml). The phone plays a 1 kHz
//    tone; what it receives back is itself: its own identity mark, the tone at about the level
//    it was sent — RTP out and in through a foreign stack, in each codec.
//  - pcap play: SIPp calls an A12 offering PCMA + telephone-event and replays Debian's
//    sip-tester captures (media/uac_pcap_g711a_dtmf.xml): g711a.pcap (speech in 30 ms PCMA
//    packets) then dtmf_2833_1.pcap (RFC 4733 digit 1). The A12 answers PCMA (its codec list is
//    "SIP1 VoiceCodecMap" = PCMA), decodes speech-like audio (level and a varying envelope, no
//    identity mark: it is nobody's) and counts one RFC 4733 digit in the call's RTP statistics.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/system-clock.js';
import { decodeWav } from '../../src/codecs/wav.js';
import { goertzelAmplitude } from '../../src/codecs/goertzel.js';
import { measureRmsDbfs } from '../../src/codecs/level.js';
import type { CallSnapshot } from '../../src/phone/call.js';
import type { Device } from '../../firmware-sim/device.js';
import { availableCodecNames } from '../../firmware-sim/services/device-media.js';
import { bootDevice, deviceApi, type Json, tempDir } from '../helpers/device.js';
import { messageFlow, peerGroup, SCENARIO_DIR, sippUnavailable, waitFor } from '../peers/index.js';

const PCAP_DIR = '/usr/share/sip-tester';
const media = (name: string): { file: string } => ({ file: join(SCENARIO_DIR, 'media', `${name}.xml`) });
const figures = process.env.VPHONE_FIGURES ? (line: string) => console.info(line) : () => undefined;

const clocks: SystemClock[] = [];
const devices: Device[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.shutdown('test');
  for (const c of clocks.splice(0)) c.stop();
});

async function boot(model: 'kx-ut670' | 'fanvil-a12', ip: string, settings: Record<string, string> = {}): Promise<Device> {
  const clock = new SystemClock();
  clocks.push(clock);
  const { device } = await bootDevice({ model, ip, clock, settings });
  devices.push(device);
  return device;
}

const callOf = (d: Device, state = 'connected'): CallSnapshot | undefined => d.telephony()!.listCalls().find((c) => c.state === state);
type RtpStats = {
  codec?: string;
  packetsSent: number;
  packetsReceived: number;
  packetsLost: number;
  levelDbfs: number;
  dtmfReceived?: number;
  heard?: { mac?: string; score: number; reason: string };
};
const rtpOf = (c: CallSnapshot | undefined): RtpStats | undefined => c?.rtp as RtpStats | undefined;

const api = (d: Device, method: 'GET' | 'POST', path: string, body?: unknown) => deviceApi(d, method, path, body);

/** Records what the call receives for `ms`, returns the samples and their rate. */
async function record(d: Device, call: string, ms: number): Promise<{ samples: Int16Array; sampleRate: number }> {
  expect((await api(d, 'POST', '/audio/record', { call })).status).toBe(200);
  await waitFor(`${ms} ms recorded`, async () => ((await api(d, 'GET', `/audio?call=${call}`)).json.recording?.durationMs >= ms ? true : undefined), ms + 4000);
  const stopped = await api(d, 'POST', '/audio/stop', { call, what: 'record' });
  const rec = decodeWav(Buffer.from(stopped.json.recording.wav, 'base64'));
  if (!rec.ok) throw new Error(rec.error.message);
  return rec.value;
}

/**
 * g711a.pcap re-cut into 20 ms packets (160 PCMA bytes, timestamps +160, 20 ms apart) in a new
 * pcap: the same recorded speech in the packet size the phone sends itself. The capture's first
 * frame (Ethernet, IPv4, UDP, RTP) is the template; SIPp rewrites addresses and ports.
 */
function repacketisePcap(path: string, frameBytes: number): string {
  const d = readFileSync(path);
  const records: Buffer[] = [];
  for (let o = 24; o + 16 <= d.length; ) {
    const len = d.readUInt32LE(o + 8);
    records.push(d.subarray(o + 16, o + 16 + len));
    o += 16 + len;
  }
  const ipAt = 14;
  const udpAt = ipAt + (records[0]![ipAt]! & 0x0f) * 4;
  const rtpAt = udpAt + 8;
  const payload = Buffer.concat(records.map((r) => r.subarray(rtpAt + 12 + (r[rtpAt]! & 0x0f) * 4)));
  const template = records[0]!;
  const out: Buffer[] = [d.subarray(0, 24)];
  const seq0 = template.readUInt16BE(rtpAt + 2);
  const ts0 = template.readUInt32BE(rtpAt + 4);
  for (let i = 0; (i + 1) * frameBytes <= payload.length; i++) {
    const frame = Buffer.concat([template.subarray(0, rtpAt + 12), payload.subarray(i * frameBytes, (i + 1) * frameBytes)]);
    frame.writeUInt16BE(frame.length - ipAt, ipAt + 2); // IPv4 total length
    frame.writeUInt16BE(frame.length - udpAt, udpAt + 4); // UDP length
    frame.writeUInt16BE(0, udpAt + 6); // no UDP checksum (SIPp computes its own)
    frame[rtpAt + 1] = (i === 0 ? 0x80 : 0) | (frame[rtpAt + 1]! & 0x7f);
    frame.writeUInt16BE((seq0 + i) & 0xffff, rtpAt + 2);
    frame.writeUInt32BE((ts0 + i * frameBytes) >>> 0, rtpAt + 4);
    const head = Buffer.alloc(16);
    const us = i * 20_000;
    head.writeUInt32LE(Math.floor(us / 1e6), 0);
    head.writeUInt32LE(us % 1e6, 4);
    head.writeUInt32LE(frame.length, 8);
    head.writeUInt32LE(frame.length, 12);
    out.push(head, frame);
  }
  const file = join(tempDir('vphone-pcap-'), 'g711a-20ms.pcap');
  writeFileSync(file, Buffer.concat(out));
  return file;
}

// Payload type and rtpmap of each echo codec (RFC 3551 §6; G.722 is written G722/8000, §4.5.2).
const ECHO_CODECS = [
  { name: 'PCMU', pt: 0, rtpmap: 'PCMU/8000' },
  { name: 'PCMA', pt: 8, rtpmap: 'PCMA/8000' },
  { name: 'G722', pt: 9, rtpmap: 'G722/8000' },
  { name: 'G729', pt: 18, rtpmap: 'G729/8000' },
] as const;

describe.skipIf(sippUnavailable() !== undefined)('device media against SIPp', () => {
  const peers = peerGroup();

  it('RTP echo: a KX-UT670 hears itself back from SIPp (own identity mark, own 1 kHz tone) in PCMU, PCMA, G.722 and G.729', async () => {
    const kx = await boot('kx-ut670', '127.0.0.151');
    const codecs = ECHO_CODECS.filter((c) => c.name !== 'G729' || availableCodecNames().includes('G729'));
    if (codecs.length < ECHO_CODECS.length) console.warn('media-sipp: G.729 addon not built (make build): echo without G.729');
    for (const codec of codecs) {
      const uas = await peers.sipp({ scenario: media('uas_echo_codec'), service: 'echo', rtpEcho: true, timeoutMs: 15_000, keys: { rtp_pt: codec.pt, rtp_codec: codec.rtpmap } });
      expect((await kx.telephony()!.dial(`sip:echo@${uas.address}:${uas.port}`)).ok).toBe(true);
      const call = await waitFor(`${codec.name}: connected`, () => callOf(kx), 8000);
      // The answer named one codec: the phone sends with it (RFC 3264 §6.1).
      expect(call.codec, codec.name).toBe(codec.name);
      // A 1 kHz tone at -20 dBm0 goes out; the echo brings it back with our own mark.
      expect((await api(kx, 'POST', '/audio/play', { call: call.id, tone: { frequencies: [1000], levelDbm0: -20 } })).status).toBe(200);
      const heard = await waitFor(`${codec.name}: own mark and tone heard back`, () => {
        const s = rtpOf(callOf(kx));
        return s && s.heard?.mac === kx.mac && s.levelDbfs > -30 && s.packetsReceived >= 40 ? s : undefined;
      }, 8000);
      const rec = await record(kx, call.id, 400);
      const tail = rec.samples.subarray(rec.samples.length - rec.sampleRate * 0.3);
      const tone = goertzelAmplitude(tail, 1000, rec.sampleRate);
      const other = goertzelAmplitude(tail, 1400, rec.sampleRate);
      // -20 dBm0 is about -23 dBFS (peak ~2300); codecs keep it within a few dB.
      expect(tone, codec.name).toBeGreaterThan(1200);
      expect(other, codec.name).toBeLessThan(tone / 10);
      expect(kx.telephony()!.act(call.id, 'hangup').ok).toBe(true);
      const ended = await waitFor(`${codec.name}: ended`, () => kx.telephony()!.listCalls().find((c) => c.id === call.id && c.state === 'ended'), 5000);
      const result = await uas.done;
      expect(result.exitCode, messageFlow(result.messages).join(' ')).toBe(0);
      const s = rtpOf(ended)!;
      // Every packet sent came back (the echo is on loopback; the last few may be in flight at BYE).
      expect(s.packetsLost, codec.name).toBe(0);
      expect(s.packetsReceived).toBeGreaterThan(s.packetsSent - 10);
      figures(`echo ${codec.name}: sent ${s.packetsSent} received ${s.packetsReceived} lost ${s.packetsLost} level ${heard.levelDbfs.toFixed(1)} dBFS mark score ${heard.heard!.score.toFixed(1)} 1 kHz amplitude ${tone.toFixed(0)}`);
    }
  }, 40_000);

  /** SIPp calls the A12 and plays `speech` (a pcap) for 2.5 s, then dtmf_2833_1.pcap. */
  async function pcapCall(speech: string): Promise<{ call: CallSnapshot; rec: { samples: Int16Array; sampleRate: number }; heard: Json; during: RtpStats; ended: CallSnapshot; flow: string[] }> {
    const a12 = await boot('fanvil-a12', '127.0.0.152', { 'SIP1 VoiceCodecMap': 'PCMA' });
    const port = a12.telephony()!.lineStatuses()[0]!.local.port;
    const xml = readFileSync(media('uac_pcap_g711a_dtmf').file, 'utf8').replace(join(PCAP_DIR, 'g711a.pcap'), speech);
    const scenario = join(tempDir('vphone-scenario-'), 'uac_pcap.xml');
    writeFileSync(scenario, xml);
    const uac = await peers.sipp({ scenario: { file: scenario }, target: { address: a12.ip, port }, service: 'a12', durationMs: 2500, timeoutMs: 15_000 });
    // The A12 answers by itself (7.4) with PCMA and telephone-event.
    const call = await waitFor('A12 connected', () => callOf(a12), 8000);
    // Record 2 s of the speech while it plays (the digit follows at 2.5 s).
    const rec = await record(a12, call.id, 2000);
    const heard = (await api(a12, 'GET', `/audio?call=${call.id}`)).json.received.heard;
    const during = rtpOf(callOf(a12))!;
    // The DTMF capture follows; SIPp hangs up 0.6 s later.
    const ended = await waitFor('SIPp hung up', () => callOf(a12, 'ended'), 8000);
    const result = await uac.done;
    expect(result.exitCode, messageFlow(result.messages).join(' ')).toBe(0);
    const ok200 = result.messages.find((m) => m.status === 200 && m.cseqMethod === 'INVITE');
    expect(ok200?.raw).toMatch(/m=audio \d+ RTP\/AVP 8 101\r?\n/);
    expect(ok200?.raw).toMatch(/a=rtpmap:101 telephone-event\/8000/);
    return { call, rec, heard, during, ended, flow: messageFlow(result.messages) };
  }

  /** Speech: loud enough, not a steady tone (its 50 ms block levels vary by > 10 dB). */
  function speechFigures(rec: { samples: Int16Array; sampleRate: number }): { overall: number; loud: number[]; levels: number[] } {
    const block = rec.sampleRate / 20;
    const levels: number[] = [];
    for (let i = rec.samples.length - 20 * block; i + block <= rec.samples.length; i += block) levels.push(measureRmsDbfs(rec.samples.subarray(i, i + block)));
    return { overall: measureRmsDbfs(rec.samples.subarray(rec.samples.length - 20 * block)), loud: levels.filter((l) => l > -60), levels };
  }

  const pcaps = existsSync(join(PCAP_DIR, 'g711a.pcap')) && existsSync(join(PCAP_DIR, 'dtmf_2833_1.pcap'));

  it.skipIf(!pcaps)('pcap play: SIPp calls an A12 (PCMA) and replays g711a.pcap (re-cut to 20 ms) and dtmf_2833_1.pcap: speech-like audio and one RFC 4733 digit arrive', async () => {
    const { call, rec, heard, during, ended, flow } = await pcapCall(repacketisePcap(join(PCAP_DIR, 'g711a.pcap'), 160));
    expect(call.codec).toBe('PCMA');
    expect(flow).toEqual(['> INVITE', '< 100 INVITE', '< 180 INVITE', '< 200 INVITE', '> ACK', '> BYE', '< 200 BYE']);
    const { overall, loud, levels } = speechFigures(rec);
    // The capture's second second is at -23 dBFS (its first, -43, is mostly a pause).
    expect(overall).toBeGreaterThan(-30);
    expect(loud.length).toBeGreaterThan(10);
    expect(Math.max(...levels) - Math.min(...loud)).toBeGreaterThan(10);
    // Nobody's identity mark: the speech comes from a capture.
    expect(heard?.mac).toBeUndefined();
    // After 2 s or more of the speech: 50 packets a second, none lost. (The statistics follow
    // the current source: the digit comes under another SSRC.)
    expect(during.packetsReceived).toBeGreaterThan(90);
    expect(during.packetsLost).toBe(0);
    const s = rtpOf(ended)!;
    // RFC 4733: the digit arrives as one event (the call statistics count it; the digit itself is
    // not surfaced, see the report).
    expect(s.dtmfReceived).toBe(1);
    figures(`pcap 20 ms: speech received ${during.packetsReceived} lost ${during.packetsLost}, ${overall.toFixed(1)} dBFS (50 ms blocks ${Math.min(...loud).toFixed(1)}..${Math.max(...levels).toFixed(1)}) dtmfReceived ${s.dtmfReceived}`);
  }, 30_000);

  // g711a.pcap as shipped carries 30 ms packets (240 bytes) without a=ptime; RFC 3551 §4.2: a
  // receiver SHOULD accept packets of 0-200 ms. The phone (20 ms ptime) re-frames them.
  it.skipIf(!pcaps)('pcap play of g711a.pcap as shipped (30 ms packets): speech arrives', async () => {
    const { rec, during } = await pcapCall(join(PCAP_DIR, 'g711a.pcap'));
    const { overall, loud, levels } = speechFigures(rec);
    expect(overall).toBeGreaterThan(-30);
    expect(loud.length).toBeGreaterThan(10);
    expect(Math.max(...levels) - Math.min(...loud)).toBeGreaterThan(10);
    // 33 packets a second for 2 s or more, none lost.
    expect(during.packetsReceived).toBeGreaterThan(60);
    expect(during.packetsLost).toBe(0);
    figures(`pcap 30 ms: speech received ${during.packetsReceived} lost ${during.packetsLost}, ${overall.toFixed(1)} dBFS`);
  }, 30_000);
});
