// The transport layer's sans-IO parts, table-driven: §18.2.1 / RFC 3581 stamping, §18.2.2
// response destinations, the inbound outcome of one message, Via completion, SSAF, the NAT
// keep-alive target and the TransportSet multiplexer.
import { describe, expect, it } from 'vitest';
import { Emitter } from '../../src/core/events.js';
import { VirtualClock } from '../../src/core/clock.js';
import { createResponse, parseMessage, parseVia, type SipMessage, type SipRequest, type SipResponse } from '../../src/sip/message/index.js';
import {
  completeRequestVia,
  natKeepAliveTarget,
  normalizeAddress,
  placeholderVia,
  processInbound,
  responseDestination,
  sameAddress,
  sourceAddressFilter,
  ssafServers,
  stampedVia,
  startNatKeepAlive,
  TransportSet,
  type Peer,
  type SipTransport,
  type TransportEvents,
} from '../../src/sip/transport/index.js';
import { defaultLineSettings } from '../../src/settings/canonical.js';
import { requestText } from './transport-helpers.js';

const udpFrom = (address: string, port: number): Peer => ({ address, port, transport: 'udp' });

describe('stampedVia (RFC 3261 §18.2.1, RFC 3581 §4)', () => {
  const cases: Array<[string, Peer, string]> = [
    ['SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1', udpFrom('127.0.0.1', 5060), 'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1'],
    ['SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1', udpFrom('127.0.0.1', 40000), 'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1'],
    ['SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1', udpFrom('127.0.0.1', 5060), 'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;received=127.0.0.1'],
    ['SIP/2.0/UDP phone.example.com;branch=z9hG4bK1', udpFrom('127.0.0.1', 5060), 'SIP/2.0/UDP phone.example.com;branch=z9hG4bK1;received=127.0.0.1'],
    // rport: received always, even when equal (RFC 3581 §4).
    ['SIP/2.0/UDP 127.0.0.1:5060;rport;branch=z9hG4bK1', udpFrom('127.0.0.1', 40000), 'SIP/2.0/UDP 127.0.0.1:5060;rport=40000;branch=z9hG4bK1;received=127.0.0.1'],
    // A received the sender wrote itself is overwritten.
    ['SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1;received=192.0.2.1', udpFrom('127.0.0.1', 5060), 'SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1;received=127.0.0.1'],
    // IPv6: compared in canonical form; received is written without brackets.
    ['SIP/2.0/UDP [::1]:5060;branch=z9hG4bK1', udpFrom('::1', 5060), 'SIP/2.0/UDP [::1]:5060;branch=z9hG4bK1'],
    ['SIP/2.0/UDP [0:0:0:0:0:0:0:1]:5060;branch=z9hG4bK1', udpFrom('::1', 5060), 'SIP/2.0/UDP [0:0:0:0:0:0:0:1]:5060;branch=z9hG4bK1'],
    ['SIP/2.0/UDP [2001:db8::1];branch=z9hG4bK1;rport', udpFrom('::1', 5062), 'SIP/2.0/UDP [2001:db8::1];branch=z9hG4bK1;rport=5062;received=::1'],
    // A dual-stack socket reports IPv4 peers IPv4-mapped.
    ['SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1', udpFrom('::ffff:127.0.0.1', 5060), 'SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1'],
  ];
  it.each(cases)('%s from %o', (via, source, expected) => {
    expect(stampedVia(parseVia(via)!, source).toString()).toBe(expected);
  });

  it('returns the same Via object when nothing changes', () => {
    const via = parseVia('SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1')!;
    expect(stampedVia(via, udpFrom('127.0.0.1', 5060))).toBe(via);
  });
});

function responseWithVia(via: string): SipResponse {
  const p = parseMessage(Buffer.from(`SIP/2.0 200 OK\r\nVia: ${via}\r\nFrom: <sip:a@h>;tag=1\r\nTo: <sip:b@h>;tag=2\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`));
  if (!p.ok || p.value.kind !== 'response') throw new Error(`bad test Via ${via}`);
  return p.value;
}

