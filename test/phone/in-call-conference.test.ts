// The local three-party conference with real RTP (SystemClock, UDP on 127.0.0.x): a KX-UT670
// calls two A12s, holds the first while it calls the second (AUTO_CALL_HOLD = Y), then joins
// them. Every device marks the audio it sends with its identity mark (src/codecs/identity-mark.ts);
// before the conference each A12 hears only the KX-UT670, in it each hears the KX-UT670 *and* the
// other A12 — whose audio can only reach it through the KX-UT670's mix. The same story with the
// recording double checks the signalling (both calls resumed, snapshots, events, clean-up).
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/system-clock.js';
import { VirtualClock } from '../../src/core/clock.js';
import { IdentityDetector, identityMarkFromMac, type IdentityMark } from '../../src/codecs/identity-mark.js';
import type { Device } from '../../firmware-sim/device.js';
import { sipService } from '../../firmware-sim/services/sip-service.js';
import { recordingFactory } from '../helpers/recording-media.js';
import { bootPhone, callIn, until, type TestPhone } from './in-call-devices.js';

const clocks: SystemClock[] = [];
const devices: Device[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.shutdown('test');
  for (const c of clocks.splice(0)) c.stop();
});

async function connect(from: TestPhone, to: TestPhone, ms = 4000): Promise<string> {
  const placed = await from.phone.dial(to.address);
  if (!placed.ok) throw new Error(placed.error.message);
  await until(`${placed.value.id} connected`, () => from.calls().find((c) => c.id === placed.value.id && c.state === 'connected'), ms);
  return placed.value.id;
}

const markOf = (p: TestPhone): IdentityMark => {
  const m = identityMarkFromMac(p.device.mac);
  if (!m.ok) throw new Error(m.error.message);
  return m.value;
};

/** Whose marks are present in what `p`'s only active call receives over the next `ms`. */
async function heard(p: TestPhone, candidates: IdentityMark[], ms: number): Promise<string[]> {
  const call = p.phone.call(callIn(p, 'connected')!.id)!;
  const detector = new IdentityDetector(8000, candidates);
  const remove = call.media.addSink(detector);
  await new Promise((r) => setTimeout(r, ms));
  remove();
  return detector.detect().scores.filter((s) => s.present).map((s) => s.id).sort();
}

describe('local three-party conference', () => {
  it('signalling: both calls resumed and marked as in conference; the end of one leg dissolves it', async () => {
    const clock = new VirtualClock();
    const rec = () => [sipService({ media: () => recordingFactory([]) })];
    const kx = await bootPhone(devices, 'kx-ut670', '127.0.0.101', clock, { AUTO_CALL_HOLD: 'Y' }, rec());
    const b = await bootPhone(devices, 'fanvil-a12', '127.0.0.102', clock, {}, rec());
    const c = await bootPhone(devices, 'fanvil-a12', '127.0.0.103', clock, {}, rec());
    const toB = await connect(kx, b);
    const toC = await connect(kx, c);
    await until('B held', () => kx.calls().find((x) => x.id === toB && x.state === 'held'));
    // Errors first: no partner, a partner that does not exist.
    expect(kx.phone.act(toB, 'conference').ok).toBe(false);
    expect(kx.phone.act(toB, 'conference', { call: 'c99' }).ok).toBe(false);
    expect(kx.phone.act(toB, 'conference', { call: toC }).ok).toBe(true);
    await until('B resumed', () => kx.calls().find((x) => x.id === toB && x.state === 'connected'));
    expect(kx.calls().find((x) => x.id === toB)!.conference).toBe(toC);
    expect(kx.calls().find((x) => x.id === toC)!.conference).toBe(toB);
    await until('B no longer held', () => callIn(b)!.remoteHold === false);
    expect(kx.features('conference').map((e) => e.call).sort()).toEqual([toB, toC].sort());
    c.phone.act(callIn(c)!.id, 'hangup');
    await until('C leg ended', () => kx.calls().find((x) => x.id === toC && x.state === 'ended'));
    const left = kx.calls().find((x) => x.id === toB)!;
    expect(left.state).toBe('connected');
    expect(left.conference).toBeUndefined();
    expect(kx.features('conference-ended')[0]).toMatchObject({ call: toB, other: toC });
  });

  it('real media: each remote party hears the host and the other party (identity marks)', async () => {
    const clock = new SystemClock();
    clocks.push(clock);
    const kx = await bootPhone(devices, 'kx-ut670', '127.0.0.104', clock, { AUTO_CALL_HOLD: 'Y' });
    const b = await bootPhone(devices, 'fanvil-a12', '127.0.0.105', clock);
    const c = await bootPhone(devices, 'fanvil-a12', '127.0.0.106', clock);
    const marks = [markOf(kx), markOf(b), markOf(c)];
    const [kxMark, bMark, cMark] = marks.map((m) => m.id);
    const toB = await connect(kx, b, 8000);
    const toC = await connect(kx, c, 8000);
    // Before: C hears only the host (B is held, and never talks to C).
    expect(await heard(c, marks, 2200)).toEqual([kxMark].sort());
    expect(kx.phone.act(toC, 'conference', { call: toB }).ok).toBe(true);
    await until('B resumed', () => kx.calls().find((x) => x.id === toB && x.state === 'connected'), 4000);
    const [atB, atC] = await Promise.all([heard(b, marks, 2600), heard(c, marks, 2600)]);
    expect(atB).toEqual([kxMark, cMark].sort());
    expect(atC).toEqual([kxMark, bMark].sort());
  }, 30000);
});
