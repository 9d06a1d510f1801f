// Presence in virtual time against a scripted server: the MWI subscription of a registered line
// (KX-UT670 VM_SUBSCRIBE_ENABLE) and the message LED it drives (VOICE_MESSAGE_AVAILABLE),
// unsolicited message-summary and check-sync NOTIFYs (CFG_RESYNC_FROM_SIP), BLF buttons
// (X_PANASONIC_IPTEL_CONTACT) and their lamps, route failures retried after SUB_RTX_INTVL_n,
// and unsubscribing on stop.
import { describe, expect, it } from 'vitest';
import type { DeviceSettings } from '../../src/settings/canonical.js';
import { createRequest, H, randomCallId, type SipRequest } from '../../src/sip/message/index.js';
import { flush, notifyIn, setup, subscribes, unsolicited } from './presence-harness.js';

const SUMMARY = 'application/simple-message-summary';
const DIALOG_INFO = 'application/dialog-info+xml';
const dialogDoc = (version: number, state: string, direction = 'recipient') =>
  `<?xml version="1.0"?><dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="${version}" state="full" entity="sip:201@example.test">` +
  (state === 'none' ? '' : `<dialog id="d1" direction="${direction}"><state>${state}</state><remote><identity>sip:300@example.test</identity></remote></dialog>`) +
  '</dialog-info>';

describe('presence: MWI', () => {
  it('VM_SUBSCRIBE_ENABLE: a registered line subscribes at its own AOR; NOTIFYs drive the LED and counts', async () => {
    const t = setup((s) => (s.call.voiceMailSubscribe = true));
    expect(t.presence.mwi().map((m) => m.subscription)).toEqual(['waiting-for-registration', 'waiting-for-registration']);
    t.presence.lineRegistered(1);
    t.presence.lineRegistered(1); // a refresh of the registration does not subscribe again
    await flush();
    t.net.clock.advance(20);
    const [sub] = subscribes(t.server);
    expect(subscribes(t.server)).toHaveLength(1);
    expect(sub!.request.uri.toString()).toBe('sip:101@example.test');
    expect(sub!.request.value(H.Event)?.value).toBe('message-summary');
    expect(sub!.request.value(H.Expires)).toBe(3600);
    sub!.respond(200, [['Expires', '3600']]);
    const r = notifyIn(t, sub!.request, 1, 'message-summary', 'active;expires=3600', 'Messages-Waiting: yes\r\nMessage-Account: sip:*97@example.test\r\nVoice-Message: 2/8 (1/0)\r\n', SUMMARY);
    expect(r.map((x) => x.status)).toEqual([200]);
    expect(t.mwi).toEqual([{ line: 1, messagesWaiting: true, newMessages: 2, oldMessages: 8, newUrgent: 1, oldUrgent: 0, account: 'sip:*97@example.test', source: 'subscription', subscription: 'active' }]);
    expect(t.presence.mwi()[0]!.subscription).toBe('active');
    // The same state again is no new event; "no" turns the LED off.
    notifyIn(t, sub!.request, 2, 'message-summary', 'active;expires=3600', 'Messages-Waiting: yes\r\nMessage-Account: sip:*97@example.test\r\nVoice-Message: 2/8 (1/0)\r\n', SUMMARY);
    notifyIn(t, sub!.request, 3, 'message-summary', 'active;expires=3600', 'Messages-Waiting: no\r\nVoice-Message: 0/10\r\n', SUMMARY);
    expect(t.mwi.map((m) => `${m.messagesWaiting} ${m.newMessages}/${m.oldMessages}`)).toEqual(['true 2/8', 'false 0/10']);
    // Line 2 never registered: no subscription there.
    expect(t.presence.mwi()[1]!.subscription).toBe('waiting-for-registration');
  });

  it('VOICE_MESSAGE_AVAILABLE: Y needs a Voice-Message line, N trusts Messages-Waiting alone', () => {
    for (const [available, expected] of [
      [true, false],
      [false, true],
    ] as const) {
      const t = setup((s) => (s.call.voiceMessageAvailable = available));
      const r = unsolicited(t, 'message-summary', 'Messages-Waiting: yes\r\nFax-Message: 1/0\r\n', SUMMARY);
      expect(r.map((x) => x.status)).toEqual([200]);
      expect(t.presence.mwi()[0]!.messagesWaiting).toBe(expected);
      expect(t.presence.mwi()[0]!.source).toBe('unsolicited');
    }
  });

  it('without VM_SUBSCRIBE_ENABLE nothing is subscribed, but an unsolicited NOTIFY still lights the LED; a bad body gets 400', async () => {
    const t = setup();
    t.presence.lineRegistered(1);
    await flush();
    t.net.clock.advance(100);
    expect(subscribes(t.server)).toHaveLength(0);
    expect(t.presence.mwi()[0]!.subscription).toBe('off');
    expect(unsolicited(t, 'message-summary', 'Messages-Waiting: yes\r\nVoice-Message: 3/0\r\n', SUMMARY).map((x) => x.status)).toEqual([200]);
    expect(t.mwi).toMatchObject([{ line: 1, messagesWaiting: true, newMessages: 3, source: 'unsolicited' }]);
    expect(unsolicited(t, 'message-summary', 'Voice-Message: 3/0\r\n', SUMMARY).map((x) => x.status)).toEqual([400]);
    expect(unsolicited(t, 'presence').map((x) => x.status)).toEqual([481]);
    // The phone serves no event package itself (watchers need a presence server): 405.
    const watch = t.server.send(createRequest({ method: 'SUBSCRIBE', uri: `sip:101@${t.phone.address}:${t.phone.port}`, via: t.server.via(), from: '<sip:watcher@example.test>;tag=w1', to: '<sip:101@example.test>', callId: randomCallId(), cseq: 1, headers: [['Event', 'dialog'], ['Expires', '600']] }), t.phone);
    t.net.clock.advance(30);
    expect(watch.map((x) => x.status)).toEqual([405]);
    expect(t.mwi).toHaveLength(1);
  });

  it('a route that cannot be resolved is retried after SUB_RTX_INTVL_n', async () => {
    const t = setup((s) => {
      s.call.voiceMailSubscribe = true;
      s.lines[0]!.subscription.retryIntervalS = 30;
    }, 1);
    t.presence.lineRegistered(1);
    await flush();
    expect(t.presence.mwi()[0]).toMatchObject({ subscription: 'waiting', reason: 'dns: example.test does not exist' });
    t.net.clock.advance(29_000);
    await flush();
    expect(t.routes).toEqual(['mwi 101']);
    t.net.clock.advance(1000);
    await flush();
    t.net.clock.advance(20);
    expect(t.routes).toEqual(['mwi 101', 'mwi 101']);
    expect(subscribes(t.server)).toHaveLength(1);
    expect(t.presence.mwi()[0]!.subscription).toBe('subscribing');
    expect(t.presence.mwi()[0]!.reason).toBeUndefined();
  });

  it('a 403 ends the subscription with the reason; stop() unsubscribes an active one', async () => {
    const t = setup((s) => (s.call.voiceMailSubscribe = true));
    t.presence.lineRegistered(1);
    t.presence.lineRegistered(2);
    await flush();
    t.net.clock.advance(20);
    const [a, b] = subscribes(t.server);
    const byLine = (r: SipRequest) => (r.from.uri.toString().startsWith('sip:101@') ? 0 : 1);
    const [first, second] = byLine(a!.request) === 0 ? [a!, b!] : [b!, a!];
    first.respond(200, [['Expires', '3600']]);
    notifyIn(t, first.request, 1, 'message-summary', 'active;expires=3600');
    second.respond(403);
    t.net.clock.advance(30);
    expect(t.presence.mwi().map((m) => `${m.subscription} ${m.reason ?? ''}`)).toEqual(['active ', 'terminated forbidden']);
    const stopped = t.presence.stop();
    t.net.clock.advance(30);
    const un = subscribes(t.server)[2]!.request;
    expect(un.value(H.Expires)).toBe(0);
    expect(un.callId).toBe(first.request.callId);
    // stop() resolves once the notifier's final NOTIFY ended the subscription.
    let done = false;
    void stopped.then(() => (done = true));
    await flush();
    expect(done).toBe(false);
    subscribes(t.server)[2]!.respond(200, [['Expires', '0']]);
    notifyIn(t, un, 2, 'message-summary', 'terminated;reason=timeout');
    await flush();
    expect(done).toBe(true);
  });
});

