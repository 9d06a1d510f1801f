// Subscriber stories (RFC 6665 §4.1) against a scripted notifier, in virtual time: initial
// SUBSCRIBE, dialog by 2xx or by an early NOTIFY, refresh at SUB_INTERVAL_RATE_n, retry after
// SUB_RTX_INTVL_n, Subscription-State reasons, 481 for strangers, unsubscribe, auth challenge.
import { describe, expect, it } from 'vitest';
import { createRequest, createResponse, H, type SipRequest } from '../../src/sip/message/index.js';
import { Subscriber, type SubscriberOptions } from '../../src/sip/subscription/subscriber.js';
import { DigestClient } from '../../src/sip/auth/digest-client.js';
import { watchDialogState, watchMessageSummary } from '../../src/sip/subscription/watchers.js';
import { parseMessageSummary } from '../../src/sip/events/message-summary.js';
import { Network, notifyFor, type Scripted } from './subscription-network.js';

const MWI_BODY = 'Messages-Waiting: yes\r\nMessage-Account: sip:*97@127.0.0.2\r\nVoice-Message: 2/8 (0/2)\r\n';

function setup(options: Partial<SubscriberOptions> = {}) {
  const net = new Network();
  const phone = net.ua('phone');
  const server = net.scripted('server');
  const sub = new Subscriber({
    host: phone,
    event: 'message-summary',
    accept: ['application/simple-message-summary'],
    target: `sip:100@${server.peer.address}`,
    from: `<sip:100@${server.peer.address}>`,
    peer: server.peer,
    ...options,
  });
  const states: string[] = [];
  sub.events.on('state', (s) => states.push(`${net.clock.now()} ${s}`));
  return { net, phone, server, sub, states };
}

/** An active subscription granted `expiresS`, then time runs to the server's receipt of the first refresh. */
function refreshed(expiresS: number) {
  const t = setup({ timers: { expiresS } });
  t.sub.start();
  t.net.clock.advance(20);
  reply(t.server, 0, 200, [['Expires', String(expiresS)]]);
  notify(t.server, got(t.server)[0]!, 1, `active;expires=${expiresS}`);
  t.net.clock.advance(expiresS * 900 + 30);
  return t;
}

/** Requests of `method` the scripted server received, in order. */
function got(server: Scripted, method = 'SUBSCRIBE'): SipRequest[] {
  return server.received.filter((r) => r.request.method === method).map((r) => r.request);
}

function reply(server: Scripted, index: number, status: number, headers: Array<[string, string]> = [], toTag = 'srv1'): void {
  const entry = server.received.filter((r) => r.request.method === 'SUBSCRIBE')[index]!;
  entry.tx!.respond(createResponse(entry.request, status, { toTag, headers: [['Contact', `<sip:notifier@${server.peer.address}>`], ...headers] }));
}

function notify(server: Scripted, subscribe: SipRequest, cseq: number, state: string, body?: string, toTag = 'srv1', event = 'message-summary') {
  return server.send(notifyFor(server, subscribe, toTag, cseq, [['Event', event], ['Subscription-State', state]], body, body ? 'application/simple-message-summary' : undefined), phonePeer(subscribe));
}

function phonePeer(subscribe: SipRequest) {
  const via = subscribe.topVia!;
  return { address: via.host, port: via.port ?? 5060, transport: 'udp' as const };
}

