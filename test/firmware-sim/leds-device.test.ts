// LEDs of whole devices (real UDP on 127.0.0.x, VirtualClock): an A12 whose line cannot register
// fast-flashes the red SIP/NET element (5.2.2 Table 2); an IP direct call from a KX-UT670 makes it
// slow-flash (in call) with the Call and Door LEDs lit, and the hang-up brings the fast flash back;
// a call from the A12 flashes the KX-UT670's Message/Ringer lamp green while it rings.
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import type { DeviceEvent } from '../../src/core/device-events.js';
import type { Device, ServiceFactory } from '../../firmware-sim/device.js';
import { sipService } from '../../firmware-sim/services/sip-service.js';
import { ledService } from '../../firmware-sim/hardware/led-service.js';
import type { LedState } from '../../src/ui-web/led-routes.js';
import { recordingFactory, type RecordingMedia } from '../helpers/recording-media.js';
import { bootPhone, callIn, until, type TestPhone } from '../phone/in-call-devices.js';

const devices: Device[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.shutdown('test');
});

const services = (media: RecordingMedia[]): ServiceFactory[] => [sipService({ media: () => recordingFactory(media) }), ledService];

/** `id: color pattern reason` of every `led` event of one LED. */
const ledEvents = (events: DeviceEvent[], id: string): string[] =>
  events.filter((e): e is DeviceEvent & LedState & { type: 'led' } => e.type === 'led' && e.id === id).map((e) => `${e.color} ${e.pattern} ${e.reason}`);

const led = (p: TestPhone, id: string): LedState => p.device.leds()!.leds().find((l) => l.id === id)!;

// An A12 line with an account at a name no DNS server resolves (the device has none): it fails.
const FAILING_A12 = { 'SIP1 Enable Reg': '1', 'SIP1 Phone Number': '2001', 'SIP1 Register Addr': 'pbx.invalid' };

describe('LEDs of running devices', () => {
  it('A12: registration failed = red fast flash; a call = slow flash with Call and Door lit; hang-up = fast flash again', async () => {
    const clock = new VirtualClock();
    const door = await bootPhone(devices, 'fanvil-a12', '127.0.0.141', clock, FAILING_A12, services([]));
    const kx = await bootPhone(devices, 'kx-ut670', '127.0.0.142', clock, {}, services([]));
    expect(door.phone.lineStatuses()[0]!.registration.state).toBe('failed');
    expect(led(door, 'sip')).toMatchObject({ color: 'red', pattern: 'fast-flash', periodMs: 250, onMs: 125, reason: 'registration-failed' });
    expect(led(door, 'net')).toMatchObject({ color: 'green', pattern: 'on' });

    // The A12 answers by itself (auto answer).
    expect((await kx.phone.dial(door.address)).ok).toBe(true);
    await until('connected both ways', () => callIn(kx, 'connected') && callIn(door, 'connected'));
    expect(led(door, 'sip')).toMatchObject({ pattern: 'slow-flash', periodMs: 1000, reason: 'in-call' });
    expect(led(door, 'call')).toMatchObject({ pattern: 'on', reason: 'talking' });
    expect(led(door, 'door')).toMatchObject({ pattern: 'on', reason: 'audio-acquisition' });

    expect(kx.phone.act(callIn(kx)!.id, 'hangup').ok).toBe(true);
    await until('call ended on the A12', () => door.calls().every((c) => c.state === 'ended'));
    expect(led(door, 'sip')).toMatchObject({ pattern: 'fast-flash', reason: 'registration-failed' });
    expect(ledEvents(door.events, 'sip')).toEqual(['red fast-flash registration-failed', 'red slow-flash in-call', 'red fast-flash registration-failed']);
    expect(ledEvents(door.events, 'door')).toEqual(['green on audio-acquisition', 'none off ']);
    // The Output LED never lit: no relay model yet.
    expect(ledEvents(door.events, 'output')).toEqual(['none off relays-not-emulated']);
    // The KX-UT670 placed the call: its ringer lamp stayed dark.
    expect(ledEvents(kx.events, 'message-ringer')).toEqual([]);
  });

  it('KX-UT670: an incoming call flashes the Message/Ringer lamp green until answered; power off darkens the A12', async () => {
    const clock = new VirtualClock();
    const kx = await bootPhone(devices, 'kx-ut670', '127.0.0.143', clock, {}, services([]));
    const door = await bootPhone(devices, 'fanvil-a12', '127.0.0.144', clock, {}, services([]));
    expect((await door.phone.dial(kx.address)).ok).toBe(true);
    const ringing = await until('KX rings', () => callIn(kx, 'ringing'));
    expect(led(kx, 'message-ringer')).toMatchObject({ color: 'green', pattern: 'fast-flash', periodMs: 500, reason: 'ringing' });
    // The A12's own outgoing call: Call LED slow flash, the red element not yet "in call".
    await until('A12 hears ringback', () => callIn(door, 'ringback'));
    expect(led(door, 'call')).toMatchObject({ pattern: 'slow-flash', reason: 'calling' });
    expect(led(door, 'sip')).toMatchObject({ pattern: 'off' });

    expect(kx.phone.act(ringing.id, 'answer').ok).toBe(true);
    await until('connected both ways', () => callIn(kx, 'connected') && callIn(door, 'connected'));
    expect(led(kx, 'message-ringer')).toMatchObject({ pattern: 'off' });
    expect(ledEvents(kx.events, 'message-ringer')).toEqual(['green fast-flash ringing', 'none off ']);

    // Power off: each lit LED goes dark with its event, and the panel is gone.
    const before = door.events.length;
    await door.device.shutdown('test');
    const dark = door.events.slice(before).filter((e) => e.type === 'led').map((e) => (e as unknown as LedState).id);
    expect(dark.sort()).toEqual(['call', 'door', 'net', 'sip']);
    expect(door.device.leds()).toBeUndefined();
  });
});
