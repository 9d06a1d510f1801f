// SIP over UDP (RFC 3261 §18): one datagram socket bound to the device address and the line's
// SIP_SRC_PORT_n (KX-UT670 4.6.2.5), IPv4 or IPv6 by the address given. Requests go to their
// Peer; responses follow §18.2.2 (received/rport, RFC 3581 §4); every datagram in goes through
// the shared inbound pipeline (transport-base.ts).
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { Timer } from '../../core/clock.js';
import { isRequest, MAX_DATAGRAM_BYTES, type SipMessage } from '../message/index.js';
import type { Peer } from '../transaction/transaction-layer.js';
import { hostPort, ipFamily, normalizeAddress } from './address.js';
import { startNatKeepAlive } from './keep-alive.js';
import { responseDestination } from './routing.js';
import { TransportBase } from './transport-base.js';
import type { TransportOptions } from './types.js';

/** Largest UDP payload that fits one IP datagram: 65,535 minus the IPv4 (20) and UDP (8) headers; IPv6 has no IP header in its length field. */
const MAX_UDP_PAYLOAD = { 4: 65_507, 6: 65_527 } as const;

/**
 * RFC 3261 §18.1.1: a request larger than 1300 bytes (path MTU unknown) MUST go over a
 * congestion-controlled transport.
 */
export const UDP_MTU_SAFE_BYTES = 1300;

/** A CRLFCRLF datagram: the NAT keep-alive (see keep-alive.ts for the choice). */
const KEEP_ALIVE = Buffer.from('\r\n\r\n', 'latin1');

export interface UdpTransportOptions extends TransportOptions {
  /** Datagrams larger than this are dropped unread (counted as `oversized`); default 65,535. */
  readonly maxDatagramBytes?: number;
}

export class UdpTransport extends TransportBase {
  readonly protocol = 'udp' as const;
  readonly reliable = false;
  private socket: Socket | undefined;
  private readonly family: 4 | 6;
  private readonly keepAlives = new Set<Timer>();

  constructor(private readonly udpOptions: UdpTransportOptions) {
    super(udpOptions, 'udp', udpOptions.maxDatagramBytes ?? MAX_DATAGRAM_BYTES);
    const family = ipFamily(udpOptions.address);
    if (family === 0) throw new Error(`sip transport: '${udpOptions.address}' is not an IP address`);
    this.family = family;
  }

  start(): Promise<void> {
    if (this.socket !== undefined) return Promise.reject(new Error('sip transport: udp transport already started'));
    const socket = createSocket({ type: this.family === 6 ? 'udp6' : 'udp4', ipv6Only: this.family === 6 });
    this.socket = socket;
    return new Promise((resolve, reject) => {
      const failed = (error: Error): void => {
        this.socket = undefined;
        socket.close();
        reject(error);
      };
      socket.once('error', failed);
      socket.bind({ address: this.udpOptions.address, port: this.udpOptions.port, exclusive: true }, () => {
        socket.off('error', failed);
        const a = socket.address();
        this.bound = { address: normalizeAddress(a.address), port: a.port };
        // ICMP errors and the like arrive here; the socket stays usable.
        socket.on('error', (error) => this.log.warn({ err: error.message }, 'udp socket error'));
        socket.on('message', (data, rinfo) => this.guard('udp receive', () => this.receive(data, rinfo)));
        this.log.debug({ local: hostPort(this.bound.address, this.bound.port) }, 'udp transport bound');
        resolve();
      });
    });
  }

  close(): Promise<void> {
    this.closed = true;
    for (const t of this.keepAlives) t.cancel();
    this.keepAlives.clear();
    const socket = this.socket;
    this.socket = undefined;
    if (socket === undefined) return Promise.resolve();
    return new Promise((resolve) => socket.close(() => resolve()));
  }

  send(message: SipMessage, peer: Peer): boolean {
    if (this.socket === undefined) return false;
    let dest = peer;
    if (!isRequest(message)) dest = responseDestination(message, 'udp') ?? peer;
    const bytes = this.encode(message);
    if (isRequest(message) && bytes.length > UDP_MTU_SAFE_BYTES) {
      // DEVIATION: §18.1.1 would switch to TCP here; a KX-UT670 line has one configured transport
      // (SIP_TRANSPORT_n, 4.6.2.8) and, like the device, we send the large request over UDP.
      this.log.debug({ bytes: bytes.length }, 'request over 1300 bytes sent over UDP (RFC 3261 §18.1.1)');
    }
    return this.write(bytes, dest, message);
  }

  keepAlive(peer: Peer): boolean {
    if (!this.write(KEEP_ALIVE, peer, undefined)) return false;
    this.counters.add('keepAlivesSent');
    return true;
  }

  /**
   * Starts the NAT keep-alive of KX-UT670 4.6.2.12 (PORT_PUNCH_INTVL_n, UDP only): a CRLFCRLF
   * datagram to `peer` (the outbound proxy, else the registrar) every `intervalS` seconds on the
   * injected clock. 0 disables (returns undefined). Cancelled by close().
   */
  startKeepAlive(peer: Peer, intervalS: number): Timer | undefined {
    const timer = startNatKeepAlive({ clock: this.clock, intervalS, send: () => this.keepAlive(peer) });
    if (timer === undefined) return undefined;
    this.keepAlives.add(timer);
    return {
      get dueMs() {
        return timer.dueMs;
      },
      label: timer.label,
      cancel: () => {
        timer.cancel();
        this.keepAlives.delete(timer);
      },
    };
  }

  private receive(data: Buffer, rinfo: RemoteInfo): void {
    this.counters.add('bytesReceived', data.length);
    this.handleInbound(data, { address: normalizeAddress(rinfo.address), port: rinfo.port, transport: 'udp' });
  }

  private write(bytes: Buffer, dest: Peer, message: SipMessage | undefined): boolean {
    const socket = this.socket;
    if (socket === undefined) return false;
    // Peers are IP literals: resolving names is RFC 3263's business, above this layer.
    if (ipFamily(dest.address) !== this.family || !(dest.port > 0 && dest.port <= 65_535)) {
      this.counters.add('sendErrors');
      this.log.info({ peer: `${dest.address}:${dest.port}` }, 'no route: not an IP address of this socket family');
      return false;
    }
    if (bytes.length > MAX_UDP_PAYLOAD[this.family]) {
      this.counters.add('sendErrors');
      this.log.info({ bytes: bytes.length }, 'message too large for one UDP datagram');
      return false;
    }
    this.counters.add('sent', message === undefined ? 0 : 1);
    this.counters.add('bytesSent', bytes.length);
    socket.send(bytes, dest.port, normalizeAddress(dest.address), (error) => {
      if (error) this.guard('udp send callback', () => this.sendFailed(dest, message, error));
    });
    return true;
  }
}
