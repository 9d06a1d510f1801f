// SIP over TCP and TLS (RFC 3261 §18, §18.3, §26.2): a listener on the device address and the
// line's port plus outgoing connections, one StreamFramer per connection.
//  - Connection reuse (§18.2.2, §18.1.1): a response goes back over the connection its request
//    came on (the `peer` the transaction layer passes is that request's source); a request to a
//    peer reuses an open connection to that address and port.
//  - A response whose connection is gone goes to `received` (else sent-by host) at the sent-by
//    port over a new connection (§18.2.2, routing.ts).
//  - A framing error (§18.3: missing or bad Content-Length, over-size) closes that connection
//    only; a message that frames but fails to parse is answered 400 on the same connection.
//  - RFC 5626 §3.5.1 / §4.4.1: a CRLFCRLF ping is answered with a CRLF pong; a pong is counted.
//  - Idle connections close after idleTimeoutMs on the injected clock (any traffic resets it).
import { connect as netConnect, createServer as netCreateServer, type Server, type Socket } from 'node:net';
import { connect as tlsConnect, createServer as tlsCreateServer, type ConnectionOptions, type SecureContextOptions, type TLSSocket } from 'node:tls';
import type { Timer } from '../../core/clock.js';
import { isRequest, MAX_STREAM_MESSAGE_BYTES, StreamFramer, type SipMessage } from '../message/index.js';
import type { Peer } from '../transaction/transaction-layer.js';
import { hostPort, ipFamily, normalizeAddress, peerKey } from './address.js';
import { responseDestination } from './routing.js';
import { TransportBase } from './transport-base.js';
import type { TransportOptions } from './types.js';

/** Default idle timeout: longer than Timer B/F (32 s) and a ringing INVITE's Timer C (> 3 min, §16.6). */
export const DEFAULT_IDLE_TIMEOUT_MS = 300_000;

const PING = Buffer.from('\r\n\r\n', 'latin1');
const PONG = Buffer.from('\r\n', 'latin1');

export interface StreamTransportOptions extends TransportOptions {
  /** Close a connection after this long without traffic in either direction; 0 never. Default 300 s. */
  readonly idleTimeoutMs?: number;
  /** Most simultaneous connections; further inbound ones are refused. Default 256. */
  readonly maxConnections?: number;
}

export interface TlsTransportOptions extends StreamTransportOptions {
  /** Our certificate and key (PEM), presented as server and, when set, as client. */
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
  /** Trusted CAs for the peer's certificate (PEM); default Node's bundle. */
  readonly ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  /** Verify the server's certificate on outgoing connections (default true, RFC 3261 §26.3.1). */
  readonly rejectUnauthorized?: boolean;
}

interface Connection {
  readonly key: string;
  readonly socket: Socket;
  readonly peer: Peer;
  readonly direction: 'inbound' | 'outbound';
  readonly framer: StreamFramer;
  /** Messages written before the connection (and TLS handshake) completed: reported if it fails. */
  pending: SipMessage[] | undefined;
  /** Connected (and handshaken): counted in connectionsOpened. */
  opened: boolean;
  lastActivityMs: number;
  idleTimer: Timer | undefined;
  closed: boolean;
}

export abstract class StreamTransport extends TransportBase {
  abstract override readonly protocol: 'tcp' | 'tls';
  readonly reliable = true;
  private server: Server | undefined;
  private readonly connections = new Map<string, Connection>();
  private readonly idleTimeoutMs: number;
  private readonly maxConnections: number;

  protected constructor(
    private readonly streamOptions: StreamTransportOptions,
    protocol: 'tcp' | 'tls',
  ) {
    super(streamOptions, protocol, MAX_STREAM_MESSAGE_BYTES);
    if (ipFamily(streamOptions.address) === 0) throw new Error(`sip transport: '${streamOptions.address}' is not an IP address`);
    this.idleTimeoutMs = streamOptions.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.maxConnections = streamOptions.maxConnections ?? 256;
  }

  /** Creates the listening server; `onSocket` gets each accepted (and, for TLS, handshaken) socket. */
  protected abstract createServer(onSocket: (socket: Socket) => void): Server;
  /** Opens an outgoing connection; `ready` is the event that means it can carry messages. */
  protected abstract openSocket(peer: Peer): { socket: Socket; ready: 'connect' | 'secureConnect' };

