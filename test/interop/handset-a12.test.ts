// What the user of a virtual Fanvil A12 hears, as a device story over real SIP and RTP on loopback
// (SystemClock, real-time media tick): a KX-UT670 calls the door phone (auto answer off) while the
// A12 records its handset through /api/v1/handset. The A12 rings on its loudspeaker (the ringer),
// holding the call plays its Holding Tone (9.15 "Enable Holding Tone"), and after the KX hangs up
// the A12 plays the busy tone hands-free for its Auto Handdown Time (9.15), then silence. With the
// Holding Tone and Call Waiting Tone switched off, holding is silent and a second call is not
// announced over the conversation.
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/system-clock.js';
import { unwrap } from '../../src/core/result.js';
import { decodeWav } from '../../src/codecs/wav.js';
import { goertzelAmplitude } from '../../src/codecs/goertzel.js';
import { handsetToneSpec } from '../../src/phone/handset/handset-tones.js';
import type { CallSnapshot } from '../../src/phone/call.js';
import type { DeviceEvent } from '../../src/core/device-events.js';
import type { Device } from '../../firmware-sim/device.js';
import { basicAuth, bootDevice } from '../helpers/device.js';
import { waitFor } from '../peers/index.js';

const clocks: SystemClock[] = [];
const devices: Device[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.shutdown('test');
  for (const c of clocks.splice(0)) c.stop();
});

