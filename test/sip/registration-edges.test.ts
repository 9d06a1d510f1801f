// Registration edge cases of issue 3 in virtual time, exact schedules against the scripted
// registrar of registration-harness.ts: 3xx to REGISTER (RFC 3261 §8.1.3.4: Contact followed,
// 305 through a proxy, q order, hop limit, loops, names and other transports refused), 503/500/480
// with Retry-After (RFC 3261 §21.5.4, §20.33; RFC 3263 §4.3) and the fail-back to the primary on
// the refresh due on a fail-over target (KX-UT670 5.8.2 SIP_FOVR_*; rule in registration.ts).
import { describe, expect, it } from 'vitest';
import { createResponse, type SipRequest, type SipResponse } from '../../src/sip/message/index.js';
import type { Peer } from '../../src/sip/transaction/transaction-layer.js';
import { MAX_REDIRECTS } from '../../src/sip/registration/redirect.js';
import { retryAfterSeconds } from '../../src/sip/registration/retry-after.js';
import { A, B, setup } from './registration-harness.js';

const redirect = (status: number, ...contacts: string[]) => (req: SipRequest): SipResponse => createResponse(req, status, { headers: contacts.map((c) => ['Contact', c] as const) });
const unavailable = (status: number, retryAfter?: string) => (req: SipRequest): SipResponse =>
  createResponse(req, status, { headers: retryAfter === undefined ? [] : [['Retry-After', retryAfter]] });
const at = (p: Peer): string => `${p.address}:${p.port}`;

