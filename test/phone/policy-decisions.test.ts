// The incoming/outgoing call policies as pure decisions: caller ID, number lists, forward and its
// 302 headers, caller-ID privacy, intercom requests and auto answer, feature codes, and the order
// of the incoming decision (lists, forward, DND, busy, ring).
import { describe, expect, it } from 'vitest';
import { parseMessage, type SipRequest } from '../../src/sip/message/index.js';
import { defaultDeviceSettings, type DeviceSettings } from '../../src/settings/canonical.js';
import { callerIdOf } from '../../src/phone/policy/caller-id.js';
import { matchNumber } from '../../src/phone/policy/number-list.js';
import { forwardNow, forwardOnNoAnswer, redirectHeaders } from '../../src/phone/policy/forward.js';
import { outgoingIdentity } from '../../src/phone/policy/privacy.js';
import { autoAnswer, intercomRequest } from '../../src/phone/policy/auto-answer.js';
import { featureCodeFor } from '../../src/phone/policy/feature-codes.js';
import { decideIncoming, type IncomingInput } from '../../src/phone/policy/incoming-decision.js';
import { effectiveLineFeatures, emptyOverrides } from '../../src/phone/policy/line-features.js';
import { screenOutgoing } from '../../src/phone/policy/screening.js';
import { callLogEntry } from '../../src/phone/policy/log-entry.js';
import type { CallSnapshot } from '../../src/phone/call.js';

