// Two devices in one process call each other directly (IP direct call, no PBX): the KX-UT670
// dials the A12's address, the A12 rings and answers (its auto answer, A12 7.4), both see the
// call connected with the same codec, and either side hangs up. Real UDP sockets on 127.0.0.x,
// timers on a VirtualClock. Media is a recording double here: the RTP path has its own tests.
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import type { DeviceEvent } from '../../src/core/device-events.js';
import type { CallSnapshot } from '../../src/phone/call.js';
import type { Device } from '../../firmware-sim/device.js';
import { sipService } from '../../firmware-sim/services/sip-service.js';
import { bootDevice } from '../helpers/device.js';
import { until } from '../helpers/until.js';
import { recordingFactory, type RecordingMedia } from '../helpers/recording-media.js';

const devices: Device[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.shutdown('test');
});

async function boot(model: 'kx-ut670' | 'fanvil-a12', ip: string, clock: VirtualClock, media: RecordingMedia[]): Promise<{ device: Device; events: DeviceEvent[] }> {
  const { device, events } = await bootDevice({ model, ip, clock, services: [sipService({ media: () => recordingFactory(media) })] });
  devices.push(device);
  return { device, events };
}

const callOf = (d: Device, state?: string): CallSnapshot | undefined => d.telephony()!.listCalls().find((c) => state === undefined || c.state === state);

describe('IP direct calls between two virtual phones', () => {
  it('lists each enabled line with its own bound port', async () => {
    const clock = new VirtualClock();
    const { device: kx } = await boot('kx-ut670', '127.0.0.21', clock, []);
    const lines = kx.telephony()!.lineStatuses();
    expect(lines.map((l) => l.line)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(lines.map((l) => l.local.port)).size).toBe(6);
    expect(lines.every((l) => l.local.address === '127.0.0.21' && l.local.transport === 'udp')).toBe(true);
    expect(lines[0]!.registration.state).toBe('disabled');
  });

  it('the KX-UT670 calls the A12, which auto-answers; the caller hangs up', async () => {
    const clock = new VirtualClock();
    const kxMedia: RecordingMedia[] = [];
    const a12Media: RecordingMedia[] = [];
    const { device: kx, events: kxEvents } = await boot('kx-ut670', '127.0.0.21', clock, kxMedia);
    const { device: door, events: doorEvents } = await boot('fanvil-a12', '127.0.0.22', clock, a12Media);
    const doorPort = door.telephony()!.lineStatuses()[0]!.local.port;

    const placed = await kx.telephony()!.dial(`127.0.0.22:${doorPort}`);
    expect(placed.ok).toBe(true);
    const connected = await until('caller connected', () => callOf(kx, 'connected'));
    const answered = await until('callee connected', () => callOf(door, 'connected'));
    expect(connected.direction).toBe('outgoing');
    expect(answered.direction).toBe('incoming');
    expect(answered.remote.uri).toContain('127.0.0.21');
    // Both ends agreed on one codec and each knows where to send RTP: the other's port.
    expect(connected.codec).toBeDefined();
    expect(connected.codec).toBe(answered.codec);
    expect(kxMedia[0]!.applied.at(-1)!.remotePort).toBe(a12Media[0]!.port);
    expect(a12Media[0]!.applied.at(-1)!.remotePort).toBe(kxMedia[0]!.port);
    expect(kxMedia[0]!.applied.at(-1)!.remoteAddress).toBe('127.0.0.22');

    const hung = kx.telephony()!.act(connected.id, 'hangup');
    expect(hung.ok).toBe(true);
    await until('callee ended', () => callOf(door, 'ended'));
    const ended = await until('caller ended', () => callOf(kx, 'ended'));
    expect(ended.endReason).toBe('local-bye');
    expect(callOf(door, 'ended')!.endReason).toBe('remote-bye');
    expect(kxMedia[0]!.closed && a12Media[0]!.closed).toBe(true);

    // Events tell the story on both devices.
    const states = (events: DeviceEvent[]) => events.filter((e) => e.type === 'call').map((e) => (e as unknown as CallSnapshot).state);
    expect(states(kxEvents)).toEqual(['calling', 'ringback', 'connected', 'ended']);
    expect(states(doorEvents)).toEqual(['ringing', 'connected', 'ended']);
  });

  it('an incoming call rings on the KX-UT670 until answered through the API; the callee hangs up', async () => {
    const clock = new VirtualClock();
    const { device: kx } = await boot('kx-ut670', '127.0.0.21', clock, []);
    const { device: door } = await boot('fanvil-a12', '127.0.0.22', clock, []);
    const kxPort = kx.telephony()!.lineStatuses()[0]!.local.port;
    expect((await door.telephony()!.dial(`127.0.0.21:${kxPort}`)).ok).toBe(true);
    const ringing = await until('KX rings', () => callOf(kx, 'ringing'));
    await until('caller hears ringback', () => callOf(door, 'ringback'));
    // Actions that make no sense in the state get a clear error.
    const early = kx.telephony()!.act(ringing.id, 'dtmf', { digits: '1' });
    expect(early.ok).toBe(false);
    expect(kx.telephony()!.act(ringing.id, 'answer').ok).toBe(true);
    await until('caller connected', () => callOf(door, 'connected'));
    expect(kx.telephony()!.act(ringing.id, 'answer').ok).toBe(false);
    kx.telephony()!.act(ringing.id, 'hangup');
    await until('caller ended', () => callOf(door, 'ended'));
    expect(callOf(door, 'ended')!.endReason).toBe('remote-bye');
  });

  it('a rejected call ends on both sides with the reject code (KX-UT670 SIP_RESPONSE_CODE_CALL_REJECT)', async () => {
    const clock = new VirtualClock();
    const { device: kx } = await boot('kx-ut670', '127.0.0.21', clock, []);
    const { device: door } = await boot('fanvil-a12', '127.0.0.22', clock, []);
    const kxPort = kx.telephony()!.lineStatuses()[0]!.local.port;
    await door.telephony()!.dial(`127.0.0.21:${kxPort}`);
    const ringing = await until('KX rings', () => callOf(kx, 'ringing'));
    expect(kx.telephony()!.act(ringing.id, 'reject').ok).toBe(true);
    const ended = await until('caller ended', () => callOf(door, 'ended'));
    expect(ended.endStatus).toBe(kx.settings.sip.rejectResponseCode);
  });

  it('dialling garbage or a number without any server is refused with a reason', async () => {
    const clock = new VirtualClock();
    const { device: kx } = await boot('kx-ut670', '127.0.0.21', clock, []);
    const bad = await kx.telephony()!.dial('not a number');
    expect(bad.ok).toBe(false);
    const noRoute = await kx.telephony()!.dial('1001');
    expect(noRoute.ok || noRoute.error.code).toBe('CALL_NO_ROUTE');
  });
});
