// REFER (RFC 3515) and Replaces (RFC 3891) stories between user agents in virtual time: blind
// transfer with sipfrag progress, refusal, bad Refer-To, attended transfer with an embedded
// Replaces, the §3 matching rules, and the implicit subscription's notifier.
import { describe, expect, it } from 'vitest';
import { createRequest, createResponse, H, parseMessage, type SipRequest } from '../../src/sip/message/index.js';
import { DigestClient } from '../../src/sip/auth/digest-client.js';
import { Dialog } from '../../src/sip/dialog/dialog.js';
import { acceptRefers, type IncomingRefer } from '../../src/sip/refer/referee.js';
import { sendRefer } from '../../src/sip/refer/referrer.js';
import { escapeHeaderValue, formatReferTo, referTargetOfNameAddr } from '../../src/sip/refer/refer-to.js';
import { formatReplaces, matchReplaces, replacesForDialog, type ReplaceableSession } from '../../src/sip/refer/replaces.js';
import { formatSipfrag, parseSipfrag } from '../../src/sip/refer/sipfrag.js';
import { Notifier } from '../../src/sip/subscription/notifier.js';
import type { InviteSession } from '../../src/sip/ua/invite-session.js';
import type { UserAgent } from '../../src/sip/ua/user-agent.js';
import { Network } from './subscription-network.js';

/** The call layer's part of a transfer: on REFER, call the target and report its progress. */
function transferee(net: Network, ua: UserAgent, name: string, dialogOf: InviteSession, placed: InviteSession[], decide: (r: IncomingRefer) => boolean = () => true) {
  return acceptRefers(ua, dialogOf.dialog!, (refer) => {
    if (!decide(refer)) return refer.reject(603);
    refer.accept();
    const host = refer.target.uri.toString().replace(/^sip:[^@]*@/, '');
    const peer = Object.values(net.peers).find((p) => host.startsWith(p.address))!;
    const headers: Array<[string, string]> = refer.target.replaces ? [['Replaces', formatReplaces(refer.target.replaces)]] : [];
    const call = ua.invite({ from: `<sip:${name}@${net.peers[name]!.address}>`, to: `<${refer.target.uri.toString()}>`, uri: refer.target.uri, peer, headers, body: 'v=0\r\n' });
    placed.push(call);
    call.events.on('provisional', (r) => refer.progress(r.status));
    call.events.on('established', () => refer.finish(200));
    call.events.on('terminated', (t) => refer.finish(t.status ?? 500));
  });
}

/** Alice in a call with Bob, Carol idle; Alice's call layer follows REFERs when `allow()` says so. */
function threeParties(allow: () => boolean = () => true) {
  const net = new Network();
  const alice = net.ua('alice');
  const bob = net.ua('bob');
  net.ua('carol');
  const { caller, callee } = net.call('alice', 'bob');
  const placed: InviteSession[] = [];
  transferee(net, alice, 'alice', caller, placed, allow);
  return { net, bob, caller, callee, placed };
}

