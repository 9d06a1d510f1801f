// TcpTransport on loopback: round trips through real transaction layers, connection reuse,
// §18.2.2 response routing over a new connection, §18.3 framing (chunk boundaries, two messages
// in a chunk, a framing error closing only its connection), 400 on the same connection, idle
// timeout in virtual time and RFC 5626 CRLF ping/pong. Sockets are real; timers are virtual.
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { createRequest, createResponse, randomBranch, randomCallId } from '../../src/sip/message/index.js';
import { TcpTransport, type StreamTransportOptions, type TransportEvents } from '../../src/sip/transport/index.js';
import { endpoint, RawTcp, requestText, sleep, token, transact, until } from './transport-helpers.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tcp(options: Partial<StreamTransportOptions> = {}, clock = new VirtualClock()): Promise<TcpTransport> {
  const t = new TcpTransport({ address: '127.0.0.1', port: 0, clock, ...options });
  await t.start();
  cleanups.push(() => t.close());
  return t;
}

async function rawClient(port: number): Promise<RawTcp> {
  const c = await RawTcp.connect(port);
  cleanups.push(() => c.close());
  return c;
}

function options(via: string) {
  return createRequest({ method: 'OPTIONS', uri: 'sip:b@127.0.0.1;transport=tcp', via, from: `<sip:a@127.0.0.1>;tag=${token(4)}`, to: '<sip:b@127.0.0.1>', callId: randomCallId(), cseq: 1 });
}

function tcpVia(port: number, host = '127.0.0.1'): string {
  return `SIP/2.0/TCP ${host}:${port};branch=${randomBranch()}`;
}

describe('TcpTransport round trips and connection reuse', () => {
  it('OPTIONS and INVITE/486 through two transaction layers over one connection each way', async () => {
    const clock = new VirtualClock();
    const a = endpoint(await tcp({}, clock), clock);
    const b = endpoint(await tcp({}, clock), clock, (request, tx) => {
      tx.respond(createResponse(request, request.method === 'INVITE' ? 486 : 200));
    });
    const r1 = await transact(a.layer, options(a.transport.via(randomBranch())), b.peer);
    expect(r1.status).toBe(200);
    const invite = createRequest({ method: 'INVITE', uri: 'sip:b@127.0.0.1', via: a.transport.via(randomBranch()), from: '<sip:a@127.0.0.1>;tag=9', to: '<sip:b@127.0.0.1>', callId: randomCallId(), cseq: 1, contact: '<sip:a@127.0.0.1;transport=tcp>', body: 'v=0\r\n' });
    const r2 = await transact(a.layer, invite, b.peer);
    expect(r2.status).toBe(486);
    await until('ACK at b', () => (b.transport.stats.received === 3 ? true : undefined));
    // The Via names a's listener; the request arrived from an ephemeral port of the same address.
    const via = b.requests[0]!.topVia!;
    expect(`${via.transport} ${via.host}:${via.port}`).toBe(`TCP 127.0.0.1:${a.peer.port}`);
    expect(via.received).toBeUndefined();
    // One connection carried everything: a opened it, b answered over it (§18.2.2), a reused it.
    const aConns = (a.transport as TcpTransport).connectionList();
    const bConns = (b.transport as TcpTransport).connectionList();
    expect(aConns).toEqual([{ peer: b.peer, direction: 'outbound' }]);
    expect(bConns).toHaveLength(1);
    expect(bConns[0]!.direction).toBe('inbound');
    expect(a.transport.stats).toMatchObject({ connectionsOpened: 1, sent: 3, received: 2, openConnections: 1 });
    expect(b.transport.stats).toMatchObject({ connectionsOpened: 1, sent: 2, received: 3 });
  });

  it('a response whose connection has closed goes over a new connection to received / sent-by port', async () => {
    const clock = new VirtualClock();
    let answer: (() => void) | undefined;
    const b = endpoint(await tcp({}, clock), clock, (request, tx) => {
      answer = () => tx.respond(createResponse(request, 200));
    });
    // A listener at the port the request's Via names, which will accept the new connection.
    const got: string[] = [];
    const listener = await listen((s) => s.on('data', (d) => got.push(d.toString('latin1'))));
    const client = await rawClient(b.peer.port);
    await client.write(requestText({ via: tcpVia((listener.address() as { port: number }).port, '192.0.2.7') }));
    await until('request at b', () => answer);
    client.close();
    await until('b sees the close', () => (b.transport.stats.connectionsClosed === 1 ? true : undefined));
    answer!();
    const text = await until('response at the Via port', () => got.join('') || undefined);
    expect(text).toMatch(/^SIP\/2\.0 200 /);
    // received=127.0.0.1 (the Via lied about its host) told b where to connect.
    expect(text).toMatch(/Via: SIP\/2\.0\/TCP 192\.0\.2\.7:\d+;branch=[^;\r]+;received=127\.0\.0\.1\r\n/);
    expect(b.transport.stats).toMatchObject({ connectionsOpened: 2, sent: 1 });
  });

  it('a failed connect reports send-error with the message (for the transaction layer)', async () => {
    const a = await tcp();
    const closed = await listen(() => undefined);
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const errors: Array<TransportEvents['send-error']> = [];
    a.events.on('send-error', (e) => errors.push(e));
    const msg = options(a.via(randomBranch()));
    expect(a.send(msg, { address: '127.0.0.1', port, transport: 'tcp' })).toBe(true);
    await until('send-error', () => errors[0]);
    expect(errors[0]!.message).toBe(msg);
    expect(errors[0]!.error.message).toMatch(/ECONNREFUSED/);
    expect(a.stats).toMatchObject({ sendErrors: 1, openConnections: 0, connectionsOpened: 0, connectionsClosed: 0 });
  });
});

