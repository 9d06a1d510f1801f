// The handset state machine in virtual time: every transition of what the user hears (dial,
// stutter, calling, ringback, early media, talk, conference, call waiting, remote hold, our hold,
// busy, reorder, disconnect tone and its length on the handset and hands-free), with the rules
// read from the KX-UT670 and A12 settings.
import { describe, expect, it } from 'vitest';
import { kxUt670Catalogue } from '../../firmware-sim/models/kx-ut670/catalogue.js';
import { buildDeviceSettings } from '../../src/settings/build-canonical.js';
import type { CallSnapshot, CallState } from '../../src/phone/call.js';
import { HandsetState, type HandsetConfig } from '../../src/phone/handset/handset-state.js';
import { handsetConfig, handsetToneSpec } from '../../src/phone/handset/handset-tones.js';
import { formatToneCadence } from '../../src/codecs/tone-cadence.js';
import { tonePattern } from '../../src/codecs/tone-generator.js';
import type { DeviceSettings } from '../../src/settings/canonical.js';
import { unwrap } from '../../src/core/result.js';

const kx = (): DeviceSettings => buildDeviceSettings(kxUt670Catalogue, { lineCount: 6, buttonCount: 24 }, (n) => kxUt670Catalogue.defaultOf(n)!);
const KX = handsetConfig(kx(), 'kx-ut670');

function snap(id: string, state: CallState, extra: Partial<CallSnapshot> = {}): CallSnapshot {
  return {
    id,
    line: 1,
    direction: 'outgoing',
    state,
    remote: { uri: 'sip:200@127.0.0.1', displayName: '' },
    local: 'sip:100@127.0.0.1',
    callId: `${id}@x`,
    remoteHold: false,
    muted: false,
    codec: undefined,
    startedAt: 0,
    answeredAt: undefined,
    endedAt: undefined,
    endReason: undefined,
    endStatus: undefined,
    rtp: undefined,
    ...extra,
  };
}

/** A machine and a virtual clock: `at(ms, input)` feeds an input at that time. */
function machine(config: HandsetConfig = KX) {
  const m = new HandsetState(config, 0);
  return {
    m,
    hook: (t: number, state: 'on' | 'off') => m.handle({ type: 'hook', state }, t),
    call: (t: number, s: CallSnapshot) => m.handle({ type: 'call', call: s }, t),
    at: (t: number) => m.heard(t),
  };
}

