// Symmetric RTP latching (RFC 4961): send to where the remote's media comes from; drop other
// sources once latched unless one of them persists (NAT rebinding).
import { describe, expect, it } from 'vitest';
import { SymmetricLatch } from '../../src/rtp/symmetric-latch.js';

const SDP = { address: '127.0.0.2', port: 16000 };

describe('SymmetricLatch', () => {
  it('sends to the SDP address until the first packet, then to its source', () => {
    const l = new SymmetricLatch({ expected: SDP });
    expect(l.destination).toEqual(SDP);
    expect(l.latched).toBe(false);
    expect(l.check('127.0.0.9', 40000)).toBe('latched');
    expect(l.destination).toEqual({ address: '127.0.0.9', port: 40000 });
    expect(l.check('127.0.0.9', 40000)).toBe('accept');
  });

  it('has no destination before the remote is known', () => {
    const l = new SymmetricLatch();
    expect(l.destination).toBeUndefined();
    expect(l.check('127.0.0.3', 5000)).toBe('latched');
    expect(l.destination).toEqual({ address: '127.0.0.3', port: 5000 });
  });

  it('drops and counts a foreign source; its packets interleaved with the latched one never move the latch', () => {
    const l = new SymmetricLatch({ expected: SDP, relatchAfter: 3 });
    l.check(SDP.address, SDP.port);
    const verdicts: string[] = [];
    for (let i = 0; i < 10; i++) {
      verdicts.push(l.check('127.0.0.66', 6666));
      verdicts.push(l.check(SDP.address, SDP.port));
    }
    expect(verdicts.filter((v) => v === 'foreign')).toHaveLength(10);
    expect(l.foreign).toBe(10);
    expect(l.relatches).toBe(0);
    expect(l.destination).toEqual(SDP);
  });

  it('relatches after `relatchAfter` consecutive packets from one new source (NAT rebinding)', () => {
    // SDP carries the phone's private address; its media comes through a NAT.
    const l = new SymmetricLatch({ expected: { address: '10.0.0.5', port: 4000 }, relatchAfter: 4 });
    l.check('127.0.0.2', 16000);
    expect([1, 2, 3].map(() => l.check('127.0.0.2', 16010))).toEqual(['foreign', 'foreign', 'foreign']);
    expect(l.check('127.0.0.2', 16010)).toBe('relatched');
    expect(l.relatches).toBe(1);
    expect(l.destination).toEqual({ address: '127.0.0.2', port: 16010 });
    // The old source is now the foreign one.
    expect(l.check('127.0.0.2', 16000)).toBe('foreign');
    expect(l.latchedToExpected).toBe(false);
  });

  it('a second candidate restarts the count', () => {
    const l = new SymmetricLatch({ expected: SDP, relatchAfter: 2 });
    l.check(SDP.address, SDP.port);
    expect(l.check('127.0.0.5', 1)).toBe('foreign');
    expect(l.check('127.0.0.6', 1)).toBe('foreign');
    expect(l.check('127.0.0.5', 1)).toBe('foreign');
    expect(l.check('127.0.0.5', 1)).toBe('relatched');
  });

  it('disabled: accepts everything and keeps sending to the SDP address', () => {
    const l = new SymmetricLatch({ expected: SDP, enabled: false });
    expect(l.check('127.0.0.9', 1)).toBe('accept');
    expect(l.check('127.0.0.8', 2)).toBe('accept');
    expect(l.destination).toEqual(SDP);
    expect(l.latched).toBe(false);
  });

  it('reset (re-INVITE with a new remote) forgets the latch and the candidate', () => {
    const l = new SymmetricLatch({ expected: SDP, relatchAfter: 2 });
    l.check('127.0.0.9', 9);
    l.check('127.0.0.7', 7); // a candidate with one packet
    l.reset({ address: '127.0.0.4', port: 4000 });
    expect(l.latched).toBe(false);
    expect(l.destination).toEqual({ address: '127.0.0.4', port: 4000 });
    expect(l.check('127.0.0.4', 4000)).toBe('latched');
    // The pre-reset candidate does not carry over: one packet of it is not enough.
    expect(l.check('127.0.0.7', 7)).toBe('foreign');
  });
});

describe('SymmetricLatch and the SDP address', () => {
  it('a packet from the SDP address takes the latch back at once (a stale peer latched after a re-INVITE)', () => {
    const l = new SymmetricLatch({ expected: SDP, relatchAfter: 4 });
    expect(l.check('127.0.0.50', 5000)).toBe('latched'); // late packet of the old peer
    expect(l.latchedToExpected).toBe(false);
    expect(l.check(SDP.address, SDP.port)).toBe('relatched');
    expect(l.latchedToExpected).toBe(true);
    expect(l.destination).toEqual(SDP);
    expect(l.expected).toEqual(SDP);
  });
});