describe('REFER in a dialog (RFC 3515)', () => {
  it('blind transfer: 202, NOTIFY 100 Trying, the new call rings and is answered, final NOTIFY 200 terminated', () => {
    const { net, bob, caller, callee, placed } = threeParties();
    // Bob transfers Alice to Carol.
    const referral = sendRefer({ host: bob, dialog: callee.dialog!, peer: net.peers.alice!, referTo: formatReferTo('sip:carol@127.0.0.3'), referredBy: '<sip:bob@127.0.0.2>' });
    const progress: string[] = [];
    referral.events.on('progress', (p) => progress.push(`${p.status} ${p.reason}`));
    referral.events.on('done', (d) => progress.push(`done ${d.end} ${d.status}`));
    net.clock.advance(50);
    expect(referral.request.value(H.ReferTo)?.uri.toString()).toBe('sip:carol@127.0.0.3');
    expect(referral.request.value(H.ReferredBy)?.uri.toString()).toBe('sip:bob@127.0.0.2');
    expect(referral.state).toBe('accepted');
    const carolCall = net.incoming.carol![0]!;
    carolCall.ring();
    net.clock.advance(50);
    carolCall.accept({ body: 'v=0\r\n', contentType: 'application/sdp' });
    net.clock.advance(100);
    expect(progress).toEqual(['100 Trying', '180 Ringing', '200 OK', 'done completed 200']);
    expect(placed[0]!.state).toBe('confirmed');
    const flow = net.wire().filter((l) => /REFER|NOTIFY/.test(l));
    expect(flow).toEqual(['bob→ REFER', 'alice→ 202 REFER', 'alice→ NOTIFY', 'bob→ 200 NOTIFY', 'alice→ NOTIFY', 'bob→ 200 NOTIFY', 'alice→ NOTIFY', 'bob→ 200 NOTIFY']);
    // The NOTIFYs: Event refer;id=<REFER CSeq>, sipfrag bodies, the last one terminated.
    expect(referral.lastStatus).toBe(200);
    // The original call is untouched by REFER itself.
    expect(caller.state).toBe('confirmed');
  });

  it('a failed referred call ends with its failure status; a refused REFER with the REFER status', () => {
    let allow = true;
    const { net, bob, callee } = threeParties(() => allow);
    const one = sendRefer({ host: bob, dialog: callee.dialog!, peer: net.peers.alice!, referTo: '<sip:carol@127.0.0.3>' });
    const ends: string[] = [];
    one.events.on('done', (d) => ends.push(`${d.end} ${d.status}`));
    net.clock.advance(50);
    net.incoming.carol![0]!.reject(486);
    net.clock.advance(100);
    allow = false;
    const two = sendRefer({ host: bob, dialog: callee.dialog!, peer: net.peers.alice!, referTo: '<sip:carol@127.0.0.3>' });
    two.events.on('done', (d) => ends.push(`${d.end} ${d.status}`));
    net.clock.advance(100);
    expect(ends).toEqual(['completed 486', 'rejected 603']);
  });

  it('REFER without Refer-To gets 400, with two Refer-To too (RFC 3515 §2.4.1)', () => {
    const net = new Network();
    const alice = net.ua('alice');
    net.ua('bob');
    const { caller, callee } = net.call('alice', 'bob');
    const seen: string[] = [];
    acceptRefers(alice, caller.dialog!, (r) => seen.push(r.target.uri.toString()));
    const statuses: number[] = [];
    const send = (headers: Array<[string, string]>) => {
      const refer = callee.dialog!.createRequest('REFER', { via: `SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bK${statuses.length}${headers.length}`, contact: '<sip:bob@127.0.0.2>', headers });
      net.agents.bob!.context.layer.sendRequest(refer, net.peers.alice!, { onResponse: (r) => statuses.push(r.status), onTimeout: () => {}, onTransportError: () => {} });
      net.clock.advance(50);
    };
    send([]);
    send([['Refer-To', '<sip:c@h>'], ['Refer-To', '<sip:d@h>']]);
    send([['Refer-To', 'not a uri']]);
    expect(statuses).toEqual([400, 400, 400]);
    expect(seen).toEqual([]);
  });
});

