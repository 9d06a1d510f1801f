// A12 9.12 "Enable Use Inactive Hold" (SIPn Inactive Hold → intercom.lines[n].inactiveHold →
// SdpPolicy.inactiveHold): the A12's hold re-INVITE offers a=inactive instead of a=sendonly
// (RFC 3264 §8.4), so neither side sends; the KX-UT670 peer answers inactive and shows remoteHold.
// Two real devices (IP direct, real UDP on 127.0.0.x, VirtualClock, recording media).
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import type { Device } from '../../firmware-sim/device.js';
import { sipService } from '../../firmware-sim/services/sip-service.js';
import { recordingFactory, type RecordingMedia } from '../helpers/recording-media.js';
import { bootPhone, callIn, until } from './in-call-devices.js';

const devices: Device[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.shutdown('test');
});

async function holdFromDoor(ip: [string, string], doorSettings: Record<string, string>): Promise<{ door: string | undefined; kx: string | undefined }> {
  const clock = new VirtualClock();
  const kxMedia: RecordingMedia[] = [];
  const doorMedia: RecordingMedia[] = [];
  const kx = await bootPhone(devices, 'kx-ut670', ip[0], clock, {}, [sipService({ media: () => recordingFactory(kxMedia) })]);
  const door = await bootPhone(devices, 'fanvil-a12', ip[1], clock, doorSettings, [sipService({ media: () => recordingFactory(doorMedia) })]);
  expect((await kx.phone.dial(door.address)).ok).toBe(true);
  const up = await until('door connected', () => callIn(door, 'connected'));
  expect(door.phone.act(up.id, 'hold').ok).toBe(true);
  await until('door holds', () => callIn(door, 'held'));
  await until('KX sees the hold', () => callIn(kx)?.remoteHold);
  return { door: doorMedia[0]!.applied.at(-1)?.direction, kx: kxMedia[0]!.applied.at(-1)?.direction };
}

describe('A12 Enable Use Inactive Hold', () => {
  it('on: the hold offer is inactive on both sides', async () => {
    expect(await holdFromDoor(['127.0.0.151', '127.0.0.152'], { 'SIP1 Inactive Hold': '1' })).toEqual({ door: 'inactive', kx: 'inactive' });
  });

  it('off (default): the hold offer is sendonly, the KX-UT670 answers recvonly', async () => {
    expect(await holdFromDoor(['127.0.0.153', '127.0.0.154'], {})).toEqual({ door: 'sendonly', kx: 'recvonly' });
  });
});