describe('Registration: 3xx to REGISTER (RFC 3261 §8.1.3.4)', () => {
  it('302: the next REGISTER goes to the Contact (new CSeq, its host as Request-URI), refreshes stay there', () => {
    const t = setup();
    t.registrar.override = (req, peer) => (peer.address === A.address ? redirect(302, '<sip:reg2@127.0.0.12:5070>;expires=3600')(req) : undefined);
    t.driver.start();
    t.clock.advance(100);
    expect(t.sent.map((s) => [s.at, at(s.peer), s.request.cseq.seq, s.request.uri.toString()])).toEqual([
      [0, '127.0.0.11:5060', 1, 'sip:example.test'],
      [10, '127.0.0.12:5070', 2, 'sip:127.0.0.12:5070'], // §10.2.1: no userinfo in a REGISTER's Request-URI
      [20, '127.0.0.12:5070', 3, 'sip:127.0.0.12:5070'], // the 401 answered
    ]);
    expect(t.summary()).toEqual(['registering:start', 'registering:redirect', 'registered:registered:100']);
    const detail = '302 Moved Temporarily from 127.0.0.11:5060 to 127.0.0.12:5070';
    expect(t.events[1]!.state).toEqual({ kind: 'registering', detail });
    expect(t.events[1]!.target).toEqual({ address: '127.0.0.12', port: 5070, transport: 'udp' });
    expect(t.driver.state).toEqual({ kind: 'registered', expiresS: 100, target: { address: '127.0.0.12', port: 5070, transport: 'udp' }, detail });
    // Refresh due at 30 + 90 s (on the 1 s grid: 90 000), to the redirected registrar, without asking for targets again.
    t.clock.advance(90_000);
    expect(t.registers().at(-1)).toEqual([90_000, '127.0.0.12', 4]);
    expect(t.sent.at(-1)!.request.uri.toString()).toBe('sip:127.0.0.12:5070');
    expect(t.targetCalls()).toBe(1);
  });

  it('305 Use Proxy: the REGISTER goes through the Contact, Request-URI unchanged', () => {
    const t = setup();
    t.registrar.override = (req, peer) => (peer.address === A.address ? redirect(305, '<sip:127.0.0.13:5080>')(req) : undefined);
    t.driver.start();
    t.clock.advance(100);
    expect(t.sent.map((s) => [at(s.peer), s.request.uri.toString()])).toEqual([
      ['127.0.0.11:5060', 'sip:example.test'],
      ['127.0.0.13:5080', 'sip:example.test'],
      ['127.0.0.13:5080', 'sip:example.test'],
    ]);
    expect(t.driver.state).toMatchObject({ kind: 'registered', target: { address: '127.0.0.13', port: 5080 }, detail: '305 Use Proxy from 127.0.0.11:5060 to 127.0.0.13:5080' });
  });

  it('the Contact with the highest q is followed', () => {
    const t = setup();
    t.registrar.override = (req, peer) => (peer.address === A.address ? redirect(301, '<sip:127.0.0.21>;q=0.2', '<sip:127.0.0.22>;q=0.9, <sip:127.0.0.23>;q=0.5')(req) : undefined);
    t.driver.start();
    t.clock.advance(100);
    expect(t.sent[1]!.peer).toEqual({ address: '127.0.0.22', port: 5060, transport: 'udp' });
    expect(t.driver.state.kind).toBe('registered');
  });

  it('a loop (A -> B -> A) fails the attempt with reason redirect; REG_RTX_INTVL_n later the cycle starts again at A', () => {
    const t = setup();
    t.registrar.override = (req, peer) => redirect(302, peer.address === A.address ? '<sip:127.0.0.12>' : '<sip:127.0.0.11>')(req);
    t.driver.start();
    t.clock.advance(100);
    expect(t.registers()).toEqual([
      [0, A.address, 1],
      [10, B.address, 2],
    ]);
    expect(t.driver.state).toEqual({
      kind: 'failed',
      reason: 'redirect',
      status: 302,
      detail: 'redirect loop (302 Moved Temporarily back to 127.0.0.11:5060), retry in 10 s',
      retryInS: 10,
    });
    t.clock.advance(10_000);
    expect(t.registers()[2]).toEqual([10_020, A.address, 3]);
  });

  it(`at most ${MAX_REDIRECTS} redirects in a row`, () => {
    const t = setup();
    t.registrar.override = (req, peer) => redirect(302, `<sip:127.0.0.11:${peer.port + 1}>`)(req);
    t.driver.start();
    t.clock.advance(1_000);
    expect(t.registers().map((r) => r[0])).toEqual([0, 10, 20, 30, 40, 50]);
    expect(t.sent.map((s) => s.peer.port)).toEqual([5060, 5061, 5062, 5063, 5064, 5065]);
    expect(t.driver.state).toMatchObject({ kind: 'failed', reason: 'redirect', status: 302, detail: expect.stringMatching(/^more than 5 redirects \(last 302 Moved Temporarily to 127\.0\.0\.11:5066\)/) });
  });

  it('refuses a Contact it cannot reach: a host name, another transport, none at all', () => {
    for (const [contacts, detail] of [
      [['<sip:reg.example.test>'], /only an IP address is followed/],
      [['<sip:127.0.0.12;transport=tcp>'], /the line uses udp/],
      [['<sips:127.0.0.12>'], /the line uses udp/],
      [[], /302 Moved Temporarily without a SIP Contact/],
    ] as const) {
      const t = setup();
      t.registrar.override = redirect(302, ...contacts);
      t.driver.start();
      t.clock.advance(100);
      expect(t.registers()).toHaveLength(1);
      expect(t.driver.state).toMatchObject({ kind: 'failed', reason: 'redirect', status: 302, detail: expect.stringMatching(detail), retryInS: 10 });
    }
  });

  it('a refresh redirected stays registered and moves on; the unregister on stop goes to the registrar that holds the binding', async () => {
    const t = setup({ unregisterOnStop: true });
    t.driver.start();
    t.clock.advance(100);
    t.registrar.override = (req, peer) => (peer.address === A.address ? redirect(302, '<sip:127.0.0.12:5070>')(req) : undefined);
    t.clock.advance(90_000); // refresh due 90 020, at 90 000 on the 1 s grid -> 302 -> 127.0.0.12:5070 at 90 010 -> 200
    expect(t.registers().slice(2)).toEqual([
      [90_000, A.address, 3],
      [90_010, B.address, 4],
    ]);
    expect(t.summary().slice(1)).toEqual(['registered:registered:100', 'registered:refreshed:100']);
    expect(t.driver.state).toMatchObject({ kind: 'registered', target: { address: B.address, port: 5070 } });
    const stopped = t.driver.stop();
    t.clock.advance(100);
    await stopped;
    const last = t.sent.at(-1)!;
    expect([at(last.peer), last.request.uri.toString(), last.request.headers.get('Contact')]).toEqual(['127.0.0.12:5070', 'sip:127.0.0.12:5070', '<sip:1001@127.0.0.1:5060>;expires=0']);
  });

  it('a redirected registrar that stops answering: fail-over to the next target of the list', () => {
    const t = setup({}, [A, B]);
    t.registrar.override = (req, peer) => (peer.address === A.address ? redirect(302, '<sip:127.0.0.30>')(req) : peer.address === '127.0.0.30' ? 'drop' : undefined);
    t.driver.start();
    t.clock.advance(5_000);
    expect(t.registers()).toEqual([
      [0, A.address, 1],
      [10, '127.0.0.30', 2],
      [4010, B.address, 3],
      [4020, B.address, 4],
    ]);
    expect(t.driver.state).toEqual({ kind: 'registered', expiresS: 100, target: B });
  });
});

