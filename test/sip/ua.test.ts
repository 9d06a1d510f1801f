// Component stories: two user agents over an in-memory network that can drop messages, in
// virtual time ("Alice calls Bob, Bob answers, Bob hangs up").
import { describe, expect, it } from 'vitest';
import { parseMessage, type SipMessage, type SipRequest } from '../../src/sip/message/index.js';
import type { Peer } from '../../src/sip/transaction/transaction-layer.js';
import type { InviteSession } from '../../src/sip/ua/invite-session.js';
import { PEERS, twoAgents } from './ua-network.js';

const BOB: Peer = PEERS.bob;

/** The two-UA network of ua-network.ts with its wire log as "time from→ label" lines. */
function network(options: { drop?: (m: SipMessage, from: string) => boolean; latencyMs?: number } = {}) {
  const net = twoAgents(options);
  return {
    ...net,
    get log(): string[] {
      return net.flow(true);
    },
    call: () => net.call({ body: 'v=0\r\n' }),
  };
}

function ends(session: InviteSession): string[] {
  const out: string[] = [];
  session.events.on('terminated', (t) => out.push(`${t.reason}${t.status ? ` ${t.status}` : ''}`));
  return out;
}

describe('INVITE sessions between two UAs', () => {
  it('Alice calls Bob, Bob rings and answers, Bob hangs up', () => {
    const net = network();
    const alice = net.call();
    const aliceEnd = ends(alice);
    net.clock.advance(20);
    const bob = net.incoming.bob![0]!;
    const bobEnd = ends(bob);
    bob.ring();
    net.clock.advance(20);
    expect(alice.state).toBe('early');
    bob.accept({ body: 'v=0\r\n', contentType: 'application/sdp' });
    net.clock.advance(50);
    expect(alice.state).toBe('confirmed');
    expect(bob.state).toBe('confirmed');
    bob.hangup();
    net.clock.advance(50);
    expect(aliceEnd).toEqual(['remote-bye']);
    expect(bobEnd).toEqual(['local-bye 200']);
    expect(net.log.map((l) => l.replace(/^\d+ /, ''))).toEqual([
      'alice→ INVITE',
      'bob→ 100 INVITE',
      'bob→ 180 INVITE',
      'bob→ 200 INVITE',
      'alice→ ACK',
      'bob→ BYE',
      'alice→ 200 BYE',
    ]);
    // No 2xx retransmission after the ACK, nothing left running but lingering bookkeeping.
    net.clock.advance(60_000);
    expect(net.log).toHaveLength(7);
  });

  it('a lost ACK: Bob retransmits the 200 at T1, Alice ACKs again', () => {
    let acks = 0;
    const net = network({ drop: (m) => m.kind === 'request' && (m as SipRequest).method === 'ACK' && acks++ === 0 });
    const alice = net.call();
    net.clock.advance(20);
    const bob = net.incoming.bob![0]!;
    let established = 0;
    bob.events.on('established', () => established++);
    bob.accept();
    net.clock.advance(5_000);
    expect(net.log.filter((l) => / 200 INVITE| ACK/.test(l))).toEqual(['20 bob→ 200 INVITE', '30 alice→ ACK (lost)', '520 bob→ 200 INVITE', '530 alice→ ACK']);
    expect(established).toBe(1);
    expect(alice.state).toBe('confirmed');
  });

  it('no ACK at all: Bob retransmits 200 (T1 doubling to T2) and gives up with BYE after 64*T1', () => {
    const net = network({ drop: (m) => m.kind === 'request' && (m as SipRequest).method === 'ACK' });
    net.call();
    net.clock.advance(20);
    const bob = net.incoming.bob![0]!;
    const bobEnd = ends(bob);
    bob.accept();
    net.clock.advance(40_000);
    const retransmits = net.log.filter((l) => l.includes('bob→ 200 INVITE')).map((l) => Number(l.split(' ')[0]));
    expect(retransmits).toEqual([20, 520, 1520, 3520, 7520, 11520, 15520, 19520, 23520, 27520, 31520]);
    expect(net.log.some((l) => l.includes('bob→ BYE'))).toBe(true);
    expect(bobEnd).toEqual(['no-ack 200']);
  });

  it('Alice cancels while it rings: CANCEL, 200, 487, ACK', () => {
    const net = network();
    const alice = net.call();
    const aliceEnd = ends(alice);
    net.clock.advance(20);
    const bob = net.incoming.bob![0]!;
    const bobEnd = ends(bob);
    bob.ring();
    net.clock.advance(20);
    alice.hangup();
    net.clock.advance(100);
    expect(aliceEnd).toEqual(['cancelled 487']);
    expect(bobEnd).toEqual(['cancelled 487']);
    expect(net.log.map((l) => l.replace(/^\d+ /, '')).slice(3)).toEqual(['alice→ CANCEL', 'bob→ 200 CANCEL', 'bob→ 487 INVITE', 'alice→ ACK']);
  });

  it('a CANCEL before any provisional response waits for one (§9.1)', () => {
    const net = network({ latencyMs: 10 });
    const alice = net.call();
    alice.cancel();
    expect(net.log).toEqual(['0 alice→ INVITE']);
    net.clock.advance(100);
    expect(net.log.map((l) => l.replace(/^\d+ /, ''))).toContain('alice→ CANCEL');
    expect(alice.state).toBe('terminated');
  });

  it('CANCEL racing the 200: the call is ACKed and then ended with BYE', () => {
    const net = network({ latencyMs: 10 });
    const alice = net.call();
    const aliceEnd = ends(alice);
    net.clock.advance(20);
    const bob = net.incoming.bob![0]!;
    bob.ring();
    net.clock.advance(20);
    bob.accept();
    alice.cancel(); // crosses the 200 on the wire
    net.clock.advance(200);
    const wire = net.log.map((l) => l.replace(/^\d+ /, ''));
    expect(wire, net.log.join('\n')).toEqual(expect.arrayContaining(['alice→ CANCEL', 'bob→ 200 CANCEL', 'alice→ ACK', 'alice→ BYE', 'bob→ 200 BYE']));
    expect(aliceEnd).toEqual(['local-bye 200']);
  });

  it('Bob rejects with 486; retransmitted INVITEs are absorbed', () => {
    const net = network();
    const alice = net.call();
    const aliceEnd = ends(alice);
    net.clock.advance(20);
    net.incoming.bob![0]!.reject(486);
    net.clock.advance(100);
    expect(aliceEnd).toEqual(['rejected 486']);
    expect(net.incoming.bob).toHaveLength(1);
  });

  it('no answer at all: Timer B ends the call with 408', () => {
    const net = network({ drop: (_m, from) => from === 'alice' });
    const alice = net.call();
    const aliceEnd = ends(alice);
    net.clock.advance(40_000);
    expect(aliceEnd).toEqual(['timeout 408']);
  });

  it('INFO in the dialog reaches the application; re-INVITE without a handler gets 488', () => {
    const net = network();
    const alice = net.call();
    net.clock.advance(20);
    const bob = net.incoming.bob![0]!;
    const seen: string[] = [];
    bob.events.on('request', ({ request, respond }) => {
      seen.push(request.method);
      if (request.method === 'INFO') respond(200);
    });
    bob.accept();
    net.clock.advance(50);
    const info = alice.dialog!.createRequest('INFO', { via: 'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKinfo1', body: 'Signal=5\r\nDuration=160\r\n', contentType: 'application/dtmf-relay' });
    const results: number[] = [];
    net.layers.alice!.sendRequest(info, BOB, { onResponse: (r) => results.push(r.status), onTimeout: () => {}, onTransportError: () => {} });
    net.clock.advance(50);
    expect(seen).toEqual(['INFO']);
    expect(results).toEqual([200]);
  });
});

