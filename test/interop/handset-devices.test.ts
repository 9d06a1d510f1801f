// What the user of a virtual KX-UT670 hears, as a device story over real SIP and RTP on loopback
// (SystemClock: the media tick runs in real time). The KX records its handset through
// /api/v1/handset while it goes off hook and calls an A12 (auto answer off): the recording holds
// the dial tone, the ringback tone with the configured cadence (named by the call-progress
// detector among the KX's configured tones), the A12's identity mark once it answers, and the
// reorder (disconnect) tone for TONE_LEN_DISCONNECT_HANDSET seconds after the A12 hangs up, then
// silence. A call the A12 refuses with 486 gives the busy tone hands-free.
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/system-clock.js';
import { unwrap } from '../../src/core/result.js';
import { decodeWav } from '../../src/codecs/wav.js';
import { goertzelAmplitude } from '../../src/codecs/goertzel.js';
import { CallProgressDetector } from '../../src/codecs/dtmf-detector.js';
import { identifyAudio, identityMarkFromMac } from '../../src/codecs/identity-mark.js';
import { kxUt670Tone, type ToneSpec } from '../../src/codecs/tone-generator.js';
import type { CallSnapshot } from '../../src/phone/call.js';
import type { DeviceEvent } from '../../src/core/device-events.js';
import type { Device } from '../../firmware-sim/device.js';
import { bootDevice, deviceApi } from '../helpers/device.js';
import { waitFor } from '../peers/index.js';

const clocks: SystemClock[] = [];
const devices: Device[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.shutdown('test');
  for (const c of clocks.splice(0)) c.stop();
});

async function boot(model: 'kx-ut670' | 'fanvil-a12', ip: string, clock: SystemClock, settings: Record<string, string>): Promise<{ device: Device; events: DeviceEvent[] }> {
  const booted = await bootDevice({ model, ip, clock, settings });
  devices.push(booted.device);
  return booted;
}

const api = deviceApi;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sipPort = (d: Device): number => d.telephony()!.lineStatuses()[0]!.local.port;
const callOf = (d: Device, state: string): CallSnapshot | undefined => d.telephony()!.listCalls().find((c) => c.state === state);
/** Device clock time of the first `call` event in `state`. */
const tOf = (events: DeviceEvent[], state: string): number => events.find((e) => e.type === 'call' && e.state === state)!.t;

const NO_AUTO_ANSWER = { 'SIP1 Auto Answer': '0', 'SIP P2P Enable Auto Answer': '0' };
const RATE = 16000;

/** The KX's configured tones, as the call-progress detector's candidates. */
function kxTones(d: Device): Record<string, ToneSpec> {
  return Object.fromEntries(['dial', 'ringback', 'busy', 'reorder'].map((n) => [n, unwrap(kxUt670Tone(n, d.settings.tones[n]!))]));
}

function detect(x: Int16Array, fromMs: number, toMs: number, tones: Record<string, ToneSpec>): string | undefined {
  const d = new CallProgressDetector(RATE, tones);
  const seg = x.subarray(Math.max(0, Math.round((fromMs * RATE) / 1000)), Math.round((toMs * RATE) / 1000));
  for (let i = 0; i + RATE / 50 <= seg.length; i += RATE / 50) d.write(seg.subarray(i, i + RATE / 50));
  return d.tone;
}

/** Recording ms of the 20 ms blocks where `hz` sounds, from `fromMs` on. */
function onBlocks(x: Int16Array, hz: number, fromMs: number, toMs = (x.length * 1000) / RATE): number[] {
  const n = RATE / 50;
  const out: number[] = [];
  for (let i = Math.round((fromMs * RATE) / 1000); i + n <= Math.min(x.length, (toMs * RATE) / 1000); i += n) {
    if (goertzelAmplitude(x.subarray(i, i + n), hz, RATE) > 300) out.push((i * 1000) / RATE);
  }
  return out;
}

