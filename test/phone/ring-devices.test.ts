// Ring types on booted devices (real UDP on 127.0.0.x, VirtualClock, recording call media): an
// INVITE with an Alert-Info header rings an A12 with the ring type its Alert Info Ring entry
// maps, a KX-UT670 rings with its line key's ringtone, and an A12 rings with a WAV file uploaded
// through PUT /api/v1/ringtones. Each is checked in the API (the call's ringType, GET
// /api/v1/handset) and in the handset recording: the chosen type's frequencies sound with its
// cadence, the old fixed ringer's 1000/1200 Hz never do.
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { unwrap } from '../../src/core/result.js';
import { goertzelAmplitude } from '../../src/codecs/goertzel.js';
import { decodeWav, encodeWav } from '../../src/codecs/wav.js';
import { ringTypeSound } from '../../src/phone/handset/ring-types.js';
import type { Device } from '../../firmware-sim/device.js';
import { handsetService } from '../../firmware-sim/services/handset-service.js';
import { sipService } from '../../firmware-sim/services/sip-service.js';
import { webService } from '../../firmware-sim/services/web-service.js';
import { basicAuth, bootDevice, deviceApi, type Json } from '../helpers/device.js';
import { recordingFactory, type RecordingMedia } from '../helpers/recording-media.js';
import { until } from '../helpers/until.js';
import { buildRequest, sendRequest } from '../peers/sip-client.js';

const devices: Device[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.shutdown('test');
});

const RATE = 16000;
const BLOCK = RATE / 50;
const NO_AUTO_ANSWER = { 'SIP1 Auto Answer': '0', 'SIP P2P Enable Auto Answer': '0' };

async function boot(model: 'kx-ut670' | 'fanvil-a12', ip: string, clock: VirtualClock, settings: Record<string, string>): Promise<Device> {
  const media: RecordingMedia[] = [];
  const { device } = await bootDevice({ model, ip, clock, settings, services: [webService, sipService({ media: () => recordingFactory(media) }), handsetService] });
  devices.push(device);
  return device;
}

/** A raw INVITE to line 1 of `d` with `headers`; nobody waits for its answer (the call rings). */
function ring(d: Device, headers: string[] = []): void {
  const port = d.telephony()!.lineStatuses()[0]!.local.port;
  void sendRequest(
    { address: d.ip, port },
    'udp',
    (local) => buildRequest({ method: 'INVITE', uri: `sip:x@${d.ip}:${port}`, from: '<sip:1002@127.0.0.9>', to: `<sip:x@${d.ip}>`, transport: 'udp', local, contact: `<sip:raw@${local.address}:${local.port}>`, headers }),
    300,
  );
}

/**
 * Starts the handset recording, rings the device, lets the ringer play `ms` of virtual time and
 * returns the call, the handset status while ringing and the recording as a function of the
 * ringer's phase: `at(fromMs, toMs, hz)` is the share of 20 ms blocks in that part of the ring
 * pattern where `hz` sounds.
 */
interface Rang {
  call: Json;
  heard: Json;
  /** Share of the 20 ms blocks in [fromMs, toMs) of the ring pattern where `hz` sounds. */
  at(fromMs: number, toMs: number, hz: number): number;
  /** Mean Goertzel amplitude at `hz` over the blocks of [fromMs, toMs). */
  level(fromMs: number, toMs: number, hz: number): number;
}

async function recordRing(d: Device, clock: VirtualClock, ms: number, headers: string[] = []): Promise<Rang> {
  expect((await deviceApi(d, 'POST', '/handset/record', {})).status).toBe(200);
  ring(d, headers);
  await until('ringing', () => d.telephony()!.listCalls().find((c) => c.state === 'ringing'));
  const heard = (await deviceApi(d, 'GET', '/handset')).json;
  const calls = (await deviceApi(d, 'GET', '/calls')).json;
  clock.advance(ms);
  const status = (await deviceApi(d, 'GET', '/handset')).json;
  const startedAt = status.recording.startedAt as number;
  const stopped = await deviceApi(d, 'POST', '/handset/stop');
  const x = unwrap(decodeWav(Buffer.from(stopped.json.recording.wav as string, 'base64'))).samples;
  const offset = startedAt - (heard.toneSince as number); // ring phase of sample 0
  const blocks = (fromMs: number, toMs: number, hz: number): number[] => {
    const out: number[] = [];
    for (let i = Math.ceil(((fromMs - offset) * RATE) / 1000); i + BLOCK <= Math.min(x.length, ((toMs - offset) * RATE) / 1000); i += BLOCK) {
      if (i >= 0) out.push(goertzelAmplitude(x.subarray(i, i + BLOCK), hz, RATE));
    }
    return out;
  };
  const at = (fromMs: number, toMs: number, hz: number): number => {
    const b = blocks(fromMs, toMs, hz);
    return b.length === 0 ? NaN : b.filter((a) => a > 300).length / b.length;
  };
  const level = (fromMs: number, toMs: number, hz: number): number => {
    const b = blocks(fromMs, toMs, hz);
    return b.length === 0 ? NaN : b.reduce((sum, a) => sum + a, 0) / b.length;
  };
  const list = (Array.isArray(calls) ? calls : (calls.calls as Json[])) as Json[];
  return { call: list.find((c) => c.state === 'ringing'), heard, at, level };
}

