// The dnsmasq peer: SRV, A and NAPTR answers for RFC 3263 tests from a loopback-only server that
// forwards nothing, queried through node:dns Resolver.setServers(['127.0.0.x:port']).
import { beforeAll, describe, expect, it } from 'vitest';
import { dnsmasqRecordArgs, peerGroup } from './index.js';
import { processGroupMembers, socketsOf } from './sockets.js';
import type { Dnsmasq } from './index.js';

describe('dnsmasqRecordArgs', () => {
  it('writes records and makes their domains local', () => {
    expect(dnsmasqRecordArgs({
      hosts: { 'pbx1.example.test': '127.0.0.21' },
      srv: [{ name: '_sip._udp.example.test', target: 'pbx1.example.test', port: 5060 }],
      naptr: [{ name: 'example.test', order: 10, preference: 20, flags: 'S', service: 'SIP+D2U', replacement: '_sip._udp.example.test' }],
    })).toEqual([
      '--host-record=pbx1.example.test,127.0.0.21',
      '--srv-host=_sip._udp.example.test,pbx1.example.test,5060,10,10',
      '--naptr-record=example.test,10,20,S,SIP+D2U,,_sip._udp.example.test',
      '--local=/example.test/',
    ]);
  });

  it('refuses names that would inject options', () => {
    expect(() => dnsmasqRecordArgs({ hosts: { 'a,b': '127.0.0.1' } })).toThrow(/unsupported characters/);
  });
});

describe('dnsmasq on loopback', () => {
  const peers = peerGroup();
  let dns: Dnsmasq;

  beforeAll(async () => {
    dns = await peers.dnsmasq({
      hosts: { 'pbx1.example.test': '127.0.0.21', 'pbx2.example.test': ['127.0.0.22', '127.0.0.23'] },
      srv: [
        { name: '_sip._udp.example.test', target: 'pbx1.example.test', port: 5060, priority: 10, weight: 60 },
        { name: '_sip._udp.example.test', target: 'pbx2.example.test', port: 5062, priority: 20, weight: 40 },
        { name: '_sip._tcp.example.test', target: 'pbx2.example.test', port: 5060 },
      ],
      naptr: [
        { name: 'example.test', order: 10, preference: 10, flags: 'S', service: 'SIP+D2T', replacement: '_sip._tcp.example.test' },
        { name: 'example.test', order: 20, preference: 10, flags: 'S', service: 'SIP+D2U', replacement: '_sip._udp.example.test' },
      ],
    });
  });

  it('answers SRV with priorities, weights and ports (RFC 2782)', async () => {
    const records = await dns.resolver().resolveSrv('_sip._udp.example.test');
    expect(records.sort((a, b) => a.priority - b.priority)).toEqual([
      { name: 'pbx1.example.test', port: 5060, priority: 10, weight: 60 },
      { name: 'pbx2.example.test', port: 5062, priority: 20, weight: 40 },
    ]);
    expect(await dns.resolver().resolveSrv('_sip._tcp.example.test')).toEqual([{ name: 'pbx2.example.test', port: 5060, priority: 10, weight: 10 }]);
  });

  it('answers A records, several addresses per name', async () => {
    expect(await dns.resolver().resolve4('pbx1.example.test')).toEqual(['127.0.0.21']);
    expect((await dns.resolver().resolve4('pbx2.example.test')).sort()).toEqual(['127.0.0.22', '127.0.0.23']);
  });

  it('answers NAPTR (RFC 3263 §4.1)', async () => {
    const records = await dns.resolver().resolveNaptr('example.test');
    expect(records.sort((a, b) => a.order - b.order).map((r) => [r.order, r.service, r.replacement])).toEqual([
      [10, 'SIP+D2T', '_sip._tcp.example.test'],
      [20, 'SIP+D2U', '_sip._udp.example.test'],
    ]);
  });

  it('says NXDOMAIN for unknown names in its domains and forwards nothing else', async () => {
    await expect(dns.resolver().resolve4('pbx9.example.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(dns.resolver().resolveSrv('_sip._udp.elsewhere.test')).rejects.toMatchObject({ code: 'EREFUSED' });
    expect(dns.logs()).toContain('query[SRV] _sip._udp.example.test');
  });

  it('listens on its loopback address only', () => {
    const sockets = socketsOf(processGroupMembers(dns.pid!));
    expect(new Set(sockets.map((s) => `${s.protocol} ${s.address}:${s.port}`))).toEqual(new Set([`udp ${dns.address}:${dns.port}`, `tcp ${dns.address}:${dns.port}`]));
  });
});
