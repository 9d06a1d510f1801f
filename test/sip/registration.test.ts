// Per-line registration in virtual time (RFC 3261 §10.2; KX-UT670 5.8.2): exact REGISTER schedules
// against a scripted registrar (digest, 423, stale nonces, wrong password, 403, timeouts,
// fail-over, unregister on start/stop) and the config built from canonical line settings.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { createResponse, H } from '../../src/sip/message/index.js';
import { TransactionLayer } from '../../src/sip/transaction/transaction-layer.js';
import { Registration, RegistrationDriver, registrationConfigFromLine } from '../../src/sip/registration/index.js';
import { A, B, BASE, C, PASSWORD, TIMERS, setup } from './registration-harness.js';
import { defaultLineSettings } from '../../src/settings/canonical.js';

describe('Registration: register and refresh', () => {
  it('answers the 401, refreshes at REG_INTERVAL_RATE_n % of the GRANTED expiry, same Call-ID, CSeq +1', () => {
    const t = setup();
    t.registrar.maxExpires = 60; // asked 100, granted 60
    t.driver.start();
    t.clock.advance(200_000);
    // 0: REGISTER -> 401 at 10; 10: with credentials -> 200 at 20 (60 s granted);
    // refresh due at 20 + 0.9 * 60 s = 54 020, moved down to the whole second (src/core/coalesce.ts:
    // a fleet's refreshes share wake-ups, never late): 54 000 (credentials pre-emptively: no 401)
    // -> 200 at 54 010; next due 108 010 -> 108 000; then 162 000.
    expect(t.registers()).toEqual([
      [0, A.address, 1],
      [10, A.address, 2],
      [54_000, A.address, 3],
      [108_000, A.address, 4],
      [162_000, A.address, 5],
    ]);
    expect(new Set(t.sent.map((s) => s.request.callId))).toEqual(new Set(['reg-call@127.0.0.1']));
    expect(new Set(t.sent.map((s) => s.request.from.tag))).toEqual(new Set(['ftag']));
    expect(t.sent[2]!.request.headers.has('Authorization')).toBe(true);
    expect(t.summary()).toEqual(['registering:start', 'registered:registered:60', 'registered:refreshed:60', 'registered:refreshed:60', 'registered:refreshed:60']);
    expect(t.driver.state).toEqual({ kind: 'registered', expiresS: 60, target: A });
  });

  it('writes the REGISTER per RFC 3261 §10.2 and KX-UT670 5.8.2 (Expires header and param, User-Agent)', () => {
    const t = setup();
    t.driver.start();
    t.clock.advance(100);
    const req = t.sent[1]!.request;
    expect(req.method).toBe('REGISTER');
    expect(req.uri.toString()).toBe('sip:example.test');
    expect(req.to.toString()).toBe('<sip:1001@example.test>');
    expect(req.from.toString()).toBe('<sip:1001@example.test>;tag=ftag');
    expect(req.headers.get('Contact')).toBe('<sip:1001@127.0.0.1:5060>;expires=100');
    expect(req.headers.get('Expires')).toBe('100');
    expect(req.headers.get('User-Agent')).toBe(BASE.userAgent);
    expect(req.headers.has('Allow-Events')).toBe(false);
    expect(req.maxForwards).toBe(70);
  });

  it('TALK_PACKAGE / HOLD_PACKAGE: the REGISTER carries Allow-Events: talk, hold (KX-UT670 5.6.1)', () => {
    const t = setup({ allowEvents: ['talk', 'hold'] });
    t.driver.start();
    t.clock.advance(100);
    expect(t.sent.map((s) => s.request.headers.get('Allow-Events'))).toEqual(['talk, hold', 'talk, hold']);
  });

  it('ADD_EXPIRES_HEADER_n=N, ADD_TRANSPORT_UDP_n, ADD_USER_PHONE_n, display name', () => {
    const t = setup({ addExpiresHeader: false, addTransportUdp: true, addUserPhone: true, displayName: 'Front Desk' });
    t.driver.start();
    t.clock.advance(100);
    const req = t.sent[1]!.request;
    expect(req.headers.has('Expires')).toBe(false);
    expect(req.headers.get('Contact')).toBe('<sip:1001@127.0.0.1:5060;transport=udp>;expires=100');
    expect(req.to.toString()).toBe('"Front Desk" <sip:1001@example.test;user=phone>');
    expect(req.from.uri.toString()).toBe('sip:1001@example.test;user=phone');
    // The binding is found in the 200 although the Contact carries transport=udp.
    expect(t.driver.state).toMatchObject({ kind: 'registered', expiresS: 100 });
  });

  it('takes the grant from the Expires header when the 200 does not list our contact', () => {
    const t = setup({ refreshPercent: 50 });
    t.registrar.grantInHeaderOnly = true;
    t.registrar.maxExpires = 30;
    t.driver.start();
    t.clock.advance(20_000);
    expect(t.driver.state).toMatchObject({ kind: 'registered', expiresS: 30 });
    expect(t.registers().map((r) => r[0])).toEqual([0, 10, 15_000]); // due 15 020, on the 1 s grid
  });

  it('423 Interval Too Brief: asks again with Min-Expires and keeps it for refreshes', () => {
    const t = setup({ expiresS: 60 });
    t.registrar.minExpires = 300;
    t.driver.start();
    t.clock.advance(300_000);
    const asked = t.sent.map((s) => s.request.contacts !== '*' && s.request.contacts[0]!.params.get('expires'));
    // 401, then 423 (60 < 300), then 200 with 300; refresh due at 30 + 270 s, on the 1 s grid.
    expect(asked).toEqual(['60', '60', '300', '300']);
    expect(t.registers().map((r) => r[0])).toEqual([0, 10, 20, 270_000]);
    expect(t.summary()).toEqual(['registering:start', 'registered:registered:300', 'registered:refreshed:300']);
  });

  it('423 without a larger Min-Expires fails (no loop)', () => {
    const t = setup();
    t.registrar.override = (req) => createResponse(req, 423, { headers: [['Min-Expires', '50']] });
    t.driver.start();
    t.clock.advance(5_000);
    expect(t.driver.state).toMatchObject({ kind: 'failed', reason: 'interval-too-brief', status: 423, retryInS: 10 });
    expect(t.registers()).toHaveLength(1);
  });

  it('a stale nonce on refresh is answered once with the new nonce, without a failure', () => {
    const t = setup();
    t.driver.start();
    t.clock.advance(1_000);
    t.registrar.expireNonces();
    t.clock.advance(100_000);
    // refresh (due 90 020, on the 1 s grid) at 90 000 with the old nonce -> 401 stale -> 90 010 with the new one -> 200.
    expect(t.registers().map((r) => r[0])).toEqual([0, 10, 90_000, 90_010]);
    const last = t.sent.at(-1)!.request.value(H.Authorization)![0]!;
    expect(last.get('nonce')).toBe('nonce-2');
    expect(last.get('nc')).toBe('00000001');
    expect(t.summary()).toEqual(['registering:start', 'registered:registered:100', 'registered:refreshed:100']);
  });

  it('SHA-256 challenges are answered (RFC 8760)', () => {
    const t = setup();
    t.registrar.algorithm = 'SHA-256';
    t.driver.start();
    t.clock.advance(100);
    expect(t.sent[1]!.request.value(H.Authorization)![0]!.get('algorithm')).toBe('SHA-256');
    expect(t.driver.state.kind).toBe('registered');
  });
});

