// node:dgram adapter for RTP/RTCP (ARCHITECTURE.md: only src/rtp sockets touch node:dgram).
// A connected socket sends ~30 % faster than an unconnected one (ARCHITECTURE.md figures), so a
// stream connects once it knows where its media comes from. `connect` is asynchronous in Node:
// until it completes, sends name their destination explicitly.
// Addresses are IP literals: a synchronous lookup makes `send` hand the datagram to the kernel
// at once (Node's default dns.lookup defers every unconnected send to the next tick), so a
// final RTCP BYE is out before `close` and the port is free again right after it.
import { lookup as dnsLookup, type LookupOneOptions } from 'node:dns';
import { createSocket, type Socket } from 'node:dgram';
import { isIPv4 } from 'node:net';
import { failure, ok, type Result } from '../core/result.js';
import type { DatagramEndpoint, DatagramOpenOptions, DatagramOpener } from './datagram.js';
import type { TransportAddress } from './symmetric-latch.js';

class UdpEndpoint implements DatagramEndpoint {
  peer: TransportAddress | undefined;
  closed = false;
  /** Sends that threw (socket state); asynchronous errors arrive as 'error' events. */
  sendErrors = 0;
  private connectedTo: TransportAddress | undefined;

  constructor(
    private readonly socket: Socket,
    readonly local: TransportAddress,
  ) {}

  send(bytes: Uint8Array, length: number, to?: TransportAddress): void {
    if (this.closed) return;
    try {
      if (this.connectedTo !== undefined) this.socket.send(bytes, 0, length);
      else {
        const dest = to ?? this.peer;
        if (dest === undefined) return;
        this.socket.send(bytes, 0, length, dest.port, dest.address);
      }
    } catch {
      this.sendErrors++;
    }
  }

  connect(to: TransportAddress): void {
    if (this.closed) return;
    this.disconnect();
    const target = { address: to.address, port: to.port };
    this.peer = target;
    this.socket.connect(target.port, target.address, () => {
      // Still the wanted peer (not disconnected or moved meanwhile)?
      if (this.peer === target && !this.closed) this.connectedTo = target;
    });
  }

  disconnect(): void {
    const wasConnecting = this.peer !== undefined;
    this.peer = undefined;
    this.connectedTo = undefined;
    if (!wasConnecting || this.closed) return;
    try {
      this.socket.disconnect();
    } catch {
      // ERR_SOCKET_DGRAM_NOT_CONNECTED: the connect had not completed; Node then has nothing to undo.
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close();
  }
}

/** Binds UDP sockets with node:dgram. */
export const udpOpener: DatagramOpener = {
  open(options: DatagramOpenOptions): Promise<Result<DatagramEndpoint>> {
    return new Promise((resolve) => {
      const socket = createSocket({ type: 'udp4', reuseAddr: false, lookup: literalLookup });
      let bound = false;
      socket.once('error', (e: NodeJS.ErrnoException) => {
        if (bound) return;
        socket.close();
        const code = e.code === 'EADDRINUSE' ? 'RTP_PORT_IN_USE' : 'RTP_SOCKET';
        resolve(failure(code, `rtp: cannot bind ${options.address}:${options.port}: ${e.message}`));
      });
      // The handler reads no options per packet (options objects differ in shape between callers).
      const onPacket = options.onPacket;
      socket.on('message', (msg, rinfo) => onPacket(msg, { address: rinfo.address, port: rinfo.port }));
      socket.bind(options.port, options.address, () => {
        bound = true;
        socket.on('error', (e) => options.onError?.(e.message));
        if (options.receiveBufferBytes !== undefined) {
          try {
            socket.setRecvBufferSize(options.receiveBufferBytes);
          } catch {
            // Capped by net.core.rmem_max: keep the default.
          }
        }
        const a = socket.address();
        resolve(ok(new UdpEndpoint(socket, { address: a.address, port: a.port })));
      });
    });
  },
};

/** dns.lookup that answers IPv4 literals synchronously (see the header). */
function literalLookup(hostname: string, options: LookupOneOptions, callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void): void {
  if (isIPv4(hostname)) callback(null, hostname, 4);
  else dnsLookup(hostname, options, callback);
}
