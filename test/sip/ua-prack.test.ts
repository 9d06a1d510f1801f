// 100rel/PRACK (RFC 3262) and INVITE expiry between two UAs in virtual time.
import { describe, expect, it } from 'vitest';
import type { SipRequest, SipResponse } from '../../src/sip/message/index.js';
import { endings, twoAgents } from './ua-network.js';

const REL = { reliableProvisional: true };

describe('reliable provisional responses (RFC 3262)', () => {
  it('Bob sends a reliable 183, Alice PRACKs it; the 200 waits for the PRACK', () => {
    const net = twoAgents({ session: { alice: REL, bob: REL }, latencyMs: 10 });
    const alice = net.call();
    net.clock.advance(20);
    expect(net.sent('alice', 'INVITE')[0]!.message.headers.get('Supported')).toContain('100rel');
    const bob = net.incoming.bob[0]!;
    const provisional: number[] = [];
    alice.events.on('provisional', (r) => provisional.push(r.status));
    bob.progress(183, { body: 'v=0 bob-early\r\n' });
    bob.accept({ body: 'v=0 bob-1\r\n' }); // queued until the PRACK (§3)
    net.clock.advance(100);
    expect(net.flow()).toEqual(['alice→ INVITE', 'bob→ 100 INVITE', 'bob→ 183 INVITE', 'alice→ PRACK', 'bob→ 200 PRACK', 'bob→ 200 INVITE', 'alice→ ACK']);
    const r183 = net.sent('bob', '183 INVITE')[0]!.message as SipResponse;
    expect(r183.headers.get('Require')).toBe('100rel');
    const rseq = Number(r183.headers.get('RSeq'));
    expect(rseq).toBeGreaterThanOrEqual(1);
    const prack = net.sent('alice', 'PRACK')[0]!.message as SipRequest;
    expect(prack.headers.get('RAck')).toBe(`${rseq} 1 INVITE`);
    expect(prack.cseq.seq).toBe(2);
    expect(prack.to.tag).toBe(r183.to.tag);
    expect(provisional).toEqual([183]);
    expect(alice.state).toBe('confirmed');
    expect(bob.state).toBe('confirmed');
  });

  it('a lost PRACK: the 183 is retransmitted at T1, Alice ignores the copy and PRACKs once more by her transaction', () => {
    let dropped = 0;
    const net = twoAgents({ session: { alice: REL, bob: REL }, drop: (m) => m.kind === 'request' && (m as SipRequest).method === 'PRACK' && dropped++ < 1 });
    const alice = net.call();
    net.clock.advance(20);
    const bob = net.incoming.bob[0]!;
    let provisionals = 0;
    alice.events.on('provisional', (r) => void (r.status === 183 && provisionals++));
    bob.progress(183);
    net.clock.advance(2_000);
    // PRACK retransmitted by its own non-INVITE transaction at T1; the 183 copy is not re-PRACKed.
    expect(net.flow(true)).toEqual(['0 alice→ INVITE', '10 bob→ 100 INVITE', '20 bob→ 183 INVITE', '30 alice→ PRACK (lost)', '520 bob→ 183 INVITE', '530 alice→ PRACK', '540 bob→ 200 PRACK']);
    expect(provisionals).toBe(1);
  });

  it('no PRACK at all: T1-doubling retransmissions for 64*T1, then 500 (§3)', () => {
    const net = twoAgents({ session: { alice: REL, bob: REL }, drop: (m) => m.kind === 'request' && (m as SipRequest).method === 'PRACK' });
    const alice = net.call();
    const aliceEnd = endings(alice);
    net.clock.advance(20);
    const bob = net.incoming.bob[0]!;
    const bobEnd = endings(bob);
    bob.progress(180);
    net.clock.advance(40_000);
    expect(net.sent('bob', '180 INVITE').map((w) => w.at - 20)).toEqual([0, 500, 1500, 3500, 7500, 15500, 31500]);
    expect(net.sent('bob', '500 INVITE').map((w) => w.at - 20)).toEqual([32000]);
    expect(bobEnd).toEqual(['no-prack 500']);
    expect(aliceEnd).toEqual(['rejected 500']);
  });

  it('without 100rel at the caller the 18x is unreliable; SIP_18X_RTX_INTVL repeats it', () => {
    const net = twoAgents({ session: { bob: { ...REL, provisionalRetransmitS: 60 } } });
    net.call();
    net.clock.advance(20);
    const bob = net.incoming.bob[0]!;
    bob.progress(180);
    net.clock.advance(130_000);
    const r180 = net.sent('bob', '180 INVITE');
    expect(r180.map((w) => w.at)).toEqual([20, 60_020, 120_020]);
    expect(r180[0]!.message.headers.has('RSeq')).toBe(false);
    expect(net.sent('alice', 'PRACK')).toHaveLength(0);
  });

  it('a second reliable 18x waits for the PRACK of the first (§3)', () => {
    const net = twoAgents({ session: { alice: REL, bob: REL }, latencyMs: 10 });
    net.call();
    net.clock.advance(20);
    const bob = net.incoming.bob[0]!;
    bob.progress(180);
    bob.progress(183, { body: 'v=0\r\n' });
    net.clock.advance(100);
    const rseqs = [...net.sent('bob', '180 INVITE'), ...net.sent('bob', '183 INVITE')].map((w) => Number(w.message.headers.get('RSeq')));
    expect(rseqs[1]).toBe(rseqs[0]! + 1);
    expect(net.flow().slice(2)).toEqual(['bob→ 180 INVITE', 'alice→ PRACK', 'bob→ 200 PRACK', 'bob→ 183 INVITE', 'alice→ PRACK', 'bob→ 200 PRACK']);
  });
});

describe('INVITE expiry (KX-UT670 SIP_INVITE_EXPIRE_n)', () => {
  it('Alice puts Expires on the INVITE; unanswered, Bob gives 487 when it passes', () => {
    const net = twoAgents({ session: { alice: { inviteExpiresS: 60 } }, drop: (m) => m.kind === 'request' && (m as SipRequest).method === 'CANCEL' });
    const alice = net.call();
    const aliceEnd = endings(alice);
    net.clock.advance(20);
    expect(net.sent('alice', 'INVITE')[0]!.message.headers.get('Expires')).toBe('60');
    const bob = net.incoming.bob[0]!;
    const bobEnd = endings(bob);
    bob.progress(180);
    net.clock.advance(61_000);
    expect(bobEnd).toEqual(['expired 487']);
    expect(net.sent('bob', '487 INVITE')[0]!.at).toBe(60_010);
    expect(net.sent('alice', 'CANCEL')[0]!.at).toBe(60_000); // §13.2.1: the UAC cancels too
    expect(aliceEnd).toEqual(['cancelled 487']);
  });

  it('an INVITE answered in time is not touched by its Expires', () => {
    const net = twoAgents({ session: { alice: { inviteExpiresS: 60 } } });
    const alice = net.call();
    net.clock.advance(20);
    net.incoming.bob[0]!.accept();
    net.clock.advance(120_000);
    expect(alice.state).toBe('confirmed');
    expect(net.sent('alice', 'CANCEL')).toHaveLength(0);
  });
});