describe('Registration: failures and retries', () => {
  it('wrong password: failed{auth-rejected, 401}, then REG_RTX_INTVL_n later a new attempt', () => {
    const t = setup({ retryIntervalS: 30 });
    t.registrar.password = 'other';
    t.driver.start();
    t.clock.advance(100);
    expect(t.driver.state).toMatchObject({ kind: 'failed', reason: 'auth-rejected', status: 401, retryInS: 30 });
    const failed = t.driver.state;
    expect(failed.kind === 'failed' && failed.detail).not.toContain(PASSWORD);
    // 0 -> 401, 10 -> 401 again (failed at 20); retry at 20 + 30 s.
    t.clock.advance(40_000);
    expect(t.registers().map((r) => r[0])).toEqual([0, 10, 30_020, 30_030]);
    expect(t.summary()).toEqual(['registering:start', 'failed:failed:auth-rejected:401', 'registering:retry', 'failed:failed:auth-rejected:401']);
    // The password is fixed: the next retry registers.
    t.registrar.password = PASSWORD;
    t.clock.advance(30_000);
    expect(t.driver.state.kind).toBe('registered');
    expect(t.summary().at(-1)).toBe('registered:registered:100');
  });

  it('403 Forbidden: failed without any retry (KX-UT670 5.8.2 REG_RTX_INTVL_n)', () => {
    const t = setup();
    t.registrar.override = (req) => createResponse(req, 403);
    t.driver.start();
    t.clock.advance(3_600_000);
    expect(t.registers()).toHaveLength(1);
    expect(t.driver.state).toEqual({ kind: 'failed', reason: 'forbidden', status: 403, detail: 'Forbidden' });
    expect(t.clock.pendingTimers().filter((p) => p.label.startsWith('registration'))).toEqual([]);
  });

  it('other errors (404) retry after REG_RTX_INTVL_n', () => {
    const t = setup();
    t.registrar.override = (req) => createResponse(req, 404);
    t.driver.start();
    t.clock.advance(25_000);
    expect(t.registers().map((r) => r[0])).toEqual([0, 10_010, 20_020]);
    expect(t.driver.state).toMatchObject({ kind: 'failed', reason: 'rejected', status: 404 });
  });

  it('no answer: fails over to the next target at Timer F, registers there', () => {
    const t = setup({}, [A, B]);
    t.registrar.override = (_req, peer) => (peer === A ? 'drop' : undefined);
    t.driver.start();
    t.clock.advance(5_000);
    // A: 0 + retransmissions at 500, 1500, 3500; Timer F at 4000 -> B at 4000, 401 -> 4010 -> 200.
    expect(t.sent.filter((s) => s.peer === A).map((s) => s.at)).toEqual([0, 500, 1500, 3500]);
    expect(t.registers()).toEqual([
      [0, A.address, 1],
      [4000, B.address, 2],
      [4010, B.address, 3],
    ]);
    expect(t.summary()).toEqual(['registering:start', 'registering:failover', 'registered:registered:100']);
    expect(t.events[1]!.target).toEqual(B);
    expect(t.driver.state).toMatchObject({ kind: 'registered', target: B });
    // The refresh tries the primary again (fail-back, registration-edges.test.ts); A still does
    // not answer: B again at Timer F. (Refresh due 4 020 + 90 s, on the 1 s grid: 94 000.)
    t.clock.advance(95_000);
    expect(t.registers().slice(-2)).toEqual([
      [94_000, A.address, 4],
      [98_000, B.address, 5],
    ]);
    expect(t.driver.state).toMatchObject({ kind: 'registered', target: B });
  });

  it('503 fails over at once', () => {
    const t = setup({}, [A, B]);
    t.registrar.override = (req, peer) => (peer === A ? createResponse(req, 503) : undefined);
    t.driver.start();
    t.clock.advance(100);
    expect(t.registers().map((r) => [r[0], r[1]])).toEqual([
      [0, A.address],
      [10, B.address],
      [20, B.address],
    ]);
    expect(t.driver.state).toMatchObject({ kind: 'registered', target: B });
  });

  it('SIP_FOVR_MAX_n bounds the servers tried; then failed{timeout} and a retry from the first', () => {
    const t = setup({ failover: { onNoResponse: true, maxTargets: 2 } }, [A, B, C]);
    t.registrar.override = () => 'drop';
    t.driver.start();
    t.clock.advance(18_100);
    expect(t.registers().map((r) => [r[0], r[1]])).toEqual([
      [0, A.address],
      [4000, B.address],
      [18_000, A.address], // failed at 8000, retry 10 s later
    ]);
    expect(t.summary()).toEqual(['registering:start', 'registering:failover', 'failed:failed:timeout:-', 'registering:retry']);
  });

  it('SIP_FOVR_NORSP_n = N: no fail-over, only the first server', () => {
    const t = setup({ failover: { onNoResponse: false, maxTargets: 4 } }, [A, B]);
    t.registrar.override = (_req, peer) => (peer === A ? 'drop' : undefined);
    t.driver.start();
    t.clock.advance(14_100);
    expect(t.registers().map((r) => [r[0], r[1]])).toEqual([
      [0, A.address],
      [14_000, A.address],
    ]);
    expect(t.events[1]!.state).toMatchObject({ kind: 'failed', reason: 'timeout' });
  });

  it('a failed refresh fails the line and retries; no targets is a failure too', () => {
    const t = setup();
    t.driver.start();
    t.clock.advance(100);
    t.registrar.override = () => 'drop';
    t.clock.advance(95_000); // refresh at 90 020, Timer F at 94 020
    expect(t.driver.state).toMatchObject({ kind: 'failed', reason: 'timeout', retryInS: 10 });
    const empty = setup({}, []);
    empty.driver.start();
    expect(empty.driver.state).toMatchObject({ kind: 'failed', reason: 'no-target' });
    expect(empty.sent).toHaveLength(0);
  });

  it('a transport error counts as no answer (fail-over)', () => {
    const clock = new VirtualClock();
    const peers: string[] = [];
    const layer = new TransactionLayer({
      clock,
      tu: { onRequest: () => {} },
      send: (_m, peer) => {
        peers.push(peer.address);
        return false;
      },
    });
    const driver = new RegistrationDriver({ layer, clock, config: BASE, targets: () => [A, B], timers: TIMERS });
    driver.start();
    expect(peers).toEqual([A.address, B.address]);
    expect(driver.state).toMatchObject({ kind: 'failed', reason: 'transport-error' });
  });

  it('targets may come asynchronously (DNS)', async () => {
    const t0 = setup();
    const driver = new RegistrationDriver({
      layer: new TransactionLayer({ clock: t0.clock, tu: { onRequest: () => {} }, send: () => true }),
      clock: t0.clock,
      config: BASE,
      targets: () => Promise.resolve([A]),
    });
    driver.start();
    expect(driver.registration.pendingRequest).toBeUndefined();
    await Promise.resolve();
    expect(driver.registration.pendingRequest?.method).toBe('REGISTER');
  });
});

