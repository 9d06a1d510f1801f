// Two A12s make an IP direct call over real UDP on loopback with opus first in "SIP1 VoiceCodecMap"
// (A12 9.12): the call negotiates opus/48000/2 and runs on Opus (RFC 7587), RTP flowing both ways
// with each side's identity mark heard through it. The 9.16 "Opus Sample Rate" sets the encoder's audio band: a 5 kHz tone A plays reaches B when A is
// OPUS-WB (16 kHz) and is cut when A is OPUS-NB (8 kHz, the default), while the call still works.
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/system-clock.js';
import { decodeWav, encodeWav } from '../../src/codecs/wav.js';
import { goertzelAmplitude } from '../../src/codecs/goertzel.js';
import type { CallSnapshot } from '../../src/phone/call.js';
import type { Device } from '../../firmware-sim/device.js';
import { basicAuth, bootDevice, deviceApi, type Json } from '../helpers/device.js';
import { waitFor } from '../peers/index.js';

const clocks: SystemClock[] = [];
const devices: Device[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.shutdown('test');
  for (const c of clocks.splice(0)) c.stop();
});

async function boot(ip: string, settings: Record<string, string>): Promise<Device> {
  const clock = new SystemClock();
  clocks.push(clock);
  const { device } = await bootDevice({ model: 'fanvil-a12', ip, clock, settings });
  devices.push(device);
  return device;
}

const callOf = (d: Device, state = 'connected'): CallSnapshot | undefined => d.telephony()!.listCalls().find((c) => c.state === state);
const sipPort = (d: Device): number => d.telephony()!.lineStatuses()[0]!.local.port;
type RtpStats = { codec?: string; packetsSent: number; packetsReceived: number; packetsLost: number; heard?: { mac?: string } };

const api = (d: Device, path: string, body: unknown) => deviceApi(d, 'POST', path, body);

/** A 16 kHz WAV of a 5 kHz tone at about -16 dBFS: only a wideband path carries it. */
function tone5k(): string {
  const s = new Int16Array(3200); // 0.2 s, looped: a whole number of periods
  for (let i = 0; i < s.length; i++) s[i] = Math.round(7000 * Math.sin((2 * Math.PI * 5000 * i) / 16000));
  return Buffer.from(encodeWav(s, 16000)).toString('base64');
}

const OPUS_FIRST = { 'SIP1 VoiceCodecMap': 'opus,PCMU' };

/** A calls B; both connected on Opus with marks heard both ways; A plays the 5 kHz tone, B records it. */
async function opusCall(a: Device, b: Device): Promise<{ ab: CallSnapshot; ba: CallSnapshot; amplitude5k: number; amplitude1k: number }> {
  expect((await a.telephony()!.dial(`${b.ip}:${sipPort(b)}`)).ok).toBe(true);
  const [ab, ba] = await Promise.all([waitFor('A connected', () => callOf(a), 8000), waitFor('B connected', () => callOf(b), 8000)]);
  expect(ab.codec).toBe('OPUS');
  expect(ba.codec).toBe('OPUS');
  const rtpOf = (d: Device): RtpStats | undefined => callOf(d)?.rtp as RtpStats | undefined;
  const flowing = (s: RtpStats | undefined): boolean => s !== undefined && s.packetsSent > 50 && s.packetsReceived > 50;
  const heardBoth = (): boolean => rtpOf(a)?.heard?.mac === b.mac && rtpOf(b)?.heard?.mac === a.mac && flowing(rtpOf(a)) && flowing(rtpOf(b));
  await waitFor('marks through Opus and 1 s of RTP each way', () => (heardBoth() ? true : undefined), 8000);
  for (const s of [rtpOf(a)!, rtpOf(b)!]) {
    expect(s.codec).toBe('opus');
    // Loopback loses nothing unless a loaded machine stalls the event loop past the socket buffer.
    expect(s.packetsLost).toBeLessThan(0.05 * s.packetsReceived);
  }
  expect((await api(a, '/audio/play', { call: ab.id, wav: tone5k(), loop: true })).status).toBe(200);
  expect((await api(b, '/audio/record', { call: ba.id })).status).toBe(200);
  await waitFor('1.2 s recorded', async () => {
    const r = await fetch(`http://${b.ip}:${b.httpPort}/api/v1/audio`, { headers: { authorization: basicAuth('admin', 'admin') } });
    const list = (await r.json()) as Json;
    return list[0]?.recording?.durationMs >= 1200 ? true : undefined;
  }, 8000);
  const stopped = await api(b, '/audio/stop', { call: ba.id, what: 'record' });
  const rec = decodeWav(Buffer.from(stopped.json.recording.wav, 'base64'));
  if (!rec.ok) throw new Error(rec.error.message);
  expect(rec.value.sampleRate).toBe(16000); // B decodes at its own 16 kHz either way
  // The last second: well after the tone started (playout delay is tens of ms).
  const tail = rec.value.samples.subarray(rec.value.samples.length - 16000);
  const amplitude5k = goertzelAmplitude(tail, 5000, 16000);
  const amplitude1k = goertzelAmplitude(tail, 1000, 16000);
  expect(a.telephony()!.act(ab.id, 'hangup').ok).toBe(true);
  await waitFor('B ended', () => callOf(b, 'ended'), 5000);
  return { ab, ba, amplitude5k, amplitude1k };
}

describe('Opus between two A12s', () => {
  it('OPUS-WB on both: the call negotiates opus, RTP and identity marks flow both ways, a 5 kHz tone gets through', async () => {
    const a = await boot('127.0.0.141', { ...OPUS_FIRST, 'Opus Sample Rate': '1' });
    const b = await boot('127.0.0.142', { ...OPUS_FIRST, 'Opus Sample Rate': '1' });
    expect(a.settings.intercom.media.opusWideband).toBe(true);
    const r = await opusCall(a, b);
    expect(r.amplitude5k).toBeGreaterThan(3500); // sent at 7000 peak; Opus at 20 kbit/s keeps most
    expect(r.amplitude5k).toBeGreaterThan(20 * r.amplitude1k);
  }, 40000);

  it('A on OPUS-NB (the A12 default), B on OPUS-WB: they still talk on opus, but the 5 kHz tone is cut', async () => {
    const a = await boot('127.0.0.143', OPUS_FIRST);
    const b = await boot('127.0.0.144', { ...OPUS_FIRST, 'Opus Sample Rate': '1' });
    expect(a.settings.intercom.media.opusWideband).toBe(false);
    const r = await opusCall(a, b);
    expect(r.amplitude5k).toBeLessThan(100);
  }, 40000);
});