describe('Registration: 503 and Retry-After (RFC 3261 §21.5.4, §20.33; RFC 3263 §4.3)', () => {
  it('503 with Retry-After on the only target: failed "503 Service Unavailable, retry in 30 s", the next REGISTER exactly 30 s later', () => {
    const t = setup();
    t.registrar.override = unavailable(503, '30');
    t.driver.start();
    t.clock.advance(100);
    expect(t.driver.state).toEqual({ kind: 'failed', reason: 'unavailable', status: 503, detail: '503 Service Unavailable, retry in 30 s', retryInS: 30 });
    t.registrar.override = undefined;
    t.clock.advance(30_000);
    expect(t.registers()).toEqual([
      [0, A.address, 1],
      [30_010, A.address, 2],
      [30_020, A.address, 3],
    ]);
    expect(t.summary()).toEqual(['registering:start', 'failed:failed:unavailable:503', 'registering:retry', 'registered:registered:100']);
  });

  it('503 with Retry-After and a second target: the second at once; the last Retry-After then sets the retry', () => {
    const t = setup({}, [A, B]);
    t.registrar.override = (req, peer) => unavailable(503, peer.address === A.address ? '300' : '20')(req);
    t.driver.start();
    t.clock.advance(100);
    expect(t.registers()).toEqual([
      [0, A.address, 1],
      [10, B.address, 2],
    ]);
    expect(t.driver.state).toMatchObject({ kind: 'failed', reason: 'unavailable', retryInS: 20 });
    t.clock.advance(20_000);
    expect(t.registers()[2]).toEqual([20_020, A.address, 3]);
  });

  it('503 without Retry-After: the next target, then REG_RTX_INTVL_n', () => {
    const t = setup({ retryIntervalS: 45 }, [A, B]);
    t.registrar.override = unavailable(503);
    t.driver.start();
    t.clock.advance(100);
    expect(t.driver.state).toEqual({ kind: 'failed', reason: 'unavailable', status: 503, detail: '503 Service Unavailable, retry in 45 s', retryInS: 45 });
    t.clock.advance(45_000);
    expect(t.registers().map((r) => [r[0], r[1]])).toEqual([
      [0, A.address],
      [10, B.address],
      [45_020, A.address],
      [45_030, B.address],
    ]);
  });

  it('500 and 480 with Retry-After wait that long (no fail-over); without it they are plain rejections', () => {
    for (const status of [500, 480]) {
      const t = setup({}, [A, B]);
      t.registrar.override = unavailable(status, '7 (busy);duration=60');
      t.driver.start();
      t.clock.advance(7_100);
      expect(t.registers().map((r) => [r[0], r[1]])).toEqual([
        [0, A.address],
        [7_010, A.address],
      ]);
      expect(t.driver.state).toMatchObject({ kind: 'failed', reason: 'unavailable', status, retryInS: 7 });
    }
    const plain = setup();
    plain.registrar.override = unavailable(500);
    plain.driver.start();
    plain.clock.advance(100);
    expect(plain.driver.state).toMatchObject({ kind: 'failed', reason: 'rejected', status: 500, retryInS: 10 });
  });

  it('Retry-After is bounded to 1..3600 s and read past comments and parameters', () => {
    expect(retryAfterSeconds('18000;duration=3600')).toBe(3600);
    expect(retryAfterSeconds('120 (I am in a meeting)')).toBe(120);
    expect(retryAfterSeconds(' 5 ')).toBe(5);
    expect(retryAfterSeconds('0')).toBe(1);
    expect(retryAfterSeconds('soon')).toBeUndefined();
    expect(retryAfterSeconds('5s')).toBeUndefined();
    expect(retryAfterSeconds(undefined)).toBeUndefined();
    const t = setup();
    t.registrar.override = unavailable(503, '86400');
    t.driver.start();
    t.clock.advance(100);
    expect(t.driver.state).toMatchObject({ retryInS: 3600 });
    t.clock.advance(3_599_000);
    expect(t.registers()).toHaveLength(1);
    t.clock.advance(1_000);
    expect(t.registers()).toHaveLength(2);
  });
});