describe('Registration: unregister', () => {
  it('USE_DEL_REG_OPEN_n: Contact: * with Expires: 0 first, then the registration', () => {
    const t = setup({ unregisterOnStart: true });
    t.registrar.bindings.set('sip:1001@127.0.0.99:5060', 3600); // a stale binding of an earlier boot
    t.driver.start();
    t.clock.advance(100);
    const first = t.sent[1]!.request;
    expect(first.headers.get('Contact')).toBe('*');
    expect(first.headers.get('Expires')).toBe('0');
    expect(t.sent[2]!.request.headers.get('Contact')).toBe('<sip:1001@127.0.0.1:5060>;expires=100');
    expect([...t.registrar.bindings.keys()]).toEqual(['sip:1001@127.0.0.1:5060']);
    expect(t.summary()).toEqual(['registering:start', 'registered:registered:100']);
  });

  it('USE_DEL_REG_CLOSE_n: stop() removes our contact (expires=0) and resolves when done', async () => {
    const t = setup({ unregisterOnStop: true });
    t.driver.start();
    t.clock.advance(100);
    expect(t.registrar.bindings.size).toBe(1);
    let done = false;
    const stopped = t.driver.stop().then(() => (done = true));
    expect(t.driver.state.kind).toBe('unregistering');
    t.clock.advance(100);
    await stopped;
    expect(done).toBe(true);
    const last = t.sent.at(-1)!.request;
    expect(last.headers.get('Contact')).toBe('<sip:1001@127.0.0.1:5060>;expires=0');
    expect(last.headers.get('Expires')).toBe('0');
    expect(last.cseq.seq).toBe(3);
    expect(t.registrar.bindings.size).toBe(0);
    expect(t.summary().slice(-2)).toEqual(['unregistering:stop', 'unregistered:unregistered']);
    // No refresh after stopping.
    const count = t.sent.length;
    t.clock.advance(200_000);
    expect(t.sent.length).toBe(count);
  });

  it('without USE_DEL_REG_CLOSE_n stop() sends nothing', async () => {
    const t = setup();
    t.driver.start();
    t.clock.advance(100);
    const count = t.sent.length;
    await t.driver.stop();
    expect(t.sent.length).toBe(count);
    expect(t.driver.state).toEqual({ kind: 'unregistered' });
    expect(t.registrar.bindings.size).toBe(1);
  });

  it('an unanswered unregister still ends unregistered (after Timer F)', async () => {
    const t = setup({ unregisterOnStop: true });
    t.driver.start();
    t.clock.advance(100);
    t.registrar.override = () => 'drop';
    const stopped = t.driver.stop();
    t.clock.advance(4_000);
    await stopped;
    expect(t.driver.state).toEqual({ kind: 'unregistered' });
  });
});

