// Session timers (RFC 4028), re-INVITE / UPDATE offers in both directions (RFC 3261 §14,
// RFC 3311) with glare, and digest retries of challenged requests, between two UAs in virtual time.
import { describe, expect, it } from 'vitest';
import { digestResponse } from '../../src/core/digest.js';
import { createResponse, H, type SipRequest } from '../../src/sip/message/index.js';
import type { ModifyOutcome } from '../../src/sip/ua/invite-session.js';
import { endings, twoAgents, wireLabel } from './ua-network.js';

function established(net: ReturnType<typeof twoAgents>) {
  const alice = net.call();
  net.clock.advance(20);
  const bob = net.incoming.bob[0]!;
  bob.accept({ body: 'v=0 bob-1\r\n', contentType: 'application/sdp' });
  net.clock.advance(50);
  expect(alice.state).toBe('confirmed');
  return { alice, bob };
}

describe('session timers (RFC 4028)', () => {
  it('Alice asks for 120 s with refresher=uac and refreshes by UPDATE every 60 s', () => {
    const net = twoAgents({ session: { alice: { sessionExpiresS: 120, refresher: 'uac', sessionMethod: 'update' }, bob: { sessionExpiresS: 1800 } } });
    const { alice, bob } = established(net);
    const invite = net.sent('alice', 'INVITE')[0]!.message;
    expect(invite.headers.get('Session-Expires')).toBe('120;refresher=uac');
    expect(invite.headers.get('Supported')).toContain('timer');
    const ok = net.sent('bob', '200 INVITE')[0]!.message;
    expect(ok.headers.get('Session-Expires')).toBe('120;refresher=uac');
    expect(ok.headers.get('Require')).toBe('timer');
    net.clock.advance(200_000);
    expect(net.sent('alice', 'UPDATE').map((w) => w.at)).toEqual([60_030, 120_050, 180_070]);
    expect(net.sent('alice', 'UPDATE')[0]!.message.headers.get('Session-Expires')).toBe('120;refresher=uac');
    expect(alice.state).toBe('confirmed');
    expect(bob.state).toBe('confirmed');
  });

  it('refreshes by re-INVITE with the last SDP when SIP_SESSION_METHOD is re-INVITE; Bob as refresher (refresher=uas)', () => {
    const net = twoAgents({ session: { alice: { sessionExpiresS: 90, refresher: 'uas' }, bob: { sessionExpiresS: 1800, sessionMethod: 'invite' } } });
    const { bob } = established(net);
    net.clock.advance(50_000);
    const reinvites = net.sent('bob', 'INVITE');
    expect(reinvites.map((w) => w.at)).toEqual([45_020]);
    expect(reinvites[0]!.message.body.toString()).toBe('v=0 bob-1\r\n');
    expect(net.flow().slice(-3)).toEqual(['bob→ INVITE', 'alice→ 200 INVITE', 'bob→ ACK']);
    expect(bob.state).toBe('confirmed');
  });

  it('no refresh arrives: the non-refresher sends BYE min(32, SE/3) s before expiry', () => {
    const net = twoAgents({
      session: { alice: { sessionExpiresS: 120, refresher: 'uac', sessionMethod: 'update' }, bob: { sessionExpiresS: 120 } },
      drop: (m) => m.kind === 'request' && (m as SipRequest).method === 'UPDATE',
    });
    const { alice, bob } = established(net);
    const bobEnd = endings(bob);
    const aliceEnd = endings(alice);
    net.clock.advance(100_000);
    expect(net.sent('bob', 'BYE').map((w) => w.at)).toEqual([20 + 88_000]);
    expect(bobEnd).toEqual(['session-expired 200']);
    expect(aliceEnd).toEqual(['remote-bye']);
  });

  it('422: Alice asks for 90 s, Bob wants at least 120; the INVITE goes again with CSeq 2, Session-Expires and Min-SE 120', () => {
    const net = twoAgents({ session: { alice: { sessionExpiresS: 60 }, bob: { sessionExpiresS: 1800, minSeS: 120 } } });
    const alice = net.call();
    net.clock.advance(100);
    const invites = net.sent('alice', 'INVITE').map((w) => w.message as SipRequest);
    expect(net.flow().slice(0, 4)).toEqual(['alice→ INVITE', 'bob→ 100 INVITE', 'bob→ 422 INVITE', 'alice→ ACK']);
    expect(invites.map((r) => [r.cseq.seq, r.headers.get('Session-Expires'), r.headers.get('Min-SE')])).toEqual([
      [1, '90', undefined], // SIP_SESSION_TIME 60 is raised to the RFC 4028 §5 floor of 90
      [2, '120', '120'],
    ]);
    expect(invites[1]!.callId).toBe(invites[0]!.callId);
    expect(invites[1]!.from.tag).toBe(invites[0]!.from.tag);
    expect(net.incoming.bob).toHaveLength(1); // the 422'd INVITE never rang
    net.incoming.bob[0]!.accept();
    net.clock.advance(100);
    expect(alice.state).toBe('confirmed');
  });
});

