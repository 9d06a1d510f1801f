// On-hook transfer (KX-UT670 5.6.1 ONHOOK_TRANSFER_ENABLE, default Y) and transfer to a call that
// still rings: three real devices in one process (IP direct, real UDP on 127.0.0.x, VirtualClock,
// recording media). The KX-UT670 talks to A, holds it (AUTO_CALL_HOLD = Y) while it calls B, and
// goes on hook: A is transferred to B (REFER with Replaces when B answered; a blind REFER to B and
// a CANCEL of our ringing call when B still rings).
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import type { Device } from '../../firmware-sim/device.js';
import { sipService } from '../../firmware-sim/services/sip-service.js';
import { recordingFactory } from '../helpers/recording-media.js';
import { bootPhone, callIn, until, type TestPhone } from './in-call-devices.js';

const devices: Device[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.shutdown('test');
});

const rec = () => [sipService({ media: () => recordingFactory([]) })];
const NO_AUTO_ANSWER = { 'SIP1 Auto Answer': '0', 'SIP P2P Enable Auto Answer': '0' };
const kxAt = (clock: VirtualClock, ip: string, settings: Record<string, string> = {}) => bootPhone(devices, 'kx-ut670', ip, clock, { AUTO_CALL_HOLD: 'Y', ...settings }, rec());
const doorAt = (clock: VirtualClock, ip: string, settings: Record<string, string> = {}) => bootPhone(devices, 'fanvil-a12', ip, clock, settings, rec());

/** KX talks to A, then calls B (A held); resolves once B `state` (connected or ringback). */
async function consult(kx: TestPhone, a: TestPhone, b: TestPhone, state: 'connected' | 'ringback'): Promise<{ toA: string; toB: string }> {
  const placedA = await kx.phone.dial(a.address);
  if (!placedA.ok) throw new Error(placedA.error.message);
  const toA = placedA.value.id;
  await until('A connected', () => kx.calls().find((c) => c.id === toA && c.state === 'connected'));
  const placedB = await kx.phone.dial(b.address);
  if (!placedB.ok) throw new Error(placedB.error.message);
  const toB = placedB.value.id;
  await until('A held', () => kx.calls().find((c) => c.id === toA && c.state === 'held'));
  await until(`B ${state}`, () => kx.calls().find((c) => c.id === toB && c.state === state));
  return { toA, toB };
}

const withParty = (p: TestPhone, other: TestPhone, state: string) => p.calls().find((c) => c.state === state && c.remote.uri.includes(other.device.ip));