describe('registrationConfigFromLine', () => {
  it('builds the AOR from PHONE_NUMBER_n and SIP_SVCDOMAIN_n, credentials from SIP_AUTHID_n', () => {
    const line = { ...defaultLineSettings(2), phoneNumber: '2002', serviceDomain: 'pbx.test', authId: 'auth2002', password: PASSWORD };
    line.registrar = { ...line.registrar, host: '192.0.2.5', port: 5070 };
    line.registration = { ...line.registration, expiresS: 600, unregisterOnShutdown: true };
    const r = registrationConfigFromLine(line, { host: '192.0.2.10', port: 5070, userAgent: 'UA', line: 2 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({
      line: 2,
      aor: 'sip:2002@pbx.test',
      registrarUri: 'sip:pbx.test',
      contact: 'sip:2002@192.0.2.10:5070',
      credentials: { username: 'auth2002', password: PASSWORD },
      expiresS: 600,
      refreshPercent: 90,
      retryIntervalS: 10,
      unregisterOnStop: true,
      unregisterOnStart: false,
      addExpiresHeader: true,
      failover: { onNoResponse: true, maxTargets: 4 },
      userAgent: 'UA',
    });
  });

  it('prefers SIP_URI_n; without a domain uses the registrar address (and its port)', () => {
    const withUri = registrationConfigFromLine({ ...defaultLineSettings(1), sipUri: 'sip:alice@corp.test', password: 'x' }, { host: '::1', port: 5060 });
    expect(withUri.ok && withUri.value).toMatchObject({ aor: 'sip:alice@corp.test', registrarUri: 'sip:corp.test', contact: 'sip:alice@[::1]:5060', credentials: { username: 'alice' } });
    const line = { ...defaultLineSettings(1), phoneNumber: '100' };
    line.registrar = { ...line.registrar, host: '127.0.0.5', port: 5080 };
    const noDomain = registrationConfigFromLine(line, { host: '127.0.0.1', port: 5060 });
    expect(noDomain.ok && noDomain.value).toMatchObject({ aor: 'sip:100@127.0.0.5', registrarUri: 'sip:127.0.0.5:5080' });
    expect(noDomain.ok && noDomain.value.credentials).toBeUndefined();
  });

  it('escapes the phone number as a URI user part (RFC 3261 §25.1)', () => {
    const r = registrationConfigFromLine({ ...defaultLineSettings(1), phoneNumber: '*21#', serviceDomain: 'pbx.test' }, { host: '127.0.0.1', port: 5060 });
    expect(r.ok && r.value).toMatchObject({ aor: 'sip:*21%23@pbx.test', contact: 'sip:*21%23@127.0.0.1:5060' });
  });

  it('Result-returning factories refuse configs whose URIs do not parse', () => {
    const layer = new TransactionLayer({ clock: new VirtualClock(), tu: { onRequest: () => {} }, send: () => true });
    const bad = RegistrationDriver.create({ layer, clock: new VirtualClock(), config: { ...BASE, registrarUri: 'example.test' }, targets: () => [A] });
    expect(!bad.ok && bad.error.code).toBe('REG_BAD_URI');
    expect(Registration.create({ ...BASE, contact: 'tel:+1' }).ok).toBe(false);
    expect(Registration.create(BASE).ok).toBe(true);
    const bad2 = registrationConfigFromLine({ ...defaultLineSettings(1), phoneNumber: '1', serviceDomain: 'bad domain' }, { host: '127.0.0.1', port: 5060 });
    expect(!bad2.ok && bad2.error.code).toBe('REG_BAD_URI');
  });

  it('reports what is missing, never the password', () => {
    const none = registrationConfigFromLine({ ...defaultLineSettings(1), password: PASSWORD }, { host: '127.0.0.1', port: 5060 });
    expect(none.ok).toBe(false);
    if (!none.ok) {
      expect(none.error.code).toBe('REG_NO_USER');
      expect(JSON.stringify(none)).not.toContain(PASSWORD);
    }
    const noDomain = registrationConfigFromLine({ ...defaultLineSettings(1), phoneNumber: '1' }, { host: '127.0.0.1', port: 5060 });
    expect(!noDomain.ok && noDomain.error.code).toBe('REG_NO_DOMAIN');
    const bad = registrationConfigFromLine({ ...defaultLineSettings(1), sipUri: 'alice' }, { host: '127.0.0.1', port: 5060 });
    expect(!bad.ok && bad.error.code).toBe('REG_BAD_URI');
  });
});
