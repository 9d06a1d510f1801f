// Who hears whom, proven by the identity marks: four A12s in one process make two IP direct
// calls at once (A calls B, C calls D) over real UDP on loopback. Through /api/v1/audio each
// side plays something (a tone, a WAV file from the media directory), records what it gets and
// reads the identity verdict: A hears B and only B, B hears A, C and D hear each other. Muting B
// leaves A with RTP still flowing but silence (no mark). Bad requests get 400 with a reason and
// no file outside the data and media directories is ever read.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/system-clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { encodeWav, decodeWav } from '../../src/codecs/wav.js';
import { identifyAudio, identityMarkFromMac } from '../../src/codecs/identity-mark.js';
import { measureRmsDbfs } from '../../src/codecs/level.js';
import type { CallSnapshot } from '../../src/phone/call.js';
import { createDevice } from '../../firmware-sim/create-device.js';
import { getModel } from '../../firmware-sim/models/index.js';
import type { Device } from '../../firmware-sim/device.js';
import { deviceApi, tempDir } from '../helpers/device.js';
import { waitFor } from '../peers/index.js';

const clocks: SystemClock[] = [];
const devices: Device[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.shutdown('test');
  for (const c of clocks.splice(0)) c.stop();
});


async function boot(ip: string, mediaDir: string): Promise<Device> {
  const clock = new SystemClock();
  clocks.push(clock);
  const device = createDevice({ model: getModel('fanvil-a12')!, dataDir: tempDir(), mediaDir, clock, ip, sipPort: 0, httpPort: 0, logger: silentLogger() });
  await device.boot();
  devices.push(device);
  return device;
}

const callOf = (d: Device, state = 'connected'): CallSnapshot | undefined => d.telephony()!.listCalls().find((c) => c.state === state);
const sipPort = (d: Device): number => d.telephony()!.lineStatuses()[0]!.local.port;


const api = (d: Device, method: 'GET' | 'POST', path: string, body?: unknown) => deviceApi(d, method, path, body);

/** A few seconds of "speech-like" audio: two tones with a slow amplitude wobble, 8 kHz. */
function speechLikeWav(): Uint8Array {
  const n = 8000 * 3;
  const s = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / 8000;
    const env = 0.5 + 0.5 * Math.sin(2 * Math.PI * 3 * t);
    s[i] = Math.round(3000 * env * (Math.sin(2 * Math.PI * 310 * t) + 0.6 * Math.sin(2 * Math.PI * 1130 * t)));
  }
  return encodeWav(s, 8000);
}

