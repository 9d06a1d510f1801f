// BLF resource lists in virtual time (KX-UT670 5.8.1 RESOURCELIST_URI_n, A12 9.12 Enable BLF
// List / BLF List Number): a line with a list subscribes once (RFC 4662 §4.1: Event: dialog,
// Supported: eventlist, Accept with rlmi+xml and multipart/related) instead of once per button,
// and its BLF buttons light from the members; partial states, a version gap (refresh for a full
// state), a malformed body (200, lamps unchanged) and a member whose instance is terminated.
import { describe, expect, it } from 'vitest';
import type { DeviceSettings } from '../../src/settings/canonical.js';
import { H } from '../../src/sip/message/index.js';
import type { ResourceListStatus } from '../../src/phone/presence/resource-lists.js';
import { listBody, type Member } from '../sip/event-list-bodies.js';
import { flush, notifyIn, setup, subscribes } from './presence-harness.js';

const LIST = 'sip:blf-list@example.test';
const REQUIRE: Array<[string, string]> = [['Require', 'eventlist']];

const withButtons = (s: DeviceSettings) => {
  s.call.defaultLine = 1;
  s.buttons[0] = { action: 'contact', argument: '201', label: 'Bob' };
  s.buttons[1] = { action: 'contact', argument: '202', label: 'Carol' };
  s.buttons[2] = { action: 'contact', argument: '299', label: 'Nobody' };
};

const member = (user: string, inst: Member['instance'], dialogs?: Member['dialogs']): Member => ({ uri: `sip:${user}@pbx.example.test`, instance: inst, ...(dialogs ? { dialogs } : {}) });
const active = (id: string) => ({ id, state: 'active' as const });

async function listLine(configure: (s: DeviceSettings) => void) {
  const t = setup((s) => {
    withButtons(s);
    configure(s);
  });
  const lists: ResourceListStatus[] = [];
  t.presence.events.on('blf-list', (l) => lists.push(l));
  t.presence.lineRegistered(1);
  await flush();
  t.net.clock.advance(20);
  return { ...t, lists };
}

const lamps = (t: Awaited<ReturnType<typeof listLine>>) => t.presence.blf().map((b) => `${b.button} ${b.lamp}${b.reason ? ` (${b.reason})` : ''}`);