describe('responseDestination (RFC 3261 §18.2.2)', () => {
  const cases: Array<[string, 'udp' | 'tcp' | 'tls', string | undefined]> = [
    ['SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK1;received=127.0.0.1;rport=40000', 'udp', '127.0.0.1:40000'],
    ['SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK1;received=127.0.0.1', 'udp', '127.0.0.1:5070'],
    ['SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1;received=127.0.0.1', 'udp', '127.0.0.1:5060'],
    ['SIP/2.0/UDP 127.0.0.3:5072;branch=z9hG4bK1', 'udp', '127.0.0.3:5072'],
    // rport without received cannot happen after our stamping; the sent-by is used.
    ['SIP/2.0/UDP 127.0.0.3:5072;branch=z9hG4bK1;rport=6000', 'udp', '127.0.0.3:5072'],
    // maddr ignored (DEVIATION in routing.ts).
    ['SIP/2.0/UDP 127.0.0.3:5072;branch=z9hG4bK1;maddr=239.255.255.1;ttl=1', 'udp', '127.0.0.3:5072'],
    ['SIP/2.0/UDP [::1]:5074;branch=z9hG4bK1', 'udp', '::1:5074'],
    ['SIP/2.0/UDP host.example.com;branch=z9hG4bK1', 'udp', undefined],
    // Reliable: received at the sent-by port (rport does not apply), default port per transport.
    ['SIP/2.0/TCP 10.0.0.1:5070;branch=z9hG4bK1;received=127.0.0.1;rport=40000', 'tcp', '127.0.0.1:5070'],
    ['SIP/2.0/TCP 10.0.0.1;branch=z9hG4bK1;received=127.0.0.1', 'tcp', '127.0.0.1:5060'],
    ['SIP/2.0/TLS 10.0.0.1;branch=z9hG4bK1;received=127.0.0.1', 'tls', '127.0.0.1:5061'],
  ];
  it.each(cases)('%s over %s → %s', (via, transport, expected) => {
    const d = responseDestination(responseWithVia(via), transport);
    expect(d === undefined ? undefined : `${d.address}:${d.port}`).toBe(expected);
    if (d) expect(d.transport).toBe(transport);
  });
});

describe('processInbound', () => {
  const ctx = { maxMessageBytes: 4000, isOwnSentBy: (v: { host: string; port?: number | undefined }) => v.host === '127.0.0.1' && v.port === 5060 };
  const source = udpFrom('127.0.0.9', 40001);
  const bytes = (s: string) => Buffer.from(s, 'latin1');

  it('delivers a request with its Via stamped', () => {
    const out = processInbound(bytes(requestText({ via: 'SIP/2.0/UDP 10.1.1.1;branch=z9hG4bKa;rport' })), source, ctx);
    expect(out.kind).toBe('deliver');
    const via = (out as { message: SipMessage }).message.topVia!;
    expect(via.toString()).toBe('SIP/2.0/UDP 10.1.1.1;branch=z9hG4bKa;rport=40001;received=127.0.0.9');
  });

  it('rejects an unparseable request with the failure status and a stamped Via; drops what cannot be answered', () => {
    const out = processInbound(bytes(requestText({ via: 'SIP/2.0/UDP 10.1.1.1;branch=z9hG4bKa', extra: ['Content-Length: 0'] })), source, ctx);
    expect(out.kind).toBe('reject');
    if (out.kind !== 'reject') return;
    expect(out.response.status).toBe(400);
    expect(out.response.reason).toBe(out.failure.reason);
    expect(out.response.reason).toMatch(/Content-Length/);
    expect(out.response.topVia!.received).toBe('127.0.0.9');
    expect(out.response.to.tag).toBeDefined();
    // 505 for another SIP version.
    const v3 = processInbound(bytes(requestText({ via: 'SIP/2.0/UDP 10.1.1.1;branch=z9hG4bKa' }).replace(' SIP/2.0\r\n', ' SIP/3.0\r\n')), source, ctx);
    expect(v3.kind === 'reject' && v3.response.status).toBe(505);
    // Without Call-ID no response can be built: dropped as malformed.
    expect(processInbound(bytes(requestText({ via: 'SIP/2.0/UDP 10.1.1.1;branch=z9hG4bKa', omit: ['Call-ID'] })), source, ctx)).toMatchObject({ kind: 'drop', reason: 'malformed' });
    // An ACK is never answered.
    expect(processInbound(bytes(requestText({ method: 'ACK', via: 'SIP/2.0/UDP 10.1.1.1;branch=z9hG4bKa', extra: ['Max-Forwards: x'] })), source, ctx)).toMatchObject({ kind: 'drop', reason: 'malformed' });
  });

  it('keep-alives, oversized input, malformed and misrouted responses', () => {
    expect(processInbound(bytes('\r\n\r\n'), source, ctx)).toEqual({ kind: 'keep-alive' });
    expect(processInbound(Buffer.alloc(0), source, ctx)).toEqual({ kind: 'keep-alive' });
    expect(processInbound(Buffer.alloc(4001, 65), source, ctx)).toMatchObject({ kind: 'drop', reason: 'oversized' });
    expect(processInbound(bytes('SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKa\r\n\r\n'), source, ctx)).toMatchObject({ kind: 'drop', reason: 'malformed' });
    const mine = createResponse(requestOf(requestText({ via: 'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKa' })), 180);
    expect(processInbound(bytes(mine.toString()), source, ctx).kind).toBe('deliver');
    const theirs = createResponse(requestOf(requestText({ via: 'SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKa' })), 180);
    expect(processInbound(bytes(theirs.toString()), source, ctx)).toMatchObject({ kind: 'drop', reason: 'misrouted' });
  });
});

