// The datagram endpoint a media stream moves RTP and RTCP bytes through. Implementations:
// batch-udp.ts (the batched UDP addon, native/udp: the default when built), udp-socket.ts
// (node:dgram, the fallback; default-opener.ts chooses) and memory-network.ts (an in-process
// network with injected delay and loss, for tests and fleet runs in virtual time).
import type { Result } from '../core/result.js';
import type { TransportAddress } from './symmetric-latch.js';

/**
 * A received datagram. `bytes` may be a view of a buffer the endpoint reuses (batch-udp.ts):
 * valid during the call only, so a handler copies what it keeps; `from` may be shared between
 * calls and must not be changed.
 */
export type DatagramHandler = (bytes: Uint8Array, from: TransportAddress) => void;

export interface DatagramEndpoint {
  readonly local: TransportAddress;
  /**
   * Sends `bytes[0..length)` to `to`, or to the connected peer when `to` is omitted. The bytes
   * are handed over at once, so the caller may reuse its buffer, and a send just before `close`
   * still goes out.
   */
  send(bytes: Uint8Array, length: number, to?: TransportAddress): void;
  /**
   * Restricts the endpoint to one peer (a connected UDP socket: cheaper sends, and the kernel
   * drops datagrams from anyone else). Sends to `to` work at once, also while connecting.
   */
  connect(to: TransportAddress): void;
  /** Accepts datagrams from anyone again. */
  disconnect(): void;
  /** The connected peer, if any. */
  readonly peer: TransportAddress | undefined;
  close(): void;
  readonly closed: boolean;
}

export interface DatagramOpenOptions {
  address: string;
  port: number;
  onPacket: DatagramHandler;
  /** Asynchronous socket errors (send failures are counted, not reported one by one). */
  onError?: (message: string) => void;
  /** SO_RCVBUF, bytes (ARCHITECTURE.md figures: 1–4 MB for many streams per process). */
  receiveBufferBytes?: number;
}

/** Opens endpoints; failure code RTP_PORT_IN_USE lets the caller try another port. */
export interface DatagramOpener {
  open(options: DatagramOpenOptions): Promise<Result<DatagramEndpoint>>;
}

export function sameAddress(a: TransportAddress | undefined, b: TransportAddress | undefined): boolean {
  return a !== undefined && b !== undefined && a.address === b.address && a.port === b.port;
}