describe('handset state machine', () => {
  it('on hook and idle: silence on no device; off hook: dial tone from the hook instant; stutter while messages wait', () => {
    const h = machine();
    expect(h.at(0)).toEqual({ source: 'silence', reason: 'idle', device: 'none' });
    h.hook(1000, 'off');
    expect(h.at(1500)).toEqual({ source: 'tone', tone: 'dial', reason: 'dial', device: 'handset', toneSince: 1000 });
    h.m.handle({ type: 'mwi', line: 2, waiting: true }, 1600);
    expect(h.at(1700)).toMatchObject({ source: 'tone', tone: 'stutter', reason: 'message-waiting' });
    h.m.handle({ type: 'mwi', line: 2, waiting: false }, 1800);
    expect(h.at(1900)).toMatchObject({ tone: 'dial' });
    h.hook(2000, 'on');
    expect(h.at(2000)).toEqual({ source: 'silence', reason: 'idle', device: 'none' });
  });

  it('an outgoing call: silence while calling, ringback from the 18x, early media instead when the 18x had an answer, then the far end', () => {
    const h = machine();
    h.call(100, snap('c1', 'calling'));
    expect(h.at(200)).toEqual({ source: 'silence', call: 'c1', reason: 'calling', device: 'handsfree' });
    h.call(300, snap('c1', 'ringback'));
    expect(h.at(400)).toEqual({ source: 'tone', tone: 'ringback', call: 'c1', reason: 'ringback', device: 'handsfree', toneSince: 300 });
    expect(h.m.ringbackCalls()).toEqual(['c1']);
    h.m.handle({ type: 'early-media', call: 'c1', flowing: true }, 500);
    expect(h.at(600)).toEqual({ source: 'call', call: 'c1', calls: ['c1'], reason: 'early-media', device: 'handsfree' });
    h.call(700, snap('c1', 'connected', { answeredAt: 700 }));
    expect(h.at(800)).toEqual({ source: 'call', call: 'c1', calls: ['c1'], reason: 'talk', device: 'handsfree' });
  });

  it('the far end hangs up: the DISCONNECTION_MODE tone for TONE_LEN_DISCONNECT_HANDSET off hook, then silence until on hook', () => {
    const h = machine();
    h.hook(0, 'off');
    h.call(100, snap('c1', 'calling'));
    h.call(200, snap('c1', 'connected', { answeredAt: 200 }));
    expect(h.at(300).device).toBe('handset');
    h.call(5000, snap('c1', 'ended', { answeredAt: 200, endReason: 'remote-bye' }));
    expect(KX.disconnectHandsetMs).toBe(10000); // TONE_LEN_DISCONNECT_HANDSET default 10 s
    const tone = { source: 'tone', tone: 'reorder', call: 'c1', reason: 'disconnect', device: 'handset', toneSince: 5000, until: 15000 };
    expect(h.at(5000)).toEqual(tone);
    expect(h.at(14999)).toEqual(tone);
    expect(h.m.nextChange(6000)).toBe(15000);
    expect(h.at(15000)).toEqual({ source: 'silence', reason: 'after-disconnect', device: 'handset' });
    expect(h.m.nextChange(15000)).toBeUndefined();
    h.hook(16000, 'on');
    expect(h.at(16000)).toEqual({ source: 'silence', reason: 'idle', device: 'none' });
    h.hook(17000, 'off');
    expect(h.at(17000)).toMatchObject({ tone: 'dial', toneSince: 17000 });
  });

  it('hands-free: TONE_LEN_DISCONNECT_HANDSFREE, then idle; going on hook stops the tone at once', () => {
    const s = kx();
    s.call.disconnectToneHandsfreeS = 2;
    s.call.disconnectionMode = 2;
    const h = machine(handsetConfig(s, 'kx-ut670'));
    h.call(0, snap('c1', 'connected', { answeredAt: 0, direction: 'incoming' }));
    h.call(1000, snap('c1', 'ended', { answeredAt: 0, direction: 'incoming', endReason: 'remote-bye' }));
    expect(h.at(1000)).toMatchObject({ source: 'tone', tone: 'busy', reason: 'disconnect', device: 'handsfree', until: 3000 }); // mode 2: BT
    expect(h.at(3000)).toEqual({ source: 'silence', reason: 'idle', device: 'none' });
    const k = machine();
    k.hook(0, 'off');
    k.call(0, snap('c1', 'connected', { answeredAt: 0 }));
    k.call(100, snap('c1', 'ended', { answeredAt: 0, endReason: 'session-expired' }));
    expect(k.at(200)).toMatchObject({ tone: 'reorder', reason: 'disconnect' });
    k.hook(300, 'on');
    expect(k.at(300)).toEqual({ source: 'silence', reason: 'idle', device: 'none' });
  });

  it('failed calls: 486 and 600 give busy, other failures the DISCONNECTION_MODE tone; our own hang-up, cancel and a followed redirect give none', () => {
    const end = (extra: Partial<CallSnapshot>) => {
      const h = machine();
      h.call(0, snap('c1', 'ringback'));
      h.call(1000, snap('c1', 'ended', extra));
      return h.at(1000);
    };
    expect(end({ endReason: 'rejected', endStatus: 486 })).toMatchObject({ source: 'tone', tone: 'busy', reason: 'busy', until: 4000 });
    expect(end({ endReason: 'rejected', endStatus: 600 })).toMatchObject({ tone: 'busy', reason: 'busy' });
    expect(end({ endReason: 'rejected', endStatus: 404 })).toMatchObject({ tone: 'reorder', reason: 'failed' });
    expect(end({ endReason: 'declined', endStatus: 603 })).toMatchObject({ tone: 'reorder', reason: 'failed' });
    expect(end({ endReason: 'timeout', endStatus: 408 })).toMatchObject({ tone: 'reorder', reason: 'failed' });
    expect(end({ endReason: 'transport-error' })).toMatchObject({ tone: 'reorder', reason: 'failed' });
    expect(end({ endReason: 'cancelled', endStatus: 487 })).toEqual({ source: 'silence', reason: 'idle', device: 'none' });
    expect(end({ endReason: 'rejected', endStatus: 302 })).toEqual({ source: 'silence', reason: 'idle', device: 'none' });
    // Off hook, a call we end ourselves gives a fresh dial tone.
    const h = machine();
    h.hook(0, 'off');
    h.call(10, snap('c1', 'connected', { answeredAt: 10 }));
    h.call(500, snap('c1', 'ended', { answeredAt: 10, endReason: 'local-bye' }));
    expect(h.at(600)).toEqual({ source: 'tone', tone: 'dial', reason: 'dial', device: 'handset', toneSince: 500 });
    // An incoming call that stops ringing (the caller gave up) leaves nothing either.
    const r = machine();
    r.call(0, snap('c1', 'ringing', { direction: 'incoming' }));
    expect(r.at(10)).toEqual({ source: 'tone', tone: 'ring', call: 'c1', reason: 'ringing', device: 'speaker', toneSince: 0 }); // the ringer
    r.call(100, snap('c1', 'ended', { direction: 'incoming', endReason: 'cancelled' }));
    expect(r.at(100)).toEqual({ source: 'silence', reason: 'idle', device: 'none' });
  });

  it('call waiting: the tone over the conversation while a second call rings; answering it moves to that call, the first held', () => {
    const h = machine();
    h.call(0, snap('c1', 'connected', { answeredAt: 0 }));
    h.call(1000, snap('c2', 'ringing', { direction: 'incoming', waiting: true }));
    expect(h.at(1100)).toEqual({ source: 'call', call: 'c1', calls: ['c1'], tone: 'callWaiting', reason: 'call-waiting', device: 'handsfree', toneSince: 1000 });
    h.call(2000, snap('c1', 'held', { answeredAt: 0 }));
    h.call(2100, snap('c2', 'connected', { direction: 'incoming', waiting: true, answeredAt: 2100 }));
    expect(h.at(2200)).toEqual({ source: 'call', call: 'c2', calls: ['c2'], reason: 'talk', device: 'handsfree' });
    // The far end of c2 hangs up: the disconnect tone, then the hold alarm of c1.
    h.call(3000, snap('c2', 'ended', { direction: 'incoming', answeredAt: 2100, endReason: 'remote-bye' }));
    expect(h.at(3100)).toMatchObject({ source: 'tone', tone: 'reorder', call: 'c2', until: 6000 });
    expect(h.at(6000)).toEqual({ source: 'tone', tone: 'holdAlarm', call: 'c1', reason: 'held', device: 'handsfree', toneSince: 2000 });
    // A12 with "Enable Call Waiting Tone" off: the conversation only.
    const a12 = machine({ ...KX, callWaitingTone: false });
    a12.call(0, snap('c1', 'connected', { answeredAt: 0 }));
    a12.call(10, snap('c2', 'ringing', { direction: 'incoming', waiting: true }));
    expect(a12.at(20)).toMatchObject({ source: 'call', call: 'c1', reason: 'talk' });
    expect(a12.at(20).tone).toBeUndefined();
  });

  it('the far end holds us: its audio with the hold tone from that instant; our hold: the hold alarm; a held call the far end ends gives the disconnect tone', () => {
    const h = machine();
    h.call(0, snap('c1', 'connected', { answeredAt: 0 }));
    h.call(500, snap('c1', 'connected', { answeredAt: 0, remoteHold: true }));
    expect(h.at(600)).toEqual({ source: 'call', call: 'c1', calls: ['c1'], tone: 'hold', reason: 'remote-hold', device: 'handsfree', toneSince: 500 });
    h.call(900, snap('c1', 'connected', { answeredAt: 0, remoteHold: false }));
    expect(h.at(1000).tone).toBeUndefined();
    h.call(1200, snap('c1', 'held', { answeredAt: 0 }));
    expect(h.at(1300)).toEqual({ source: 'tone', tone: 'holdAlarm', call: 'c1', reason: 'held', device: 'handsfree', toneSince: 1200 });
    expect(machine({ ...KX, holdAlarmTone: false, remoteHoldTone: false }).at(0).source).toBe('silence');
    h.call(2000, snap('c1', 'ended', { answeredAt: 0, endReason: 'remote-bye' }));
    expect(h.at(2000)).toMatchObject({ tone: 'reorder', reason: 'disconnect' });
  });

  it('a local conference hears both legs; a new call supersedes a disconnect tone', () => {
    const h = machine();
    h.call(0, snap('c1', 'connected', { answeredAt: 0, conference: 'c2' }));
    h.call(10, snap('c2', 'connected', { answeredAt: 10, conference: 'c1' }));
    expect(h.at(20)).toEqual({ source: 'call', call: 'c2', calls: ['c2', 'c1'], reason: 'conference', device: 'handsfree' });
    h.call(100, snap('c2', 'ended', { answeredAt: 10, endReason: 'remote-bye' }));
    expect(h.at(110)).toMatchObject({ source: 'call', call: 'c1', reason: 'talk' }); // the other leg stays
    h.call(200, snap('c1', 'ended', { answeredAt: 0, endReason: 'remote-bye' }));
    expect(h.at(210)).toMatchObject({ tone: 'reorder' });
    h.call(300, snap('c3', 'calling'));
    expect(h.at(310)).toMatchObject({ source: 'silence', reason: 'calling', call: 'c3' });
    h.call(400, snap('c3', 'ended', { endReason: 'cancelled' }));
    expect(h.at(410)).toMatchObject({ source: 'silence', reason: 'idle' }); // the old tone does not come back
  });

  it('reads the rules and tones of each dialect: KX-UT670 5.6.2 timings, A12 9.22 cadences, switches and auto hand-down', () => {
    const s = kx();
    expect(tonePattern(unwrap(handsetToneSpec(s, 'kx-ut670', 'ringback')))).toEqual([
      { on: false, ms: 60 + 3940 },
      { on: true, ms: 2000 },
    ]);
    s.tones.busy = { frequenciesHz: [425], gainDb: -3, timingMs: [60, 300, 240] };
    const busy = handsetToneSpec(s, 'kx-ut670', 'busy');
    expect(busy.ok && busy.value.gainDb).toBe(-3);
    expect(busy.ok && busy.value.segments.map((x) => [x.components.map((c) => c.freqHz), x.durationMs])).toEqual([[[], 60], [[425], 300], [[], 240]]);
    // The A12: its 9.22 strings by area; reorder is the congestion tone, both holds the holding tone.
    s.intercom.tones = { area: 'DE', cadences: { ...s.intercom.tones.cadences, holding: '440/100,0/4000' } };
    const cadence = (t: Parameters<typeof handsetToneSpec>[2]) => {
      const r = handsetToneSpec(s, 'a12', t);
      return r.ok ? formatToneCadence(r.value) : r.error.message;
    };
    expect(cadence('ringback')).toBe('425/1000,0/4000');
    expect(cadence('reorder')).toBe('425/240,0/240');
    expect(cadence('holdAlarm')).toBe('440/100,0/4000');
    s.intercom.features.autoHangup = { enabled: true, delayS: 5 };
    s.intercom.features.callWaitingTone = false;
    expect(handsetConfig(s, 'a12')).toEqual({ disconnectTone: 'busy', failureTone: 'reorder', disconnectHandsetMs: 5000, disconnectHandsfreeMs: 5000, callWaitingTone: false, holdAlarmTone: true, remoteHoldTone: false, sideToneMs: 180 });
    s.intercom.features.autoHangup = { enabled: false, delayS: 5 };
    const open = machine(handsetConfig(s, 'a12'));
    open.call(0, snap('c1', 'connected', { answeredAt: 0 }));
    open.call(10, snap('c1', 'ended', { answeredAt: 0, endReason: 'remote-bye' }));
    expect(open.at(3_600_000)).toMatchObject({ tone: 'busy', reason: 'disconnect' }); // no auto hand-down: until the user hangs up
    expect(open.at(3_600_000).until).toBeUndefined();
  });
});
