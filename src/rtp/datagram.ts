// The datagram endpoint a media stream moves RTP and RTCP bytes through. Implementations:
// batch-udp.ts (the batched UDP addon, native/udp: the default when built), udp-socket.ts
// (node:dgram, the fallback; default-opener.ts chooses) and memory-network.ts (an in-process
// network with injected delay and loss, for tests and fleet runs in virtual time).
import type { Result } from '../core/result.js';
import type { TransportAddress } from './symmetric-latch.js';

/**
 * A received datagram. `bytes` may be a view of a buffer the endpoint reuses (batch-udp.ts):
 * valid during the call only, so a handler copies what it keeps; `from` may be shared between
 * calls and must not be changed. `receivedAgoMs`: how long before this call the kernel received
 * it, when the endpoint knows (batch-udp.ts reads in coalesced rounds); arrival = now − that.
 */
export type DatagramHandler = (bytes: Uint8Array, from: TransportAddress, receivedAgoMs?: number) => void;

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
  /**
   * The endpoint may hold datagrams back for a millisecond or two to read many at once (fewer
   * wake-ups; batch-udp.ts), passing each one's receive time as `receivedAgoMs`. Only for real
   * time: a test stepping a virtual clock expects what was sent to be read a few loop turns later.
   */
  coalesceReads?: boolean;
}

/** Opens endpoints; failure code RTP_PORT_IN_USE lets the caller try another port. */
export interface DatagramOpener {
  open(options: DatagramOpenOptions): Promise<Result<DatagramEndpoint>>;
}

export function sameAddress(a: TransportAddress | undefined, b: TransportAddress | undefined): boolean {
  return a !== undefined && b !== undefined && a.address === b.address && a.port === b.port;
}