describe('presence: check-sync', () => {
  it('Event: check-sync is answered 200 and reported with its reboot parameter', () => {
    const t = setup();
    expect(unsolicited(t, 'check-sync;reboot=true').map((x) => x.status)).toEqual([200]);
    expect(unsolicited(t, 'check-sync').map((x) => x.status)).toEqual([200]);
    expect(t.sync).toEqual([
      { line: 1, reboot: true, from: 'sip:prov@example.test' },
      { line: 1, reboot: undefined, from: 'sip:prov@example.test' },
    ]);
  });

  it('CFG_RESYNC_FROM_SIP replaces the event text; check-sync then gets 481', () => {
    const t = setup((s) => (s.provisioning.resyncEvent = 'resync'));
    expect(unsolicited(t, 'check-sync').map((x) => x.status)).toEqual([481]);
    expect(unsolicited(t, 'Resync;reboot=false').map((x) => x.status)).toEqual([200]);
    expect(t.sync).toEqual([{ line: 1, reboot: false, from: 'sip:prov@example.test' }]);
  });
});

describe('presence: BLF buttons', () => {
  const buttons = (s: DeviceSettings) => {
    s.call.defaultLine = 2;
    s.buttons[0] = { action: 'contact', argument: '201', label: 'Bob' };
    s.buttons[1] = { action: 'one-touch', argument: '*97', label: 'VM' };
    s.buttons[2] = { action: 'contact', argument: '', label: 'empty' };
    s.buttons[3] = { action: 'line', argument: '1,1', label: 'DN' };
  };

  it('a contact button on the default line subscribes to the dialog event of its number; lamps follow the NOTIFYs', async () => {
    const t = setup(buttons);
    expect(t.presence.blf()).toEqual([{ button: 1, target: '201', label: 'Bob', line: 2, lamp: 'unknown', subscription: 'waiting-for-registration', dialogs: [] }]);
    t.presence.lineRegistered(1);
    await flush();
    t.net.clock.advance(20);
    expect(subscribes(t.server)).toHaveLength(0); // the button belongs to line 2
    t.presence.lineRegistered(2);
    await flush();
    t.net.clock.advance(20);
    expect(t.routes).toEqual(['blf 201']);
    const [sub] = subscribes(t.server);
    expect(sub!.request.uri.toString()).toBe('sip:201@example.test');
    expect(sub!.request.value(H.Event)?.value).toBe('dialog');
    expect(sub!.request.from.uri.toString()).toBe('sip:102@example.test');
    sub!.respond(200, [['Expires', '600']]);
    notifyIn(t, sub!.request, 1, 'dialog', 'active;expires=600', dialogDoc(0, 'early'), DIALOG_INFO);
    notifyIn(t, sub!.request, 2, 'dialog', 'active;expires=600', dialogDoc(1, 'confirmed'), DIALOG_INFO);
    notifyIn(t, sub!.request, 3, 'dialog', 'active;expires=600', dialogDoc(2, 'none'), DIALOG_INFO);
    expect(t.blf.map((b) => `${b.button} ${b.lamp} ${b.dialogs.map((d) => `${d.state}:${d.remote}`).join(',')}`)).toEqual(['1 ringing early:sip:300@example.test', '1 busy confirmed:sip:300@example.test', '1 idle ']);
    expect(t.presence.blf()[0]).toMatchObject({ lamp: 'idle', subscription: 'active' });
    // The notifier ends it with a reason that allows retrying: the lamp goes unknown.
    notifyIn(t, sub!.request, 4, 'dialog', 'terminated;reason=probation;retry-after=60');
    expect(t.blf.at(-1)!.lamp).toBe('unknown');
    expect(t.presence.blf()[0]).toMatchObject({ lamp: 'unknown', subscription: 'waiting', reason: 'probation' });
  });

  it('directed call pickup (NUM_PLAN_PICKUP_DIRECT): a BLF button pressed while its extension rings dials the feature number + extension', async () => {
    const t = setup((s) => {
      buttons(s);
      s.call.pickupDirectCode = '*98';
    });
    t.presence.lineRegistered(2);
    await flush();
    t.net.clock.advance(20);
    const [sub] = subscribes(t.server);
    sub!.respond(200, [['Expires', '600']]);
    // Idle: a press calls the extension.
    notifyIn(t, sub!.request, 1, 'dialog', 'active;expires=600', dialogDoc(0, 'none'), DIALOG_INFO);
    expect(t.presence.buttonDial(1)).toEqual({ ok: true, value: { line: 2, number: '201' } });
    // Ringing: a press picks the call up.
    notifyIn(t, sub!.request, 2, 'dialog', 'active;expires=600', dialogDoc(1, 'early'), DIALOG_INFO);
    expect(t.presence.buttonDial(1)).toEqual({ ok: true, value: { line: 2, number: '*98201' } });
    // Busy (answered): a press calls the extension again.
    notifyIn(t, sub!.request, 3, 'dialog', 'active;expires=600', dialogDoc(2, 'confirmed'), DIALOG_INFO);
    expect(t.presence.buttonDial(1)).toEqual({ ok: true, value: { line: 2, number: '201' } });
  });

  it('without a pickup code a press on a ringing BLF button calls the extension', async () => {
    const t = setup(buttons);
    t.presence.lineRegistered(2);
    await flush();
    t.net.clock.advance(20);
    const [sub] = subscribes(t.server);
    sub!.respond(200, [['Expires', '600']]);
    notifyIn(t, sub!.request, 1, 'dialog', 'active;expires=600', dialogDoc(0, 'early'), DIALOG_INFO);
    expect(t.presence.blf()[0]!.lamp).toBe('ringing');
    expect(t.presence.buttonDial(1)).toEqual({ ok: true, value: { line: 2, number: '201' } });
  });

  it('buttons and the voice-mail key say what to dial', () => {
    const t = setup((s) => {
      buttons(s);
      s.lines[0]!.voiceMailNumber = '*97';
    });
    expect(t.presence.buttons().map((b) => `${b.button} ${b.kind} ${b.target} line ${b.line}`)).toEqual(['1 blf 201 line 2', '2 one-touch *97 line 2']);
    expect(t.presence.buttonDial(2)).toEqual({ ok: true, value: { line: 2, number: '*97' } });
    expect(t.presence.buttonDial(4).ok).toBe(false);
    // Line 2 (the default line) has no number: line 1's.
    expect(t.presence.voiceMail()).toEqual({ ok: true, value: { line: 1, number: '*97' } });
    const none = t.presence.voiceMail(2);
    expect(none.ok ? '' : none.error.code).toBe('VM_NO_NUMBER');
  });
});
