// RFC 3263 §4.2 target selection (sans-IO) and RFC 2782 SRV ordering, table-driven: each case is a
// DNS table, a target spec, and the exact Peers (or failure code) and queries expected.
import { describe, expect, it } from 'vitest';
import { locateTargets, orderSrv, selectTargets, srvName, TableResolver, validDomainName, type DnsTable, type SrvRecord, type TargetSpec } from '../../src/sip/dns/index.js';
import { queryKey, type DnsAnswer } from '../../src/sip/dns/types.js';
import { seededRandom } from '../rtp/impairment.js';

const zone: DnsTable = {
  '_sip._udp.example.test': {
    SRV: [
      { target: 'pbx2.example.test', port: 5062, priority: 20, weight: 0 },
      { target: 'pbx1.example.test', port: 5060, priority: 10, weight: 0 },
    ],
  },
  '_sip._tcp.example.test': { SRV: [{ target: 'pbx2.example.test', port: 5070, priority: 0, weight: 0 }] },
  '_sips._tcp.example.test': { SRV: [{ target: 'pbx1.example.test', port: 5081, priority: 0, weight: 0 }] },
  '_voip._udp.example.test': { SRV: [{ target: 'pbx2.example.test', port: 6000, priority: 0, weight: 0 }] },
  'pbx1.example.test': { A: ['127.0.0.21'], AAAA: ['::1'] },
  'pbx2.example.test': { A: ['127.0.0.22', '127.0.0.23'] },
  'example.test': { A: ['127.0.0.30'] },
  'plain.test': { A: ['127.0.0.40'], AAAA: ['fd00::40'] },
  'v6only.test': { AAAA: ['fd00:0:0:0:0:0:0:6'] },
  '_sip._udp.dot.test': { SRV: [{ target: '.', port: 0, priority: 0, weight: 0 }] },
  'dot.test': { A: ['127.0.0.50'] },
  '_sip._udp.broken.test': { fail: 'DNS_TIMEOUT' },
  'broken.test': { A: ['127.0.0.60'] },
  '_sip._udp.dangling.test': { SRV: [{ target: 'ghost.dangling.test', port: 5060, priority: 0, weight: 0 }] },
  'dangling.test': { A: ['127.0.0.70'] },
  'down.test': { fail: 'DNS_SERVFAIL' },
  '_sip._udp.dup.test': {
    SRV: [
      { target: 'pbx1.example.test', port: 5060, priority: 10, weight: 0 },
      { target: 'pbx1.example.test', port: 5060, priority: 20, weight: 0 },
    ],
  },
};

const udp = (address: string, port: number) => ({ address, port, transport: 'udp' as const });

interface Case {
  name: string;
  spec: Partial<TargetSpec> & { host: string };
  peers?: Array<{ address: string; port: number; transport: string }>;
  code?: string;
  /** Exactly the queries asked, in order. */
  asked: string[];
}