describe('Subscriber: initial SUBSCRIBE and refresh', () => {
  it('sends Event, Accept and Expires = SIP_SUBS_EXPIRE_n; 200 then NOTIFY make it active; refresh at 90% in the dialog', () => {
    const { net, server, sub, states } = setup();
    const notifies: string[] = [];
    sub.events.on('notify', (n) => {
      const s = parseMessageSummary(n.body);
      notifies.push(`${n.subscriptionState.state} ${s.ok && s.value.messagesWaiting} ${s.ok && s.value.counts['voice-message']?.newMessages}`);
    });
    sub.start();
    net.clock.advance(20);
    const first = got(server)[0]!;
    expect(first.value(H.Event)?.value).toBe('message-summary');
    expect(first.headers.valuesOf('accept')).toEqual(['application/simple-message-summary']);
    expect(first.value(H.Expires)).toBe(3600);
    expect(first.to.tag).toBeUndefined();
    expect(first.cseq.seq).toBe(1);
    reply(server, 0, 200, [['Expires', '3600']]);
    net.clock.advance(20);
    const responses = notify(server, first, 1, 'active;expires=3600', MWI_BODY);
    net.clock.advance(20);
    expect(responses.map((r) => r.status)).toEqual([200]);
    expect(sub.state).toBe('active');
    expect(notifies).toEqual(['active true 2']);
    // SUB_INTERVAL_RATE_n = 90: 3240 s after the 200 (received at t=30), at the server 10 ms later.
    net.clock.advance(3_240_039 - 60);
    expect(got(server)).toHaveLength(1);
    net.clock.advance(1);
    const refresh = got(server)[1]!;
    expect(refresh.callId).toBe(first.callId);
    expect(refresh.to.tag).toBe('srv1');
    expect(refresh.from.tag).toBe(first.from.tag);
    expect(refresh.cseq.seq).toBe(2);
    // The NOTIFY's Contact refreshed the remote target (RFC 6665 §4.1.3 / RFC 3261 §12.2).
    expect(refresh.uri.toString()).toBe(`sip:notifier@${server.peer.address}:5060`);
    expect(states).toEqual(['50 active']);
  });

  it('a shorter expiry granted by the 2xx sets the refresh; a NOTIFY expires param shortens it again', () => {
    const { net, server, sub } = setup({ timers: { refreshPercent: 50 } });
    sub.start();
    net.clock.advance(20);
    reply(server, 0, 200, [['Expires', '600']]);
    net.clock.advance(20);
    expect(sub.grantedS).toBe(600);
    notify(server, got(server)[0]!, 1, 'active;expires=100');
    net.clock.advance(20);
    expect(sub.grantedS).toBe(100);
    net.clock.advance(50_000);
    expect(got(server)).toHaveLength(2);
  });

  it('a NOTIFY that overtakes the 2xx creates the dialog; the later 2xx joins it; CSeq continues', () => {
    const { net, server, sub } = setup();
    sub.start();
    net.clock.advance(20);
    const first = got(server)[0]!;
    const r = notify(server, first, 7, 'pending;expires=3600');
    net.clock.advance(20);
    expect(r.map((x) => x.status)).toEqual([200]);
    expect(sub.state).toBe('pending');
    expect(sub.dialog?.remoteTag).toBe('srv1');
    reply(server, 0, 202, [['Expires', '3600']]);
    net.clock.advance(20);
    notify(server, first, 8, 'active;expires=3600');
    net.clock.advance(20);
    expect(sub.state).toBe('active');
    net.clock.advance(3_600_000);
    const refresh = got(server)[1]!;
    expect(refresh.cseq.seq).toBe(2);
    expect(refresh.to.tag).toBe('srv1');
  });
});

