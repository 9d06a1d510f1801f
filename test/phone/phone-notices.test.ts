// The Phone's notices as device events and what the handset does with them, on real devices in
// one process (KX-UT670s on 127.0.0.x, real UDP, VirtualClock, recording media): `hook` moves the
// handset (no polling), `keypad` stops the dial tone at the first digit and plays the DTMF
// side-tone in a call, `dial-failed` gives the failure tone off hook (dial-plan reject: reorder;
// FIRSTDIGIT_TIM expiry: the busy tone of KX-UT670 5.6.1), `features` follows the switches, and
// an incoming call rings on the loudspeaker.
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import type { DeviceEvent } from '../../src/core/device-events.js';
import type { Phone } from '../../src/phone/phone.js';
import { handsetOf, type HandsetApi } from '../../src/phone/handset/handset-api.js';
import type { Device } from '../../firmware-sim/device.js';
import { sipService } from '../../firmware-sim/services/sip-service.js';
import { handsetService } from '../../firmware-sim/services/handset-service.js';
import { bootDevice } from '../helpers/device.js';
import { until } from '../helpers/until.js';
import { recordingFactory, type RecordingMedia } from '../helpers/recording-media.js';

const devices: Device[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.shutdown('test');
});

interface Booted {
  device: Device;
  phone: Phone;
  handset: HandsetApi;
  events: DeviceEvent[];
  port: number;
}

async function boot(ip: string, clock: VirtualClock, settings: Record<string, string> = {}): Promise<Booted> {
  const media: RecordingMedia[] = [];
  const { device, events } = await bootDevice({ model: 'kx-ut670', ip, clock, settings, services: [sipService({ media: () => recordingFactory(media) }), handsetService] });
  devices.push(device);
  const phone = device.telephony() as Phone;
  return { device, phone, handset: handsetOf(device)!, events, port: phone.lineStatuses()[0]!.local.port };
}

const of = <K extends DeviceEvent['type']>(events: DeviceEvent[], type: K) => events.filter((e): e is Extract<DeviceEvent, { type: K }> => e.type === type);