describe('on-hook transfer (ONHOOK_TRANSFER_ENABLE)', () => {
  it('B answered: going on hook transfers the held A to B with Replaces; both our calls end', async () => {
    const clock = new VirtualClock();
    const kx = await kxAt(clock, '127.0.0.131');
    const a = await doorAt(clock, '127.0.0.132');
    const b = await doorAt(clock, '127.0.0.133');
    expect(kx.device.settings.call.onhookTransfer).toBe(true); // the manual's default Y
    const { toA, toB } = await consult(kx, a, b, 'connected');
    const hook = kx.phone.onHook();
    expect(hook).toEqual({ hook: 'on', ended: [], transferred: [toA, toB] });
    const done = await until('A transferred', () => kx.calls().find((c) => c.id === toA && c.state === 'ended'));
    expect(done.transfer).toMatchObject({ kind: 'attended', state: 'done', status: 200 });
    // B swapped our consultation call for A's INVITE with Replaces.
    const atB = await until('B talks to A', () => withParty(b, a, 'connected'));
    expect(atB.replaces).toBeDefined();
    const atA = await until('A talks to B', () => withParty(a, b, 'connected'));
    expect(atA.referredBy).toContain(kx.device.ip);
    const consultation = await until('our call with B ended', () => kx.calls().find((c) => c.id === toB && c.state === 'ended'));
    expect(consultation.endReason).toBe('remote-bye');
  });

  it('B still rings: A gets a blind REFER to B, our ringing call is cancelled, B rings for A', async () => {
    const clock = new VirtualClock();
    const kx = await kxAt(clock, '127.0.0.134');
    const a = await doorAt(clock, '127.0.0.135');
    const b = await doorAt(clock, '127.0.0.136', NO_AUTO_ANSWER);
    const { toA, toB } = await consult(kx, a, b, 'ringback');
    expect(kx.phone.onHook().transferred).toEqual([toA, toB]);
    const cancelled = await until('consultation cancelled', () => kx.calls().find((c) => c.id === toB && c.state === 'ended'));
    expect(cancelled.answeredAt).toBeUndefined();
    const ringing = await until('B rings for A', () => withParty(b, a, 'ringing'));
    expect(b.phone.act(ringing.id, 'answer').ok).toBe(true);
    await until('A talks to B', () => withParty(a, b, 'connected'));
    const done = await until('A transferred', () => kx.calls().find((c) => c.id === toA && c.state === 'ended'));
    expect(done.transfer).toMatchObject({ kind: 'blind', state: 'done', status: 200, target: `sip:${b.address}` });
  });

  it('ONHOOK_TRANSFER_ENABLE = N: going on hook ends both calls', async () => {
    const clock = new VirtualClock();
    const kx = await kxAt(clock, '127.0.0.137', { ONHOOK_TRANSFER_ENABLE: 'N' });
    const a = await doorAt(clock, '127.0.0.138');
    const b = await doorAt(clock, '127.0.0.139');
    const { toA, toB } = await consult(kx, a, b, 'connected');
    const hook = kx.phone.onHook();
    expect(hook.transferred).toBeUndefined();
    expect(hook.ended.sort()).toEqual([toA, toB].sort());
    await until('A ended', () => callIn(a, 'ended'));
    await until('B ended', () => callIn(b, 'ended'));
    expect(a.calls().filter((c) => c.state !== 'ended')).toEqual([]);
  });

  it('an A12 (no on-hook transfer in its manual) going on hook ends both calls', async () => {
    const clock = new VirtualClock();
    const host = await doorAt(clock, '127.0.0.145');
    const a = await doorAt(clock, '127.0.0.146');
    const b = await doorAt(clock, '127.0.0.147');
    expect(host.device.settings.call.onhookTransfer).toBe(true); // the canonical default, not the A12's
    const { toA, toB } = await consult(host, a, b, 'connected');
    const hook = host.phone.onHook();
    expect(hook.transferred).toBeUndefined();
    expect(hook.ended.sort()).toEqual([toA, toB].sort());
  });

  it('one call only: going on hook just ends it', async () => {
    const clock = new VirtualClock();
    const kx = await kxAt(clock, '127.0.0.140');
    const a = await doorAt(clock, '127.0.0.141');
    const placed = await kx.phone.dial(a.address);
    expect(placed.ok).toBe(true);
    await until('A connected', () => callIn(kx, 'connected'));
    expect(kx.phone.onHook()).toEqual({ hook: 'on', ended: [placed.ok ? placed.value.id : ''] });
  });
});

describe('transfer and calls that still ring', () => {
  it('transfer to a ringing consultation call from the API is semi-attended; a ringing call itself cannot be transferred', async () => {
    const clock = new VirtualClock();
    const kx = await kxAt(clock, '127.0.0.142');
    const a = await doorAt(clock, '127.0.0.143');
    const b = await doorAt(clock, '127.0.0.144', NO_AUTO_ANSWER);
    const { toA, toB } = await consult(kx, a, b, 'ringback');
    const refused = kx.phone.act(toB, 'transfer', { to: a.address });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('CALL_BAD_STATE');
      expect(refused.error.message).toContain(`while it is ringback`);
    }
    expect(kx.phone.act(toA, 'transfer', { call: toB }).ok).toBe(true);
    await until('consultation cancelled', () => kx.calls().find((c) => c.id === toB && c.state === 'ended'));
    const ringing = await until('B rings for A', () => withParty(b, a, 'ringing'));
    b.phone.act(ringing.id, 'answer');
    await until('A transferred', () => kx.calls().find((c) => c.id === toA && c.state === 'ended' && c.transfer?.state === 'done'));
  });
});
