// The sockets of a MediaStream: the RTP socket and the RTCP one on port + 1 (RFC 3550 §11), or
// the RTP socket alone with rtcp-mux (RFC 5761); bound on a port pair from the
// RTP_PORT_MIN..MAX range, closed while held (KX-UT670 RTP_CLOSE_ENABLE_n) and bound again.
import { failure, ok, type Result } from '../core/result.js';
import type { DatagramEndpoint, DatagramHandler } from '../rtp/datagram.js';
import type { PortAllocator, PortPair } from '../rtp/port-allocator.js';
import type { PacketProtection } from '../rtp/srtp.js';
import type { TransportAddress } from '../rtp/symmetric-latch.js';
import { defaultDatagramOpener } from '../rtp/default-opener.js';
import type { MediaStreamOptions, RemoteMedia } from './media-stream-types.js';

const MAX_PORT_TRIES = 8;

/**
 * Allocates port pairs until `bind` succeeds on one; pairs taken by another process stay
 * reserved until the search ends, so it moves on.
 */
export async function bindPortPair<T>(ports: PortAllocator, bind: (pair: PortPair) => Promise<Result<T>>): Promise<Result<T>> {
  let lastError = 'no port tried';
  const taken: number[] = [];
  const releaseTaken = (): void => taken.forEach((p) => ports.release(p));
  for (let i = 0; i < MAX_PORT_TRIES; i++) {
    const pair = ports.allocate();
    if (!pair.ok) {
      releaseTaken();
      return taken.length > 0 ? failure('MEDIA_NO_SOCKET', `media: could not bind an RTP port pair: ${lastError}`) : pair;
    }
    const bound = await bind(pair.value);
    if (bound.ok) {
      releaseTaken();
      return bound;
    }
    taken.push(pair.value.rtp);
    lastError = bound.error.message;
    if (bound.error.code !== 'RTP_PORT_IN_USE') break;
  }
  releaseTaken();
  return failure('MEDIA_NO_SOCKET', `media: could not bind an RTP port pair: ${lastError}`);
}

export interface SocketHandlers {
  rtp: DatagramHandler;
  rtcp(bytes: Uint8Array, receivedAgoMs?: number): void;
  error(message: string): void;
}

export class MediaSockets {
  /** The RTP socket (also RTCP with rtcp-mux); undefined while closed. */
  rtp: DatagramEndpoint | undefined;
  private rtcp: DatagramEndpoint | undefined;
  /** Where RTCP goes without rtcp-mux. */
  private rtcpRemote: TransportAddress | undefined;

  constructor(
    private readonly o: MediaStreamOptions,
    private readonly ports: PortPair,
    private readonly on: SocketHandlers,
  ) {
    this.rtcpRemote = rtcpAddressOf(o.remote);
  }

  /** Whether the sockets are bound now. */
  get open(): boolean {
    return this.rtp !== undefined && !this.rtp.closed;
  }

  async bind(): Promise<Result<void>> {
    const opener = this.o.opener ?? defaultDatagramOpener();
    const common = { address: this.o.localAddress, onError: (message: string) => this.on.error(message), ...(this.o.receiveBufferBytes !== undefined ? { receiveBufferBytes: this.o.receiveBufferBytes } : {}), coalesceReads: this.o.coalesceReads === true };
    const rtp = await opener.open({ ...common, port: this.ports.rtp, onPacket: (b, from, ago) => this.on.rtp(b, from, ago) });
    if (!rtp.ok) return rtp;
    if (!this.o.rtcp?.mux) {
      const rtcp = await opener.open({ ...common, port: this.ports.rtcp, onPacket: (b, _from, ago) => this.on.rtcp(b, ago) });
      if (!rtcp.ok) {
        rtp.value.close();
        return rtcp;
      }
      this.rtcp = rtcp.value;
    }
    this.rtp = rtp.value;
    return ok(undefined);
  }

  close(): void {
    this.rtp?.close();
    this.rtcp?.close();
    this.rtp = undefined;
    this.rtcp = undefined;
  }

  /** New remote media: RTCP goes to its address, and the sockets are connected to nobody. */
  setRemote(remote: RemoteMedia): void {
    this.rtcpRemote = rtcpAddressOf(remote);
    this.rtp?.disconnect();
    this.rtcp?.disconnect();
  }

  /** Sends an RTCP compound packet; with rtcp-mux to `rtpDestination` (the latched RTP peer). */
  sendRtcp(plain: Uint8Array, protection: PacketProtection | undefined, rtpDestination: TransportAddress | undefined): void {
    const bytes = protection ? protection.protectRtcp(plain) : plain;
    if (!bytes) return;
    if (this.o.rtcp?.mux) {
      const to = rtpDestination;
      if (to && this.rtp) this.rtp.send(bytes, bytes.length, this.rtp.peer ? undefined : to);
    } else if (this.rtcpRemote && this.rtcp) this.rtcp.send(bytes, bytes.length, this.rtcpRemote);
  }
}

function rtcpAddressOf(remote: RemoteMedia | undefined): TransportAddress | undefined {
  if (!remote) return undefined;
  return { address: remote.rtcpAddress ?? remote.address, port: remote.rtcpPort ?? remote.port + 1 };
}