describe('attended transfer with Replaces (RFC 3891)', () => {
  it('Alice (talking to Bob and Carol) refers Bob to Carol with Replaces; Carol swaps the calls and hangs up on Alice', () => {
    const net = new Network();
    const alice = net.ua('alice');
    net.ua('bob');
    const carol = net.ua('carol');
    const ab = net.call('alice', 'bob');
    const ac = net.call('alice', 'carol');
    const placed: InviteSession[] = [];
    transferee(net, net.agents.bob!, 'bob', ab.callee, placed);
    // Carol's call layer: INVITEs with Replaces go through matchReplaces.
    const decisions: string[] = [];
    const carolSessions: InviteSession[] = [ac.callee];
    net.incoming.carol!.length = 0;
    const referTo = formatReferTo('sip:carol@127.0.0.3', replacesForDialog(ac.caller.dialog!));
    expect(referTo).toMatch(/^<sip:carol@127\.0\.0\.3\?Replaces=[^;>]+%3Bto-tag%3D[^;>]+%3Bfrom-tag%3D[^;>]+>$/);
    const referral = sendRefer({ host: alice, dialog: ab.caller.dialog!, peer: net.peers.bob!, referTo, referredBy: '<sip:alice@127.0.0.1>' });
    const ends: string[] = [];
    referral.events.on('done', (d) => ends.push(`${d.end} ${d.status}`));
    ac.caller.events.on('terminated', (t) => ends.push(`alice-carol ${t.reason}`));
    net.clock.advance(30);
    const incoming = net.incoming.carol![0]!;
    expect(incoming.invite.value(H.Replaces)).toMatchObject({ callId: ac.callee.dialog!.callId, toTag: ac.callee.dialog!.localTag, fromTag: ac.callee.dialog!.remoteTag, earlyOnly: false });
    const m = matchReplaces(incoming.invite, carolSessions);
    decisions.push(m.kind === 'replace' ? `replace ${m.end}` : m.kind);
    if (m.kind === 'replace') {
      incoming.accept({ body: 'v=0\r\n', contentType: 'application/sdp' });
      m.session.hangup();
    }
    net.clock.advance(200);
    expect(decisions).toEqual(['replace bye']);
    expect(ends).toEqual(expect.arrayContaining(['completed 200', 'alice-carol remote-bye']));
    expect(placed[0]!.state).toBe('confirmed');
    expect(ab.caller.state).toBe('confirmed'); // Alice hangs up on Bob herself after the transfer
    expect(carol.sessions.filter((s) => s.state === 'confirmed')).toHaveLength(1);
  });
});

function session(direction: 'outgoing' | 'incoming', state: ReplaceableSession['state'], tags: [string, string] | undefined, callId = 'c1@h'): ReplaceableSession {
  return {
    direction,
    state,
    dialog: tags ? ({ callId, localTag: tags[0], remoteTag: tags[1], state: state === 'terminated' ? 'terminated' : state === 'confirmed' ? 'confirmed' : 'early' } as unknown as ReplaceableSession['dialog']) : undefined,
  };
}

function invite(replaces: string[] | undefined, method = 'INVITE'): SipRequest {
  return createRequest({ method, uri: 'sip:c@h', from: '<sip:b@h>;tag=b1', to: '<sip:c@h>', callId: 'new@h', cseq: 1, headers: (replaces ?? []).map((r) => ['Replaces', r] as [string, string]) });
}

describe('matchReplaces (RFC 3891 §3)', () => {
  const confirmed = session('outgoing', 'confirmed', ['lt', 'rt']);
  it.each([
    ['no Replaces', invite(undefined), [confirmed], 'none'],
    ['confirmed: BYE', invite(['c1@h;to-tag=lt;from-tag=rt']), [confirmed], 'replace bye'],
    ['tags swapped: no match', invite(['c1@h;to-tag=rt;from-tag=lt']), [confirmed], 'reject 481'],
    ['confirmed + early-only: 486', invite(['c1@h;to-tag=lt;from-tag=rt;early-only']), [confirmed], 'reject 486'],
    ['terminated: 603', invite(['c1@h;to-tag=lt;from-tag=rt']), [session('incoming', 'terminated', ['lt', 'rt'])], 'reject 603'],
    ['our early dialog: CANCEL', invite(['c1@h;to-tag=lt;from-tag=rt;early-only']), [session('outgoing', 'early', ['lt', 'rt'])], 'replace cancel'],
    ['their early dialog: 481', invite(['c1@h;to-tag=lt;from-tag=rt']), [session('incoming', 'early', ['lt', 'rt'])], 'reject 481'],
    ['other Call-ID: 481', invite(['c2@h;to-tag=lt;from-tag=rt']), [confirmed], 'reject 481'],
    ['two Replaces: 400', invite(['c1@h;to-tag=lt;from-tag=rt', 'c1@h;to-tag=lt;from-tag=rt']), [confirmed], 'reject 400'],
    ['malformed: 400', invite(['c1@h;to-tag=lt']), [confirmed], 'reject 400'],
    ['not an INVITE: 400', invite(['c1@h;to-tag=lt;from-tag=rt'], 'OPTIONS'), [confirmed], 'reject 400'],
  ] as const)('%s', (_name, request, sessions, expected) => {
    const m = matchReplaces(request, sessions);
    expect(m.kind === 'replace' ? `replace ${m.end}` : m.kind === 'reject' ? `reject ${m.status}` : m.kind).toBe(expected);
  });
});

