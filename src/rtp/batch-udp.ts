// Media sockets through the batched UDP addon (native/udp/udp.c): one epoll set per thread,
// ready sockets read in rounds of at most BATCH and handed over in one call, sends straight to
// send(2). Same contract as udp-socket.ts (node:dgram), which stays the fallback when the addon
// is not built or VPHONE_UDP=dgram.
//
// Per packet this saves what node:dgram spends around the two syscalls (a Buffer, an rinfo and
// an address string per datagram, a JavaScript call per socket, a second recvmsg to see
// EAGAIN, a SendWrap per send), and the bounded rounds let the media tick run between them.
// The bytes handed to onPacket are a view of the round's buffer: valid during the call only
// (the jitter buffer copies what it keeps, as the DatagramHandler contract says).
import { isIPv4 } from 'node:net';
import { addonCandidates, loadAddon } from '../core/native-addon.js';
import { failure, ok, type Result } from '../core/result.js';
import type { DatagramEndpoint, DatagramHandler, DatagramOpener, DatagramOpenOptions } from './datagram.js';
import type { TransportAddress } from './symmetric-latch.js';

declare const groupBrand: unique symbol;
type GroupHandle = { readonly [groupBrand]: 'UdpGroup' };

/** The functions native/udp/udp.c exports; negative numbers are -errno. */
export interface UdpNative {
  readonly metaStride: number;
  groupCreate(meta: Int32Array, data: Uint8Array, maxBatch: number, onBatch: (count: number) => void, coalesceMs: number): GroupHandle;
  open(group: GroupHandle, slot: number, address: string, port: number, receiveBufferBytes: number, coalesce: boolean): number;
  localPort(fd: number): number;
  connect(fd: number, address: string, port: number): number;
  disconnect(fd: number, localAddress: string, localPort: number): number;
  send(fd: number, bytes: Uint8Array, length: number): number;
  sendTo(fd: number, bytes: Uint8Array, length: number, address: string, port: number): number;
  close(group: GroupHandle, fd: number): number;
  errorName(errno: number): string;
  ntop6(w0: number, w1: number, w2: number, w3: number): string;
}

/** Ready sockets read per round before timers get their turn (~64 × 5 µs). */
const BATCH = 64;
/**
 * After a small round (one wake-up per trickling packet), packets gather 1–2 ms (libuv counts
 * whole milliseconds) before the next (native/udp/udp.c header): a read waits at most that, far
 * inside any jitter buffer, and the kernel's receive time keeps arrival exact. Only while every
 * open socket asked for it (DatagramOpenOptions.coalesceReads: streams on the system clock).
 */
const COALESCE_MS = 2;
/** The round's datagrams: BATCH typical RTP packets plus one largest datagram of headroom. */
const DATA_BYTES = BATCH * 2048 + 65536;
const EADDRINUSE = 98;

let native: Result<UdpNative> | undefined;

/** Loads the addon once per thread. */
export function loadUdpNative(): Result<UdpNative> {
  native ??= loadAddon<UdpNative>({
    code: 'RTP_UDP_ADDON',
    what: 'batched UDP addon',
    candidates: addonCandidates('udp', import.meta.url),
    looksRight: (m) => typeof (m as UdpNative).groupCreate === 'function' && typeof (m as UdpNative).sendTo === 'function',
  });
  return native;
}

class BatchEndpoint implements DatagramEndpoint {
  peer: TransportAddress | undefined;
  closed = false;
  /** Sends the kernel refused (ECONNREFUSED after an ICMP error, ENOBUFS…). */
  sendErrors = 0;
  /** The last source seen, reused while packets keep coming from it (no object per packet). */
  private lastFrom: TransportAddress | undefined;
  private lastFamily = 0;
  private lastPort = -1;
  private lastW0 = 0;
  private lastW1 = 0;
  private lastW2 = 0;
  private lastW3 = 0;

  constructor(
    private readonly group: BatchGroup,
    private readonly fd: number,
    readonly slot: number,
    readonly local: TransportAddress,
    readonly onPacket: DatagramHandler,
    private readonly onError: ((message: string) => void) | undefined,
  ) {}

  send(bytes: Uint8Array, length: number, to?: TransportAddress): void {
    if (this.closed) return;
    const n = this.peer !== undefined ? this.group.native.send(this.fd, bytes, length) : to !== undefined ? this.group.native.sendTo(this.fd, bytes, length, to.address, to.port) : 0;
    if (n < 0) this.sendErrors++;
  }

  connect(to: TransportAddress): void {
    if (this.closed) return;
    const r = this.group.native.connect(this.fd, to.address, to.port);
    this.peer = r === 0 ? { address: to.address, port: to.port } : undefined;
    if (r !== 0) this.sendErrors++;
  }

  disconnect(): void {
    if (this.closed || this.peer === undefined) return;
    this.peer = undefined;
    if (this.group.native.disconnect(this.fd, this.local.address, this.local.port) !== 0) this.sendErrors++;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.group.release(this);
    this.group.native.close(this.group.handle, this.fd);
  }

