// RFC 3263 fail-over end to end on loopback: dnsmasq serves `_sip._udp.example.test` with two SRV
// targets (priority 10 and 20), each a Kamailio registrar on its own 127.0.0.x address. A line
// registers through the real stack — UdpTransport, TransactionLayer, RegistrationDriver, with
// FailoverTargets over NodeSipResolver + CachingResolver as its targets provider — on the system
// clock with short timers (REGISTER expiry 4 s refreshed at 50 %, Timer F 1 s, retry 1 s).
//
// Stopping the primary moves the line to the secondary at the next refresh, within refresh +
// Timer F. With the primary back, the next attempt cycle (a re-resolution) starts at the primary
// again: RegistrationDriver asks for targets on start, on every retry and on a refresh due on a
// non-first target (fail-back), so here the cycle begins at the next refresh at the latest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/system-clock.js';
import { unwrap } from '../../src/core/result.js';
import { defaultLineSettings } from '../../src/settings/canonical.js';
import { CachingResolver, FailoverTargets, NodeSipResolver, registrationFailoverSpec } from '../../src/sip/dns/index.js';
import { RegistrationDriver, registrationConfigFromLine, type RegistrationEvent } from '../../src/sip/registration/index.js';
import { TransactionLayer, type Peer } from '../../src/sip/transaction/transaction-layer.js';
import { UdpTransport } from '../../src/sip/transport/index.js';
import { freePort, kamailioUnavailable, loopbackAddress, peerGroup, dnsmasqUnavailable, type Kamailio, type KamailioOptions } from '../peers/index.js';

const DOMAIN = 'example.test';
const TIMERS = { t1Ms: 100, t2Ms: 400, t4Ms: 500, bMs: 1000, dMs: 1000, fMs: 1000, hMs: 1000, jMs: 1000 };
const REFRESH_MS = 2000; // 50 % of 4 s
const unavailable = kamailioUnavailable() ?? dnsmasqUnavailable();