describe('Registration: fail-back to the primary', () => {
  /** A drops everything until `primaryBack`; B answers. Registered on B at 4020 (expiry 100 s). */
  function onSecondary() {
    const t = setup({}, [A, B]);
    let primaryUp = false;
    t.registrar.override = (_req, peer) => (peer.address === A.address && !primaryUp ? 'drop' : undefined);
    t.driver.start();
    t.clock.advance(5_000);
    expect(t.driver.state).toMatchObject({ kind: 'registered', target: B });
    return { ...t, primaryBack: () => (primaryUp = true) };
  }

  it('the refresh due on the secondary goes to the primary first; the primary takes the binding, the secondary keeps its own until it expires', () => {
    const t = onSecondary();
    t.primaryBack();
    t.clock.advance(200_000);
    // Refresh due at 4020 + 90 s (at 94 000 on the 1 s grid): targets asked for again, the
    // primary answers (credentials of the same realm pre-emptively: no 401). From then on the line
    // refreshes on the primary only.
    expect(t.registers()).toEqual([
      [0, A.address, 1],
      [4000, B.address, 2],
      [4010, B.address, 3],
      [94_000, A.address, 4],
      [184_000, A.address, 5],
    ]);
    expect(t.summary()).toEqual(['registering:start', 'registering:failover', 'registered:registered:100', 'registered:failback:100', 'registered:refreshed:100']);
    expect(t.events[3]!.target).toEqual(A);
    expect(t.targetCalls()).toBe(2);
    // No Expires 0 to the secondary (see Registration.failBack).
    expect(t.sent.filter((s) => s.peer === B).every((s) => s.request.headers.get('Expires') === '100')).toBe(true);
  });

  it('a primary still down costs the refresh one Timer F, then the secondary again; the next refresh tries again', () => {
    const t = onSecondary();
    t.clock.advance(190_000);
    expect(t.registers().slice(3)).toEqual([
      [94_000, A.address, 4],
      [98_000, B.address, 5],
      [188_000, A.address, 6],
      [192_000, B.address, 7],
    ]);
    // The line never left "registered".
    expect(t.summary().slice(2)).toEqual(['registered:registered:100', 'registered:refreshed:100', 'registered:refreshed:100']);
    t.primaryBack();
    t.clock.advance(100_000);
    expect(t.registers().at(-1)).toEqual([282_000, A.address, 8]);
    expect(t.driver.state).toEqual({ kind: 'registered', expiresS: 100, target: A });
  });

  it('a short expiry on the secondary: the refresh starts Timer F + 1 s before expiry, so the binding outlives a silent primary', () => {
    const t = setup({ expiresS: 30 }, [A, B]);
    t.registrar.override = (_req, peer) => (peer.address === A.address ? 'drop' : undefined);
    t.driver.start();
    t.clock.advance(40_000);
    // Registered on B at 4020 for 30 s (expires at 34 020). REG_INTERVAL_RATE_n would refresh at
    // 4020 + 27 s; Timer F (4 s) + 1 s before expiry is earlier: 4020 + 25 s, at 29 000 on the
    // 1 s grid. A stays silent until its Timer F at 33 000; B renews at 33 010, before 34 020.
    expect(t.registers().slice(3)).toEqual([
      [29_000, A.address, 4],
      [33_000, B.address, 5],
    ]);
    expect(t.events.filter((e) => e.state.kind === 'registered').map((e) => e.cause)).toEqual(['registered', 'refreshed']);
    // On the primary the usual 90 % applies.
    const p = setup({ expiresS: 30 }, [A, B]);
    p.driver.start();
    p.clock.advance(30_000);
    expect(p.registers().map((r) => r[0])).toEqual([0, 10, 27_000]); // due 27 020, on the 1 s grid
  });

  it('a primary that refuses (500) leaves the line on the secondary at once, registered', () => {
    const t = onSecondary();
    t.registrar.override = (req, peer) => (peer.address === A.address ? createResponse(req, 500) : undefined);
    t.clock.advance(90_000);
    expect(t.registers().slice(3)).toEqual([
      [94_000, A.address, 4],
      [94_010, B.address, 5],
    ]);
    expect(t.driver.state).toMatchObject({ kind: 'registered', target: B });
    expect(t.events.some((e) => e.state.kind === 'failed')).toBe(false);
  });

  it('the refresh on the primary never asks for targets (steady state)', () => {
    const t = setup({ expiresS: 60 }, [A, B]);
    t.driver.start();
    t.clock.advance(600_000);
    expect(t.registers().length).toBeGreaterThan(10);
    expect(new Set(t.registers().map((r) => r[1]))).toEqual(new Set([A.address]));
    expect(t.targetCalls()).toBe(1);
  });
});