describe('ring types on devices', () => {
  it('A12: an INVITE with a mapped Alert-Info rings with that ring type (API and ringer audio)', async () => {
    const clock = new VirtualClock();
    // Ring type 11: 1400+1800 Hz, double ring 400 on, 200 off, 400 on, 2000 off.
    const door = await boot('fanvil-a12', '127.0.0.221', clock, { ...NO_AUTO_ANSWER, 'Alert2 Text': 'alert-internal', 'Alert2 Ring Type': '11.wav', 'SIP1 Ring Type': '4.wav' });
    const { call, heard, at, level } = await recordRing(door, clock, 6000, ['Alert-Info: <http://127.0.0.1/ring.wav>;info=Alert-Internal']);
    expect(call).toMatchObject({ ringType: '11.wav', ringBy: 'alert-info' });
    expect(heard).toMatchObject({ source: 'tone', tone: 'ring', reason: 'ringing', ringType: '11.wav' });
    const [f1, f2] = ringTypeSound(11)!.frequenciesHz;
    for (const hz of [f1, f2]) {
      expect(at(0, 400, hz), `${hz} first ring`).toBeGreaterThan(0.9);
      expect(at(420, 580, hz), `${hz} gap`).toBe(0);
      expect(at(600, 1000, hz), `${hz} second ring`).toBeGreaterThan(0.9);
      expect(at(1020, 2980, hz), `${hz} pause`).toBe(0);
      expect(at(3000, 3400, hz), `${hz} next cycle`).toBeGreaterThan(0.9);
    }
    // Neither the old fixed ringer nor the line's own ring type (4.wav: 523+659 Hz): at most the
    // leakage of the ring's own tones (rectangular 20 ms blocks), far below them.
    for (const hz of [1000, 1200, ...ringTypeSound(4)!.frequenciesHz]) expect(level(20, 380, hz), `${hz}`).toBeLessThan(level(20, 380, f1) / 8);
  }, 30000);

  it('A12: no matching Alert-Info rings with the line Ring Type', async () => {
    const clock = new VirtualClock();
    const door = await boot('fanvil-a12', '127.0.0.222', clock, { ...NO_AUTO_ANSWER, 'Alert2 Text': 'alert-internal', 'Alert2 Ring Type': '11.wav', 'SIP1 Ring Type': '4.wav' });
    const { call, heard, at, level } = await recordRing(door, clock, 2500, ['Alert-Info: <http://127.0.0.1/ring.wav>;info=alert-external']);
    expect(call).toMatchObject({ ringType: '4.wav', ringBy: 'line' });
    expect(heard).toMatchObject({ tone: 'ring', ringType: '4.wav' });
    const [f1, f2] = ringTypeSound(4)!.frequenciesHz;
    expect(at(0, 2000, f1)).toBeGreaterThan(0.9);
    expect(at(0, 2000, f2)).toBeGreaterThan(0.9);
    expect(at(2020, 2500, f1)).toBe(0);
    expect(level(20, 1980, 1800)).toBeLessThan(level(20, 1980, f1) / 8);
  }, 30000);

  it('KX-UT670: rings with the ringtone of its line key (FLEX_BUTTON_FACILITY_ARG1 "20,1")', async () => {
    const clock = new VirtualClock();
    // Ringtone 20: 523+659 Hz, triple ring 300 on 200 off 300 on 200 off 300 on 2700 off.
    const kx = await boot('kx-ut670', '127.0.0.223', clock, { FLEX_BUTTON_FACILITY_ACT1: 'X_PANASONIC_IPTEL_DN', FLEX_BUTTON_FACILITY_ARG1: '20,1' });
    const { call, heard, at, level } = await recordRing(kx, clock, 4000, ['Alert-Info: <http://127.0.0.1/Bellcore-dr2>']);
    expect(call).toMatchObject({ ringType: '20', ringBy: 'line' });
    expect(heard).toMatchObject({ tone: 'ring', ringType: '20' });
    const [f1] = ringTypeSound(20)!.frequenciesHz;
    expect(at(0, 300, f1)).toBeGreaterThan(0.9);
    expect(at(320, 480, f1)).toBe(0);
    expect(at(500, 800, f1)).toBeGreaterThan(0.9);
    expect(at(1000, 1300, f1)).toBeGreaterThan(0.9);
    expect(at(1320, 3980, f1)).toBe(0);
    // Not the old fixed ringer: at 1000/1200 Hz at most the leakage of the ring's own tones.
    for (const hz of [1000, 1200]) expect(level(20, 280, hz), `${hz}`).toBeLessThan(level(20, 280, f1) / 8);
  }, 30000);
});