describe('UA core outside dialogs', () => {
  it('answers OPTIONS with Allow, Accept and Supported; 501 for unknown methods; 481 for stray BYE', () => {
    const net = network();
    const statuses: string[] = [];
    const send = (method: string, to = '<sip:bob@127.0.0.2>') => {
      const r = parseMessage(
        Buffer.from(
          `${method} sip:bob@127.0.0.2 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-${method}\r\nMax-Forwards: 70\r\nFrom: <sip:alice@127.0.0.1>;tag=x\r\nTo: ${to}\r\nCall-ID: ${method}-1\r\nCSeq: 1 ${method}\r\nContent-Length: 0\r\n\r\n`,
        ),
      );
      if (!r.ok) throw new Error(r.error.reason);
      net.layers.alice!.sendRequest(r.value as SipRequest, BOB, {
        onResponse: (res) => statuses.push(`${method} ${res.status} ${res.headers.valuesOf('allow').join('')}`),
        onTimeout: () => {},
        onTransportError: () => {},
      });
    };
    send('OPTIONS');
    send('FROB');
    send('BYE', '<sip:bob@127.0.0.2>;tag=nope');
    net.clock.advance(100);
    expect(statuses).toEqual([
      'OPTIONS 200 INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE, NOTIFY, REFER',
      'FROB 501 INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE, NOTIFY, REFER',
      'BYE 481 ',
    ]);
  });
});
