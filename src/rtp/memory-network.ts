// An in-process datagram network on the injected Clock: endpoints by address:port, delivery
// after a per-datagram delay (undefined = lost), connected endpoints filtering foreign senders as
// the kernel does. Lets tests and fleet scenarios run media in virtual time with chosen
// impairments, and records what was delivered (for pcap files and cross-checks).
import type { Clock } from '../core/clock.js';
import { failure, ok, type Result } from '../core/result.js';
import { sameAddress, type DatagramEndpoint, type DatagramHandler, type DatagramOpenOptions, type DatagramOpener } from './datagram.js';
import type { TransportAddress } from './symmetric-latch.js';

export interface DeliveredDatagram {
  readonly from: TransportAddress;
  readonly to: TransportAddress;
  readonly sentMs: number;
  readonly arrivalMs: number;
  readonly bytes: Uint8Array;
}

export interface MemoryNetworkOptions {
  /** Delay of one datagram in ms, or undefined to lose it (default: 0, nothing lost). */
  path?: (from: TransportAddress, to: TransportAddress, bytes: Uint8Array) => number | undefined;
  /** Keep every delivered datagram in `delivered` (default false). */
  record?: boolean;
}

const key = (a: TransportAddress): string => `${a.address}:${a.port}`;

class MemoryEndpoint implements DatagramEndpoint {
  peer: TransportAddress | undefined;
  closed = false;
  constructor(
    private readonly net: MemoryNetwork,
    readonly local: TransportAddress,
    readonly handler: DatagramHandler,
  ) {}
  send(bytes: Uint8Array, length: number, to?: TransportAddress): void {
    const dest = this.peer ?? to;
    if (this.closed || dest === undefined) return;
    this.net.transmit(this.local, dest, bytes.slice(0, length));
  }
  connect(to: TransportAddress): void {
    this.peer = { address: to.address, port: to.port };
  }
  disconnect(): void {
    this.peer = undefined;
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.net.unbind(this);
  }
}

export class MemoryNetwork implements DatagramOpener {
  readonly delivered: DeliveredDatagram[] = [];
  sent = 0;
  lost = 0;
  /** Datagrams to an address nobody is bound to, or filtered by a connected endpoint. */
  undeliverable = 0;
  private readonly endpoints = new Map<string, MemoryEndpoint>();

  constructor(
    private readonly clock: Clock,
    private readonly options: MemoryNetworkOptions = {},
  ) {}

  open(options: DatagramOpenOptions): Promise<Result<DatagramEndpoint>> {
    const local = { address: options.address, port: options.port };
    if (this.endpoints.has(key(local))) return Promise.resolve(failure('RTP_PORT_IN_USE', `rtp: ${key(local)} is in use`));
    const e = new MemoryEndpoint(this, local, options.onPacket);
    this.endpoints.set(key(local), e);
    return Promise.resolve(ok(e));
  }

  /** @internal */
  unbind(e: MemoryEndpoint): void {
    if (this.endpoints.get(key(e.local)) === e) this.endpoints.delete(key(e.local));
  }

  /** @internal */
  transmit(from: TransportAddress, to: TransportAddress, bytes: Uint8Array): void {
    this.sent++;
    const delay = this.options.path ? this.options.path(from, to, bytes) : 0;
    if (delay === undefined) {
      this.lost++;
      return;
    }
    const sentMs = this.clock.now();
    this.clock.setTimer(delay, () => {
      const dest = this.endpoints.get(key(to));
      if (!dest || (dest.peer !== undefined && !sameAddress(dest.peer, from))) {
        this.undeliverable++;
        return;
      }
      if (this.options.record) this.delivered.push({ from, to, sentMs, arrivalMs: this.clock.now(), bytes });
      dest.handler(bytes, from);
    }, 'net');
  }
}