describe('Subscriber: failures and retries (KX-UT670 5.8.2 SUB_RTX_INTVL_n)', () => {
  it('an error reply is retried every SUB_RTX_INTVL_n seconds with a new Call-ID', () => {
    const { net, server, sub } = setup({ timers: { retryIntervalS: 30 } });
    const failures: string[] = [];
    sub.events.on('failed', (f) => failures.push(`${net.clock.now()} ${f.status} ${f.retryInS}`));
    sub.start();
    net.clock.advance(20);
    reply(server, 0, 500);
    net.clock.advance(30_000);
    expect(got(server)).toHaveLength(1);
    net.clock.advance(20);
    expect(got(server)).toHaveLength(2);
    expect(got(server)[1]!.callId).not.toBe(got(server)[0]!.callId);
    expect(failures).toEqual(['30 500 30']);
    expect(sub.state).toBe('subscribing');
  });

  it('no answer at all: Timer F (408) then a retry', () => {
    const net = new Network({ drop: (_m, from) => from === 'phone' });
    const phone = net.ua('phone');
    const server = net.scripted('server');
    const sub = new Subscriber({ host: phone, event: 'dialog', accept: ['application/dialog-info+xml'], target: 'sip:200@127.0.0.2', from: '<sip:100@127.0.0.2>', peer: server.peer }).start();
    const failures: number[] = [];
    sub.events.on('failed', (f) => failures.push(f.status));
    net.clock.advance(32_000 + 10_000 + 5);
    expect(failures).toEqual([408]);
    expect(net.wire().filter((l) => l === 'phone→ SUBSCRIBE (lost)').length).toBeGreaterThan(11);
    expect(sub.state).toBe('subscribing');
  });

  it('403 Forbidden is not retried', () => {
    const { net, server, sub, states } = setup();
    sub.start();
    net.clock.advance(20);
    reply(server, 0, 403);
    net.clock.advance(600_000);
    expect(got(server)).toHaveLength(1);
    expect(states.map((s) => s.split(' ')[1])).toEqual(['terminated']);
  });

  it('423 Interval Too Brief: retried at once with Min-Expires', () => {
    const { net, server, sub } = setup({ timers: { expiresS: 60 } });
    sub.start();
    net.clock.advance(20);
    reply(server, 0, 423, [['Min-Expires', '1800']]);
    net.clock.advance(20);
    expect(got(server)[1]!.value(H.Expires)).toBe(1800);
    expect(got(server)[1]!.callId).toBe(got(server)[0]!.callId);
    expect(got(server)[1]!.cseq.seq).toBe(2);
  });

  it('2xx without any NOTIFY within 64*T1: the subscription failed, retry', () => {
    const { net, server, sub } = setup();
    const failures: number[] = [];
    sub.events.on('failed', (f) => failures.push(f.status));
    sub.start();
    net.clock.advance(20);
    reply(server, 0, 200, [['Expires', '3600']]);
    net.clock.advance(32_000 + 20);
    expect(failures).toEqual([408]);
    net.clock.advance(10_000);
    expect(got(server)).toHaveLength(2);
  });

  it('a refresh answered 481 ends the subscription; a new one starts after the retry interval', () => {
    const { net, server, sub } = refreshed(100);
    expect(got(server)).toHaveLength(2);
    reply(server, 1, 481);
    net.clock.advance(20);
    expect(sub.state).toBe('waiting');
    net.clock.advance(10_000);
    expect(got(server)).toHaveLength(3);
    expect(got(server)[2]!.to.tag).toBeUndefined();
  });

  it('a refresh answered 500 keeps the subscription and tries the refresh again', () => {
    const { net, server, sub } = refreshed(1000);
    reply(server, 1, 500);
    net.clock.advance(20);
    expect(sub.state).toBe('active');
    net.clock.advance(10_000);
    expect(got(server)).toHaveLength(3);
    expect(got(server)[2]!.to.tag).toBe('srv1');
  });

  it('401 is answered with the line DigestClient: same Call-ID, CSeq + 1; a second 401 for the same realm is a failure', () => {
    const net = new Network();
    const phone = net.ua('phone', { digest: new DigestClient({ username: '100', password: 'secret' }, { cnonce: () => 'c0ffee' }) });
    const server = net.scripted('server');
    const sub = new Subscriber({ host: phone, event: 'message-summary', accept: ['application/simple-message-summary'], target: 'sip:100@127.0.0.2', from: '<sip:100@127.0.0.2>', peer: server.peer });
    const failures: number[] = [];
    sub.events.on('failed', (f) => failures.push(f.status));
    sub.start();
    net.clock.advance(20);
    reply(server, 0, 401, [['WWW-Authenticate', 'Digest realm="lab", nonce="n1", qop="auth"']]);
    net.clock.advance(20);
    const second = got(server)[1]!;
    expect(second.callId).toBe(got(server)[0]!.callId);
    expect(second.cseq.seq).toBe(2);
    expect(second.headers.valuesOf('authorization')[0]).toMatch(/^Digest username="100", realm="lab", nonce="n1", uri="sip:100@127\.0\.0\.2", response="[0-9a-f]{32}"/);
    reply(server, 1, 401, [['WWW-Authenticate', 'Digest realm="lab", nonce="n2", qop="auth"']]);
    net.clock.advance(20);
    expect(got(server)).toHaveLength(2);
    expect(failures).toEqual([401]);
    expect(sub.state).toBe('waiting');
    // A fresh attempt (new Call-ID) follows after SUB_RTX_INTVL_n.
    net.clock.advance(10_000);
    expect(got(server)).toHaveLength(3);
  });

  it('a challenged refresh is re-sent in the dialog with the next CSeq', () => {
    const net = new Network();
    const phone = net.ua('phone', { digest: new DigestClient({ username: '100', password: 'secret' }) });
    const server = net.scripted('server');
    const sub = new Subscriber({ host: phone, event: 'dialog', accept: ['application/dialog-info+xml'], target: 'sip:201@127.0.0.2', from: '<sip:100@127.0.0.2>', peer: server.peer, timers: { expiresS: 100 } }).start();
    net.clock.advance(20);
    reply(server, 0, 200, [['Expires', '100']]);
    notify(server, got(server)[0]!, 1, 'active;expires=100', undefined, 'srv1', 'dialog');
    net.clock.advance(90_030);
    reply(server, 1, 407, [['Proxy-Authenticate', 'Digest realm="proxy", nonce="p1"']]);
    net.clock.advance(20);
    const again = got(server)[2]!;
    expect(again.cseq.seq).toBe(3);
    expect(again.to.tag).toBe('srv1');
    expect(again.headers.valuesOf('proxy-authorization')).toHaveLength(1);
    reply(server, 2, 200, [['Expires', '100']]);
    net.clock.advance(20);
    expect(sub.state).toBe('active');
    expect(sub.dialog!.localSeq).toBe(3);
  });
});

