// The DNS cache (TTLs on the virtual clock, negative caching, no caching of failures, shared
// in-flight lookups) and the fail-over target iterator (KX-UT670 5.8.2 SIP_FOVR_NORSP_n,
// SIP_FOVR_MAX_n, SIP_2NDRGSTR_*; RFC 3263 §4.3), with table resolvers.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { ok } from '../../src/core/result.js';
import { defaultLineSettings } from '../../src/settings/canonical.js';
import {
  CachingResolver,
  FailoverTargets,
  lineFailoverSpec,
  registrationFailoverSpec,
  TableResolver,
  type DnsAnswer,
  type DnsRecordType,
  type FailoverSpec,
  type SipResolver,
} from '../../src/sip/dns/index.js';

const udp = (address: string, port: number) => ({ address, port, transport: 'udp' as const });

describe('CachingResolver', () => {
  it('reuses an answer for the smallest TTL of its records, on the Clock', async () => {
    const clock = new VirtualClock();
    const table = new TableResolver({ 'pbx.test': { A: ['127.0.0.1', '127.0.0.2'], ttlS: 60 } });
    const cache = new CachingResolver(table, { clock });
    expect(await cache.query('A', 'pbx.test')).toEqual(ok([{ address: '127.0.0.1', ttlS: 60 }, { address: '127.0.0.2', ttlS: 60 }]));
    clock.advance(59_999);
    await cache.query('A', 'PBX.test.');
    expect(table.asked).toEqual(['A pbx.test']);
    table.set({ 'pbx.test': { A: ['127.0.0.3'], ttlS: 60 } });
    clock.advance(1);
    expect(await cache.query('A', 'pbx.test')).toEqual(ok([{ address: '127.0.0.3', ttlS: 60 }]));
    expect(table.asked).toEqual(['A pbx.test', 'A pbx.test']);
    expect(cache.stats).toEqual({ hits: 1, misses: 2, entries: 1 });
  });

  it('takes the minimum TTL across records and caps it', async () => {
    const clock = new VirtualClock();
    const inner: SipResolver = {
      query: <T extends DnsRecordType>() =>
        Promise.resolve(ok([{ address: '127.0.0.1', ttlS: 30 }, { address: '127.0.0.2', ttlS: 10 }]) as unknown as DnsAnswer<T>),
    };
    let asked = 0;
    const counting: SipResolver = { query: (type, name) => (asked++, inner.query(type, name)) };
    const cache = new CachingResolver(counting, { clock, maxTtlS: 5 });
    await cache.query('A', 'x.test');
    clock.advance(4_999);
    await cache.query('A', 'x.test');
    expect(asked).toBe(1);
    clock.advance(1);
    await cache.query('A', 'x.test');
    expect(asked).toBe(2);
  });

  it('gives SRV answers without a TTL the configured SRV TTL', async () => {
    const clock = new VirtualClock();
    let asked = 0;
    const noTtl: SipResolver = {
      query: <T extends DnsRecordType>() => {
        asked++;
        return Promise.resolve(ok([{ target: 'pbx.test', port: 5060, priority: 1, weight: 1 }]) as unknown as DnsAnswer<T>);
      },
    };
    const cache = new CachingResolver(noTtl, { clock, srvTtlS: 20 });
    await cache.query('SRV', '_sip._udp.test');
    clock.advance(19_999);
    await cache.query('SRV', '_sip._udp.test');
    expect(asked).toBe(1);
    clock.advance(1);
    await cache.query('SRV', '_sip._udp.test');
    expect(asked).toBe(2);
  });

  it('caches negative answers for the negative TTL, failures and zero TTLs not at all', async () => {
    const clock = new VirtualClock();
    const table = new TableResolver({ 'down.test': { fail: 'DNS_TIMEOUT' }, 'zero.test': { A: ['127.0.0.1'], ttlS: 0 } });
    const cache = new CachingResolver(table, { clock, negativeTtlS: 10 });
    for (let i = 0; i < 2; i++) {
      expect(await cache.query('A', 'none.test')).toEqual(ok([]));
      expect((await cache.query('A', 'down.test')).ok).toBe(false);
      await cache.query('A', 'zero.test');
    }
    expect(table.asked).toEqual(['A none.test', 'A down.test', 'A zero.test', 'A down.test', 'A zero.test']);
    clock.advance(10_000);
    await cache.query('A', 'none.test');
    expect(table.asked.filter((q) => q === 'A none.test')).toHaveLength(2);
  });

  it('shares one lookup between concurrent identical queries', async () => {
    const table = new TableResolver({ 'pbx.test': { A: ['127.0.0.1'] } });
    const cache = new CachingResolver(table, { clock: new VirtualClock() });
    const [a, b] = await Promise.all([cache.query('A', 'pbx.test'), cache.query('A', 'pbx.test')]);
    expect(a).toEqual(b);
    expect(table.asked).toEqual(['A pbx.test']);
  });

  it('keeps at most maxEntries', async () => {
    const table = new TableResolver({ 'a.test': { A: ['127.0.0.1'] }, 'b.test': { A: ['127.0.0.2'] }, 'c.test': { A: ['127.0.0.3'] } });
    const cache = new CachingResolver(table, { clock: new VirtualClock(), maxEntries: 2 });
    for (const name of ['a.test', 'b.test', 'c.test']) await cache.query('A', name);
    expect(cache.stats.entries).toBe(2);
    await cache.query('A', 'c.test');
    await cache.query('A', 'a.test');
    expect(table.asked).toEqual(['A a.test', 'A b.test', 'A c.test', 'A a.test']);
  });
});

