// Helpers for the transport tests (test/sip/transport*.test.ts): raw loopback sockets that play a
// misbehaving or lying peer, request text, and waiting on real socket events. Transport timers run
// on a VirtualClock; sockets are real, on 127.0.0.1 / ::1 with ephemeral ports.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { createResponse, type SipRequest, type SipResponse } from '../../src/sip/message/index.js';
import { TransactionLayer, type Peer, type ServerTransaction } from '../../src/sip/transaction/transaction-layer.js';
import type { Clock } from '../../src/core/clock.js';
import type { SipTransport } from '../../src/sip/transport/index.js';

export function token(bytes = 6): string {
  return randomBytes(bytes).toString('hex');
}

/** Waits (real time) until `check` returns something other than undefined. */
export async function until<T>(what: string, check: () => T | undefined, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export interface RequestText {
  method?: string;
  uri?: string;
  via: string;
  callId?: string;
  cseq?: number;
  /** Extra header lines. */
  extra?: string[];
  body?: string;
  /** Leave Content-Length out (framing error on streams). */
  noContentLength?: boolean;
  /** Standard header fields to leave out (before `extra` is added). */
  omit?: string[];
}

/** A request in wire format with the headers a UAS needs. */
export function requestText(r: RequestText): string {
  const method = r.method ?? 'OPTIONS';
  const body = r.body ?? '';
  const lines = [
    `${method} ${r.uri ?? 'sip:phone@127.0.0.1'} SIP/2.0`,
    `Via: ${r.via}`,
    'Max-Forwards: 70',
    `From: <sip:tester@127.0.0.1>;tag=${token(4)}`,
    'To: <sip:phone@127.0.0.1>',
    `Call-ID: ${r.callId ?? token(8)}`,
    `CSeq: ${r.cseq ?? 1} ${method}`,
  ].filter((l) => !(r.omit ?? []).some((name) => l.startsWith(`${name}:`)));
  lines.push(...(r.extra ?? []));
  if (!r.noContentLength) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return lines.join('\r\n') + '\r\n\r\n' + body;
}

/** A raw UDP socket that records what it receives. */
export class RawUdp {
  readonly received: Array<{ text: string; port: number; address: string }> = [];
  private constructor(readonly socket: UdpSocket) {
    socket.on('message', (data, rinfo) => this.received.push({ text: data.toString('latin1'), port: rinfo.port, address: rinfo.address }));
  }

  static open(address = '127.0.0.1'): Promise<RawUdp> {
    const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, address, () => resolve(new RawUdp(socket)));
    });
  }

  get port(): number {
    return this.socket.address().port;
  }

  get address(): string {
    return this.socket.address().address;
  }

  send(data: string | Buffer, port: number, address = '127.0.0.1'): Promise<void> {
    return new Promise((resolve, reject) => this.socket.send(typeof data === 'string' ? Buffer.from(data, 'latin1') : data, port, address, (e) => (e ? reject(e) : resolve())));
  }

  next(what: string, timeoutMs = 3000): Promise<string> {
    const start = this.received.length;
    return until(what, () => this.received[start]?.text, timeoutMs);
  }

  close(): Promise<void> {
    return new Promise((r) => this.socket.close(() => r()));
  }
}

/** A raw TCP client that records the bytes it receives and whether it was closed. */
export class RawTcp {
  data = '';
  closed = false;
  private constructor(readonly socket: Socket) {
    socket.on('data', (d) => (this.data += d.toString('latin1')));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => undefined);
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawTcp> {
    return new Promise((resolve, reject) => {
      const s = connect({ port, host }, () => resolve(new RawTcp(s)));
      s.once('error', reject);
    });
  }

  get localPort(): number {
    return this.socket.localPort!;
  }

  write(data: string): Promise<void> {
    return new Promise((resolve) => this.socket.write(Buffer.from(data, 'latin1'), () => resolve()));
  }

  /** Waits until the received text matches. */
  waitFor(what: string, pattern: RegExp, timeoutMs = 3000): Promise<RegExpExecArray> {
    return until(what, () => pattern.exec(this.data) ?? undefined, timeoutMs);
  }

  /** Number of SIP responses received so far. */
  responses(): string[] {
    return this.data.match(/SIP\/2\.0 \d{3}[^\r\n]*/g) ?? [];
  }

  close(): void {
    this.socket.destroy();
  }
}

export interface Endpoint {
  transport: SipTransport;
  layer: TransactionLayer;
  requests: SipRequest[];
  stray: SipResponse[];
  peer: Peer;
}

/**
 * A transaction layer over `transport` whose TU answers every request with `status` (default
 * 200), or runs `answer` when given.
 */
export function endpoint(transport: SipTransport, clock: Clock, answer?: (request: SipRequest, tx: ServerTransaction) => void, status = 200): Endpoint {
  const requests: SipRequest[] = [];
  const stray: SipResponse[] = [];
  const layer = new TransactionLayer({
    clock,
    send: (m, p) => transport.send(m, p),
    tu: {
      onRequest: (request, tx) => {
        requests.push(request);
        if (!tx) return;
        if (answer) answer(request, tx);
        else tx.respond(createResponse(request, status));
      },
      onStrayResponse: (r) => stray.push(r),
    },
  });
  transport.events.on('message', ({ message, source }) => layer.receive(message, source));
  return { transport, layer, requests, stray, peer: { address: transport.local.address, port: transport.local.port, transport: transport.protocol } };
}

/** Sends `request` through `layer` and resolves with its final response (or rejects on timeout/transport error). */
export function transact(layer: TransactionLayer, request: SipRequest, peer: Peer): Promise<SipResponse> {
  return new Promise((resolve, reject) => {
    layer.sendRequest(request, peer, {
      onResponse: (r) => {
        if (r.status >= 200) resolve(r);
      },
      onTimeout: () => reject(new Error('transaction timeout')),
      onTransportError: () => reject(new Error('transport error')),
    });
  });
}