describe('Subscriber: Subscription-State and strangers', () => {
  const cases: Array<[string, number | undefined, string]> = [
    ['terminated;reason=deactivated', 0, 'resubscribes at once'],
    ['terminated;reason=timeout', 0, 'resubscribes at once'],
    ['terminated;reason=probation;retry-after=30', 30, 'waits retry-after'],
    ['terminated;reason=giveup', 10, 'waits SUB_RTX_INTVL_n'],
    ['terminated;reason=rejected', undefined, 'never retries'],
    ['terminated;reason=noresource', undefined, 'never retries'],
  ];
  for (const [value, retry, what] of cases) {
    it(`${value}: ${what}`, () => {
      const { net, server, sub } = setup();
      const ends: Array<number | undefined> = [];
      sub.events.on('terminated', (t) => ends.push(t.retryInS));
      sub.start();
      net.clock.advance(20);
      reply(server, 0, 200, [['Expires', '3600']]);
      notify(server, got(server)[0]!, 1, 'active;expires=3600');
      net.clock.advance(20);
      notify(server, got(server)[0]!, 2, value);
      net.clock.advance(20);
      expect(ends).toEqual([retry]);
      net.clock.advance(retry === undefined ? 600_000 : retry * 1000 + 1000);
      expect(got(server)).toHaveLength(retry === undefined ? 1 : 2);
      if (retry !== undefined) {
        const at = net.log.filter((l) => l.includes('phone→ SUBSCRIBE')).map((l) => Number(l.split(' ')[0]));
        expect(at[1]).toBe(50 + retry * 1000);
      } else expect(sub.state).toBe('terminated');
    });
  }

  it('481 for a NOTIFY matching no subscription, and for a wrong Event in the dialog; 400 without Subscription-State', () => {
    const { net, server, sub } = setup();
    sub.start();
    net.clock.advance(20);
    const first = got(server)[0]!;
    reply(server, 0, 200, [['Expires', '3600']]);
    const ok = notify(server, first, 1, 'active');
    const stranger = server.send(
      createRequest({ method: 'NOTIFY', uri: 'sip:phone@127.0.0.1', via: server.via(), from: '<sip:x@127.0.0.2>;tag=zz', to: `<sip:100@127.0.0.2>;tag=${first.from.tag}`, callId: 'unknown-call', cseq: 1, headers: [['Event', 'message-summary'], ['Subscription-State', 'active']] }),
      phonePeer(first),
    );
    net.clock.advance(20);
    const wrongEvent = notify(server, first, 3, 'active', undefined, 'srv1', 'dialog');
    const noState = server.send(notifyFor(server, first, 'srv1', 4, [['Event', 'message-summary']]), phonePeer(first));
    const otherFork = notify(server, first, 1, 'active', undefined, 'srv2');
    net.clock.advance(20);
    expect(ok.map((r) => r.status)).toEqual([200]);
    expect(stranger.map((r) => r.status)).toEqual([481]);
    expect(wrongEvent.map((r) => r.status)).toEqual([481]);
    expect(noState.map((r) => r.status)).toEqual([400]);
    expect(otherFork.map((r) => r.status)).toEqual([481]);
    expect(sub.state).toBe('active');
  });

  it('unsubscribe: SUBSCRIBE Expires: 0 in the dialog, final NOTIFY, then silence', () => {
    const { net, server, sub, states } = setup();
    sub.start();
    net.clock.advance(20);
    reply(server, 0, 200, [['Expires', '3600']]);
    notify(server, got(server)[0]!, 1, 'active;expires=3600');
    net.clock.advance(20);
    sub.unsubscribe();
    net.clock.advance(20);
    const un = got(server)[1]!;
    expect(un.value(H.Expires)).toBe(0);
    expect(un.to.tag).toBe('srv1');
    reply(server, 1, 200, [['Expires', '0']]);
    const last = notify(server, got(server)[0]!, 2, 'terminated;reason=timeout');
    net.clock.advance(20);
    expect(last.map((r) => r.status)).toEqual([200]);
    expect(sub.state).toBe('terminated');
    net.clock.advance(7_200_000);
    expect(got(server)).toHaveLength(2);
    expect(states.map((s) => s.split(' ')[1])).toEqual(['active', 'unsubscribing', 'terminated']);
    // The dialog is gone: a late NOTIFY gets 481.
    const late = notify(server, got(server)[0]!, 3, 'active');
    net.clock.advance(20);
    expect(late.map((r) => r.status)).toEqual([481]);
  });
});

