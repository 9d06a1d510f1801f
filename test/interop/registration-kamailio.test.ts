// Registration against a real registrar: six lines (each its own UdpTransport + TransactionLayer,
// like a KX-UT670 line on its own SIP_SRC_PORT_n) register six Kamailio accounts, three with MD5
// and three with SHA-256 digest (RFC 8760), refresh on short expiries with pre-emptive
// credentials, and unregister on stop (USE_DEL_REG_CLOSE_n) leaving no contact in usrloc. Two
// more lines with wrong passwords end `failed` (401 re-challenge, or 403). All on 127.0.0.0/8.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/system-clock.js';
import { defaultLineSettings } from '../../src/settings/canonical.js';
import { createResponse } from '../../src/sip/message/index.js';
import { RegistrationDriver, registrationConfigFromLine, type RegistrationEvent } from '../../src/sip/registration/index.js';
import { TransactionLayer } from '../../src/sip/transaction/transaction-layer.js';
import { UdpTransport } from '../../src/sip/transport/index.js';
import { peerGroup, waitFor, type Kamailio } from '../peers/index.js';

const USER_AGENT = 'Panasonic_KX-UT670/01.070 (0080f0000001)';
const EXPIRES_S = 4;
const MD5_USERS = [
  { user: '1001', password: 'md5-pw-1' },
  { user: '1002', password: 'md5-pw-2' },
  { user: '1003', password: 'md5-pw-3' },
];
const SHA_USERS = [
  { user: '2001', password: 'sha-pw-1' },
  { user: '2002', password: 'sha-pw-2' },
  { user: '2003', password: 'sha-pw-3' },
];
const WRONG_MD5 = { user: '1009', password: 'md5-right' };
const WRONG_SHA = { user: '2009', password: 'sha-right' };

interface Line {
  readonly user: string;
  readonly kamailio: Kamailio;
  readonly transport: UdpTransport;
  readonly layer: TransactionLayer;
  readonly driver: RegistrationDriver;
  readonly events: RegistrationEvent[];
  /** The Contact URI as the line registers it. */
  readonly contact: string;
}

describe('Registration with Kamailio (UDP, MD5 and SHA-256)', () => {
  const peers = peerGroup();
  const clock = new SystemClock();
  const lines: Line[] = [];
  let md5: Kamailio;
  let sha: Kamailio;

  beforeAll(async () => {
    [md5, sha] = await Promise.all([
      peers.kamailio({ users: [...MD5_USERS, WRONG_MD5] }),
      peers.kamailio({ users: [...SHA_USERS, WRONG_SHA], authAlgorithm: 'SHA-256', badPassword: '403' }),
    ]);
  });

  afterAll(async () => {
    await Promise.all(lines.map((l) => l.transport.close()));
    for (const l of lines) l.layer.clear();
    clock.stop();
  });

  async function line(kamailio: Kamailio, user: string, password: string, index: number): Promise<Line> {
    const transport = new UdpTransport({ address: '127.0.0.1', port: 0, clock });
    await transport.start();
    const layer = new TransactionLayer({
      clock,
      send: (message, peer) => transport.send(message, peer),
      tu: { onRequest: (request, tx) => tx?.respond(createResponse(request, 405)) },
    });
    transport.events.on('message', ({ message, source }) => layer.receive(message, source));
    const settings = {
      ...defaultLineSettings(index),
      phoneNumber: user,
      serviceDomain: kamailio.domain,
      authId: user,
      password,
      addTransportUdp: index % 2 === 0,
    };
    settings.registration = { ...settings.registration, expiresS: EXPIRES_S, refreshPercent: 50, unregisterOnShutdown: true };
    const config = registrationConfigFromLine(settings, { host: '127.0.0.1', port: transport.local.port, userAgent: USER_AGENT, line: index });
    if (!config.ok) throw new Error(config.error.message);
    const driver = new RegistrationDriver({
      layer,
      clock,
      config: config.value,
      targets: () => [{ address: kamailio.address, port: kamailio.port, transport: 'udp' }],
    });
    const events: RegistrationEvent[] = [];
    driver.events.on('state', (e) => events.push(e));
    const contact = config.value.contact + (settings.addTransportUdp ? ';transport=udp' : '');
    const l: Line = { user, kamailio, transport, layer, driver, events, contact };
    lines.push(l);
    return l;
  }

  it('six lines register, refresh and unregister on stop; wrong passwords end failed', async () => {
    const good = await Promise.all([
      ...MD5_USERS.map((u, i) => line(md5, u.user, u.password, i + 1)),
      ...SHA_USERS.map((u, i) => line(sha, u.user, u.password, i + 4)),
    ]);
    const wrongMd5 = await line(md5, WRONG_MD5.user, 'not-the-password', 7);
    const wrongSha = await line(sha, WRONG_SHA.user, 'not-the-password', 8);
    const started = Date.now();
    for (const l of lines) l.driver.start();

    // Registered, then refreshed at 50 % of the 4 s grant (about 2 s later).
    await waitFor('every line registered and refreshed', () => (good.every((l) => l.events.some((e) => e.cause === 'refreshed')) ? true : undefined), 8_000);
    const refreshedAfter = Date.now() - started;
    expect(refreshedAfter).toBeGreaterThanOrEqual(1_500);
    for (const l of good) {
      expect(l.driver.state).toMatchObject({ kind: 'registered', expiresS: EXPIRES_S });
      expect(l.events.map((e) => e.cause).slice(0, 3)).toEqual(['start', 'registered', 'refreshed']);
    }

    // usrloc holds exactly our binding for each user, with our Call-ID and User-Agent.
    for (const l of good) {
      const contacts = await l.kamailio.contacts(l.user);
      expect(contacts).toHaveLength(1);
      expect(contacts[0]).toMatchObject({ aor: l.user, uri: l.contact, callId: l.driver.registration.registrationCallId, userAgent: USER_AGENT });
      expect(contacts[0]!.expires).toBeLessThanOrEqual(EXPIRES_S);
    }
    // Odd lines asked for ;transport=udp in the Contact (ADD_TRANSPORT_UDP_n).
    expect((await md5.contacts('1002'))[0]!.uri).toMatch(/;transport=udp$/);
    expect((await md5.contacts('1001'))[0]!.uri).not.toMatch(/transport/);

    // One challenge per line: refreshes carried the cached nonce (RFC 3261 §22.3).
    for (const l of good) {
      const challenges = l.kamailio.logs().split('\n').filter((s) => s.includes('vphone: challenging REGISTER') && s.includes(`:${l.transport.local.port} `));
      expect(challenges).toHaveLength(1);
    }

    expect(wrongMd5.driver.state).toMatchObject({ kind: 'failed', reason: 'auth-rejected', status: 401 });
    expect(wrongSha.driver.state).toMatchObject({ kind: 'failed', reason: 'forbidden', status: 403 });
    expect(await md5.contacts(WRONG_MD5.user)).toEqual([]);

    // USE_DEL_REG_CLOSE_n: every line removes its binding when it stops.
    await Promise.all(lines.map((l) => l.driver.stop()));
    for (const l of good) {
      expect(l.driver.state).toEqual({ kind: 'unregistered' });
      expect(l.events.at(-1)!.cause).toBe('unregistered');
    }
    expect(await md5.contacts()).toEqual([]);
    expect(await sha.contacts()).toEqual([]);
  });
});
