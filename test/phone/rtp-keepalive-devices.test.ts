// A12 9.16 "RTP keep alive" on real devices (real UDP on 127.0.0.x, their own RTP media, virtual
// time): a KX-UT670 holds the A12, so the A12 only receives (recvonly) and sends no audio; with
// the setting on (its default) it sends an RFC 6263 keep-alive every 30 s, with it off none. The
// KX-UT670 has no such setting and sends none when held.
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import type { Device } from '../../firmware-sim/device.js';
import { bootPhone, callIn, until, type TestPhone } from './in-call-devices.js';

const devices: Device[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.shutdown('test');
});

const keepAlives = (p: TestPhone): number => Number((callIn(p)!.rtp as { keepAlivesSent?: number } | undefined)?.keepAlivesSent ?? 0);

/** Advances virtual time in media-tick steps, letting the sockets deliver between steps. */
async function run(clock: VirtualClock, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 100) {
    clock.advance(100);
    await new Promise((r) => setImmediate(r));
  }
}

async function heldDoor(doorSettings: Record<string, string>, ips: [string, string]): Promise<{ clock: VirtualClock; kx: TestPhone; door: TestPhone }> {
  const clock = new VirtualClock();
  const kx = await bootPhone(devices, 'kx-ut670', ips[0], clock);
  const door = await bootPhone(devices, 'fanvil-a12', ips[1], clock, doorSettings);
  expect((await kx.phone.dial(door.address)).ok).toBe(true); // the A12 answers by itself (7.4)
  await until('connected', () => callIn(kx, 'connected') && callIn(door, 'connected'), 4000, () => clock.advance(20));
  await run(clock, 1000);
  expect(kx.phone.act(callIn(kx)!.id, 'hold').ok).toBe(true);
  await until('held', () => callIn(kx, 'held') && callIn(door)?.remoteHold, 4000, () => clock.advance(20));
  return { clock, kx, door };
}

describe('RTP keep alive while held (A12 9.16)', () => {
  it('on: the held A12 sends one keep-alive per 30 s without audio', async () => {
    const { clock, door, kx } = await heldDoor({}, ['127.0.0.251', '127.0.0.252']);
    expect(keepAlives(door)).toBe(0);
    await run(clock, 65_000);
    expect(keepAlives(door)).toBe(2);
    expect(keepAlives(kx)).toBe(0); // the KX-UT670 sends its hold audio (sendonly), not keep-alives
  });

  it('off: none', async () => {
    const { clock, door } = await heldDoor({ 'RTP Keep Alive': '0' }, ['127.0.0.253', '127.0.0.254']);
    await run(clock, 65_000);
    expect(keepAlives(door)).toBe(0);
  });
});