describe('re-INVITE and UPDATE', () => {
  it('Bob re-INVITEs; Alice answers through the offer event; the 2xx is ACKed', () => {
    const net = twoAgents();
    const { alice, bob } = established(net);
    alice.events.on('offer', (o) => {
      expect(o.body.toString()).toBe('v=0 bob-hold\r\n');
      o.answer('v=0 alice-hold\r\n');
    });
    const answers: string[] = [];
    bob.events.on('answer', (a) => answers.push(`${a.via} ${a.body.toString()}`));
    const outcomes: ModifyOutcome[] = [];
    expect(bob.reinvite('v=0 bob-hold\r\n', (o) => outcomes.push(o))).toBe(true);
    net.clock.advance(100);
    expect(net.flow().slice(-3)).toEqual(['bob→ INVITE', 'alice→ 200 INVITE', 'bob→ ACK']);
    expect(answers).toEqual(['response v=0 alice-hold\r\n']);
    expect(outcomes.map((o) => o.ok)).toEqual([true]);
    expect(alice.localBody?.body).toBe('v=0 alice-hold\r\n');
  });

  it('an offerless re-INVITE: our offer in the 2xx, the answer arrives in the ACK', () => {
    const net = twoAgents();
    const { alice, bob } = established(net);
    bob.events.on('offer', (o) => {
      expect(o.body.length).toBe(0);
      o.answer('v=0 bob-offer\r\n');
    });
    const answers: string[] = [];
    bob.events.on('answer', (a) => answers.push(`${a.via} ${a.body.toString()}`));
    alice.events.on('answer', (a) => {
      // Alice gets Bob's offer in the 2xx; a real call layer would now answer it in the ACK.
      expect(a.body.toString()).toBe('v=0 bob-offer\r\n');
    });
    alice.reinvite();
    net.clock.advance(100);
    expect(net.flow().slice(-3)).toEqual(['alice→ INVITE', 'bob→ 200 INVITE', 'alice→ ACK']);
    expect(answers).toEqual([]); // our ACK has no body here
  });

  it('UPDATE with an offer from Alice; a 2xx retransmission of a re-INVITE is ACKed again', () => {
    let acks = 0;
    const net = twoAgents({ drop: (m) => m.kind === 'request' && (m as SipRequest).method === 'ACK' && m.cseq.seq === 3 && acks++ === 0 });
    const { alice, bob } = established(net);
    bob.events.on('offer', (o) => o.answer(`v=0 bob-${o.method}\r\n`));
    const done: string[] = [];
    alice.update('v=0 alice-upd\r\n', (o) => done.push(`${o.ok}`));
    net.clock.advance(100);
    alice.reinvite('v=0 alice-re\r\n', (o) => done.push(`${o.ok}`));
    net.clock.advance(2_000);
    expect(done).toEqual(['true', 'true']);
    expect(net.sent('bob', '200 UPDATE')[0]!.message.body.toString()).toBe('v=0 bob-UPDATE\r\n');
    expect(net.sent('bob', '200 INVITE').length).toBe(3); // initial + re-INVITE + one retransmission
    expect(net.sent('alice', 'ACK').map((w) => w.lost)).toEqual([false, true, false]);
  });

  it('glare: both re-INVITE at once, both get 491, the §14.1 back-off lets Bob (0-2 s) go before Alice (2.1-4 s)', () => {
    const net = twoAgents({ session: { alice: { random: () => 0.5 }, bob: { random: () => 0.5 } } });
    const { alice, bob } = established(net);
    for (const s of [alice, bob]) s.events.on('offer', (o) => o.answer('v=0 answer\r\n'));
    const done: string[] = [];
    alice.reinvite('v=0 a\r\n', (o) => done.push(`alice ${o.ok}`));
    bob.reinvite('v=0 b\r\n', (o) => done.push(`bob ${o.ok}`));
    net.clock.advance(10_000);
    expect(net.sent('alice', '491 INVITE')).toHaveLength(1);
    expect(net.sent('bob', '491 INVITE')).toHaveLength(1);
    const t0 = net.sent('bob', 'INVITE')[0]!.at;
    // Bob: non-owner of the Call-ID: 0.5 * 2 s = 1000 ms after the 491; Alice: 2100 + 950 ms.
    const bobRetry = net.sent('bob', 'INVITE')[1]!.at;
    const aliceRetry = net.sent('alice', 'INVITE')[2]!.at;
    expect(bobRetry - (t0 + 20)).toBe(1000);
    expect(aliceRetry - (t0 + 20)).toBe(3050);
    expect(done).toEqual(['bob true', 'alice true']);
  });

  it('an offer while the previous one is unanswered: 500 with Retry-After; while ours is pending: 491', () => {
    const net = twoAgents({ session: { bob: { random: () => 0.35 } } });
    const { alice, bob } = established(net);
    let held: { answer: (b?: string) => void } | undefined;
    bob.events.on('offer', (o) => (held = o)); // Bob's call layer is slow to answer
    alice.reinvite('v=0 one\r\n');
    net.clock.advance(50);
    // A second re-INVITE from Alice's side, built by hand (her session refuses to start one).
    const second = alice.dialog!.createRequest('INVITE', { via: 'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKsecond', contact: '<sip:alice@127.0.0.1:5060>', body: 'v=0 two\r\n' });
    const statuses: string[] = [];
    net.layers.alice.sendRequest(second, { address: '127.0.0.2', port: 5060, transport: 'udp' }, { onResponse: (r) => statuses.push(`${r.status} ${r.headers.get('Retry-After') ?? ''}`), onTimeout: () => {}, onTransportError: () => {} });
    net.clock.advance(50);
    expect(statuses).toEqual(['500 3']);
    expect(alice.reinvite('v=0 three\r\n')).toBe(false);
    held!.answer('v=0 ok\r\n');
    net.clock.advance(50);
    // Now Bob offers while Alice's UPDATE offer is pending at Bob... Alice answers Bob's with 491.
    bob.events.on('offer', (o) => o.answer('x'));
    alice.events.on('offer', (o) => o.answer('y'));
    alice.update('v=0 four\r\n');
    const bobDone: number[] = [];
    bob.reinvite('v=0 five\r\n', (o) => bobDone.push(o.ok ? 200 : o.status));
    net.clock.advance(15);
    expect(net.sent('alice', '491 INVITE')).toHaveLength(1);
    expect(net.sent('bob', '491 UPDATE')).toHaveLength(1);
  });

  it('INFO still reaches the request event; a 481 to our re-INVITE ends the session', () => {
    const net = twoAgents();
    const { alice, bob } = established(net);
    const aliceEnd = endings(alice);
    const seen: string[] = [];
    bob.events.on('request', ({ request, respond }) => {
      seen.push(request.method);
      respond(200);
    });
    const info = alice.dialog!.createRequest('INFO', { via: 'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKinfo', body: 'Signal=1\r\n', contentType: 'application/dtmf-relay' });
    net.layers.alice.sendRequest(info, { address: '127.0.0.2', port: 5060, transport: 'udp' }, { onResponse: () => {}, onTimeout: () => {}, onTransportError: () => {} });
    net.clock.advance(50);
    expect(seen).toEqual(['INFO']);
    bob.dialog!.terminate();
    (net.agents.bob as unknown as { sessionsByDialog: Map<string, unknown> }).sessionsByDialog.clear();
    alice.reinvite('v=0\r\n');
    net.clock.advance(100);
    expect(aliceEnd).toEqual(['dialog-gone 481']);
  });
});

