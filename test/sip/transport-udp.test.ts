// UdpTransport on loopback: round trips through real transaction layers on both ends, RFC 3261
// §18.2.1 received / RFC 3581 rport stamping, §18.2.2 response routing, §18.1.2, SSAF, malformed
// and oversized input, keep-alives, and random datagrams. Transport timers run on a VirtualClock.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { createRequest, createResponse, parseMessage, randomBranch, randomCallId, type SipRequest } from '../../src/sip/message/index.js';
import { placeholderVia, UdpTransport, type UdpTransportOptions } from '../../src/sip/transport/index.js';
import { endpoint, RawUdp, requestText, sleep, token, transact, until } from './transport-helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function udp(options: Partial<UdpTransportOptions> = {}, clock = new VirtualClock()): Promise<UdpTransport> {
  const t = new UdpTransport({ address: '127.0.0.1', port: 0, clock, ...options });
  await t.start();
  cleanups.push(() => t.close());
  return t;
}

async function raw(address = '127.0.0.1'): Promise<RawUdp> {
  const r = await RawUdp.open(address);
  cleanups.push(() => r.close());
  return r;
}

function options(via: string, to = 'sip:b@127.0.0.1'): SipRequest {
  return createRequest({ method: 'OPTIONS', uri: to, via, from: `<sip:a@127.0.0.1>;tag=${token(4)}`, to: `<${to}>`, callId: randomCallId(), cseq: 1 });
}

function headerOf(text: string, name: string): string | undefined {
  return new RegExp(`^${name}: *(.*)$`, 'mi').exec(text)?.[1]?.trim();
}

describe('UdpTransport round trips through two transaction layers', () => {
  it('OPTIONS gets its 200 back; Via names the sender with rport; both ends count one message each way', async () => {
    const clock = new VirtualClock();
    const a = endpoint(await udp({ addRport: true }, clock), clock);
    const b = endpoint(await udp({}, clock), clock);
    const request = options(a.transport.via(randomBranch()));
    const response = await transact(a.layer, request, b.peer);
    expect(response.status).toBe(200);
    const via = b.requests[0]!.topVia!;
    expect(via.transport).toBe('UDP');
    expect(`${via.host}:${via.port}`).toBe(`127.0.0.1:${a.peer.port}`);
    // rport asked for and filled; received always with rport (RFC 3581 §4).
    expect(via.rport).toBe(a.peer.port);
    expect(via.received).toBe('127.0.0.1');
    expect(a.transport.stats).toMatchObject({ transport: 'udp', sent: 1, received: 1, malformed: 0, filtered: 0 });
    expect(b.transport.stats).toMatchObject({ sent: 1, received: 1 });
  });

  it('INVITE answered 486: the ACK for the non-2xx reaches the server transaction', async () => {
    const clock = new VirtualClock();
    const a = endpoint(await udp({}, clock), clock);
    const b = endpoint(await udp({}, clock), clock, undefined, 486);
    const invite = createRequest({ method: 'INVITE', uri: 'sip:b@127.0.0.1', via: a.transport.via(randomBranch()), from: '<sip:a@127.0.0.1>;tag=1', to: '<sip:b@127.0.0.1>', callId: randomCallId(), cseq: 1, contact: '<sip:a@127.0.0.1>', body: 'v=0\r\n' });
    const response = await transact(a.layer, invite, b.peer);
    expect(response.status).toBe(486);
    // The client transaction ACKs the 486 (§17.1.1.3); the server transaction absorbs it (§17.2.1).
    await until('ACK at b', () => (b.transport.stats.received >= 2 ? true : undefined));
    expect(b.transport.stats.received).toBe(2);
    expect(b.requests.map((r) => r.method)).toEqual(['INVITE']);
  });

  it('works over IPv6 (::1)', async () => {
    const clock = new VirtualClock();
    const a = endpoint(await udp({ address: '::1', addRport: true }, clock), clock);
    const b = endpoint(await udp({ address: '::1' }, clock), clock);
    expect(a.transport.via('z9hG4bKx')).toBe(`SIP/2.0/UDP [::1]:${a.peer.port};branch=z9hG4bKx;rport`);
    const response = await transact(a.layer, options(a.transport.via(randomBranch()), 'sip:b@[::1]'), b.peer);
    expect(response.status).toBe(200);
    const via = b.requests[0]!.topVia!;
    expect(via.received).toBe('::1');
    expect(via.rport).toBe(a.peer.port);
  });
});