describe('presence: BLF resource list (RFC 4662)', () => {
  it('RESOURCELIST_URI_n: one list SUBSCRIBE; full and partial states light the buttons of its members', async () => {
    const t = await listLine((s) => (s.lines[0]!.resourceListUri = LIST));
    expect(t.routes).toEqual([`blf ${LIST}`]);
    const subs = subscribes(t.server);
    expect(subs).toHaveLength(1); // no SUBSCRIBE per button
    const sub = subs[0]!;
    expect(sub.request.uri.toString()).toBe(LIST);
    expect(sub.request.value(H.Event)?.value).toBe('dialog');
    expect(sub.request.headers.get('Supported')).toBe('eventlist');
    expect(sub.request.headers.get('Accept')).toBe('application/rlmi+xml, application/dialog-info+xml, multipart/related');
    expect(t.presence.blf().map((b) => b.list)).toEqual([LIST, LIST, LIST]);
    sub.respond(200, [['Expires', '600']]);
    const full = listBody(0, true, [member('201', active('a'), { version: 0, list: [['d1', 'early', 'recipient']] }), member('202', active('b'), { version: 0, list: [] }), member('203', { id: 'c', state: 'pending' })], 'f0', LIST);
    expect(notifyIn(t, sub.request, 1, 'dialog', 'active;expires=600', full.body, full.type, REQUIRE).map((r) => r.status)).toEqual([200]);
    expect(lamps(t)).toEqual(['1 ringing', '2 idle', '3 unknown (not in the resource list)']);
    expect(t.blf.map((b) => `${b.button} ${b.lamp}`)).toEqual(['1 ringing', '2 idle', '3 unknown']);
    expect(t.presence.lists()).toMatchObject([{ line: 1, uri: LIST, subscription: 'active', members: [{ uri: 'sip:201@pbx.example.test', state: 'active', lamp: 'ringing' }, { state: 'active', lamp: 'idle' }, { uri: 'sip:203@pbx.example.test', state: 'pending', lamp: 'unknown' }] }]);
    expect(t.lists).toHaveLength(1);
    // Partial state version 1: Bob answered; only button 1 changes.
    const partial = listBody(1, false, [member('201', active('a'), { version: 1, full: false, list: [['d1', 'confirmed', 'recipient']] })], 'p1', LIST);
    notifyIn(t, sub.request, 2, 'dialog', 'active;expires=600', partial.body, partial.type, REQUIRE);
    expect(lamps(t)).toEqual(['1 busy', '2 idle', '3 unknown (not in the resource list)']);
    expect(t.blf.map((b) => `${b.button} ${b.lamp}`)).toEqual(['1 ringing', '2 idle', '3 unknown', '1 busy']);
    expect(t.presence.blf()[0]!.dialogs).toEqual([{ id: 'd1', state: 'confirmed', direction: 'recipient' }]);
  });

  it('a version gap refreshes for a full state; a malformed body is answered 200 and changes nothing; a terminated member goes unknown', async () => {
    const t = await listLine((s) => (s.lines[0]!.resourceListUri = LIST));
    const sub = subscribes(t.server)[0]!;
    sub.respond(200, [['Expires', '600']]);
    const full = listBody(0, true, [member('201', active('a'), { version: 0, list: [['d1', 'confirmed', 'initiator']] }), member('202', active('b'), { version: 0, list: [] })], 'f0', LIST);
    notifyIn(t, sub.request, 1, 'dialog', 'active;expires=600', full.body, full.type, REQUIRE);
    expect(lamps(t).slice(0, 2)).toEqual(['1 busy', '2 idle']);
    // Version 3 after 0: notifications were missed.
    const skipped = listBody(3, false, [member('201', active('a'), { version: 3, full: false, list: [['d1', 'terminated']] })], 'g3', LIST);
    expect(notifyIn(t, sub.request, 2, 'dialog', 'active;expires=600', skipped.body, skipped.type, REQUIRE).map((r) => r.status)).toEqual([200]);
    expect(lamps(t).slice(0, 2)).toEqual(['1 busy', '2 idle']);
    const refresh = subscribes(t.server)[1];
    expect(refresh?.request.callId).toBe(sub.request.callId);
    expect(refresh?.request.headers.get('Supported')).toBe('eventlist'); // refreshes keep the option tag
    refresh!.respond(200, [['Expires', '600']]);
    // A broken body: 200 (a 4xx would end the subscription, RFC 6665 §4.2.2), lamps unchanged.
    const broken = { body: '--x\r\nContent-Type: application/rlmi+xml\r\n\r\n<list uri=\r\n--x--\r\n', type: 'multipart/related;boundary=x' };
    const before = t.blf.length;
    expect(notifyIn(t, sub.request, 3, 'dialog', 'active;expires=600', broken.body, broken.type, REQUIRE).map((r) => r.status)).toEqual([200]);
    expect(t.blf).toHaveLength(before);
    // The full state of the refresh: Bob idle, Carol's back-end subscription rejected.
    const again = listBody(4, true, [member('201', active('a'), { version: 7, list: [] }), member('202', { id: 'b', state: 'terminated', reason: 'rejected' })], 'f4', LIST);
    notifyIn(t, sub.request, 4, 'dialog', 'active;expires=600', again.body, again.type, REQUIRE);
    expect(lamps(t).slice(0, 2)).toEqual(['1 idle', '2 unknown (rejected)']);
    expect(t.presence.lists()[0]!.members.map((m) => `${m.uri} ${m.state} ${m.reason ?? ''}`)).toEqual(['sip:201@pbx.example.test active ', 'sip:202@pbx.example.test terminated rejected']);
    // The list subscription ends: every button of the line goes unknown with the reason.
    notifyIn(t, sub.request, 5, 'dialog', 'terminated;reason=noresource', undefined, undefined, REQUIRE);
    expect(t.presence.blf().map((b) => `${b.lamp} ${b.subscription} ${b.reason ?? ''}`)).toEqual(['unknown terminated noresource', 'unknown terminated noresource', 'unknown terminated noresource']);
  });

  it('A12 BLF List: used only with Enable BLF List; a list number goes through the line route', async () => {
    const off = await listLine((s) => (s.intercom.lines[0]!.blfList = { enabled: false, uri: '900' }));
    expect(off.routes.sort()).toEqual(['blf 201', 'blf 202', 'blf 299']);
    expect(off.presence.lists()).toEqual([]);
    const on = await listLine((s) => (s.intercom.lines[0]!.blfList = { enabled: true, uri: '900' }));
    expect(on.routes).toEqual(['blf 900']);
    expect(subscribes(on.server)[0]!.request.uri.toString()).toBe('sip:900@example.test');
    expect(on.presence.lists()).toMatchObject([{ line: 1, uri: '900', subscription: 'subscribing', members: [] }]);
  });

  it('a server that does not do lists answers with plain dialog-info: the list URI is one member', async () => {
    const t = await listLine((s) => {
      s.lines[0]!.resourceListUri = 'sip:201@pbx.example.test';
    });
    const sub = subscribes(t.server)[0]!;
    sub.respond(200, [['Expires', '600']]);
    const doc = '<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="0" state="full" entity="sip:201@pbx.example.test"><dialog id="x" direction="recipient"><state>early</state></dialog></dialog-info>';
    notifyIn(t, sub.request, 1, 'dialog', 'active;expires=600', doc, 'application/dialog-info+xml');
    expect(lamps(t)).toEqual(['1 ringing', '2 unknown (not in the resource list)', '3 unknown (not in the resource list)']);
  });
});
