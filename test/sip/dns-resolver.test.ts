// The node:dns adapter against a real DNS server: dnsmasq on a loopback address and port
// (test/peers/dnsmasq.ts) serving SRV, A and AAAA records with a 60 s TTL. Also: the TTL cache in
// front of it on a virtual clock (counted in dnsmasq's query log), timeouts, and a whole RFC 3263
// selection over the wire.
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { unwrap } from '../../src/core/result.js';
import { CachingResolver, locateTargets, NodeSipResolver } from '../../src/sip/dns/index.js';
import { peerGroup, type Dnsmasq } from '../peers/index.js';

describe('NodeSipResolver against dnsmasq', () => {
  const peers = peerGroup();
  let dns: Dnsmasq;
  const clock = new VirtualClock();
  let resolver: NodeSipResolver;

  beforeAll(async () => {
    dns = await peers.dnsmasq({
      hosts: { 'pbx1.example.test': ['127.0.0.21', '::1'], 'pbx2.example.test': ['127.0.0.22', '127.0.0.23'], 'example.test': '127.0.0.30' },
      srv: [
        { name: '_sip._udp.example.test', target: 'pbx1.example.test', port: 5060, priority: 10, weight: 60 },
        { name: '_sip._udp.example.test', target: 'pbx2.example.test', port: 5062, priority: 20, weight: 40 },
        { name: '_sip._tcp.example.test', target: 'pbx2.example.test', port: 5070 },
      ],
      localTtlS: 60,
    });
    resolver = unwrap(NodeSipResolver.create({ servers: [dns.server], localAddress: dns.address, clock, timeoutMs: 500, tries: 2 }));
  });

  const queriesFor = (type: string, name: string) => dns.logs().split('\n').filter((l) => l.includes(`query[${type}] ${name} `)).length;

  it('answers A and AAAA with their TTLs', async () => {
    expect(await resolver.query('A', 'pbx1.example.test')).toEqual({ ok: true, value: [{ address: '127.0.0.21', ttlS: 60 }] });
    expect(await resolver.query('AAAA', 'pbx1.example.test')).toEqual({ ok: true, value: [{ address: '::1', ttlS: 60 }] });
    const two = unwrap(await resolver.query('A', 'pbx2.example.test'));
    expect(two.map((r) => r.address).sort()).toEqual(['127.0.0.22', '127.0.0.23']);
  });

  it('answers SRV with priority, weight and port (no TTL through node:dns)', async () => {
    const records = unwrap(await resolver.query('SRV', '_sip._udp.example.test'));
    expect([...records].sort((a, b) => a.priority - b.priority)).toEqual([
      { target: 'pbx1.example.test', port: 5060, priority: 10, weight: 60 },
      { target: 'pbx2.example.test', port: 5062, priority: 20, weight: 40 },
    ]);
  });

  it('gives negative answers as empty lists and refusals as failures', async () => {
    expect(await resolver.query('A', 'nowhere.example.test')).toEqual({ ok: true, value: [] });
    expect(await resolver.query('AAAA', 'pbx2.example.test')).toEqual({ ok: true, value: [] });
    expect(await resolver.query('SRV', '_sip._tcp.nowhere.example.test')).toEqual({ ok: true, value: [] });
    const refused = await resolver.query('A', 'pbx.elsewhere.test');
    expect(refused.ok ? 'ok' : refused.error.code).toBe('DNS_REFUSED');
  });

  it('selects RFC 3263 targets over the wire', async () => {
    const result = await locateTargets({ host: 'example.test', transport: 'udp' }, resolver, () => 0);
    expect(unwrap(result).map((p) => `${p.address}:${p.port}`)).toEqual(['127.0.0.21:5060', '::1:5060', expect.stringMatching(/^127\.0\.0\.2[23]:5062$/), expect.stringMatching(/^127\.0\.0\.2[23]:5062$/)]);
    const tcp = unwrap(await locateTargets({ host: 'example.test', transport: 'tcp', families: ['ipv4'] }, resolver, () => 0));
    expect(tcp.every((p) => p.port === 5070 && p.transport === 'tcp')).toBe(true);
    const fixedPort = unwrap(await locateTargets({ host: 'example.test', port: 5099, transport: 'udp', families: ['ipv4'] }, resolver, () => 0));
    expect(fixedPort).toEqual([{ address: '127.0.0.30', port: 5099, transport: 'udp' }]);
  });

  it('caches for the TTL on the virtual clock: dnsmasq sees one query per TTL', async () => {
    const cache = new CachingResolver(resolver, { clock, srvTtlS: 30 });
    const before = queriesFor('A', 'example.test');
    const beforeSrv = queriesFor('SRV', '_sip._tcp.example.test');
    await cache.query('A', 'example.test');
    await cache.query('A', 'example.test');
    await cache.query('SRV', '_sip._tcp.example.test');
    clock.advance(29_999);
    await cache.query('A', 'example.test');
    await cache.query('SRV', '_sip._tcp.example.test');
    expect(queriesFor('A', 'example.test') - before).toBe(1);
    expect(queriesFor('SRV', '_sip._tcp.example.test') - beforeSrv).toBe(1);
    clock.advance(1); // SRV (30 s configured) expired, A (60 s from dnsmasq) not
    await cache.query('A', 'example.test');
    await cache.query('SRV', '_sip._tcp.example.test');
    expect(queriesFor('A', 'example.test') - before).toBe(1);
    expect(queriesFor('SRV', '_sip._tcp.example.test') - beforeSrv).toBe(2);
    clock.advance(30_000);
    await cache.query('A', 'example.test');
    expect(queriesFor('A', 'example.test') - before).toBe(2);
  });

  it('refuses a bad server list', () => {
    const result = NodeSipResolver.create({ servers: ['dns.example.test'], clock });
    expect(result.ok ? 'ok' : result.error.code).toBe('DNS_BAD_SERVER');
    expect(NodeSipResolver.create({ servers: [], clock }).ok).toBe(false);
  });
});

describe('NodeSipResolver timeouts', () => {
  let silent: Socket;
  let server: string;

  beforeAll(async () => {
    // A "DNS server" that reads queries and never answers.
    silent = createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    server = `127.0.0.1:${silent.address().port}`;
  });
  afterAll(() => new Promise<void>((resolve) => silent.close(() => resolve())));

  it('gives DNS_TIMEOUT after c-ares timeouts and tries', async () => {
    const resolver = unwrap(NodeSipResolver.create({ servers: [server], clock: new VirtualClock(), timeoutMs: 100, tries: 1 }));
    const started = performance.now();
    const result = await resolver.query('A', 'pbx.example.test');
    expect(result.ok ? 'ok' : result.error.code).toBe('DNS_TIMEOUT');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('gives DNS_TIMEOUT at the Clock deadline before c-ares gives up', async () => {
    const clock = new VirtualClock();
    const resolver = unwrap(NodeSipResolver.create({ servers: [server], clock, timeoutMs: 1500, tries: 1, deadlineMs: 250 }));
    const pending = resolver.query('SRV', '_sip._udp.example.test');
    expect(clock.pendingTimers()).toEqual([{ label: 'dns SRV _sip._udp.example.test', dueMs: 250 }]);
    clock.advance(250);
    const result = await pending;
    expect(result.ok ? 'ok' : result.error.message).toMatch(/no answer within 250 ms/);
    expect(clock.pendingTimers()).toEqual([]);
  });
});