describe('§18.2.1 received / RFC 3581 rport and §18.2.2 response routing', () => {
  it('a Via that lies about its host gets received=; with rport the response goes to the source port', async () => {
    const clock = new VirtualClock();
    const b = endpoint(await udp({}, clock), clock);
    const r = await raw();
    await r.send(requestText({ via: `SIP/2.0/UDP 192.0.2.1:5099;branch=${randomBranch()};rport` }), b.peer.port);
    const reply = await r.next('200');
    expect(reply).toMatch(/^SIP\/2\.0 200 /);
    const via = b.requests[0]!.topVia!;
    expect(via.received).toBe('127.0.0.1');
    expect(via.rport).toBe(r.port);
    expect(headerOf(reply, 'Via')).toBe(`SIP/2.0/UDP 192.0.2.1:5099;branch=${via.branch};rport=${r.port};received=127.0.0.1`);
  });

  it('without rport the response goes to received at the Via port, not to the source port', async () => {
    const clock = new VirtualClock();
    const b = endpoint(await udp({}, clock), clock);
    const sender = await raw();
    const listener = await raw();
    await sender.send(requestText({ via: `SIP/2.0/UDP 10.0.0.1:${listener.port};branch=${randomBranch()}` }), b.peer.port);
    const reply = await listener.next('200 at the Via port');
    expect(reply).toMatch(/^SIP\/2\.0 200 /);
    expect(headerOf(reply, 'Via')).toContain(';received=127.0.0.1');
    expect(headerOf(reply, 'Via')).not.toContain('rport');
    await sleep(20);
    expect(sender.received).toEqual([]);
  });

  it('a Via whose host equals the source address gets no received (and no rport unless asked)', async () => {
    const clock = new VirtualClock();
    const b = endpoint(await udp({}, clock), clock);
    const r = await raw();
    await r.send(requestText({ via: `SIP/2.0/UDP 127.0.0.1:${r.port};branch=${randomBranch()}` }), b.peer.port);
    await r.next('200');
    const via = b.requests[0]!.topVia!;
    expect(via.received).toBeUndefined();
    expect(via.hasRport).toBe(false);
  });

  it('§18.1.2: a response whose top Via is not ours is dropped; one that is ours reaches the layer', async () => {
    const clock = new VirtualClock();
    const a = endpoint(await udp({}, clock), clock);
    const r = await raw();
    const foreign = createResponse(parseOk(requestText({ via: `SIP/2.0/UDP 192.0.2.9:5060;branch=${randomBranch()}` })), 200);
    await r.send(foreign.toString(), a.peer.port);
    const ours = createResponse(parseOk(requestText({ via: a.transport.via(randomBranch()) })), 200);
    await r.send(ours.toString(), a.peer.port);
    await until('misrouted and stray', () => (a.transport.stats.misrouted === 1 && a.stray.length === 1 ? true : undefined));
    expect(a.transport.stats).toMatchObject({ misrouted: 1, received: 1 });
    expect(a.stray[0]!.topVia!.host).toBe('127.0.0.1');
  });
});

function parseOk(text: string): SipRequest {
  const p = parseMessage(Buffer.from(text, 'latin1'));
  if (!p.ok || p.value.kind !== 'request') throw new Error('test request does not parse');
  return p.value;
}

