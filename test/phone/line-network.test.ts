// Line networking details on whole devices: NAT keep-alives every PORT_PUNCH_INTVL_n seconds to
// the registrar (KX-UT670 4.6.2.12), in virtual time; and devices on IPv6 (::1) calling each other.
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import type { CallSnapshot } from '../../src/phone/call.js';
import type { Device } from '../../firmware-sim/device.js';
import { sipService } from '../../firmware-sim/services/sip-service.js';
import { bootDevice } from '../helpers/device.js';
import { recordingFactory } from '../helpers/recording-media.js';
import { until } from '../helpers/until.js';

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function listener(address: string): Promise<{ socket: Socket; port: number; received: string[] }> {
  const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
  const received: string[] = [];
  socket.on('message', (m) => received.push(m.toString('latin1')));
  await new Promise<void>((r) => socket.bind(0, address, () => r()));
  cleanups.push(() => new Promise<void>((r) => socket.close(() => r())));
  return { socket, port: socket.address().port, received };
}

async function boot(model: 'kx-ut670' | 'fanvil-a12', ip: string, clock: VirtualClock, settings: Record<string, string> = {}): Promise<Device> {
  const { device } = await bootDevice({ model, ip, clock, settings, services: [sipService({ media: () => recordingFactory([]) })] });
  cleanups.push(() => device.shutdown('test'));
  return device;
}

describe('line networking', () => {
  it('sends a CRLFCRLF keep-alive to the registrar every PORT_PUNCH_INTVL_n seconds, only then', async () => {
    const clock = new VirtualClock();
    const registrar = await listener('127.0.0.72');
    const kx = await boot('kx-ut670', '127.0.0.71', clock, {
      SIP_RGSTR_ADDR_1: '127.0.0.72',
      SIP_RGSTR_PORT_1: String(registrar.port),
      PHONE_NUMBER_1: '1001',
      PORT_PUNCH_INTVL_1: '10',
    });
    await until('REGISTER sent', () => registrar.received.some((m) => m.startsWith('REGISTER')));
    const pings = () => registrar.received.filter((m) => m === '\r\n\r\n').length;
    clock.advance(9_999);
    await new Promise((r) => setTimeout(r, 20));
    expect(pings()).toBe(0);
    clock.advance(1);
    await until('first keep-alive', () => pings() === 1);
    clock.advance(10_000);
    await until('second keep-alive', () => pings() === 2);
    expect(kx.telephony()!.lineStatuses()[0]!.local.transport).toBe('udp');
  });

  it('no keep-alives when the interval is 0 (the default)', async () => {
    const clock = new VirtualClock();
    const registrar = await listener('127.0.0.74');
    await boot('kx-ut670', '127.0.0.73', clock, { SIP_RGSTR_ADDR_1: '127.0.0.74', SIP_RGSTR_PORT_1: String(registrar.port), PHONE_NUMBER_1: '1001' });
    await until('REGISTER sent', () => registrar.received.some((m) => m.startsWith('REGISTER')));
    clock.advance(300_000);
    await new Promise((r) => setTimeout(r, 20));
    expect(registrar.received.filter((m) => m === '\r\n\r\n')).toEqual([]);
  });

  it('two devices on ::1 call each other (IPv6 references in URIs, Via and SDP)', async () => {
    const clock = new VirtualClock();
    const kx = await boot('kx-ut670', '::1', clock);
    const door = await boot('fanvil-a12', '::1', clock);
    const port = door.telephony()!.lineStatuses()[0]!.local.port;
    const placed = await kx.telephony()!.dial(`[::1]:${port}`);
    expect(placed.ok).toBe(true);
    const callOf = (d: Device, state: string): CallSnapshot | undefined => d.telephony()!.listCalls().find((c) => c.state === state);
    const up = await until('connected', () => callOf(kx, 'connected'));
    await until('callee connected', () => callOf(door, 'connected'));
    expect(up.remote.uri).toBe(`sip:[::1]:${port}`);
    kx.telephony()!.act(up.id, 'hangup');
    await until('callee ended', () => callOf(door, 'ended'));
  });

  it('a line setting saved at run time re-registers the line, after the active call has ended', async () => {
    const clock = new VirtualClock();
    const registrar = await listener('127.0.0.76');
    const kx = await boot('kx-ut670', '127.0.0.75', clock);
    const door = await boot('fanvil-a12', '127.0.0.77', clock);
    const port = door.telephony()!.lineStatuses()[0]!.local.port;
    const placed = await kx.telephony()!.dial(`127.0.0.77:${port}`);
    expect(placed.ok).toBe(true);
    const callOf = (d: Device, state: string): CallSnapshot | undefined => d.telephony()!.listCalls().find((c) => c.state === state);
    const up = await until('connected', () => callOf(kx, 'connected'));

    // Saved from the web UI while the call is up: nothing happens to the call.
    for (const [name, value] of Object.entries({ SIP_RGSTR_ADDR_1: '127.0.0.76', SIP_RGSTR_PORT_1: String(registrar.port), PHONE_NUMBER_1: '1001' })) {
      expect(kx.store.set(name, value, 'ui', 'web').ok).toBe(true);
    }
    clock.advance(5_000);
    await new Promise((r) => setTimeout(r, 30));
    expect(callOf(kx, 'connected')?.id).toBe(up.id);
    expect(registrar.received.filter((m) => m.startsWith('REGISTER'))).toEqual([]);

    // Once the call ends, the lines restart with the new values and line 1 registers.
    kx.telephony()!.act(up.id, 'hangup');
    await until('call ended', () => callOf(door, 'ended'));
    // Virtual time moves on while the old lines wind down (unsubscribe grace, BYE retransmits).
    const register = await until('REGISTER at the new registrar', () => {
      clock.advance(250);
      return registrar.received.find((m) => m.startsWith('REGISTER'));
    }, 3000);
    expect(register).toContain('sip:1001@127.0.0.76');
    await until('line 1 registering', () => (kx.telephony()?.lineStatuses()[0]?.registration.state === 'registering' ? true : undefined));
    expect(kx.telephony()!.lineStatuses()[0]!.aor).toBe('sip:1001@127.0.0.76');
  });
});