describe('phone notices and the handset', () => {
  it('hook events move the handset; the dial tone stops at the first digit; a dial-plan reject gives reorder off hook', async () => {
    const clock = new VirtualClock();
    const kx = await boot('127.0.0.131', clock, { DIAL_PLAN_1: '1xxx|900x.!' });
    expect((await kx.phone.offHook()).ok).toBe(true);
    expect(of(kx.events, 'hook').map((e) => `${e.state} ${e.line}`)).toEqual(['off 1']);
    expect(kx.handset.status()).toMatchObject({ source: 'tone', tone: 'dial', hook: 'off', device: 'handset' });
    // A second offHook is no new event.
    await kx.phone.offHook();
    expect(of(kx.events, 'hook')).toHaveLength(1);

    expect(kx.phone.pressKey('9').ok).toBe(true);
    expect(of(kx.events, 'keypad').at(-1)).toMatchObject({ key: '9', line: 1, digits: '9' });
    expect(kx.handset.status()).toMatchObject({ source: 'silence', reason: 'dialling' });
    kx.phone.pressKey('0');
    kx.phone.pressKey('0');
    kx.phone.pressKey('1');
    // 900x.! refuses at the inter-digit timer: no call, dial-failed, the reorder tone (DISCONNECTION_MODE 1).
    clock.advance(5000);
    const failed = of(kx.events, 'dial-failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ to: '9001', line: 1, code: 'CALL_DIAL_PLAN_REJECT', offHook: true });
    expect(kx.phone.listCalls()).toEqual([]);
    expect(kx.handset.status()).toMatchObject({ source: 'tone', tone: 'reorder', reason: 'failed', device: 'handset' });

    kx.phone.onHook();
    expect(of(kx.events, 'hook').map((e) => e.state)).toEqual(['off', 'on']);
    expect(kx.handset.status()).toMatchObject({ source: 'silence', reason: 'idle', hook: 'on' });
    // On hook a failed dial is reported but plays nothing.
    expect((await kx.phone.dial('9001')).ok).toBe(false);
    expect(of(kx.events, 'dial-failed').at(-1)).toMatchObject({ code: 'CALL_DIAL_PLAN_REJECT', offHook: false });
    expect(kx.handset.status()).toMatchObject({ source: 'silence', reason: 'idle' });
    // Keys on hook with no call are refused.
    expect(kx.phone.pressKey('1')).toMatchObject({ ok: false, error: { code: 'CALL_ON_HOOK' } });
  });

  it('FIRSTDIGIT_TIM expiry: dial-failed with the busy tone (KX-UT670 5.6.1)', async () => {
    const clock = new VirtualClock();
    const kx = await boot('127.0.0.132', clock, { FIRSTDIGIT_TIM: '10' });
    await kx.phone.offHook();
    clock.advance(9_999);
    expect(of(kx.events, 'dial-failed')).toEqual([]);
    clock.advance(1);
    expect(of(kx.events, 'dial-failed')[0]).toMatchObject({ code: 'CALL_FIRST_DIGIT_TIMEOUT', tone: 'busy', offHook: true, line: 1 });
    expect(kx.handset.status()).toMatchObject({ source: 'tone', tone: 'busy', reason: 'busy' });
    // A hook flash starts afresh: the dial tone again.
    kx.phone.onHook();
    await kx.phone.offHook();
    expect(kx.handset.status()).toMatchObject({ source: 'tone', tone: 'dial' });
  });

  it('an incoming call rings on the loudspeaker; a key in the call sends DTMF and plays its side-tone for DTMF_SIGNAL_LEN', async () => {
    const clock = new VirtualClock();
    const a = await boot('127.0.0.133', clock, { DTMF_SIGNAL_LEN: '200' });
    const b = await boot('127.0.0.134', clock, {});
    expect((await a.phone.dial(`127.0.0.134:${b.port}`)).ok).toBe(true);
    const ringing = await until('b rings', () => b.phone.listCalls().find((c) => c.state === 'ringing'));
    expect(b.handset.status()).toMatchObject({ source: 'tone', tone: 'ring', call: ringing.id, reason: 'ringing', device: 'speaker' });
    expect(b.phone.act(ringing.id, 'answer').ok).toBe(true);
    const talk = await until('a connected', () => a.phone.listCalls().find((c) => c.state === 'connected'));
    expect(b.handset.status()).toMatchObject({ source: 'call', reason: 'talk' });

    const t0 = clock.now();
    expect(a.phone.pressKey('5').ok).toBe(true);
    expect(of(a.events, 'keypad').at(-1)).toMatchObject({ key: '5', call: talk.id, line: 1 });
    expect(a.handset.status()).toMatchObject({ source: 'call', call: talk.id, tone: 'sideTone', key: '5', toneSince: t0, until: t0 + 200 });
    clock.advance(200);
    expect(a.handset.status()).not.toHaveProperty('tone');
    expect(a.phone.pressKey('x')).toMatchObject({ ok: false, error: { code: 'CALL_BAD_DIGITS' } });
  });

  it('features events: a switch set by the user', async () => {
    const clock = new VirtualClock();
    const kx = await boot('127.0.0.135', clock);
    expect((await kx.phone.setFeature(1, 'dnd', true)).ok).toBe(true);
    expect((await kx.phone.setFeature(1, 'forward-always', true, { number: '200' })).ok).toBe(true);
    const f = of(kx.events, 'features');
    expect(f.map((e) => `${e.line} ${e.source} dnd=${e.features.dnd} fwd=${e.features.forwardAlways.enabled}`)).toEqual(['1 local dnd=true fwd=false', '1 local dnd=true fwd=true']);
    // A refused change is no event.
    expect((await kx.phone.setFeature(1, 'forward-busy', true, { number: '' })).ok).toBe(false);
    expect(of(kx.events, 'features')).toHaveLength(2);
  });
});