const zone = {
  '_sip._udp.example.test': {
    SRV: [
      { target: 'pbx1.example.test', port: 5060, priority: 10, weight: 0 },
      { target: 'pbx2.example.test', port: 5062, priority: 20, weight: 0 },
      { target: 'pbx3.example.test', port: 5064, priority: 30, weight: 0 },
    ],
  },
  'pbx1.example.test': { A: ['127.0.0.21'] },
  'pbx2.example.test': { A: ['127.0.0.22'] },
  'pbx3.example.test': { A: ['127.0.0.23'] },
};

function spec(over: Partial<FailoverSpec> & { host?: string } = {}): FailoverSpec {
  return {
    primary: { host: over.host ?? 'example.test', transport: 'udp', families: ['ipv4'] },
    secondary: over.secondary,
    failover: over.failover ?? { onNoResponse: true, maxTargets: 4 },
  };
}

describe('FailoverTargets', () => {
  it('walks the SRV targets on timeout, 503 and transport error, then runs out', async () => {
    const targets = new FailoverTargets(spec(), { resolver: new TableResolver(zone), random: () => 0 });
    expect(targets.current()).toBeUndefined();
    expect(await targets.targets()).toEqual([udp('127.0.0.21', 5060), udp('127.0.0.22', 5062), udp('127.0.0.23', 5064)]);
    expect(targets.current()).toEqual(udp('127.0.0.21', 5060));
    expect(targets.fail('timeout')).toEqual(udp('127.0.0.22', 5062));
    expect(targets.fail('service-unavailable')).toEqual(udp('127.0.0.23', 5064));
    expect(targets.lastFailReason).toBe('service-unavailable');
    expect(targets.fail('transport-error')).toBeUndefined();
    expect(targets.exhausted).toBe(true);
    expect(targets.fail('timeout')).toBeUndefined();
    expect(targets.position).toBe(3);
  });

  it('SIP_FOVR_MAX_n caps the servers, the first included', async () => {
    const targets = new FailoverTargets(spec({ failover: { onNoResponse: true, maxTargets: 2 } }), { resolver: new TableResolver(zone), random: () => 0 });
    expect(await targets.targets()).toEqual([udp('127.0.0.21', 5060), udp('127.0.0.22', 5062)]);
  });

  it('SIP_FOVR_NORSP_n = N: only the first server is used', async () => {
    const targets = new FailoverTargets(spec({ failover: { onNoResponse: false, maxTargets: 4 } }), { resolver: new TableResolver(zone), random: () => 0 });
    expect(await targets.targets()).toEqual([udp('127.0.0.21', 5060)]);
    expect(targets.fail('timeout')).toBeUndefined();
  });

  it('adds the secondary registrar after an IP-address primary', async () => {
    const targets = new FailoverTargets(spec({ host: '127.0.0.21', secondary: { host: '127.0.0.31', port: 5090 } }), { resolver: new TableResolver({}) });
    expect(await targets.targets()).toEqual([udp('127.0.0.21', 5060), udp('127.0.0.31', 5090)]);
    expect(targets.fail('timeout')).toEqual(udp('127.0.0.31', 5090));
  });

  it('ignores the secondary when the primary is a domain name (KX-UT670 5.8.2 note)', async () => {
    const targets = new FailoverTargets(spec({ secondary: { host: '127.0.0.31', port: 5090 }, failover: { onNoResponse: true, maxTargets: 1 } }), {
      resolver: new TableResolver(zone),
      random: () => 0,
    });
    expect(await targets.targets()).toEqual([udp('127.0.0.21', 5060)]);
  });

  it('stays on the target that answered until the next cycle, which starts at the primary again', async () => {
    const table = new TableResolver(zone);
    const clock = new VirtualClock();
    const targets = new FailoverTargets(spec(), { resolver: new CachingResolver(table, { clock }), random: () => 0 });
    await targets.targets();
    targets.fail('timeout');
    targets.succeeded();
    expect(targets.active).toEqual(udp('127.0.0.22', 5062));
    expect(targets.current()).toEqual(udp('127.0.0.22', 5062));
    // The next registration refresh: primary first (the failback rule of failover.ts).
    await targets.restart();
    expect(targets.current()).toEqual(udp('127.0.0.21', 5060));
    expect(targets.active).toBeUndefined();
    // Within the TTL (300 s) the cache answers; afterwards the zone is asked again.
    expect(table.asked.filter((q) => q.startsWith('SRV'))).toHaveLength(1);
    table.set({ ...zone, 'pbx1.example.test': { A: ['127.0.0.41'] } });
    clock.advance(300_000);
    expect((await targets.targets())[0]).toEqual(udp('127.0.0.41', 5060));
  });

  it('reports why no target was found', async () => {
    const targets = new FailoverTargets(spec({ host: 'nowhere.test' }), { resolver: new TableResolver(zone) });
    const result = await targets.restart();
    expect(result.ok).toBe(false);
    expect(targets.lastError?.code).toBe('DNS_NO_ADDRESS');
    expect(await targets.targets()).toEqual([]);
    expect(targets.current()).toBeUndefined();
  });

  it('builds specs from a line: registrar with secondary, outbound proxy first for REGISTER', () => {
    const line = defaultLineSettings(1);
    expect(lineFailoverSpec(line, 'registrar')).toBeUndefined();
    line.registrar = { host: '192.0.2.10', port: 5070, secondaryHost: '192.0.2.11', secondaryPort: 5071 };
    line.dns = { srvEnabled: false, udpSrvPrefix: '_x._udp.', tcpSrvPrefix: '_x._tcp.' };
    line.failover = { onNoResponse: true, maxTargets: 2 };
    expect(registrationFailoverSpec(line)).toEqual({
      primary: { host: '192.0.2.10', fallbackPort: 5070, transport: 'udp', srv: { enabled: false, udpPrefix: '_x._udp.', tcpPrefix: '_x._tcp.' } },
      secondary: { host: '192.0.2.11', port: 5071 },
      failover: { onNoResponse: true, maxTargets: 2 },
    });
    line.outboundProxy = { host: 'obp.example.test', port: 5080 };
    expect(registrationFailoverSpec(line)?.primary.host).toBe('obp.example.test');
    expect(registrationFailoverSpec(line)?.secondary).toBeUndefined();
  });
});