describe('inbound filtering and malformed input', () => {
  it('SSAF: messages from other addresses are dropped silently and counted', async () => {
    const clock = new VirtualClock();
    const b = endpoint(await udp({ allowedSources: (address) => address === '127.0.0.5' }, clock), clock);
    const stranger = await raw('127.0.0.1');
    const server = await raw('127.0.0.5');
    const dropped: string[] = [];
    b.transport.events.on('dropped', (d) => dropped.push(`${d.reason} ${d.source.address}`));
    await stranger.send(requestText({ via: `SIP/2.0/UDP 127.0.0.1:${stranger.port};branch=${randomBranch()}` }), b.peer.port);
    await server.send(requestText({ via: `SIP/2.0/UDP 127.0.0.5:${server.port};branch=${randomBranch()}` }), b.peer.port);
    expect(await server.next('200 for the allowed server')).toMatch(/^SIP\/2\.0 200 /);
    await sleep(20);
    expect(stranger.received).toEqual([]);
    expect(b.transport.stats).toMatchObject({ filtered: 1, received: 1, sent: 1 });
    expect(dropped).toEqual(['filtered 127.0.0.1']);
  });

  it('a request that fails to parse is answered 400 with a reason naming the fault, routed by rport', async () => {
    const clock = new VirtualClock();
    const b = endpoint(await udp({}, clock), clock);
    const r = await raw();
    await r.send(requestText({ via: `SIP/2.0/UDP 192.0.2.1;branch=${randomBranch()};rport`, extra: ['CSeq: 1 OPTIONS'] }), b.peer.port);
    const reply = await r.next('400');
    expect(reply.split('\r\n')[0]).toMatch(/^SIP\/2\.0 400 .*CSeq/i);
    expect(headerOf(reply, 'Via')).toContain(`;rport=${r.port};received=127.0.0.1`);
    expect(b.requests).toEqual([]);
    expect(b.transport.stats).toMatchObject({ malformed: 1, rejected: 1, received: 0 });
  });

  it('a malformed response is dropped and counted; nothing is sent', async () => {
    const clock = new VirtualClock();
    const a = endpoint(await udp({}, clock), clock);
    const r = await raw();
    await r.send(`SIP/2.0 200 OK\r\nVia: ${a.transport.via(randomBranch())}\r\nCSeq: banana\r\nContent-Length: 0\r\n\r\n`, a.peer.port);
    await until('malformed', () => (a.transport.stats.malformed === 1 ? true : undefined));
    await sleep(20);
    expect(r.received).toEqual([]);
    expect(a.transport.stats).toMatchObject({ malformed: 1, sent: 0, received: 0 });
    expect(a.stray).toEqual([]);
  });

  it('an oversized datagram is dropped unread', async () => {
    const clock = new VirtualClock();
    const b = endpoint(await udp({ maxDatagramBytes: 2000 }, clock), clock);
    const r = await raw();
    const big = requestText({ via: `SIP/2.0/UDP 127.0.0.1:${r.port};branch=${randomBranch()}`, extra: [`X-Pad: ${'x'.repeat(3000)}`] });
    await r.send(big, b.peer.port);
    await r.send(requestText({ via: `SIP/2.0/UDP 127.0.0.1:${r.port};branch=${randomBranch()}` }), b.peer.port);
    await r.next('200 for the small one');
    await sleep(20);
    expect(r.received).toHaveLength(1);
    expect(b.transport.stats).toMatchObject({ oversized: 1, received: 1 });
  });

  it('a CRLF keep-alive datagram is counted and ignored', async () => {
    const clock = new VirtualClock();
    const b = endpoint(await udp({}, clock), clock);
    const r = await raw();
    await r.send('\r\n\r\n', b.peer.port);
    await until('keep-alive counted', () => (b.transport.stats.keepAlivesReceived === 1 ? true : undefined));
    expect(b.transport.stats).toMatchObject({ received: 0, malformed: 0, sent: 0 });
  });

  it('a TU that throws is counted as an internal error and the transport keeps answering', async () => {
    const clock = new VirtualClock();
    let calls = 0;
    const b = endpoint(await udp({}, clock), clock, (request, tx) => {
      calls++;
      if (calls === 1) throw new Error('TU bug');
      tx.respond(createResponse(request, 200));
    });
    const r = await raw();
    await r.send(requestText({ via: `SIP/2.0/UDP 127.0.0.1:${r.port};branch=${randomBranch()}` }), b.peer.port);
    await until('internal error', () => (b.transport.stats.internalErrors === 1 ? true : undefined));
    await r.send(requestText({ via: `SIP/2.0/UDP 127.0.0.1:${r.port};branch=${randomBranch()}` }), b.peer.port);
    expect(await r.next('200')).toMatch(/^SIP\/2\.0 200 /);
  });
});