describe('Refer-To, Replaces and sipfrag encoding', () => {
  it('escapes the Replaces value (RFC 3261 §19.1.1 hvalue) and reads it back', () => {
    expect(escapeHeaderValue('a@b;to-tag=1;from-tag=2 x%')).toBe('a%40b%3Bto-tag%3D1%3Bfrom-tag%3D2%20x%25');
    const text = formatReferTo('sip:carol@example.com;transport=tcp', { callId: '98asjd8@alice.example.com', toTag: '7743', fromTag: '6472', earlyOnly: true });
    expect(text).toBe('<sip:carol@example.com;transport=tcp?Replaces=98asjd8%40alice.example.com%3Bto-tag%3D7743%3Bfrom-tag%3D6472%3Bearly-only>');
    const parsed = parseMessage(Buffer.from(`REFER sip:b@h SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@h>;tag=1\r\nTo: <sip:b@h>;tag=2\r\nCall-ID: x\r\nCSeq: 2 REFER\r\nRefer-To: ${text}\r\nContent-Length: 0\r\n\r\n`));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const t = referTargetOfNameAddr((parsed.value as SipRequest).value(H.ReferTo)!);
    expect(t.ok && t.value.uri.toString()).toBe('sip:carol@example.com;transport=tcp');
    expect(t.ok && t.value.replaces).toMatchObject({ callId: '98asjd8@alice.example.com', toTag: '7743', fromTag: '6472', earlyOnly: true });
  });

  it('a Refer-To whose Replaces does not parse is an error', () => {
    const parsed = parseMessage(Buffer.from(`REFER sip:b@h SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@h>;tag=1\r\nTo: <sip:b@h>;tag=2\r\nCall-ID: x\r\nCSeq: 2 REFER\r\nRefer-To: <sip:c@h?Replaces=abc%3Bto-tag%3D1>\r\nContent-Length: 0\r\n\r\n`));
    if (!parsed.ok) throw new Error('fixture');
    const t = referTargetOfNameAddr((parsed.value as SipRequest).value(H.ReferTo)!);
    expect(t.ok).toBe(false);
    expect(!t.ok && t.error.code).toBe('SIP_BAD_REFER_TO');
  });

  it('sipfrag status lines', () => {
    expect(formatSipfrag(100)).toBe('SIP/2.0 100 Trying\r\n');
    expect(parseSipfrag('SIP/2.0 486 Busy Here\r\n')).toEqual({ ok: true, value: { status: 486, reason: 'Busy Here' } });
    expect(parseSipfrag('SIP/2.0 200 OK\r\nContent-Type: application/sdp\r\n\r\n')).toMatchObject({ ok: true, value: { status: 200 } });
    for (const bad of ['', 'INVITE sip:x SIP/2.0', 'SIP/2.0 99 Low', 'SIP/2.0 700 High', 'SIP/3.0 200 OK']) expect(parseSipfrag(bad).ok).toBe(false);
  });
});

