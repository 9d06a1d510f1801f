// Three real devices in one process (IP direct, real UDP on 127.0.0.x, VirtualClock, recording
// media): call waiting with AUTO_CALL_HOLD, blind and attended transfer (REFER, sipfrag NOTIFYs,
// INVITE with Replaces), flash/recall and DTMF in SIP INFO.
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

const recording = (media: RecordingMedia[] = []) => [sipService({ media: () => recordingFactory(media) })];
const kxAt = (clock: VirtualClock, ip: string, settings: Record<string, string> = {}, media?: RecordingMedia[]) => bootPhone(devices, 'kx-ut670', ip, clock, settings, recording(media));
const doorAt = (clock: VirtualClock, ip: string, settings: Record<string, string> = {}) => bootPhone(devices, 'fanvil-a12', ip, clock, settings, recording());

async function connect(from: TestPhone, to: TestPhone): Promise<string> {
  const placed = await from.phone.dial(to.address);
  if (!placed.ok) throw new Error(placed.error.message);
  await until(`${placed.value.id} connected`, () => from.calls().find((c) => c.id === placed.value.id && c.state === 'connected'));
  return placed.value.id;
}

describe('call waiting and AUTO_CALL_HOLD', () => {
  it('a second call rings as waiting (182 on an A12 that says so); answering it holds the first (AUTO_CALL_HOLD = Y)', async () => {
    const clock = new VirtualClock();
    const door = await doorAt(clock, '127.0.0.71', { 'SIP1 Respond 182': '1', 'SIP1 Auto Answer': '0', 'SIP P2P Enable Auto Answer': '0' });
    const kx1 = await kxAt(clock, '127.0.0.72');
    const kx2 = await kxAt(clock, '127.0.0.73');
    expect((await kx1.phone.dial(door.address)).ok).toBe(true);
    const first = await until('door rings', () => callIn(door, 'ringing'));
    expect(first.waiting).toBe(false);
    expect(door.phone.act(first.id, 'answer').ok).toBe(true);
    await until('first connected', () => callIn(kx1, 'connected'));
    expect((await kx2.phone.dial(door.address)).ok).toBe(true);
    const second = await until('second rings', () => callIn(door, 'ringing'));
    expect(second.waiting).toBe(true);
    expect(door.features('waiting')[0]).toMatchObject({ call: second.id, status: 182 });
    await until('caller hears ringback', () => callIn(kx2, 'ringback'));
    expect(door.phone.act(second.id, 'answer').ok).toBe(true);
    await until('second connected', () => callIn(kx2, 'connected'));
    await until('first held', () => door.calls().find((c) => c.id === first.id && c.state === 'held'));
    expect(callIn(kx1)!.remoteHold).toBe(true);
  });

  it('with AUTO_CALL_HOLD = N (the KX-UT670 default) answering the waiting call ends the first', async () => {
    const clock = new VirtualClock();
    const kx = await kxAt(clock, '127.0.0.74');
    const door1 = await doorAt(clock, '127.0.0.75');
    const door2 = await doorAt(clock, '127.0.0.76');
    expect(kx.device.settings.call.autoCallHold).toBe(false);
    expect((await door1.phone.dial(kx.address)).ok).toBe(true);
    const first = await until('kx rings', () => callIn(kx, 'ringing'));
    kx.phone.act(first.id, 'answer');
    await until('first up', () => callIn(door1, 'connected'));
    expect((await door2.phone.dial(kx.address)).ok).toBe(true);
    const second = await until('second rings', () => callIn(kx, 'ringing'));
    await until('second hears ringback', () => callIn(door2, 'ringback'));
    expect(kx.phone.act(second.id, 'answer').ok).toBe(true);
    const ended = await until('first ended', () => callIn(door1, 'ended'));
    expect(ended.endReason).toBe('remote-bye');
    await until('second up', () => callIn(door2, 'connected'));
  });
});