describe('unsubscribe before the dialog, refreshNow, and the MWI/BLF watchers', () => {
  it('unsubscribe while the initial SUBSCRIBE is unanswered: Expires: 0 goes once the 2xx makes the dialog', () => {
    const { net, server, sub, states } = setup();
    sub.start();
    net.clock.advance(5);
    sub.unsubscribe();
    net.clock.advance(15);
    reply(server, 0, 200, [['Expires', '3600']]);
    net.clock.advance(20);
    const un = got(server)[1]!;
    expect(un.value(H.Expires)).toBe(0);
    expect(un.to.tag).toBe('srv1');
    reply(server, 1, 200, [['Expires', '0']]);
    notify(server, got(server)[0]!, 1, 'terminated;reason=timeout');
    net.clock.advance(20);
    expect(states.map((s) => s.split(' ')[1])).toEqual(['unsubscribing', 'terminated']);
    net.clock.advance(7_200_000);
    expect(got(server)).toHaveLength(2);
  });

  it('watchMessageSummary reports each summary; a malformed body leaves the LED alone', () => {
    const net = new Network();
    const phone = net.ua('phone');
    const server = net.scripted('server');
    const led: boolean[] = [];
    watchMessageSummary({ host: phone, target: 'sip:100@127.0.0.2', from: '<sip:100@127.0.0.2>', peer: server.peer }, (s) => led.push(s.messagesWaiting)).start();
    net.clock.advance(20);
    expect(got(server)[0]!.headers.valuesOf('accept')).toEqual(['application/simple-message-summary']);
    reply(server, 0, 200, [['Expires', '3600']]);
    notify(server, got(server)[0]!, 1, 'active', MWI_BODY);
    notify(server, got(server)[0]!, 2, 'active', 'Voice-Message: 1/1\r\n');
    notify(server, got(server)[0]!, 3, 'active', 'Messages-Waiting: no\r\n');
    net.clock.advance(50);
    expect(led).toEqual([true, false]);
  });

  it('watchDialogState: lamps follow the documents; a version gap refreshes for a full state; a lost subscription is unknown', () => {
    const net = new Network();
    const phone = net.ua('phone');
    const server = net.scripted('server');
    const lamps: string[] = [];
    const { subscriber } = watchDialogState({ host: phone, target: 'sip:201@127.0.0.2', from: '<sip:100@127.0.0.2>', peer: server.peer }, (lamp, live) => lamps.push(`${lamp}${live.length ? ` ${live.map((d) => d.remote.identity).join()}` : ''}`));
    subscriber.start();
    net.clock.advance(20);
    expect(got(server)[0]!.value(H.Event)?.value).toBe('dialog');
    reply(server, 0, 200, [['Expires', '3600']]);
    const doc = (v: number, state: string, body: string) => `<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="${v}" state="${state}" entity="sip:201@pbx">${body}</dialog-info>`;
    const dialog = (s: string, dir = 'recipient') => `<dialog id="x" direction="${dir}"><state>${s}</state><remote><identity>sip:carol@pbx</identity></remote></dialog>`;
    const send = (cseq: number, state: string, body: string) =>
      server.send(notifyFor(server, got(server)[0]!, 'srv1', cseq, [['Event', 'dialog'], ['Subscription-State', state]], body, 'application/dialog-info+xml'), phonePeer(got(server)[0]!));
    send(1, 'active', doc(0, 'full', dialog('early')));
    net.clock.advance(20);
    send(2, 'active', doc(3, 'partial', dialog('confirmed')));
    net.clock.advance(20);
    expect(got(server)).toHaveLength(2); // the gap made it refresh at once
    expect(got(server)[1]!.to.tag).toBe('srv1');
    send(3, 'active', doc(4, 'full', dialog('confirmed')));
    net.clock.advance(20);
    send(4, 'terminated;reason=deactivated', doc(5, 'partial', ''));
    net.clock.advance(20);
    expect(lamps).toEqual(['ringing sip:carol@pbx', 'busy sip:carol@pbx', 'unknown']);
  });
});
