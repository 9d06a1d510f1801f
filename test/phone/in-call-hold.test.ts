// Hold and resume between two real devices (IP direct, real UDP on 127.0.0.x, VirtualClock,
// recording media): the re-INVITE makes our media sendonly and the peer's recvonly, the peer sees
// remoteHold; a refused hold (the peer's SIP_HOLD_HOLDRECEIVE_n = N → 488) and crossing holds
// (491 glare, RFC 3261 §14.1 back-off) roll back or complete; HOLD_RECALL_TIM reminds.
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import type { Device } from '../../firmware-sim/device.js';
import { sipService } from '../../firmware-sim/services/sip-service.js';
import { recordingFactory, type RecordingMedia } from '../helpers/recording-media.js';
import { bootPhone, callIn, until, type TestPhone } from './in-call-devices.js';

const devices: Device[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.shutdown('test');
});

async function pair(clock: VirtualClock, kxSettings: Record<string, string> = {}): Promise<{ kx: TestPhone; door: TestPhone; kxMedia: RecordingMedia[]; doorMedia: RecordingMedia[] }> {
  const kxMedia: RecordingMedia[] = [];
  const doorMedia: RecordingMedia[] = [];
  const kx = await bootPhone(devices, 'kx-ut670', '127.0.0.61', clock, kxSettings, [sipService({ media: () => recordingFactory(kxMedia) })]);
  const door = await bootPhone(devices, 'fanvil-a12', '127.0.0.62', clock, {}, [sipService({ media: () => recordingFactory(doorMedia) })]);
  // The A12 answers by itself (7.4 auto answer).
  expect((await kx.phone.dial(door.address)).ok).toBe(true);
  await until('connected both ways', () => callIn(kx, 'connected') && callIn(door, 'connected'));
  return { kx, door, kxMedia, doorMedia };
}

describe('hold and resume', () => {
  it('hold makes our side sendonly and the peer recvonly with remoteHold; resume restores sendrecv; both sides get events', async () => {
    const clock = new VirtualClock();
    const { kx, door, kxMedia, doorMedia } = await pair(clock);
    const id = callIn(kx, 'connected')!.id;

    expect(kx.phone.act(id, 'hold').ok).toBe(true);
    const held = await until('held', () => callIn(kx, 'held'));
    expect(held.remoteHold).toBe(false);
    const heldThere = await until('peer sees remote hold', () => callIn(door)?.remoteHold && callIn(door));
    expect(heldThere.state).toBe('connected');
    expect(kxMedia[0]!.applied.at(-1)!.direction).toBe('sendonly');
    expect(doorMedia[0]!.applied.at(-1)!.direction).toBe('recvonly');
    // A second hold is refused with a clear error; the call stays held.
    const again = kx.phone.act(id, 'hold');
    expect(!again.ok && again.error.code).toBe('CALL_BAD_STATE');

    expect(kx.phone.act(id, 'resume').ok).toBe(true);
    await until('resumed', () => callIn(kx, 'connected'));
    await until('peer sees resume', () => callIn(door)?.remoteHold === false);
    expect(kxMedia[0]!.applied.at(-1)!.direction).toBe('sendrecv');
    expect(doorMedia[0]!.applied.at(-1)!.direction).toBe('sendrecv');
    expect(kx.features().map((e) => e.kind)).toEqual(['hold', 'resume']);
    expect(door.features().map((e) => e.kind)).toEqual(['remote-hold', 'remote-resume']);
  });

  it("a hold the peer refuses (its SIP_HOLD_HOLDRECEIVE_n = N: 488) changes nothing and can be tried again", async () => {
    const clock = new VirtualClock();
    const { kx, door, doorMedia } = await pair(clock, { SIP_HOLD_HOLDRECEIVE_1: 'N' });
    const id = callIn(door, 'connected')!.id;
    const appliedBefore = doorMedia[0]!.applied.length;
    expect(door.phone.act(id, 'hold').ok).toBe(true);
    const failed = await until('hold failed', () => door.features('hold-failed')[0]);
    expect(failed.status).toBe(488);
    expect(callIn(door)!.state).toBe('connected');
    expect(callIn(kx)!.remoteHold).toBe(false);
    expect(doorMedia[0]!.applied.length).toBe(appliedBefore);
    // Rolled back: holding is possible again (and refused again).
    expect(door.phone.act(id, 'hold').ok).toBe(true);
    await until('second refusal', () => door.features('hold-failed').length === 2);
  });

  it('crossing holds (491 glare) both complete after the §14.1 back-off', async () => {
    const clock = new VirtualClock();
    const { kx, door } = await pair(clock);
    expect(kx.phone.act(callIn(kx)!.id, 'hold').ok).toBe(true);
    expect(door.phone.act(callIn(door)!.id, 'hold').ok).toBe(true);
    // Back-off up to 4 s of virtual time; the clock moves while the sockets deliver.
    await until('both held', () => callIn(kx, 'held') && callIn(door, 'held'), 6000, () => clock.advance(50));
    expect(callIn(kx)!.remoteHold && callIn(door)!.remoteHold).toBe(true);
  });

  it('HOLD_RECALL_TIM reminds every period while held, and stops after resume', async () => {
    const clock = new VirtualClock();
    const { kx, door } = await pair(clock, { HOLD_RECALL_TIM: '30' });
    const id = callIn(kx)!.id;
    kx.phone.act(id, 'hold');
    await until('held', () => callIn(kx, 'held'));
    // The ACK of the hold re-INVITE's 200 must land before virtual time jumps past 64*T1 (§13.3.1.4).
    await until('peer held', () => callIn(door)?.remoteHold);
    await new Promise((r) => setTimeout(r, 20));
    clock.advance(29_000);
    expect(kx.features('hold-recall')).toHaveLength(0);
    clock.advance(1_000);
    expect(kx.features('hold-recall')).toHaveLength(1);
    clock.advance(30_000);
    expect(kx.features('hold-recall')).toHaveLength(2);
    kx.phone.act(id, 'resume');
    await until('resumed', () => callIn(kx, 'connected'));
    await until('peer resumed', () => callIn(door)?.remoteHold === false);
    await new Promise((r) => setTimeout(r, 20));
    clock.advance(90_000);
    expect(callIn(door)!.state).toBe('connected');
    expect(kx.features('hold-recall')).toHaveLength(2);
  });
});