describe('challenged requests (RFC 3261 §22.2)', () => {
  it('INVITE and BYE challenged by 401/407 are re-sent with credentials, CSeq + 1, same Call-ID and From tag', () => {
    const realm = 'vphone.test';
    const seen: SipRequest[] = [];
    const verify = (r: SipRequest, header: string): boolean => {
      const v = r.headers.get(header);
      if (!v) return false;
      const get = (k: string) => new RegExp(`${k}="?([^",]+)`).exec(v)?.[1];
      const expected = digestResponse({ algorithm: 'MD5', username: 'alice', realm, password: 'secret', method: r.method, uri: get('uri')!, nonce: get('nonce')!, qop: 'auth', nc: get('nc'), cnonce: get('cnonce') });
      return get('response') === expected;
    };
    const net = twoAgents({
      credentials: { alice: { username: 'alice', password: 'secret' } },
      bobLayerUser: () => ({
        onRequest: (r, tx) => {
          seen.push(r);
          if (!tx) return;
          const proxy = r.method === 'INVITE';
          const header = proxy ? 'Proxy-Authorization' : 'Authorization';
          if (!verify(r, header)) {
            const challenge = `Digest realm="${realm}", nonce="n-${r.method}", qop="auth", algorithm=MD5`;
            return tx.respond(createResponse(r, proxy ? 407 : 401, { headers: [[proxy ? 'Proxy-Authenticate' : 'WWW-Authenticate', challenge]] }));
          }
          tx.respond(createResponse(r, 200, { toTag: 'bobtag', headers: [['Contact', '<sip:bob@127.0.0.2:5060>']] }));
        },
      }),
    });
    const alice = net.call();
    const aliceEnd = endings(alice);
    net.clock.advance(100);
    expect(alice.state).toBe('confirmed');
    alice.hangup();
    net.clock.advance(100);
    expect(aliceEnd).toEqual(['local-bye 200']);
    expect(seen.map((r) => `${r.method} ${r.cseq.seq}`)).toEqual(['INVITE 1', 'INVITE 2', 'ACK 2', 'BYE 3', 'BYE 4']);
    const [first, second] = seen;
    expect(second!.callId).toBe(first!.callId);
    expect(second!.from.tag).toBe(first!.from.tag);
    expect(second!.topVia!.branch).not.toBe(first!.topVia!.branch);
    expect(second!.value(H.ProxyAuthorization)).toBeDefined();
  });

  it('a re-INVITE and an UPDATE challenged inside the dialog go again with credentials and CSeq + 1', () => {
    const challenged = new Set<string>();
    const net = twoAgents({
      credentials: { alice: { username: 'alice', password: 'secret' } },
      bobLayerUser: (_layer, bob) => ({
        onRequest: (r, tx, s) => {
          const inDialog = r.to.tag !== undefined && (r.method === 'INVITE' || r.method === 'UPDATE');
          if (inDialog && tx && !r.headers.has('Authorization') && !challenged.has(r.method)) {
            challenged.add(r.method);
            return tx.respond(createResponse(r, 401, { headers: [['WWW-Authenticate', `Digest realm="b", nonce="${r.method}", qop="auth"`]] }));
          }
          bob().onRequest(r, tx, s);
        },
        onStrayResponse: (r) => bob().onStrayResponse(r),
      }),
    });
    const { alice, bob } = established(net);
    bob.events.on('offer', (o) => o.answer('v=0 bob-2\r\n'));
    const done: string[] = [];
    alice.reinvite('v=0 alice-2\r\n', (o) => done.push(`INVITE ${o.ok}`));
    net.clock.advance(100);
    alice.update('v=0 alice-3\r\n', (o) => done.push(`UPDATE ${o.ok}`));
    net.clock.advance(100);
    expect(done).toEqual(['INVITE true', 'UPDATE true']);
    const seqs = net.wire.filter((w) => w.from === 'alice' && w.message.kind === 'request').map((w) => `${wireLabel(w.message)} ${w.message.cseq.seq}${w.message.headers.has('Authorization') ? ' auth' : ''}`);
    expect(seqs).toEqual(['INVITE 1', 'ACK 1', 'INVITE 2', 'ACK 2', 'INVITE 3 auth', 'ACK 3', 'UPDATE 4', 'UPDATE 5 auth']);
    expect(alice.dialog!.localSeq).toBe(5);
  });

  it('wrong password: the second challenge ends the call with that status', () => {
    const net = twoAgents({
      credentials: { alice: { username: 'alice', password: 'wrong' } },
      bobLayerUser: () => ({
        onRequest: (r, tx) =>
          tx?.respond(createResponse(r, 401, { headers: [['WWW-Authenticate', `Digest realm="x", nonce="n${r.cseq.seq}", qop="auth"`]] })),
      }),
    });
    const alice = net.call();
    const aliceEnd = endings(alice);
    net.clock.advance(200);
    expect(aliceEnd).toEqual(['rejected 401']);
    expect(net.sent('alice', 'INVITE')).toHaveLength(2);
  });
});