describe('§18.3 framing', () => {
  it('a message split across chunk boundaries is delivered once', async () => {
    const clock = new VirtualClock();
    const b = endpoint(await tcp({}, clock), clock);
    const c = await rawClient(b.peer.port);
    const text = requestText({ via: tcpVia(c.localPort), body: 'hello body', extra: ['Content-Type: text/plain'] });
    const cuts = [10, text.indexOf('\r\n\r\n') + 1, text.length - 3];
    let from = 0;
    for (const cut of [...cuts, text.length]) {
      await c.write(text.slice(from, cut));
      from = cut;
      await sleep(10);
    }
    await c.waitFor('200', /SIP\/2\.0 200 /);
    expect(b.requests).toHaveLength(1);
    expect(b.requests[0]!.body.toString()).toBe('hello body');
  });

  it('two messages in one chunk are both delivered and answered', async () => {
    const clock = new VirtualClock();
    const b = endpoint(await tcp({}, clock), clock);
    const c = await rawClient(b.peer.port);
    await c.write(requestText({ via: tcpVia(c.localPort) }) + requestText({ via: tcpVia(c.localPort), method: 'MESSAGE', body: 'hi', extra: ['Content-Type: text/plain'] }));
    await until('two responses', () => (c.responses().length === 2 ? true : undefined));
    expect(b.requests.map((r) => r.method)).toEqual(['OPTIONS', 'MESSAGE']);
  });

  it('a framing error closes only that connection', async () => {
    const clock = new VirtualClock();
    const b = endpoint(await tcp({}, clock), clock);
    const bad = await rawClient(b.peer.port);
    const good = await rawClient(b.peer.port);
    await until('two connections', () => (b.transport.stats.openConnections === 2 ? true : undefined));
    await bad.write(requestText({ via: tcpVia(bad.localPort), noContentLength: true }));
    await until('bad connection closed', () => (bad.closed ? true : undefined));
    expect(b.transport.stats).toMatchObject({ framingErrors: 1, openConnections: 1, received: 0 });
    await good.write(requestText({ via: tcpVia(good.localPort) }));
    await good.waitFor('200 on the other connection', /SIP\/2\.0 200 /);
    expect(good.closed).toBe(false);
  });

  it('a message that frames but does not parse is answered 400 on the same connection, which stays open', async () => {
    const clock = new VirtualClock();
    const b = endpoint(await tcp({}, clock), clock);
    const c = await rawClient(b.peer.port);
    await c.write(requestText({ via: tcpVia(c.localPort), omit: ['Max-Forwards'], extra: ['Max-Forwards: lots'] }));
    const [line] = await c.waitFor('400', /SIP\/2\.0 400 [^\r]*/);
    expect(line).toMatch(/Max-Forwards/i);
    await c.write(requestText({ via: tcpVia(c.localPort) }));
    await c.waitFor('200 after the 400', /SIP\/2\.0 200 /);
    expect(c.closed).toBe(false);
    expect(b.transport.stats).toMatchObject({ malformed: 1, rejected: 1, received: 1, connectionsOpened: 1 });
  });

  it('a request whose Via lies about its host gets received= (and rport when asked)', async () => {
    const clock = new VirtualClock();
    const b = endpoint(await tcp({}, clock), clock);
    const c = await rawClient(b.peer.port);
    await c.write(requestText({ via: `${tcpVia(5090, '198.51.100.3')};rport` }));
    await c.waitFor('200', /SIP\/2\.0 200 /);
    const via = b.requests[0]!.topVia!;
    expect(via.received).toBe('127.0.0.1');
    expect(via.rport).toBe(c.localPort);
  });
});