describe('transfer', () => {
  it('blind: REFER to the transferee, which calls the target; NOTIFY 200 ends our call', async () => {
    const clock = new VirtualClock();
    const kx = await kxAt(clock, '127.0.0.81');
    const transferee = await doorAt(clock, '127.0.0.82');
    const target = await doorAt(clock, '127.0.0.83');
    const id = await connect(kx, transferee);
    expect(kx.phone.act(id, 'transfer', { to: target.address }).ok).toBe(true);
    const gone = await until('our call ended', () => callIn(kx, 'ended'));
    expect(gone.transfer).toMatchObject({ kind: 'blind', state: 'done', status: 200, target: `sip:${target.address}` });
    expect(gone.endReason).toBe('local-bye');
    const progress = kx.features('transfer-progress').map((e) => e.status);
    expect(progress[0]).toBe(202);
    expect(progress).toContain(100);
    expect(kx.features('transferred')).toHaveLength(1);
    // The transferee now talks to the target, and says who referred it.
    const referred = await until('transferee connected to target', () => transferee.calls().find((c) => c.state === 'connected' && c.remote.uri.includes('127.0.0.83')));
    expect(referred.referredBy).toContain('127.0.0.81');
    expect(transferee.features('referred')[0]).toMatchObject({ other: referred.id });
    await until('target connected', () => callIn(target, 'connected'));
    await until('transferee old call ended', () => transferee.calls().find((c) => c.id !== referred.id && c.state === 'ended'));
  });

  it('blind to nowhere: the target refuses, the transfer fails and our call stays', async () => {
    const clock = new VirtualClock();
    const kx = await kxAt(clock, '127.0.0.84');
    const transferee = await doorAt(clock, '127.0.0.85');
    const refusing = await kxAt(clock, '127.0.0.86', { CW_ENABLE_1: 'N', SIP_RESPONSE_CODE_CALL_REJECT: '486' });
    const id = await connect(kx, transferee);
    expect(kx.phone.act(id, 'transfer', { to: refusing.address }).ok).toBe(true);
    const ringing = await until('target rings', () => callIn(refusing, 'ringing'));
    refusing.phone.act(ringing.id, 'reject');
    const failed = await until('transfer failed', () => kx.features('transfer-failed')[0]);
    expect(failed.status).toBe(486);
    expect(callIn(kx)!).toMatchObject({ state: 'connected', transfer: { state: 'failed', status: 486 } });
  });

  it('attended: hold A, consult C, transfer A to C with Replaces; A and C talk, we are out', async () => {
    const clock = new VirtualClock();
    const kx = await kxAt(clock, '127.0.0.87', { AUTO_CALL_HOLD: 'Y' });
    const a = await doorAt(clock, '127.0.0.88');
    const c = await doorAt(clock, '127.0.0.89');
    const toA = await connect(kx, a);
    // Dialling the consultation call holds A (AUTO_CALL_HOLD = Y).
    const toC = await connect(kx, c);
    await until('A held', () => kx.calls().find((x) => x.id === toA && x.state === 'held'));
    expect(kx.phone.act(toA, 'transfer', { call: toC }).ok).toBe(true);
    await until('both our calls ended', () => kx.calls().every((x) => x.state === 'ended') || undefined);
    const aNow = await until('A talks to C', () => a.calls().find((x) => x.state === 'connected' && x.remote.uri.includes('127.0.0.89')));
    const cNow = await until('C talks to A', () => c.calls().find((x) => x.state === 'connected'));
    expect(cNow.replaces).toBeDefined();
    expect(c.features('replaced')[0]).toMatchObject({ call: cNow.id, other: cNow.replaces });
    expect(aNow.referredBy).toContain('127.0.0.87');
    expect(kx.calls().find((x) => x.id === toA)!.transfer).toMatchObject({ kind: 'attended', state: 'done', status: 200 });
  });
});

describe('flash and DTMF in SIP INFO', () => {
  it('FLASH_RECALL_TERMINATE = N sends the hook flash in INFO (FLASHHOOK_CONTENT_TYPE flashhook); Y ends the call', async () => {
    const clock = new VirtualClock();
    const kx = await kxAt(clock, '127.0.0.91', { FLASH_RECALL_TERMINATE: 'N', FLASHHOOK_CONTENT_TYPE: 'flashhook' });
    const door = await doorAt(clock, '127.0.0.92');
    const id = await connect(kx, door);
    expect(kx.phone.act(id, 'flash').ok).toBe(true);
    await until('door got the flash', () => door.features('dtmf-received')[0]);
    expect(door.features('dtmf-received')[0]!.detail).toBe('flash');
    expect((await until('flash answered', () => kx.features('flash')[0])).status).toBe(200);
    expect(kx.features('flash')[0]!.detail).toBe('application/hook-flash');
    kx.device.store.set('FLASH_RECALL_TERMINATE', 'Y', 'ui', 'api');
    expect(kx.phone.act(id, 'flash').ok).toBe(true);
    await until('call ended', () => callIn(door, 'ended'));
  });

  it('DTMF_RELAY_n = Y sends each digit in its own INFO (dtmf-relay), in order; the RTP path sends nothing', async () => {
    const clock = new VirtualClock();
    const kxMedia: RecordingMedia[] = [];
    const kx = await kxAt(clock, '127.0.0.93', { DTMF_RELAY_1: 'Y' }, kxMedia);
    const door = await doorAt(clock, '127.0.0.94');
    const id = await connect(kx, door);
    expect(kx.phone.act(id, 'dtmf', { digits: '12*#' }).ok).toBe(true);
    await until('four digits', () => door.features('dtmf-received').length === 4);
    expect(door.features('dtmf-received').map((e) => e.detail)).toEqual(['1', '2', '*', '#']);
    expect(kxMedia[0]!.dtmf).toEqual([]);
  });
});