describe('A12 ring files through the API', () => {
  const sine = (hz: number, rate: number, ms: number) => Int16Array.from({ length: (rate * ms) / 1000 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / rate)));
  const raw = (d: Device, method: string, name: string, init: { body?: Uint8Array; type?: string } = {}) => {
    const admin = d.model.defaultAccounts.find((a) => a.role === 'admin')!;
    return fetch(`http://${d.ip}:${d.httpPort}/api/v1/ringtones/${name}`, { method, headers: { authorization: basicAuth(admin.id, admin.password), 'content-type': init.type ?? 'audio/wav' }, ...(init.body ? { body: init.body } : {}) });
  };
  const put = async (d: Device, name: string, body: Uint8Array, type = 'audio/wav'): Promise<{ status: number; json: Json }> => {
    const res = await raw(d, 'PUT', name, { body, type });
    return { status: res.status, json: await res.json() };
  };

  it('an uploaded WAV kept in NVRAM rings when the Default Ring Type names it; bad uploads are a clear 400', async () => {
    const clock = new VirtualClock();
    const door = await boot('fanvil-a12', '127.0.0.224', clock, { ...NO_AUTO_ANSWER, 'Ring Type': 'door.wav' });
    const up = await put(door, 'door.wav', encodeWav(sine(2500, 8000, 250), 8000));
    expect(up).toMatchObject({ status: 201, json: { name: 'door.wav', sampleRate: 8000, durationMs: 250, format: 'pcm16' } });
    const list = (await deviceApi(door, 'GET', '/ringtones')).json;
    expect(list.model).toBe('a12');
    expect(list.files).toEqual([expect.objectContaining({ name: 'door.wav' })]);
    expect(list.builtIn[0]).toMatchObject({ name: 'default.wav', frequenciesHz: [1000, 1200] });

    const bad = await put(door, 'bad.wav', Buffer.from('RIFF\x10\x00\x00\x00WAVEjunkjunkjunk'));
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('RINGTONE_BAD_WAV');
    const wide = await put(door, 'wide.wav', encodeWav(sine(700, 44100, 100), 44100));
    expect(wide).toMatchObject({ status: 400, json: { error: { code: 'RINGTONE_BAD_WAV' } } });
    expect(wide.json.error.message).toContain('44100');
    expect(await put(door, 'song.mp3', Buffer.from('ID3'), 'audio/mpeg')).toMatchObject({ status: 415 });
    expect(await put(door, 'song.mp3', Buffer.from('ID3'))).toMatchObject({ status: 400, json: { error: { code: 'RINGTONE_UNSUPPORTED' } } });
    expect((await deviceApi(door, 'GET', '/ringtones')).json.files).toHaveLength(1);

    // Kept in NVRAM: the file is there after a restart, and rings.
    await door.reboot('test');
    // (The client's kept-alive connection to the old server may fail once.)
    const after = await deviceApi(door, 'GET', '/ringtones').catch(() => deviceApi(door, 'GET', '/ringtones'));
    expect(after.json.files).toEqual([expect.objectContaining({ name: 'door.wav', durationMs: 250 })]);
    const { call, heard, at, level } = await recordRing(door, clock, 2000);
    expect(call).toMatchObject({ ringType: 'door.wav', ringBy: 'default' });
    expect(heard).toMatchObject({ tone: 'ring', ringType: 'door.wav' });
    expect(at(0, 2000, 2500)).toBeGreaterThan(0.95); // the 250 ms file, looped
    expect(level(20, 1980, 1000)).toBeLessThan(level(20, 1980, 2500) / 8);

    expect((await raw(door, 'DELETE', 'door.wav')).status).toBe(204);
    expect((await raw(door, 'DELETE', 'door.wav')).status).toBe(404);
    expect((await deviceApi(door, 'GET', '/ringtones')).json.files).toEqual([]);
  }, 30000);

  it('the KX-UT670 has numbered ringtones only: no ring file upload', async () => {
    const clock = new VirtualClock();
    const kx = await boot('kx-ut670', '127.0.0.225', clock, {});
    expect(await put(kx, 'door.wav', encodeWav(sine(2500, 8000, 250), 8000))).toMatchObject({ status: 404, json: { error: { code: 'RINGTONE_UNSUPPORTED' } } });
    const list = (await deviceApi(kx, 'GET', '/ringtones')).json;
    expect(list).toMatchObject({ model: 'kx-ut670', files: [] });
    expect(list.builtIn).toHaveLength(32);
  }, 30000);
});