  start(): Promise<void> {
    if (this.server !== undefined) return Promise.reject(new Error(`sip transport: ${this.protocol} transport already started`));
    const server = this.createServer((socket) => this.guard(`${this.protocol} accept`, () => this.accept(socket)));
    this.server = server;
    return new Promise((resolve, reject) => {
      const failed = (error: Error): void => {
        this.server = undefined;
        reject(error);
      };
      server.once('error', failed);
      server.listen({ host: this.streamOptions.address, port: this.streamOptions.port, exclusive: true, ipv6Only: ipFamily(this.streamOptions.address) === 6 }, () => {
        server.off('error', failed);
        server.on('error', (error) => this.log.warn({ err: error.message }, 'listener error'));
        const a = server.address();
        if (a === null || typeof a === 'string') return failed(new Error('sip transport: listener has no address'));
        this.bound = { address: normalizeAddress(a.address), port: a.port };
        this.log.debug({ local: hostPort(this.bound.address, this.bound.port) }, `${this.protocol} transport listening`);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const c of [...this.connections.values()]) this.closeConnection(c, 'transport closed');
    const server = this.server;
    this.server = undefined;
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  send(message: SipMessage, peer: Peer): boolean {
    if (this.server === undefined || this.closed) return false;
    let conn = this.connections.get(peerKey({ ...peer, transport: this.protocol }));
    if (conn === undefined || conn.closed) {
      // §18.2.2: the request's connection is gone: a new one to received/sent-by.
      const dest = isRequest(message) ? peer : (responseDestination(message, this.protocol) ?? peer);
      conn = this.connectionTo(dest);
      if (conn === undefined) {
        this.counters.add('sendErrors');
        return false;
      }
    }
    return this.write(conn, this.encode(message), message);
  }

  keepAlive(peer: Peer): boolean {
    const conn = this.connections.get(peerKey({ ...peer, transport: this.protocol }));
    if (conn === undefined || conn.closed) return false;
    if (!this.write(conn, PING, undefined)) return false;
    this.counters.add('keepAlivesSent');
    return true;
  }

  /** Open connections: `peer`, direction (diagnostics and tests). */
  connectionList(): Array<{ peer: Peer; direction: 'inbound' | 'outbound' }> {
    return [...this.connections.values()].map((c) => ({ peer: c.peer, direction: c.direction }));
  }

  protected override openConnections(): number {
    return this.connections.size;
  }

  private accept(socket: Socket): void {
    const address = socket.remoteAddress;
    const port = socket.remotePort;
    if (this.closed || address === undefined || port === undefined || this.connections.size >= this.maxConnections) {
      if (!this.closed) this.log.warn({ connections: this.connections.size }, 'inbound connection refused');
      socket.destroy();
      return;
    }
    const peer: Peer = { address: normalizeAddress(address), port, transport: this.protocol };
    this.register(socket, peer, 'inbound');
  }

  /** The open connection to `peer`, or a new outgoing one; undefined when `peer` cannot be reached. */
  private connectionTo(peer: Peer): Connection | undefined {
    const target: Peer = { address: normalizeAddress(peer.address), port: peer.port, transport: this.protocol };
    const existing = this.connections.get(peerKey(target));
    if (existing !== undefined && !existing.closed) return existing;
    if (ipFamily(target.address) !== ipFamily(this.local.address) || !(target.port > 0 && target.port <= 65_535)) {
      this.log.info({ peer: hostPort(target.address, target.port) }, 'no route: not an IP address of the listener family');
      return undefined;
    }
    if (this.connections.size >= this.maxConnections) {
      this.log.warn({ connections: this.connections.size }, 'connection limit reached');
      return undefined;
    }
    const { socket, ready } = this.openSocket(target);
    const conn = this.register(socket, target, 'outbound');
    socket.once(ready, () =>
      this.guard(`${this.protocol} connect`, () => {
        if (conn.closed) return;
        conn.pending = undefined;
        conn.opened = true;
        this.counters.add('connectionsOpened');
        this.events.emit('connection', { peer: target, state: 'open', direction: 'outbound', reason: 'connected' });
      }),
    );
    return conn;
  }

  private register(socket: Socket, peer: Peer, direction: 'inbound' | 'outbound'): Connection {
    const key = peerKey(peer);
    const conn: Connection = {
      key,
      socket,
      peer,
      direction,
      framer: new StreamFramer(),
      pending: [],
      opened: false,
      lastActivityMs: this.clock.now(),
      idleTimer: undefined,
      closed: false,
    };
    // A second connection from the same address and port replaces the first in the map.
    const old = this.connections.get(key);
    if (old !== undefined) this.closeConnection(old, 'replaced');
    this.connections.set(key, conn);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.guard(`${this.protocol} receive`, () => this.receive(conn, chunk)));
    socket.on('error', (error) => this.guard(`${this.protocol} socket error`, () => this.failed(conn, error)));
    socket.on('close', () => this.guard(`${this.protocol} close`, () => this.forget(conn, 'closed by peer')));
    this.armIdle(conn);
    if (direction === 'inbound') {
      conn.pending = undefined;
      conn.opened = true;
      this.counters.add('connectionsOpened');
      this.events.emit('connection', { peer, state: 'open', direction, reason: 'accepted' });
    }
    return conn;
  }

  private receive(conn: Connection, chunk: Buffer): void {
    if (conn.closed) return;
    conn.lastActivityMs = this.clock.now();
    this.counters.add('bytesReceived', chunk.length);
    for (const event of conn.framer.push(chunk)) {
      if (conn.closed) return;
      switch (event.type) {
        case 'message':
          this.handleInbound(event.bytes, conn.peer);
          break;
        case 'ping':
          // RFC 5626 §3.5.1: answer a CRLFCRLF ping with a CRLF pong.
          this.counters.add('keepAlivesReceived');
          if (this.write(conn, PONG, undefined)) this.counters.add('keepAlivesSent');
          break;
        case 'pong':
          this.counters.add('keepAlivesReceived');
          break;
        case 'error':
          // §18.3: the stream cannot be resynchronised; this connection only is closed.
          this.drop(conn.peer, 'framing', event.failure.reason);
          this.closeConnection(conn, `framing error: ${event.failure.reason}`);
          return;
      }
    }
  }

  private write(conn: Connection, bytes: Buffer, message: SipMessage | undefined): boolean {
    if (conn.closed || conn.socket.destroyed) return false;
    conn.lastActivityMs = this.clock.now();
    if (message !== undefined) {
      conn.pending?.push(message);
      this.counters.add('sent');
    }
    this.counters.add('bytesSent', bytes.length);
    conn.socket.write(bytes);
    return true;
  }

  private failed(conn: Connection, error: Error): void {
    this.log.info({ peer: hostPort(conn.peer.address, conn.peer.port), err: error.message }, 'connection error');
    const pending = conn.pending ?? [];
    conn.pending = undefined;
    for (const message of pending) this.sendFailed(conn.peer, message, error);
    this.closeConnection(conn, error.message);
  }

  private armIdle(conn: Connection): void {
    if (this.idleTimeoutMs <= 0 || conn.closed) return;
    const remaining = conn.lastActivityMs + this.idleTimeoutMs - this.clock.now();
    conn.idleTimer = this.clock.setTimer(
      Math.max(remaining, 0),
      () =>
        this.guard('idle timer', () => {
          conn.idleTimer = undefined;
          if (conn.closed) return;
          if (this.clock.now() - conn.lastActivityMs >= this.idleTimeoutMs) this.closeConnection(conn, 'idle');
          else this.armIdle(conn);
        }),
      `sip ${this.protocol} idle ${conn.key}`,
    );
  }

  private closeConnection(conn: Connection, reason: string): void {
    if (conn.closed) return;
    conn.socket.destroy();
    this.forget(conn, reason);
  }

  private forget(conn: Connection, reason: string): void {
    if (conn.closed) return;
    conn.closed = true;
    conn.idleTimer?.cancel();
    conn.idleTimer = undefined;
    if (this.connections.get(conn.key) === conn) this.connections.delete(conn.key);
    // An outgoing connection that never opened was never counted as opened.
    if (conn.opened) this.counters.add('connectionsClosed');
    this.log.debug({ peer: hostPort(conn.peer.address, conn.peer.port), reason }, 'connection closed');
    this.events.emit('connection', { peer: conn.peer, state: 'closed', direction: conn.direction, reason });
  }
}

export class TcpTransport extends StreamTransport {
  readonly protocol = 'tcp' as const;

  constructor(options: StreamTransportOptions) {
    super(options, 'tcp');
  }

  protected createServer(onSocket: (socket: Socket) => void): Server {
    return netCreateServer(onSocket);
  }

  protected openSocket(peer: Peer): { socket: Socket; ready: 'connect' } {
    return { socket: netConnect({ host: peer.address, port: peer.port, localAddress: this.local.address }), ready: 'connect' };
  }
}

/** SIP over TLS (RFC 3261 §26.2.1, §26.3.1): TCP with a TLS handshake, Via token TLS, port 5061. */
export class TlsTransport extends StreamTransport {
  readonly protocol = 'tls' as const;

  constructor(private readonly tlsOptions: TlsTransportOptions) {
    super(tlsOptions, 'tls');
  }

  private secureContext(): SecureContextOptions {
    const { key, cert, ca } = this.tlsOptions;
    return { key, cert, ...(ca === undefined ? {} : { ca: ca as string | Buffer | Array<string | Buffer> }), minVersion: 'TLSv1.2' };
  }

  protected createServer(onSocket: (socket: Socket) => void): Server {
    const server = tlsCreateServer(this.secureContext(), (socket: TLSSocket) => onSocket(socket));
    // A failed handshake never reaches onSocket; count and log it.
    server.on('tlsClientError', (error) => this.guard('tls handshake', () => {
      this.counters.add('handshakeFailures');
      this.log.info({ err: error.message }, 'inbound TLS handshake failed');
    }));
    return server;
  }

  protected openSocket(peer: Peer): { socket: Socket; ready: 'secureConnect' } {
    // tls.connect hands localAddress on to net.connect (its typings leave it out).
    const options: ConnectionOptions & { localAddress: string } = {
      ...this.secureContext(),
      host: peer.address,
      port: peer.port,
      localAddress: this.local.address,
      rejectUnauthorized: this.tlsOptions.rejectUnauthorized ?? true,
    };
    return { socket: tlsConnect(options), ready: 'secureConnect' };
  }
}