const cases: Case[] = [
  { name: 'IPv4 literal: itself, default port', spec: { host: '127.0.0.9' }, peers: [udp('127.0.0.9', 5060)], asked: [] },
  { name: 'IPv4 literal: the configured port', spec: { host: '127.0.0.9', fallbackPort: 5080 }, peers: [udp('127.0.0.9', 5080)], asked: [] },
  { name: 'IPv6 literal in brackets, normalised', spec: { host: '[0:0:0:0:0:0:0:1]', port: 5090 }, peers: [udp('::1', 5090)], asked: [] },
  { name: 'TLS literal defaults to 5061', spec: { host: '127.0.0.9', transport: 'tls' }, peers: [{ address: '127.0.0.9', port: 5061, transport: 'tls' }], asked: [] },
  {
    name: 'SRV by priority, each target A then AAAA',
    spec: { host: 'example.test' },
    peers: [udp('127.0.0.21', 5060), udp('::1', 5060), udp('127.0.0.22', 5062), udp('127.0.0.23', 5062)],
    asked: ['SRV _sip._udp.example.test', 'A pbx2.example.test', 'AAAA pbx2.example.test', 'A pbx1.example.test', 'AAAA pbx1.example.test'],
  },
  {
    name: 'explicit URI port: A/AAAA only, no SRV (§4.2)',
    spec: { host: 'example.test', port: 5099 },
    peers: [udp('127.0.0.30', 5099)],
    asked: ['A example.test', 'AAAA example.test'],
  },
  {
    name: 'SRV disabled (SIP_DNSSRV_ENA_n = N): A/AAAA on the configured port',
    spec: { host: 'example.test', fallbackPort: 5077, srv: { enabled: false } },
    peers: [udp('127.0.0.30', 5077)],
    asked: ['A example.test', 'AAAA example.test'],
  },
  {
    name: 'TCP uses SIP_TCP_SRV_PREFIX_n',
    spec: { host: 'example.test', transport: 'tcp' },
    peers: [{ address: '127.0.0.22', port: 5070, transport: 'tcp' }, { address: '127.0.0.23', port: 5070, transport: 'tcp' }],
    asked: ['SRV _sip._tcp.example.test', 'A pbx2.example.test', 'AAAA pbx2.example.test'],
  },
  {
    name: 'TLS uses _sips._tcp.',
    spec: { host: 'example.test', transport: 'tls', families: ['ipv4'] },
    peers: [{ address: '127.0.0.21', port: 5081, transport: 'tls' }],
    asked: ['SRV _sips._tcp.example.test', 'A pbx1.example.test'],
  },
  {
    name: 'custom UDP prefix without its final dot',
    spec: { host: 'example.test', srv: { enabled: true, udpPrefix: '_voip._udp' }, families: ['ipv4'] },
    peers: [udp('127.0.0.22', 6000), udp('127.0.0.23', 6000)],
    asked: ['SRV _voip._udp.example.test', 'A pbx2.example.test'],
  },
  {
    name: 'no SRV records: A and AAAA of the domain on the configured port',
    spec: { host: 'plain.test', fallbackPort: 5066 },
    peers: [udp('127.0.0.40', 5066), udp('fd00::40', 5066)],
    asked: ['SRV _sip._udp.plain.test', 'A plain.test', 'AAAA plain.test'],
  },
  {
    name: 'IPv6 preferred when the families say so',
    spec: { host: 'plain.test', families: ['ipv6', 'ipv4'], srv: { enabled: false } },
    peers: [udp('fd00::40', 5060), udp('127.0.0.40', 5060)],
    asked: ['AAAA plain.test', 'A plain.test'],
  },
  { name: 'IPv6-only host, AAAA answer compressed', spec: { host: 'v6only.test' }, peers: [udp('fd00::6', 5060)], asked: ['SRV _sip._udp.v6only.test', 'A v6only.test', 'AAAA v6only.test'] },
  { name: 'SRV "." means not available: no A fallback (RFC 2782)', spec: { host: 'dot.test' }, code: 'DNS_SRV_NOT_AVAILABLE', asked: ['SRV _sip._udp.dot.test'] },
  { name: 'SRV query failed: treated as none found', spec: { host: 'broken.test', families: ['ipv4'] }, peers: [udp('127.0.0.60', 5060)], asked: ['SRV _sip._udp.broken.test', 'A broken.test'] },
  {
    name: 'SRV targets without addresses: no fallback to the domain',
    spec: { host: 'dangling.test', families: ['ipv4'] },
    code: 'DNS_NO_ADDRESS',
    asked: ['SRV _sip._udp.dangling.test', 'A ghost.dangling.test'],
  },
  { name: 'NXDOMAIN', spec: { host: 'nowhere.test', srv: { enabled: false } }, code: 'DNS_NO_ADDRESS', asked: ['A nowhere.test', 'AAAA nowhere.test'] },
  { name: 'every lookup failed', spec: { host: 'down.test', srv: { enabled: false } }, code: 'DNS_LOOKUP_FAILED', asked: ['A down.test', 'AAAA down.test'] },
  { name: 'the same target twice is tried once', spec: { host: 'dup.test', families: ['ipv4'] }, peers: [udp('127.0.0.21', 5060)], asked: ['SRV _sip._udp.dup.test', 'A pbx1.example.test'] },
  { name: 'empty host', spec: { host: '  ' }, code: 'DNS_NO_HOST', asked: [] },
  { name: 'not a domain name', spec: { host: 'pbx one.test' }, code: 'DNS_BAD_TARGET', asked: [] },
  { name: 'port out of range', spec: { host: '127.0.0.1', port: 70000 }, code: 'DNS_BAD_TARGET', asked: [] },
];