describe('connection lifetime and keep-alive', () => {
  it('an idle connection closes after idleTimeoutMs of virtual time; traffic pushes the deadline', async () => {
    const clock = new VirtualClock();
    const b = endpoint(await tcp({ idleTimeoutMs: 10_000 }, clock), clock);
    const c = await rawClient(b.peer.port);
    await until('accepted', () => (b.transport.stats.openConnections === 1 ? true : undefined));
    clock.advance(6_000);
    await c.write(requestText({ via: tcpVia(c.localPort) }));
    await c.waitFor('200', /SIP\/2\.0 200 /);
    clock.advance(9_999); // 15,999 since accept but 9,999 since the last traffic
    await sleep(30);
    expect(c.closed).toBe(false);
    expect(b.transport.stats.openConnections).toBe(1);
    clock.advance(1);
    await until('closed by the idle timer', () => (c.closed ? true : undefined));
    expect(b.transport.stats).toMatchObject({ openConnections: 0, connectionsClosed: 1 });
    expect(clock.pendingTimers().filter((t) => t.label.includes('idle'))).toEqual([]);
  });

  it('answers a CRLFCRLF ping with a CRLF pong; keepAlive() pings a connected peer and counts the pong', async () => {
    const clock = new VirtualClock();
    const b = endpoint(await tcp({}, clock), clock);
    const c = await rawClient(b.peer.port);
    await c.write('\r\n\r\n');
    await until('pong', () => (c.data === '\r\n' ? true : undefined));
    const peer = b.transport.stats.openConnections === 1 ? (b.transport as TcpTransport).connectionList()[0]!.peer : undefined;
    expect(peer).toEqual({ address: '127.0.0.1', port: c.localPort, transport: 'tcp' });
    expect(b.transport.keepAlive(peer!)).toBe(true);
    await until('ping at the client', () => (c.data === '\r\n\r\n\r\n' ? true : undefined));
    await c.write('\r\n');
    await until('pong counted', () => (b.transport.stats.keepAlivesReceived === 2 ? true : undefined));
    expect(b.transport.stats).toMatchObject({ keepAlivesSent: 2, received: 0, malformed: 0 });
    expect(b.transport.keepAlive({ address: '127.0.0.1', port: 1, transport: 'tcp' })).toBe(false);
  });

  it('close() ends every connection and the listener', async () => {
    const clock = new VirtualClock();
    const b = new TcpTransport({ address: '127.0.0.1', port: 0, clock });
    await b.start();
    const port = b.local.port;
    const c = await RawTcp.connect(port);
    await until('accepted', () => (b.stats.openConnections === 1 ? true : undefined));
    await b.close();
    await until('client sees close', () => (c.closed ? true : undefined));
    await expect(RawTcp.connect(port)).rejects.toThrow(/ECONNREFUSED/);
    expect(clock.pendingTimers()).toEqual([]);
  });
});

async function listen(onSocket: (s: Socket) => void): Promise<Server> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    onSocket(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((r) => server.close(() => r()));
  });
  return server;
}