function requestOf(text: string): SipRequest {
  const p = parseMessage(Buffer.from(text, 'latin1'));
  if (!p.ok || p.value.kind !== 'request') throw new Error('bad test request');
  return p.value;
}

describe('completeRequestVia', () => {
  it('fills a placeholder for TCP over IPv6 with rport, keeping branch and other parameters', () => {
    const req = requestOf(requestText({ via: `${placeholderVia('z9hG4bKkeep')};x=1` }));
    expect(completeRequestVia(req, { transport: 'tcp', host: '::1', port: 5080, rport: true })).toBe(true);
    expect(req.topVia!.toString()).toBe('SIP/2.0/TCP [::1]:5080;branch=z9hG4bKkeep;x=1;rport');
    expect(req.headers.getAll('Via')).toHaveLength(1);
  });

  it('leaves a complete Via alone', () => {
    const req = requestOf(requestText({ via: 'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKmine' }));
    expect(completeRequestVia(req, { transport: 'udp', host: '127.0.0.2', port: 5090, rport: true })).toBe(false);
    expect(req.topVia!.toString()).toBe('SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKmine');
  });
});

describe('addresses, SSAF and keep-alive settings', () => {
  it('normalizes and compares addresses', () => {
    expect(normalizeAddress('[0:0:0:0:0:0:0:1]')).toBe('::1');
    expect(normalizeAddress('::FFFF:127.0.0.1')).toBe('127.0.0.1');
    expect(normalizeAddress('2001:DB8:0::1')).toBe('2001:db8::1');
    expect(normalizeAddress('Registrar.Example.COM')).toBe('registrar.example.com');
    expect(sameAddress('[::1]', '0::1')).toBe(true);
    expect(sameAddress('127.0.0.1', '127.0.0.2')).toBe(false);
  });

  it('sourceAddressFilter admits exactly the given addresses, in any spelling', () => {
    const allow = sourceAddressFilter(['127.0.0.5', '[::1]', '']);
    expect(allow('127.0.0.5')).toBe(true);
    expect(allow('::ffff:127.0.0.5')).toBe(true);
    expect(allow('0:0::1')).toBe(true);
    expect(allow('127.0.0.6')).toBe(false);
    expect(allow('')).toBe(false);
  });

  it('ssafServers lists the line servers when SSAF is on (KX-UT670 4.6.2.13)', () => {
    const line = defaultLineSettings(1);
    expect(ssafServers(line)).toBeUndefined();
    line.sourceAddressFilter = true;
    line.registrar.host = 'reg.example.com';
    line.proxy.host = 'reg.example.com';
    line.outboundProxy.host = '192.0.2.1';
    expect(ssafServers(line)).toEqual(['reg.example.com', '192.0.2.1']);
  });

  it('natKeepAliveTarget: outbound proxy, else registrar; only for UDP with an interval (4.6.2.12)', () => {
    const line = defaultLineSettings(1);
    line.registrar = { ...line.registrar, host: '192.0.2.10', port: 5070 };
    expect(natKeepAliveTarget(line)).toBeUndefined();
    line.natKeepaliveS = 30;
    expect(natKeepAliveTarget(line)).toEqual({ host: '192.0.2.10', port: 5070 });
    line.outboundProxy = { host: '192.0.2.20', port: 5080 };
    expect(natKeepAliveTarget(line)).toEqual({ host: '192.0.2.20', port: 5080 });
    line.transport = 'tcp';
    expect(natKeepAliveTarget(line)).toBeUndefined();
  });

  it('startNatKeepAlive fires every interval on the clock', () => {
    const clock = new VirtualClock();
    let sent = 0;
    const t = startNatKeepAlive({ clock, intervalS: 10, send: () => sent++ })!;
    clock.advance(35_000);
    expect(sent).toBe(3);
    t.cancel();
    clock.advance(100_000);
    expect(sent).toBe(3);
    expect(startNatKeepAlive({ clock, intervalS: 0, send: () => sent++ })).toBeUndefined();
  });
});

