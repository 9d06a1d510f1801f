// Shared call in virtual time (KX-UT670 5.8.1 SHARED_CALL_ENABLE_n, A12 Enable SCA), read as
// BroadWorks Shared Call Appearance (draft-anil-sipping-bla-03): the line watches its own AOR
// with `call-info`, Call-Info headers light its line keys (ringing, busy, held, idle), and
// seizeLine() takes an appearance with a 15 s `line-seize` subscription before dialling.
import { describe, expect, it } from 'vitest';
import { H } from '../../src/sip/message/index.js';
import type { SharedLineStatus } from '../../src/phone/presence/shared-line.js';
import { flush, notifyIn, setup, subscribes } from './presence-harness.js';

const AS = '<sip:as.example.test>';
const idleRest: [string, string] = ['Call-Info', `${AS};appearance-index=*;appearance-state=idle`];

async function sharedLine() {
  const t = setup((s) => {
    s.lines[0]!.sharedCall = true;
    s.buttons[0] = { action: 'line', argument: '1,1', label: 'L1' };
    s.buttons[1] = { action: 'line', argument: '1,2', label: 'L2' };
    s.buttons[2] = { action: 'line', argument: '3,1', label: 'L1b' };
  });
  const events: SharedLineStatus[] = [];
  t.presence.events.on('shared-line', (e) => events.push(e));
  t.presence.lineRegistered(1);
  t.presence.lineRegistered(2);
  await flush();
  t.net.clock.advance(20);
  return { ...t, events };
}

describe('presence: shared call appearance', () => {
  it('SHARED_CALL_ENABLE_1: call-info at the own AOR; Call-Info appearances light the line keys of line 1', async () => {
    const t = await sharedLine();
    expect(t.routes).toEqual(['shared-line 101']); // line 2 is not shared
    const sub = subscribes(t.server)[0]!;
    expect(sub.request.uri.toString()).toBe('sip:101@example.test');
    expect(sub.request.value(H.Event)?.value).toBe('call-info');
    expect(sub.request.headers.has('Accept')).toBe(false); // the package has no body
    expect(t.presence.sharedLines()).toEqual([{ line: 1, subscription: 'subscribing', lamp: 'unknown', appearances: [], buttons: [1, 3] }]);
    sub.respond(200, [['Expires', '3600']]);
    notifyIn(t, sub.request, 1, 'call-info', 'active;expires=3600', undefined, undefined, [idleRest]);
    const ringing: [string, string] = ['Call-Info', `${AS};appearance-index=1;appearance-state=alerting;appearance-uri="\\"Carol\\" <sip:300@example.test>", ${AS};appearance-index=*;appearance-state=idle`];
    expect(notifyIn(t, sub.request, 2, 'call-info', 'active;expires=3600', undefined, undefined, [ringing]).map((r) => r.status)).toEqual([200]);
    notifyIn(t, sub.request, 3, 'call-info', 'active;expires=3600', undefined, undefined, [['Call-Info', `${AS};appearance-index=1;appearance-state=active`], ['Call-Info', `${AS};appearance-index=2;appearance-state=held`], idleRest]);
    notifyIn(t, sub.request, 4, 'call-info', 'active;expires=3600', undefined, undefined, [['Call-Info', `${AS};appearance-index=2;appearance-state=held-private`], idleRest]);
    // A broken Call-Info changes nothing.
    notifyIn(t, sub.request, 5, 'call-info', 'active;expires=3600', undefined, undefined, [['Call-Info', `${AS};appearance-index=1;appearance-state=dancing`]]);
    notifyIn(t, sub.request, 6, 'call-info', 'active;expires=3600', undefined, undefined, [idleRest]);
    expect(t.events.map((e) => `${e.lamp} ${e.appearances.map((a) => `${a.index}:${a.state}`).join(',')}`)).toEqual(['idle ', 'ringing 1:alerting', 'busy 1:active,2:held', 'held 2:held-private', 'idle ']);
    expect(t.events[1]!.appearances[0]!.remote).toBe('"Carol" <sip:300@example.test>');
    expect(t.presence.sharedLines()[0]).toMatchObject({ subscription: 'active', lamp: 'idle', buttons: [1, 3] });
    // The server ends it: unknown again.
    notifyIn(t, sub.request, 7, 'call-info', 'terminated;reason=deactivated');
    expect(t.events.at(-1)!.lamp).toBe('unknown');
  });

  it('seizeLine: line-seize with Expires 15 and the wanted appearance; granted by an active NOTIFY, released by unsubscribing', async () => {
    const t = await sharedLine();
    const seizing = t.presence.seizeLine(1, 2);
    await flush();
    t.net.clock.advance(20);
    const seize = subscribes(t.server)[1]!;
    expect(seize.request.value(H.Event)?.value).toBe('line-seize');
    expect(seize.request.value(H.Expires)).toBe(15);
    expect(seize.request.headers.get('Call-Info')).toBe('<sip:101@example.test>;appearance-index=2');
    seize.respond(200, [['Expires', '15']]);
    notifyIn(t, seize.request, 1, 'line-seize', 'active;expires=15');
    await flush();
    const r = await seizing;
    expect(r.ok && { appearance: r.value.appearance, callInfo: r.value.callInfo }).toEqual({ appearance: 2, callInfo: '<sip:101@example.test>;appearance-index=2' });
    if (r.ok) r.value.release();
    t.net.clock.advance(20);
    const release = subscribes(t.server)[2]!;
    expect(release.request.callId).toBe(seize.request.callId);
    expect(release.request.value(H.Expires)).toBe(0);
  });

  it('seizeLine is refused by an error response or a terminating NOTIFY, and only on a shared line', async () => {
    const t = await sharedLine();
    const first = t.presence.seizeLine(1);
    await flush();
    t.net.clock.advance(20);
    subscribes(t.server)[1]!.respond(403);
    t.net.clock.advance(20);
    const r1 = await first;
    expect(r1.ok ? '' : `${r1.error.code} ${r1.error.message}`).toBe('LINE_SEIZE_REFUSED line-seize refused: 403');
    const second = t.presence.seizeLine(1, 1);
    await flush();
    t.net.clock.advance(20);
    const s2 = subscribes(t.server)[2]!;
    s2.respond(200, [['Expires', '15']]);
    notifyIn(t, s2.request, 1, 'line-seize', 'terminated;reason=rejected');
    const r2 = await second;
    expect(r2.ok ? '' : r2.error.message).toBe('line-seize refused: rejected');
    t.net.clock.advance(60_000);
    expect(subscribes(t.server).filter((x) => x.request.value(H.Event)?.value === 'line-seize')).toHaveLength(2); // no retries of a refused seizure
    const r3 = await t.presence.seizeLine(2);
    expect(r3.ok ? '' : r3.error.code).toBe('LINE_NOT_SHARED');
  });
});