function invite(from: string, extra: string[] = []): SipRequest {
  const text = [
    'INVITE sip:200@127.0.0.1 SIP/2.0',
    'Via: SIP/2.0/UDP 127.0.0.9:5060;branch=z9hG4bKx1',
    `From: ${from};tag=a`,
    'To: <sip:200@127.0.0.1>',
    'Call-ID: c1@test',
    'CSeq: 1 INVITE',
    'Max-Forwards: 70',
    ...extra,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const r = parseMessage(Buffer.from(text));
  if (!r.ok || r.value.kind !== 'request') throw new Error('bad test INVITE');
  return r.value;
}

function settings(edit: (s: DeviceSettings) => void = () => {}): DeviceSettings {
  const s = defaultDeviceSettings(2, 0);
  edit(s);
  return s;
}

function input(s: DeviceSettings, over: Partial<IncomingInput> = {}): IncomingInput {
  return {
    settings: s,
    line: 1,
    features: effectiveLineFeatures(s, 1, emptyOverrides()),
    caller: callerIdOf(invite('"Bob" <sip:1002@pbx>')),
    intercom: undefined,
    rejectNumbers: [],
    busy: false,
    activeIntercom: false,
    intercomModel: true,
    ...over,
  };
}

describe('caller ID', () => {
  it('reads number and name, and sees every form of anonymity', () => {
    expect(callerIdOf(invite('"Bob" <sip:1002@pbx>'))).toMatchObject({ number: '1002', displayName: 'Bob', anonymous: false });
    expect(callerIdOf(invite('"Anonymous" <sip:anonymous@anonymous.invalid>')).anonymous).toBe(true);
    expect(callerIdOf(invite('<sip:1002@anonymous.invalid>')).anonymous).toBe(true);
    expect(callerIdOf(invite('<sip:1002@pbx>', ['Privacy: id'])).anonymous).toBe(true);
    expect(callerIdOf(invite('<sip:1002@pbx>', ['Privacy: none'])).anonymous).toBe(false);
    expect(callerIdOf(invite('<sip:%2B4930@pbx>')).number).toBe('+4930');
  });
});

describe('number lists', () => {
  it('KX rejection list matches whole numbers; A12 restricted lists match prefixes', () => {
    expect(matchNumber('1002', ['1002'], 'exact')).toBe('1002');
    expect(matchNumber('10023', ['1002'], 'exact')).toBeUndefined();
    expect(matchNumber('0900-123', ['0900'], 'prefix')).toBe('0900');
    expect(matchNumber('1002', ['', ' '], 'prefix')).toBeUndefined();
    expect(matchNumber('', ['1'], 'prefix')).toBeUndefined();
  });
});

describe('forward', () => {
  it('unconditional beats busy; busy only when busy; no answer carries its delay', () => {
    const s = settings((x) => {
      x.intercom.lines[0]!.forward.busy = { enabled: true, number: '300' };
      x.intercom.lines[0]!.forward.noAnswer = { enabled: true, number: '400', delayS: 7 };
    });
    const f = effectiveLineFeatures(s, 1, emptyOverrides());
    expect(forwardNow(f, false)).toBeUndefined();
    expect(forwardNow(f, true)).toEqual({ number: '300', reason: 'user-busy' });
    expect(forwardOnNoAnswer(f)).toEqual({ number: '400', reason: 'no-answer', delayMs: 7000 });
    const always = effectiveLineFeatures(s, 1, { lines: { 1: { forwardAlways: { enabled: true, number: '500' } } }, rejectNumbers: [] });
    expect(forwardNow(always, true)).toEqual({ number: '500', reason: 'unconditional' });
  });

  it('302 headers follow SIP_ADD_DIVERSION_n 0/1/2', () => {
    const prior = ['<sip:100@pbx>;reason=user-busy;counter=1'];
    expect(redirectHeaders('sip:300@pbx', 'sip:200@pbx', 'unconditional', 0, prior)).toEqual([['Contact', '<sip:300@pbx>']]);
    expect(redirectHeaders('sip:300@pbx', 'sip:200@pbx', 'no-answer', 1, prior)).toEqual([
      ['Contact', '<sip:300@pbx>'],
      ['Diversion', '<sip:200@pbx>;reason=no-answer;counter=1'],
    ]);
    expect(redirectHeaders('sip:300@pbx', 'sip:200@pbx', 'user-busy', 2, prior).map((h) => h[1])).toEqual(['<sip:300@pbx>', '<sip:200@pbx>;reason=user-busy;counter=1', prior[0]]);
  });
});

describe('caller-ID privacy (KX-UT670 SIP_ANM_*, SIP_PRIVACY_n, SIP_P_PREFERRED_ID_n)', () => {
  const line = settings().lines[0]!;
  it('a normal call keeps the From; Privacy none and P-Preferred-Identity when configured', () => {
    const id = outgoingIdentity('"Alice" <sip:1001@pbx>', { ...line, privacyHeader: true, pPreferredIdentity: true }, false);
    expect(id.from).toBe('"Alice" <sip:1001@pbx>');
    expect(id.headers).toEqual([
      ['P-Preferred-Identity', '"Alice" <sip:1001@pbx>'],
      ['Privacy', 'none'],
    ]);
  });
  it('an anonymous call rewrites the From per the three ANM settings', () => {
    expect(outgoingIdentity('"Alice" <sip:1001@pbx>', line, true).from).toBe('"Anonymous" <sip:1001@pbx>'); // defaults 1, 0, N
    const all = { ...line, privacyHeader: true, anonymous: { displayName: 2, userName: 1, hostName: true } };
    const id = outgoingIdentity('"Alice" <sip:1001@pbx>', all, true);
    expect(id.from).toBe('<sip:anonymous@anonymous.invalid>');
    expect(id.headers).toEqual([['Privacy', 'id']]);
    expect(outgoingIdentity('"Alice" <sip:1001@pbx>', { ...line, anonymous: { displayName: 0, userName: 2, hostName: false } }, true).from).toBe('"Alice" <sip:pbx>');
  });
});

describe('auto answer', () => {
  it('recognises intercom requests by Alert-Info and Call-Info answer-after', () => {
    expect(intercomRequest(invite('<sip:1@h>', ['Alert-Info: <http://x>;info=alert-autoanswer']))).toEqual({ answerAfterS: 0 });
    expect(intercomRequest(invite('<sip:1@h>', ['Call-Info: <sip:h>;answer-after=3']))).toEqual({ answerAfterS: 3 });
    expect(intercomRequest(invite('<sip:1@h>', ['Alert-Info: <http://x/ring.wav>']))).toBeUndefined();
  });
  it('intercom with barge answers during a call, but refuses a second intercom call', () => {
    const s = settings((x) => (x.intercom.intercom.barge = true));
    const base = { settings: s, line: 1, features: effectiveLineFeatures(s, 1, emptyOverrides()), intercom: { answerAfterS: 0 }, intercomSupported: true, busy: true, p2p: false };
    expect(autoAnswer(base, false).kind).toBe('answer');
    expect(autoAnswer(base, true).kind).toBe('refuse');
    expect(autoAnswer({ ...base, settings: settings() }, false).kind).toBe('ring');
    // Not an intercom model: the header means nothing.
    expect(autoAnswer({ ...base, busy: false, intercomSupported: false }, false).kind).toBe('ring');
  });
  it('KX auto answer switch rings AUTO_ANS_RING_TIM first', () => {
    const s = settings((x) => (x.call.autoAnswerRingS = 4));
    const r = autoAnswer({ settings: s, line: 1, features: effectiveLineFeatures(s, 1, { lines: { 1: { autoAnswer: true } }, rejectNumbers: [] }), intercom: undefined, intercomSupported: false, busy: false, p2p: false }, false);
    expect(r).toEqual({ kind: 'answer', plan: { delayMs: 4000, intercom: false, mute: false, tone: false } });
  });
});

describe('feature codes (A12 9.12 Use Feature Code)', () => {
  it('returns the code (forward-on with the number) only when the mode is on and a code is set', () => {
    const codes = { ...settings().intercom.lines[0]!.featureCodes, dndOn: '*78', alwaysForwardOn: '*72' };
    expect(featureCodeFor(codes, 'dnd', true)).toBeUndefined();
    const on = { ...codes, enabled: true };
    expect(featureCodeFor(on, 'dnd', true)).toBe('*78');
    expect(featureCodeFor(on, 'dnd', false)).toBeUndefined(); // no dndOff code: handled locally
    expect(featureCodeFor(on, 'forward-always', true, '300')).toBe('*72300');
    expect(featureCodeFor(on, 'auto-answer', true)).toBeUndefined();
  });
});

describe('incoming decision order', () => {
  it('rejection list, then restricted list, then anonymous, then forward, then DND, then busy', () => {
    const s = settings((x) => {
      x.intercom.lines[0]!.dnd = true;
      x.intercom.restrictions.incoming = ['10'];
      x.sip.dndResponseCode = 480;
    });
    expect(decideIncoming(input(s, { rejectNumbers: ['1002'] }))).toEqual({ kind: 'refuse', status: 603, reason: 'rejection-list' });
    expect(decideIncoming(input(s))).toEqual({ kind: 'refuse', status: 603, reason: 'restricted' });
    // The KX-UT670 has no restricted list: its catalogue does not map it.
    expect(decideIncoming(input(s, { intercomModel: false }))).toEqual({ kind: 'refuse', status: 480, reason: 'dnd' });
    const fwd = effectiveLineFeatures(s, 1, { lines: { 1: { forwardAlways: { enabled: true, number: '9' }, blockAnonymous: true } }, rejectNumbers: [] });
    expect(decideIncoming(input(s, { intercomModel: false, features: fwd })).kind).toBe('forward');
    expect(decideIncoming(input(s, { intercomModel: false, features: fwd, caller: callerIdOf(invite('<sip:anonymous@anonymous.invalid>')) }))).toEqual({ kind: 'refuse', status: 433, reason: 'anonymous' });
  });
  it('busy: call waiting off gives the busy code; a busy forward wins over it', () => {
    const s = settings((x) => {
      x.lines[0]!.callWaiting = false;
      x.intercom.features.busyResponseCode = 480;
    });
    expect(decideIncoming(input(s, { busy: true }))).toEqual({ kind: 'refuse', status: 480, reason: 'busy' });
    expect(decideIncoming(input(s, { busy: true, intercomModel: false }))).toEqual({ kind: 'refuse', status: 486, reason: 'busy' });
    s.intercom.lines[0]!.forward.busy = { enabled: true, number: '77' };
    expect(decideIncoming(input(s, { busy: true }))).toEqual({ kind: 'forward', forward: { number: '77', reason: 'user-busy' } });
    const ring = decideIncoming(input(settings()));
    expect(ring).toMatchObject({ kind: 'ring', noAnswerHangupMs: 120000, noAnswerForward: undefined });
  });
  it('DATA_LINE_MODE: no call waits on a busy line; an idle line still rings', () => {
    const s = settings((x) => {
      x.call.dataLineMode = true;
    });
    expect(decideIncoming(input(s, { busy: true, intercomModel: false }))).toEqual({ kind: 'refuse', status: 486, reason: 'busy' });
    expect(decideIncoming(input(s, { intercomModel: false })).kind).toBe('ring');
    expect(decideIncoming(input(settings(), { busy: true, intercomModel: false })).kind).toBe('ring');
  });
});

describe('outgoing restrictions (A12 9.15, 9.23)', () => {
  it('Ban Outgoing and the restricted outgoing prefixes refuse; other models ignore them', () => {
    const s = settings((x) => (x.intercom.restrictions.outgoing = ['900']));
    expect(screenOutgoing('9001', s, true)).toContain('900');
    expect(screenOutgoing('sip:9001@pbx', s, true)).toContain('900');
    expect(screenOutgoing('8001', s, true)).toBeUndefined();
    expect(screenOutgoing('9001', s, false)).toBeUndefined();
    s.intercom.features.banOutgoing = true;
    expect(screenOutgoing('8001', s, true)).toContain('banned');
  });
});

describe('call log entries', () => {
  const base: CallSnapshot = {
    id: 'c1', line: 2, direction: 'incoming', state: 'ended', remote: { uri: 'sip:1002@pbx', displayName: 'Bob' }, local: '', callId: 'x', remoteHold: false, muted: false, codec: undefined,
    startedAt: 1000, answeredAt: undefined, endedAt: 5000, endReason: 'cancelled', endStatus: 487, rtp: undefined,
  };
  const ctx = { at: new Date('2024-01-01T00:00:00Z'), number: '1002', name: 'Bob' };
  it('classifies missed, incoming and outgoing calls with duration', () => {
    expect(callLogEntry(base, ctx)).toMatchObject({ kind: 'missed', outcome: 'cancelled', status: 487, durationS: 0, line: 2, at: '2024-01-01T00:00:00.000Z' });
    expect(callLogEntry({ ...base, answeredAt: 2000, endedAt: 12400, endReason: 'remote-bye', endStatus: undefined }, ctx)).toMatchObject({ kind: 'incoming', outcome: 'answered', durationS: 10 });
    expect(callLogEntry({ ...base, direction: 'outgoing', endReason: 'rejected', endStatus: 486 }, ctx)).toMatchObject({ kind: 'outgoing', outcome: 'busy' });
    expect(callLogEntry(base, { ...ctx, outcome: 'forwarded' }).outcome).toBe('forwarded');
  });
});