describe('TransportSet', () => {
  function fake(protocol: 'udp' | 'tcp'): SipTransport & { sent: Peer[] } {
    const sent: Peer[] = [];
    return {
      protocol,
      reliable: protocol !== 'udp',
      events: new Emitter<TransportEvents>(),
      local: { address: '127.0.0.1', port: 5060 },
      stats: { transport: protocol } as SipTransport['stats'],
      start: async () => undefined,
      close: async () => undefined,
      send: (_m, p) => (sent.push(p), true),
      via: (branch) => `SIP/2.0/${protocol.toUpperCase()} 127.0.0.1:5060;branch=${branch}`,
      keepAlive: () => true,
      sent,
    };
  }

  it('sends on the transport the peer names and builds its Via', () => {
    const udp = fake('udp');
    const tcp = fake('tcp');
    const set = new TransportSet([udp, tcp]);
    const msg = requestOf(requestText({ via: 'SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKa' }));
    expect(set.send(msg, { address: '127.0.0.2', port: 5060, transport: 'tcp' })).toBe(true);
    expect(tcp.sent).toHaveLength(1);
    expect(udp.sent).toHaveLength(0);
    expect(set.send(msg, { address: '127.0.0.2', port: 5061, transport: 'tls' })).toBe(false);
    expect(set.via('z9hG4bKb', { address: '127.0.0.2', port: 5060, transport: 'udp' })).toBe('SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKb');
    expect(() => set.via('z9hG4bKb', { address: '127.0.0.2', port: 5061, transport: 'tls' })).toThrow(/no tls transport/);
    expect(() => new TransportSet([udp, fake('udp')])).toThrow(/two udp/);
  });

  it('onMessage subscribes to every transport until unsubscribed', () => {
    const udp = fake('udp');
    const tcp = fake('tcp');
    const set = new TransportSet([udp, tcp]);
    const got: string[] = [];
    const off = set.onMessage(({ source }) => got.push(source.transport));
    const message = requestOf(requestText({ via: 'SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKa' }));
    udp.events.emit('message', { message, source: udpFrom('127.0.0.1', 1) });
    tcp.events.emit('message', { message, source: { address: '127.0.0.1', port: 2, transport: 'tcp' } });
    off();
    udp.events.emit('message', { message, source: udpFrom('127.0.0.1', 1) });
    expect(got).toEqual(['udp', 'tcp']);
  });
});