async function recording(d: Device): Promise<Int16Array> {
  const stopped = await api(d, 'POST', '/handset/stop');
  expect(stopped.status).toBe(200);
  const wav = unwrap(decodeWav(Buffer.from(stopped.json.recording.wav, 'base64')));
  expect(wav.sampleRate).toBe(RATE);
  return wav.samples;
}

describe('the handset of a virtual phone', () => {
  it('KX calls A12: dial tone, the configured ringback, the A12 heard after answer, the disconnect tone for TONE_LEN_DISCONNECT_HANDSET', async () => {
    const clock = new SystemClock();
    clocks.push(clock);
    const { device: kx, events } = await boot('kx-ut670', '127.0.0.191', clock, {
      TONE_LEN_DISCONNECT_HANDSET: '2',
      RINGBACK_TONE_TIMING: '60,1000,1940',
      // A reorder cadence the 2 s window cuts inside a burst (2000 mod 860 = 280: on).
      REORDER_TONE_TIMING: '60,700,100',
    });
    const { device: door } = await boot('fanvil-a12', '127.0.0.192', clock, NO_AUTO_ANSWER);
    expect((await api(kx, 'GET', '/handset')).json).toMatchObject({ source: 'silence', reason: 'idle', device: 'none', hook: 'on' });

    expect((await api(kx, 'POST', '/handset/record', {})).status).toBe(200);
    expect((await api(kx, 'POST', '/handset/record', {})).status).toBe(409);
    await sleep(300); // a little silence first
    expect((await api(kx, 'PUT', '/hook', { offHook: true })).status).toBe(200);
    const tOffHook = kx.clock.now();
    expect((await api(kx, 'GET', '/handset')).json).toMatchObject({ source: 'tone', tone: 'dial', device: 'handset', hook: 'off' });
    await sleep(1600);
    // Sample i of the recording is at device clock startedAt + i / rate.
    const t0 = (await api(kx, 'GET', '/handset')).json.recording.startedAt as number;
    expect(t0).toBeLessThan(tOffHook);

    expect((await kx.telephony()!.dial(`${door.ip}:${sipPort(door)}`)).ok).toBe(true);
    const ringing = await waitFor('A12 rings', () => callOf(door, 'ringing'), 5000);
    await waitFor('KX ringback', () => callOf(kx, 'ringback'), 5000);
    expect((await api(kx, 'GET', '/handset')).json).toMatchObject({ source: 'tone', tone: 'ringback', reason: 'ringback', device: 'handset' });
    await sleep(4500); // one 3 s ringback period and its second burst

    expect(door.telephony()!.act(ringing.id, 'answer').ok).toBe(true);
    const talk = await waitFor('KX connected', () => callOf(kx, 'connected'), 5000);
    expect((await api(kx, 'GET', '/handset')).json).toMatchObject({ source: 'call', call: talk.id, reason: 'talk' });
    await sleep(3000);

    const answered = callOf(door, 'connected')!;
    expect(door.telephony()!.act(answered.id, 'hangup').ok).toBe(true);
    await waitFor('KX ended', () => kx.telephony()!.listCalls().find((c) => c.state === 'ended'), 5000);
    expect((await api(kx, 'GET', '/handset')).json).toMatchObject({ source: 'tone', tone: 'reorder', reason: 'disconnect', device: 'handset' });
    await sleep(2800);
    expect((await api(kx, 'GET', '/handset')).json).toMatchObject({ source: 'silence', reason: 'after-disconnect' });
    const x = await recording(kx);

    const tones = kxTones(kx);
    const ms = (t: number) => t - t0;
    const tRingback = ms(tOf(events, 'ringback'));
    const tConnected = ms(tOf(events, 'connected'));
    const tEnded = ms(tOf(events, 'ended'));
    // Dial tone from off hook; the configured ringback (on 1000, off 2000) until the answer.
    expect(detect(x, ms(tOffHook) + 100, tRingback - 100, tones)).toBe('dial');
    expect(detect(x, tRingback, tConnected, tones)).toBe('ringback');
    const ringOn = onBlocks(x, 480, tRingback, tConnected);
    expect(ringOn.length).toBeGreaterThan(45); // the first 1 s burst
    expect(ringOn.length).toBeLessThan(105); // two bursts at most in under 4.8 s: not a steady tone
    // The A12's mark (not the KX's own) in what the handset heard after the answer.
    const kxMark = unwrap(identityMarkFromMac(kx.mac));
    const doorMark = unwrap(identityMarkFromMac(door.mac));
    const talkAudio = x.subarray(Math.round(((tConnected + 300) * RATE) / 1000), Math.round((tEnded * RATE) / 1000));
    const heard = identifyAudio(talkAudio, RATE, [kxMark, doorMark]);
    expect(heard.verdict).toBe(doorMark.id);
    expect(onBlocks(x, 480, tConnected + 100, tEnded)).toEqual([]); // no ringback over the call
    // The disconnect tone: reorder (DISCONNECTION_MODE 1), 2 s after the BYE, then silence.
    expect(detect(x, tEnded, tEnded + 2000, tones)).toBe('reorder');
    const reorderOn = onBlocks(x, 620, tEnded);
    // Off 60 ms first: the first tone block is later than the event (a block at +0 would mean no
    // off time); 20 ms blocks against 20 ms ticks blur it by up to two blocks either way.
    expect(reorderOn[0]! - tEnded).toBeGreaterThan(0);
    expect(reorderOn[0]! - tEnded).toBeLessThan(60 + 60);
    const lastEnd = reorderOn.at(-1)! + 20 - tEnded;
    expect(lastEnd).toBeGreaterThan(2000 - 60);
    expect(lastEnd).toBeLessThan(2000 + 60);
    const after = x.subarray(Math.round(((tEnded + 2200) * RATE) / 1000));
    expect(after.length).toBeGreaterThan(RATE / 2);
    expect(after.every((v) => v === 0)).toBe(true);
  }, 60000);

  it('a call the A12 refuses with 486: the busy tone hands-free for TONE_LEN_DISCONNECT_HANDSFREE', async () => {
    const clock = new SystemClock();
    clocks.push(clock);
    const { device: kx, events } = await boot('kx-ut670', '127.0.0.193', clock, { TONE_LEN_DISCONNECT_HANDSFREE: '3' });
    const { device: door } = await boot('fanvil-a12', '127.0.0.194', clock, { ...NO_AUTO_ANSWER, 'P1 Reject Return Code': '486' });
    expect((await api(kx, 'POST', '/handset/record', { maxSeconds: 30 })).status).toBe(200);
    expect((await kx.telephony()!.dial(`${door.ip}:${sipPort(door)}`)).ok).toBe(true);
    const ringing = await waitFor('A12 rings', () => callOf(door, 'ringing'), 5000);
    expect(door.telephony()!.act(ringing.id, 'reject').ok).toBe(true);
    const ended = await waitFor('KX ended', () => kx.telephony()!.listCalls().find((c) => c.state === 'ended'), 5000);
    expect(ended.endStatus).toBe(486);
    const t0 = (await api(kx, 'GET', '/handset')).json.recording.startedAt as number;
    expect((await api(kx, 'GET', '/handset')).json).toMatchObject({ source: 'tone', tone: 'busy', reason: 'busy', device: 'handsfree', hook: 'on' });
    await sleep(3600);
    expect((await api(kx, 'GET', '/handset')).json).toMatchObject({ source: 'silence', reason: 'idle', device: 'none' });
    const x = await recording(kx);
    const tEnded = tOf(events, 'ended') - t0;
    expect(detect(x, tEnded, tEnded + 3000, kxTones(kx))).toBe('busy');
    // Busy (off 60, on 500, off 440) for 3 s: its last burst ends 2560 ms after the 486.
    const on = onBlocks(x, 620, tEnded);
    expect(on.at(-1)! + 20 - tEnded).toBeGreaterThan(2560 - 80);
    expect(on.at(-1)! + 20 - tEnded).toBeLessThan(2560 + 80);
  }, 60000);
});