describe('outbound', () => {
  it('fills a placeholder Via (keeping its branch) and adds a Via to a request that has none', async () => {
    const a = await udp({ addRport: true });
    const r = await raw();
    const branch = randomBranch();
    const peer = { address: '127.0.0.1', port: r.port, transport: 'udp' as const };
    expect(a.send(options(placeholderVia(branch)), peer)).toBe(true);
    expect(headerOf(await r.next('request'), 'Via')).toBe(`SIP/2.0/UDP 127.0.0.1:${a.local.port};branch=${branch};rport`);
    const bare = createRequest({ method: 'MESSAGE', uri: 'sip:x@127.0.0.1', from: '<sip:a@h>;tag=1', to: '<sip:x@h>', callId: 'c', cseq: 1 });
    expect(a.send(bare, peer)).toBe(true);
    expect(headerOf(await r.next('second request'), 'Via')).toMatch(new RegExp(`^SIP/2\\.0/UDP 127\\.0\\.0\\.1:${a.local.port};branch=z9hG4bK[^;]+;rport$`));
    // A Via written in full is left alone.
    const own = `SIP/2.0/UDP 127.0.0.1:${a.local.port};branch=${randomBranch()}`;
    a.send(options(own), peer);
    expect(headerOf(await r.next('third request'), 'Via')).toBe(own);
  });

  it('refuses host names, the wrong address family and messages too big for a datagram', async () => {
    const a = await udp();
    const msg = options(a.via(randomBranch()));
    expect(a.send(msg, { address: 'sip.example.com', port: 5060, transport: 'udp' })).toBe(false);
    expect(a.send(msg, { address: '::1', port: 5060, transport: 'udp' })).toBe(false);
    msg.setBody('x'.repeat(70_000), 'text/plain');
    expect(a.send(msg, { address: '127.0.0.1', port: 5060, transport: 'udp' })).toBe(false);
    expect(a.stats).toMatchObject({ sent: 0, sendErrors: 3 });
  });

  it('NAT keep-alive: a CRLFCRLF datagram every PORT_PUNCH_INTVL_n seconds on the clock; 0 disables', async () => {
    const clock = new VirtualClock();
    const a = await udp({}, clock);
    const r = await raw();
    expect(a.startKeepAlive({ address: '127.0.0.1', port: r.port, transport: 'udp' }, 0)).toBeUndefined();
    const timer = a.startKeepAlive({ address: '127.0.0.1', port: r.port, transport: 'udp' }, 15)!;
    clock.advance(14_999);
    await sleep(20);
    expect(r.received).toEqual([]);
    clock.advance(1);
    expect(await r.next('first keep-alive')).toBe('\r\n\r\n');
    clock.advance(30_000);
    await until('three keep-alives', () => (r.received.length === 3 ? true : undefined));
    timer.cancel();
    clock.advance(60_000);
    await sleep(20);
    expect(r.received).toHaveLength(3);
    expect(a.stats.keepAlivesSent).toBe(3);
  });

  it('close() stops the keep-alives and further sends', async () => {
    const clock = new VirtualClock();
    const a = new UdpTransport({ address: '127.0.0.1', port: 0, clock });
    await a.start();
    a.startKeepAlive({ address: '127.0.0.1', port: 9, transport: 'udp' }, 10);
    expect(clock.pendingTimers()).toHaveLength(1);
    await a.close();
    expect(clock.pendingTimers()).toHaveLength(0);
    expect(a.send(options('SIP/2.0/UDP 127.0.0.1:1;branch=z9hG4bKq'), { address: '127.0.0.1', port: 9, transport: 'udp' })).toBe(false);
  });

  it('start() rejects when the port is taken', async () => {
    const a = await udp();
    const b = new UdpTransport({ address: '127.0.0.1', port: a.local.port, clock: new VirtualClock() });
    await expect(b.start()).rejects.toThrow(/EADDRINUSE/);
    expect(() => b.local).toThrow(/not started/);
  });
});

describe('random datagrams', () => {
  it('never crash a live transport, which still answers a valid OPTIONS afterwards', async () => {
    const clock = new VirtualClock();
    const b = endpoint(await udp({}, clock), clock);
    const r = await raw();
    const valid = requestText({ via: `SIP/2.0/UDP 127.0.0.1:${r.port};branch=z9hG4bKfuzz;rport`, extra: ['Contact: <sip:t@127.0.0.1>'] });
    const lines = valid.split('\r\n');
    const datagram = fc.oneof(
      fc.uint8Array({ minLength: 0, maxLength: 600 }).map((a) => Buffer.from(a)),
      // Valid messages with one line dropped, duplicated or garbled.
      fc.tuple(fc.nat(lines.length - 1), fc.constantFrom('drop', 'dup', 'garble', 'cut'), fc.string({ maxLength: 20 })).map(([i, op, s]) => {
        const copy = lines.slice();
        if (op === 'drop') copy.splice(i, 1);
        else if (op === 'dup') copy.splice(i, 0, copy[i]!);
        else if (op === 'garble') copy[i] = copy[i]!.slice(0, 5) + s + copy[i]!.slice(5);
        else return Buffer.from(copy.join('\r\n').slice(0, i * 7), 'utf8');
        return Buffer.from(copy.join('\r\n'), 'utf8');
      }),
      fc.constantFrom('SIP/2.0 200 OK\r\n\r\n', '\r\n', 'INVITE sip:x SIP/2.0\r\nVia: x\r\n\r\n').map((s) => Buffer.from(s)),
    );
    // Every datagram lands in exactly one bucket: delivered, malformed, keep-alive or misrouted.
    const accounted = (): number => {
      const s = b.transport.stats;
      return s.received + s.malformed + s.keepAlivesReceived + s.misrouted + s.oversized + s.filtered;
    };
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(datagram, { minLength: 1, maxLength: 20 }), async (batch) => {
        for (const d of batch) await r.send(d, b.peer.port);
        sent += batch.length;
        await until(`${sent} datagrams accounted for`, () => (accounted() === sent ? true : undefined));
      }),
      { numRuns: 25 },
    );
    expect(b.transport.stats.malformed).toBeGreaterThan(0);
    await r.send(requestText({ via: `SIP/2.0/UDP 127.0.0.1:${r.port};branch=${randomBranch()};rport`, callId: `after-${token()}` }), b.peer.port);
    await until('200 for the valid OPTIONS after the storm', () => r.received.find((m) => /^SIP\/2\.0 200 /.test(m.text) && m.text.includes('after-')));
    expect(b.transport.stats.internalErrors).toBe(0);
  });
});