const RATE = 16000;
const NO_AUTO_ANSWER = { 'SIP1 Auto Answer': '0', 'SIP P2P Enable Auto Answer': '0' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sipPort = (d: Device): number => d.telephony()!.lineStatuses()[0]!.local.port;
const callOf = (d: Device, state: string): CallSnapshot | undefined => d.telephony()!.listCalls().find((c) => c.state === state);

async function boot(model: 'kx-ut670' | 'fanvil-a12', ip: string, clock: SystemClock, settings: Record<string, string> = {}): Promise<{ device: Device; events: DeviceEvent[] }> {
  const booted = await bootDevice({ model, ip, clock, settings });
  devices.push(booted.device);
  return booted;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies checked by the assertions
async function handset(d: Device, method = 'GET', path = ''): Promise<any> {
  const res = await fetch(`http://${d.ip}:${d.httpPort}/api/v1/handset${path}`, { method, headers: { authorization: basicAuth('admin', 'admin'), 'content-type': 'application/json' }, ...(method === 'POST' ? { body: '{}' } : {}) });
  expect(res.status).toBe(200);
  return res.json();
}

/** Share of the 20 ms blocks in [fromMs, toMs) of the recording where `hz` sounds. */
function presence(x: Int16Array, hz: number, fromMs: number, toMs: number): number {
  const n = RATE / 50;
  let on = 0;
  let all = 0;
  for (let i = Math.round((fromMs * RATE) / 1000); i + n <= Math.min(x.length, Math.round((toMs * RATE) / 1000)); i += n, all++) {
    if (goertzelAmplitude(x.subarray(i, i + n), hz, RATE) > 300) on++;
  }
  return all === 0 ? 0 : on / all;
}

/** The first frequency of an A12 tone under the device's 9.22 settings. */
const freqOf = (d: Device, tone: 'busy' | 'holdAlarm'): number => unwrap(handsetToneSpec(d.settings, 'a12', tone)).segments.find((s) => s.components.length > 0)!.components[0]!.freqHz;

describe('the handset of a virtual A12', () => {
  it('rings on the loudspeaker, plays the Holding Tone on hold, the busy tone for the Auto Handdown Time after the far end hangs up', async () => {
    const clock = new SystemClock();
    clocks.push(clock);
    const { device: door, events } = await boot('fanvil-a12', '127.0.0.195', clock, { ...NO_AUTO_ANSWER, 'P1 Auto Onhook': '1', 'P1 Auto Onhook Time': '2' });
    const { device: kx } = await boot('kx-ut670', '127.0.0.196', clock);
    await handset(door, 'POST', '/record');
    const t0 = await waitFor('recording started', async () => ((await handset(door)).recording.startedAt as number | undefined) ?? undefined, 2000);

    expect((await kx.telephony()!.dial(`${door.ip}:${sipPort(door)}`)).ok).toBe(true);
    const ringing = await waitFor('A12 rings', () => callOf(door, 'ringing'), 5000);
    const tRing = door.clock.now() - t0;
    expect(await handset(door)).toMatchObject({ source: 'tone', tone: 'ring', reason: 'ringing', device: 'speaker', hook: 'on' });
    await sleep(2500);
    expect(door.telephony()!.act(ringing.id, 'answer').ok).toBe(true);
    const talk = await waitFor('A12 connected', () => callOf(door, 'connected'), 5000);
    const tAnswer = door.clock.now() - t0;
    await sleep(500);
    expect(door.telephony()!.act(talk.id, 'hold').ok).toBe(true);
    await waitFor('A12 held', () => callOf(door, 'held'), 5000);
    const tHeld = door.clock.now() - t0;
    expect(await handset(door)).toMatchObject({ source: 'tone', tone: 'holdAlarm', reason: 'held' });
    await sleep(4500);
    expect(door.telephony()!.act(talk.id, 'resume').ok).toBe(true);
    await waitFor('A12 resumed', () => callOf(door, 'connected'), 5000);
    await sleep(300);

    const kxCall = callOf(kx, 'connected')!;
    expect(kx.telephony()!.act(kxCall.id, 'hangup').ok).toBe(true);
    await waitFor('A12 ended', () => door.telephony()!.listCalls().find((c) => c.state === 'ended'), 5000);
    const tEnded = events.find((e) => e.type === 'call' && e.state === 'ended')!.t - t0;
    expect(await handset(door)).toMatchObject({ source: 'tone', tone: 'busy', reason: 'disconnect', device: 'handsfree' });
    await sleep(2600);
    expect(await handset(door)).toMatchObject({ source: 'silence', reason: 'idle', device: 'none' });
    const stopped = await handset(door, 'POST', '/stop');
    const x = unwrap(decodeWav(Buffer.from(stopped.recording.wav, 'base64'))).samples;

    // The ringer: 1000+1200 Hz, 2 s on of every 6 (DEVIATION in handset-tones.ts) from the INVITE.
    expect(presence(x, 1000, tRing + 100, tRing + 1900)).toBeGreaterThan(0.9);
    expect(presence(x, 1000, tRing + 2100, tAnswer - 100)).toBe(0);
    expect(presence(x, 1000, tAnswer + 100, tEnded)).toBe(0);
    // The Holding Tone while our call is held (its 9.22 cadence, some of the blocks).
    const hold = freqOf(door, 'holdAlarm');
    expect(presence(x, hold, tHeld + 50, tHeld + 4400)).toBeGreaterThan(0);
    expect(presence(x, hold, tAnswer + 50, tHeld - 100)).toBe(0);
    // The busy tone for the Auto Handdown Time (2 s), then nothing.
    const busy = freqOf(door, 'busy');
    expect(presence(x, busy, tEnded, tEnded + 2000)).toBeGreaterThan(0.2);
    expect(presence(x, busy, tEnded + 2150, tEnded + 2500)).toBe(0);
  }, 60000);

  it('Holding Tone and Call Waiting Tone off: holding is silent, a second call is not announced over the conversation', async () => {
    const clock = new SystemClock();
    clocks.push(clock);
    const { device: door } = await boot('fanvil-a12', '127.0.0.197', clock, { ...NO_AUTO_ANSWER, 'P1 CHolding Tone': '0', 'P1 CWaiting Tone': '0' });
    const { device: kx } = await boot('kx-ut670', '127.0.0.198', clock);
    const { device: kx2 } = await boot('kx-ut670', '127.0.0.199', clock);
    expect((await kx.telephony()!.dial(`${door.ip}:${sipPort(door)}`)).ok).toBe(true);
    const ringing = await waitFor('A12 rings', () => callOf(door, 'ringing'), 5000);
    expect(door.telephony()!.act(ringing.id, 'answer').ok).toBe(true);
    await waitFor('A12 connected', () => callOf(door, 'connected'), 5000);
    expect((await kx2.telephony()!.dial(`${door.ip}:${sipPort(door)}`)).ok).toBe(true);
    await waitFor('second call waiting', () => door.telephony()!.listCalls().find((c) => c.state === 'ringing' && c.waiting === true), 5000);
    expect(await handset(door)).toMatchObject({ source: 'call', reason: 'talk' });
    expect(await handset(door)).not.toHaveProperty('tone');
    const talk = callOf(door, 'connected')!;
    expect(door.telephony()!.act(talk.id, 'hold').ok).toBe(true);
    await waitFor('A12 held', () => callOf(door, 'held'), 5000);
    // Held, the waiting call still rings on the loudspeaker; without it, holding is silent.
    const waiting = door.telephony()!.listCalls().find((c) => c.state === 'ringing')!;
    expect(await handset(door)).toMatchObject({ source: 'tone', tone: 'ring', call: waiting.id });
    expect(door.telephony()!.act(waiting.id, 'reject').ok).toBe(true);
    await waitFor('waiting call ended', () => door.telephony()!.listCalls().every((c) => c.state !== 'ringing'), 5000);
    expect(await handset(door)).toMatchObject({ source: 'silence', reason: 'held' });
  }, 60000);
});