  /** A datagram of the round, from the source in meta (family, port, address words). */
  deliver(bytes: Uint8Array, family: number, port: number, w0: number, w1: number, w2: number, w3: number, receivedAgoMs: number): void {
    let from = this.lastFrom;
    if (from === undefined || port !== this.lastPort || w0 !== this.lastW0 || family !== this.lastFamily || w1 !== this.lastW1 || w2 !== this.lastW2 || w3 !== this.lastW3) {
      const address = family === 6 ? this.group.native.ntop6(w0, w1, w2, w3) : `${w0 >>> 24}.${(w0 >>> 16) & 255}.${(w0 >>> 8) & 255}.${w0 & 255}`;
      from = this.lastFrom = { address, port };
      this.lastFamily = family;
      this.lastPort = port;
      this.lastW0 = w0;
      this.lastW1 = w1;
      this.lastW2 = w2;
      this.lastW3 = w3;
    }
    this.onPacket(bytes, from, receivedAgoMs);
  }

  /** A receive error (RFC 1122 §4.1.3.3: an ICMP error for an earlier send, as node:dgram's 'error'). */
  failed(errno: number): void {
    this.onError?.(`recvmsg ${this.group.native.errorName(errno)}`);
  }
}

/** The thread's epoll set and the endpoints by slot. */
class BatchGroup {
  readonly handle: GroupHandle;
  private readonly meta: Int32Array;
  private readonly data = new Uint8Array(DATA_BYTES);
  private readonly slots: Array<BatchEndpoint | undefined> = [];
  private free: number[] = [];
  /** Slots released during a round: reused only after it (a later packet of the round may name the old one). */
  private releasedInRound: number[] = [];
  private inRound = false;
  /** Read rounds and the datagrams (and errors) they handed over, since the thread began. */
  rounds = 0;
  datagrams = 0;

  constructor(readonly native: UdpNative) {
    this.meta = new Int32Array(BATCH * native.metaStride);
    this.handle = native.groupCreate(this.meta, this.data, BATCH, (count) => this.round(count), COALESCE_MS);
  }

  open(o: DatagramOpenOptions): Result<DatagramEndpoint> {
    const slot = this.free.pop() ?? this.slots.length;
    const fd = this.native.open(this.handle, slot, o.address, o.port, o.receiveBufferBytes ?? 0, o.coalesceReads === true);
    if (fd < 0) {
      this.free.push(slot);
      const code = -fd === EADDRINUSE ? 'RTP_PORT_IN_USE' : 'RTP_SOCKET';
      return failure(code, `rtp: cannot bind ${o.address}:${o.port}: ${this.native.errorName(-fd)}`);
    }
    const port = o.port !== 0 ? o.port : this.native.localPort(fd);
    const ep = new BatchEndpoint(this, fd, slot, { address: o.address, port }, o.onPacket, o.onError);
    this.slots[slot] = ep;
    return ok(ep);
  }

  release(ep: BatchEndpoint): void {
    if (this.slots[ep.slot] !== ep) return;
    this.slots[ep.slot] = undefined;
    (this.inRound ? this.releasedInRound : this.free).push(ep.slot);
  }

  private round(count: number): void {
    const m = this.meta;
    const stride = this.native.metaStride;
    this.rounds++;
    this.datagrams += count;
    this.inRound = true;
    try {
      for (let i = 0, at = 0; i < count; i++, at += stride) {
        const ep = this.slots[m[at]!];
        if (ep === undefined) continue;
        const length = m[at + 2]!;
        if (length < 0) ep.failed(-length);
        else {
          const offset = m[at + 1]!;
          const ageUs = m[at + 9]!;
          ep.deliver(this.data.subarray(offset, offset + length), m[at + 3]!, m[at + 4]!, m[at + 5]!, m[at + 6]!, m[at + 7]!, m[at + 8]!, ageUs < 0 ? 0 : ageUs / 1000);
        }
      }
    } finally {
      this.inRound = false;
      if (this.releasedInRound.length > 0) {
        this.free = this.free.concat(this.releasedInRound);
        this.releasedInRound = [];
      }
    }
  }
}

let group: BatchGroup | undefined;

/** This thread's read rounds and datagrams so far (zeros before the first socket). */
export function batchUdpCounters(): { rounds: number; datagrams: number } {
  return { rounds: group?.rounds ?? 0, datagrams: group?.datagrams ?? 0 };
}

/**
 * Opens endpoints through the addon. Addresses are IP literals (as with udpOpener); a name that
 * is not one fails with RTP_SOCKET.
 */
export function batchUdpOpener(udp: UdpNative): DatagramOpener {
  return {
    open(options: DatagramOpenOptions): Promise<Result<DatagramEndpoint>> {
      if (!isIPv4(options.address) && !options.address.includes(':')) return Promise.resolve(failure('RTP_SOCKET', `rtp: ${options.address} is not an IP address`));
      group ??= new BatchGroup(udp);
      return Promise.resolve(group.open(options));
    },
  };
}