describe('RFC 3263 §4.2 target selection', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const resolver = new TableResolver(zone);
      const result = await locateTargets({ transport: 'udp', ...c.spec }, resolver, () => 0);
      if (c.peers) {
        expect(result).toEqual({ ok: true, value: c.peers });
      } else {
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error.code).toBe(c.code);
      }
      expect(resolver.asked).toEqual(c.asked);
    });
  }

  it('is sans-IO: each step names the queries still needed', () => {
    const spec: TargetSpec = { host: 'example.test', transport: 'udp', families: ['ipv4'] };
    const answers = new Map<string, DnsAnswer>();
    expect(selectTargets(spec, answers, () => 0)).toEqual({ kind: 'lookup', queries: [{ type: 'SRV', name: '_sip._udp.example.test' }] });
    answers.set(queryKey('SRV', '_sip._udp.example.test'), {
      ok: true,
      value: [
        { target: 'b.example.test', port: 5062, priority: 2, weight: 0 },
        { target: 'a.example.test', port: 5060, priority: 1, weight: 0 },
        { target: '127.0.0.99', port: 5064, priority: 3, weight: 0 },
      ],
    });
    expect(selectTargets(spec, answers, () => 0)).toEqual({
      kind: 'lookup',
      queries: [{ type: 'A', name: 'b.example.test' }, { type: 'A', name: 'a.example.test' }],
    });
    answers.set(queryKey('A', 'a.example.test'), { ok: true, value: [{ address: '127.0.0.1', ttlS: 5 }] });
    answers.set(queryKey('A', 'B.Example.Test.'), { ok: true, value: [] });
    expect(selectTargets(spec, answers, () => 0)).toEqual({ kind: 'done', result: { ok: true, value: [udp('127.0.0.1', 5060), udp('127.0.0.99', 5064)] } });
  });

  it('builds SRV names and checks domain names', () => {
    expect(srvName('example.test', 'udp', undefined)).toBe('_sip._udp.example.test');
    expect(srvName('example.test', 'tcp', { enabled: true, tcpPrefix: '' })).toBe('_sip._tcp.example.test');
    expect(srvName('example.test', 'tcp', { enabled: true, tcpPrefix: '_x._tcp.' })).toBe('_x._tcp.example.test');
    expect(validDomainName('a-b.example.test.')).toBe(true);
    expect(validDomainName('-a.test')).toBe(false);
    expect(validDomainName('a..test')).toBe(false);
    expect(validDomainName(`${'a'.repeat(64)}.test`)).toBe(false);
  });
});

describe('RFC 2782 SRV ordering', () => {
  const srv = (target: string, priority: number, weight: number): SrvRecord => ({ target, port: 5060, priority, weight });

  it('orders by priority, lowest first, and drops "." targets', () => {
    const ordered = orderSrv([srv('c', 30, 5), srv('.', 1, 0), srv('a', 10, 5), srv('b', 20, 5)], () => 0.3);
    expect(ordered.map((r) => r.target)).toEqual(['a', 'b', 'c']);
  });

  it('draws within a priority by running sums, weight 0 first in the list', () => {
    // List order [z(0), a(10), b(20)]: running sums 0, 10, 30; draw = floor(r * 31).
    const group = [srv('a', 1, 10), srv('b', 1, 20), srv('z', 1, 0)];
    const draws = (...values: number[]) => {
      let i = 0;
      return () => values[i++]!;
    };
    expect(orderSrv(group, draws(0, 0, 0)).map((r) => r.target)).toEqual(['z', 'a', 'b']); // draw 0 → z
    expect(orderSrv(group, draws(0.5, 0.5, 0)).map((r) => r.target)).toEqual(['b', 'a', 'z']); // 15 → b; then [z,a]: 5 → a
    expect(orderSrv(group, draws(0.3, 0.99, 0)).map((r) => r.target)).toEqual(['a', 'b', 'z']); // 9 → a; then [z,b]: 20 → b
    expect(orderSrv(group, draws(0.99, 0, 0)).map((r) => r.target)).toEqual(['b', 'z', 'a']); // 30 → b; then [z,a]: 0 → z
    expect(group.map((r) => r.target)).toEqual(['a', 'b', 'z']);
  });

  it('chooses in proportion to weight (10,000 seeded draws)', () => {
    const random = seededRandom(3263);
    const first = new Map<string, number>();
    const n = 10_000;
    for (let i = 0; i < n; i++) {
      const top = orderSrv([srv('a', 1, 60), srv('b', 1, 30), srv('c', 1, 10), srv('zero', 1, 0)], random)[0]!.target;
      first.set(top, (first.get(top) ?? 0) + 1);
    }
    expect(first.get('a')! / n).toBeCloseTo(0.6, 1);
    expect(first.get('b')! / n).toBeCloseTo(0.3, 1);
    expect(first.get('c')! / n).toBeCloseTo(0.1, 1);
    // Weight 0 is chosen first only on a draw of exactly 0: 1 in 101.
    expect(first.get('zero') ?? 0).toBeLessThan(n / 50);
    expect(first.get('zero') ?? 0).toBeGreaterThan(0);
  });

  it('all weights 0: the list order (sum 0, draw 0, as RFC 2782 computes it)', () => {
    expect(orderSrv([srv('a', 1, 0), srv('b', 1, 0)], () => 0.99).map((r) => r.target)).toEqual(['a', 'b']);
  });
});