describe.skipIf(unavailable !== undefined)('DNS SRV fail-over between two Kamailio registrars', () => {
  const peers = peerGroup();
  const clock = new SystemClock();
  const events: Array<{ at: number; event: RegistrationEvent }> = [];
  let primary: Kamailio;
  let secondary: Kamailio;
  let primaryOptions: KamailioOptions;
  let transport: UdpTransport;
  let driver: RegistrationDriver;
  let failover: FailoverTargets;

  const kamailio = (address: string, port: number): KamailioOptions => ({ address, port, domain: DOMAIN, authRegister: false, registrarOnly: true, logLevel: 1 });
  const peerOf = (k: Kamailio): Peer => ({ address: k.address, port: k.port, transport: 'udp' });

  /** Resolves with the first `registered` event on `k` after `since` (real time, bounded). */
  const registeredOn = (k: Kamailio, since: number, timeoutMs: number): Promise<number> =>
    new Promise((resolve, reject) => {
      const match = (): number | undefined => events.find((e) => e.at >= since && e.event.state.kind === 'registered' && e.event.state.target.address === k.address)?.at;
      const found = match();
      if (found !== undefined) return resolve(found);
      const timer = clock.setTimer(timeoutMs, () => {
        off();
        reject(new Error(`not registered on ${k.address}:${k.port} within ${timeoutMs} ms; events: ${JSON.stringify(events.map((e) => [Math.round(e.at), e.event.state.kind, e.event.cause, e.event.target?.address]))}`));
      });
      const off = driver.events.on('state', () => {
        const at = match();
        if (at === undefined) return;
        timer.cancel();
        off();
        resolve(at);
      });
    });

  beforeAll(async () => {
    const a1 = loopbackAddress();
    let a2 = loopbackAddress();
    while (a2 === a1) a2 = loopbackAddress();
    primaryOptions = kamailio(a1, await freePort(a1));
    [primary, secondary] = await Promise.all([peers.kamailio(primaryOptions), peers.kamailio(kamailio(a2, await freePort(a2)))]);
    const dns = await peers.dnsmasq({
      hosts: { [`pbx1.${DOMAIN}`]: primary.address, [`pbx2.${DOMAIN}`]: secondary.address },
      srv: [
        { name: `_sip._udp.${DOMAIN}`, target: `pbx1.${DOMAIN}`, port: primary.port, priority: 10, weight: 10 },
        { name: `_sip._udp.${DOMAIN}`, target: `pbx2.${DOMAIN}`, port: secondary.port, priority: 20, weight: 10 },
      ],
      localTtlS: 1,
    });

    const line = defaultLineSettings(1);
    line.phoneNumber = '1001';
    line.serviceDomain = DOMAIN;
    line.registrar = { ...line.registrar, host: DOMAIN };
    line.registration = { ...line.registration, expiresS: 4, refreshPercent: 50, retryIntervalS: 1 };
    line.failover = { onNoResponse: true, maxTargets: 4 };

    const phoneAddress = loopbackAddress();
    transport = new UdpTransport({ address: phoneAddress, port: 0, clock });
    await transport.start();
    const layer = new TransactionLayer({ clock, send: (m, p) => transport.send(m, p), tu: { onRequest: () => {} } });
    transport.events.on('message', ({ message, source }) => layer.receive(message, source));

    const resolver = unwrap(NodeSipResolver.create({ servers: [dns.server], localAddress: dns.address, clock, timeoutMs: 300, tries: 2 }));
    failover = new FailoverTargets(registrationFailoverSpec(line)!, { resolver: new CachingResolver(resolver, { clock, srvTtlS: 1 }) });
    const config = unwrap(registrationConfigFromLine(line, { host: transport.local.address, port: transport.local.port, line: 1 }));
    driver = unwrap(RegistrationDriver.create({ layer, clock, config, targets: () => failover.targets(), timers: TIMERS }));
    driver.events.on('state', (event) => events.push({ at: clock.now(), event }));
  });

  afterAll(async () => {
    await driver?.stop();
    await transport?.close();
  });

  it('registers on the priority-10 SRV target first', async () => {
    driver.start();
    await registeredOn(primary, 0, 3000);
    expect(failover.all).toEqual([peerOf(primary), peerOf(secondary)]);
    expect((await primary.waitForContact('1001')).length).toBe(1);
    expect(await secondary.contacts('1001')).toEqual([]);
  });

  it('moves to the secondary within one refresh plus Timer F when the primary stops', async () => {
    const stoppedAt = clock.now();
    await primary.stop();
    const at = await registeredOn(secondary, stoppedAt, REFRESH_MS + TIMERS.fMs + 2000);
    expect(at - stoppedAt).toBeLessThanOrEqual(REFRESH_MS + TIMERS.fMs + 1000);
    expect((await secondary.waitForContact('1001')).length).toBe(1);
    // The line stays there: the next refresh tries the primary first (fail-back, one Timer F
    // while it is down, test/sip/registration-edges.test.ts), then the secondary again.
    await registeredOn(secondary, at + 1, REFRESH_MS + TIMERS.fMs + 2000);
  });

  it('goes back to the primary once it is back, at the next attempt cycle', async () => {
    primary = await peers.kamailio(primaryOptions);
    const cycleAt = clock.now();
    // The secondary goes away: the refresh times out, the line fails over past the end of the
    // list, retries after REG_RTX_INTVL_n and the new cycle starts with the primary.
    await secondary.stop();
    const at = await registeredOn(primary, cycleAt, REFRESH_MS + TIMERS.fMs + 1000 + 3000);
    expect(at - cycleAt).toBeLessThanOrEqual(REFRESH_MS + TIMERS.fMs + 1000 + 2000);
    expect(failover.current()).toEqual(peerOf(primary));
    expect(failover.position).toBe(0);
    expect((await primary.waitForContact('1001')).length).toBe(1);
  });
});