describe('identity marks prove who hears whom (four A12s, two calls, /api/v1/audio)', () => {
  it('A hears B, B hears A, C and D hear each other; mute leaves RTP without a mark; bad input is refused', async () => {
    const mediaDir = tempDir('vphone-media-');
    writeFileSync(join(mediaDir, 'speech.wav'), speechLikeWav());
    const [a, b, c, d] = await Promise.all(['127.0.0.111', '127.0.0.112', '127.0.0.113', '127.0.0.114'].map((ip) => boot(ip, mediaDir)));
    expect((await a!.telephony()!.dial(`${b!.ip}:${sipPort(b!)}`)).ok).toBe(true);
    expect((await c!.telephony()!.dial(`${d!.ip}:${sipPort(d!)}`)).ok).toBe(true);
    const [ab, ba, cd, dc] = await Promise.all([a, b, c, d].map((x) => waitFor('connected', () => callOf(x!), 8000)));

    // A plays a tone, B plays the WAV file of the media directory (looped), C and D stay silent
    // (their marks alone travel).
    const played = await api(a!, 'POST', '/audio/play', { call: ab!.id, tone: { frequencies: [440], levelDbm0: -20 } });
    expect(played.status).toBe(200);
    expect(played.json.playing).toMatchObject({ kind: 'tone', label: '440 Hz' });
    const wav = await api(b!, 'POST', '/audio/play', { call: ba!.id, wav: 'speech.wav', loop: true });
    expect(wav.status).toBe(200);
    expect(wav.json.playing).toMatchObject({ kind: 'wav', label: 'speech.wav', loop: true, ended: false });
    expect((await api(a!, 'POST', '/audio/record', { call: ab!.id })).status).toBe(200);

    const heardBy = async (x: Device, id: string) => (await api(x, 'GET', `/audio?call=${id}`)).json.received.heard;
    const verdict = async () => [await heardBy(a!, ab!.id), await heardBy(b!, ba!.id), await heardBy(c!, cd!.id), await heardBy(d!, dc!.id)];
    const heard = await waitFor(
      'all four hear their peer',
      async () => {
        const v = await verdict();
        return v[0]?.mac === b!.mac && v[1]?.mac === a!.mac && v[2]?.mac === d!.mac && v[3]?.mac === c!.mac ? v : undefined;
      },
      8000,
    );
    // The peer's mark stands out; every other device's stays at noise level.
    for (const [i, peer] of [b, a, d, c].entries()) {
      const h = heard[i];
      expect(h.reason).toBe('mark');
      expect(h.candidates[0]).toMatchObject({ mac: peer!.mac });
      expect(h.candidates[0].score).toBeGreaterThan(10);
      for (const other of h.candidates.slice(1)) expect(other.score).toBeLessThan(7);
    }
    // The same verdict shows in the call's RTP statistics (GET /api/v1/calls).
    const stats = callOf(a!)!.rtp as unknown as { heard?: { mac: string }; levelDbfs: number };
    expect(stats.heard?.mac).toBe(b!.mac);
    // A receives B's WAV: about -20 dBFS (the file), far above the mark alone (-40).
    const status = (await api(a!, 'GET', `/audio?call=${ab!.id}`)).json;
    expect(status.received.levelDbfs).toBeGreaterThan(-30);
    const all = await waitFor('2 s recorded', async () => {
      const list = (await api(a!, 'GET', '/audio')).json;
      return list[0]?.recording?.durationMs >= 2000 ? list : undefined;
    }, 5000);
    expect(all).toHaveLength(1);

    // The recording A made is B's audio: decode it and find B's mark in it.
    const stopped = await api(a!, 'POST', '/audio/stop', { call: ab!.id });
    expect(stopped.json.stopped).toEqual({ play: true, record: true });
    const rec = decodeWav(Buffer.from(stopped.json.recording.wav, 'base64'));
    expect(rec.ok).toBe(true);
    if (!rec.ok) return;
    const marks = [a, b, c, d].map((x) => identityMarkFromMac(x!.mac)).map((m) => (m.ok ? m.value : undefined)!);
    const tail = rec.value.samples.subarray(Math.max(0, rec.value.samples.length - 16000));
    expect(identifyAudio(tail, rec.value.sampleRate, marks).verdict.toUpperCase()).toBe(b!.mac);
    expect(measureRmsDbfs(tail)).toBeGreaterThan(-30);

    // Mute B: A still receives RTP, but silence without any mark.
    expect(b!.telephony()!.act(ba!.id, 'mute').ok).toBe(true);
    const before = callOf(a!)!.rtp!.packetsReceived;
    const silent = await waitFor('A hears silence', async () => {
      const h = await heardBy(a!, ab!.id);
      return h?.reason === 'silence' ? h : undefined;
    }, 6000);
    expect(silent.mac).toBeUndefined();
    expect(callOf(a!)!.rtp!.packetsReceived).toBeGreaterThan(before + 50);
    expect((await api(a!, 'GET', `/audio?call=${ab!.id}`)).json.received.levelDbfs).toBeLessThan(-100);
    // …while C and D still hear each other.
    expect((await heardBy(c!, cd!.id)).mac).toBe(d!.mac);
    // Unmute: B's mark comes back.
    expect(b!.telephony()!.act(ba!.id, 'unmute').ok).toBe(true);
    await waitFor('A hears B again', async () => ((await heardBy(a!, ab!.id))?.mac === b!.mac ? true : undefined), 6000);

    // A recording to a file lands in the data directory's recordings/.
    expect((await api(b!, 'POST', '/audio/record', { call: ba!.id, file: 'from-a.wav', maxSeconds: 10 })).status).toBe(200);
    expect((await api(b!, 'POST', '/audio/record', { call: ba!.id })).status).toBe(409);
    await new Promise((r) => setTimeout(r, 300));
    const saved = await api(b!, 'POST', '/audio/stop', { call: ba!.id, what: 'record' });
    expect(saved.json.stopped).toEqual({ play: false, record: true });
    expect(saved.json.recording.file).toBe(join(b!.audioFiles().dataDir, 'recordings', 'from-a.wav'));
    expect(existsSync(saved.json.recording.file)).toBe(true);

    // Refused with a reason: paths outside the allowed directories, malformed bodies, unknown calls.
    const refused = [
      { call: ab!.id, wav: '/etc/passwd' },
      { call: ab!.id, wav: '../../../../etc/passwd' },
      { call: ab!.id, wav: { path: join(mediaDir, '..', 'x.wav') } },
      { call: ab!.id, wav: 'identity.json' }, // inside the data dir, but not a WAV
      { call: ab!.id, wav: 'UklGRgAAAA==' },
      { call: ab!.id, tone: { frequencies: [440], levelDbm0: 20 } },
      { call: ab!.id, tone: 'loud' },
      { call: ab!.id, tone: 440, silence: true },
      { call: ab!.id },
      { tone: 440 },
    ];
    for (const body of refused) {
      const r = await api(a!, 'POST', '/audio/play', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error.message).toMatch(/^audio: /);
    }
    expect((await api(a!, 'POST', '/audio/record', { call: ab!.id, file: '../x.wav' })).status).toBe(400);
    expect((await api(a!, 'POST', '/audio/record', { call: ab!.id, maxSeconds: -1 })).status).toBe(400);
    expect((await api(a!, 'POST', '/audio/stop', { call: ab!.id, what: 'everything' })).status).toBe(400);
    expect((await api(a!, 'POST', '/audio/play', { call: 'c99', tone: 440 })).status).toBe(404);
  }, 40000);
});