describe('Notifier (implicit subscription)', () => {
  it('sends NOTIFYs one at a time, in order, and a terminated;reason=timeout one at expiry', () => {
    const net = new Network();
    net.ua('alice');
    net.ua('bob');
    const { caller } = net.call('alice', 'bob');
    const n = new Notifier({ ctx: net.agents.alice!.context, dialog: caller.dialog!, peer: net.peers.bob!, event: 'refer;id=7', expiresS: 30 });
    const states: string[] = [];
    n.events.on('notified', (x) => states.push(`${x.status} ${x.state}`));
    n.events.on('terminated', (t) => states.push(`end ${t.reason}`));
    n.notify({ state: 'active', body: formatSipfrag(100), contentType: 'message/sipfrag' });
    n.notify({ state: 'active', body: formatSipfrag(180), contentType: 'message/sipfrag' });
    expect(net.wire().filter((l) => l.includes('NOTIFY'))).toEqual(['alice→ NOTIFY']);
    net.clock.advance(30_100);
    expect(states).toEqual(['200 active', '200 active', '200 terminated', 'end timeout']);
  });

  it('a NOTIFY answered 481 ends the subscription; so does the end of the dialog', () => {
    const net = new Network();
    net.ua('alice');
    net.ua('carol');
    const first = net.call('carol', 'alice');
    const ends: string[] = [];
    // Alice no longer knows the dialog (as after a reboot): her UA answers 481.
    first.caller.dialog!.remoteTag = 'forgotten';
    const n = new Notifier({ ctx: net.agents.carol!.context, dialog: first.caller.dialog!, peer: net.peers.alice!, event: 'refer', expiresS: 60 });
    n.events.on('terminated', (t) => ends.push(t.reason));
    n.notify({ state: 'active' });
    n.notify({ state: 'active' });
    net.clock.advance(50);
    expect(ends).toEqual(['notify-481']);
    expect(net.wire().filter((l) => l.includes('NOTIFY'))).toEqual(['carol→ NOTIFY', 'alice→ 481 NOTIFY']);
    const second = net.call('carol', 'alice');
    const m = new Notifier({ ctx: net.agents.carol!.context, dialog: second.caller.dialog!, peer: net.peers.alice!, event: 'refer', expiresS: 60 });
    m.events.on('terminated', (t) => ends.push(t.reason));
    second.caller.hangup();
    net.clock.advance(100);
    m.notify({ state: 'active' });
    expect(ends).toEqual(['notify-481', 'dialog-terminated']);
  });
});

describe('REFER challenged by a proxy', () => {
  it('is re-sent with Proxy-Authorization and CSeq + 1; NOTIFYs with that id are followed', () => {
    const net = new Network();
    const alice = net.ua('alice', { digest: new DigestClient({ username: 'alice', password: 'pw' }) });
    const server = net.scripted('pbx');
    const invite = createRequest({ method: 'INVITE', uri: 'sip:bob@127.0.0.2', via: 'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKinv', from: '<sip:alice@127.0.0.1>;tag=a1', to: '<sip:bob@127.0.0.2>', callId: 'call-1', cseq: 1, contact: '<sip:alice@127.0.0.1:5060>' });
    const ok = createResponse(invite, 200, { toTag: 'b1', headers: [['Contact', '<sip:bob@127.0.0.2:5060>']] });
    const dialog = Dialog.fromUac(invite, ok)!;
    const referral = sendRefer({ host: alice, dialog, peer: server.peer, referTo: '<sip:carol@127.0.0.3>' });
    const seen: string[] = [];
    referral.events.on('progress', (p) => seen.push(String(p.status)));
    referral.events.on('done', (d) => seen.push(`${d.end} ${d.status}`));
    net.clock.advance(20);
    const first = server.received[0]!;
    expect(first.request.cseq.seq).toBe(2);
    first.tx!.respond(createResponse(first.request, 407, { headers: [['Proxy-Authenticate', 'Digest realm="pbx", nonce="x1"']] }));
    net.clock.advance(20);
    const second = server.received[1]!;
    expect(second.request.cseq.seq).toBe(3);
    expect(second.request.headers.valuesOf('proxy-authorization')).toHaveLength(1);
    second.tx!.respond(createResponse(second.request, 202));
    const notify = (cseq: number, id: number, state: string, status: number) =>
      server.send(
        createRequest({ method: 'NOTIFY', uri: 'sip:alice@127.0.0.1:5060', via: server.via(), from: '<sip:bob@127.0.0.2>;tag=b1', to: '<sip:alice@127.0.0.1>;tag=a1', callId: 'call-1', cseq, contact: '<sip:bob@127.0.0.2:5060>', headers: [['Event', `refer;id=${id}`], ['Subscription-State', state]], body: formatSipfrag(status), contentType: 'message/sipfrag' }),
        net.peers.alice!,
      );
    const stale = notify(1, 2, 'active', 100);
    const good = notify(2, 3, 'terminated;reason=noresource', 200);
    net.clock.advance(20);
    // id=2 names the challenged copy, not this REFER: no usage of the dialog claims it (RFC 6665 §4.1.3).
    expect(stale.map((r) => r.status)).toEqual([481]);
    expect(good.map((r) => r.status)).toEqual([200]);
    expect(seen).toEqual(['200', 'completed 200']);
    expect(dialog.localSeq).toBe(3);
  });
});
