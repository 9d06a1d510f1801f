// node:dgram adapter for RTP/RTCP (ARCHITECTURE.md: only src/rtp sockets touch node:dgram).
// A connected socket sends ~30 % faster than an unconnected one (ARCHITECTURE.md figures), so a
// stream connects once it knows where its media comes from. `connect` is asynchronous in Node:
// until it completes, sends name their destination explicitly.
import { createSocket, type Socket } from 'node:dgram';
import { failure, ok, type Result } from '../core/result.js';
import type { DatagramEndpoint, DatagramOpenOptions, DatagramOpener } from './datagram.js';
import type { TransportAddress } from './symmetric-latch.js';

class UdpEndpoint implements DatagramEndpoint {
  peer: TransportAddress | undefined;
  closed = false;
  /** Errors of confirmed sends (ICMP port unreachable is reported on a later send of a connected socket). */
  sendErrors = 0;
  private connectedTo: TransportAddress | undefined;
  /** Sends handed to Node and not yet done: `close` waits for them (a final RTCP BYE). */
  private pending = 0;
  private socketClosed = false;
  private readonly afterSend = (e: Error | null): void => {
    if (e) this.sendErrors++;
    if (--this.pending === 0 && this.closed) this.closeSocket();
  };

  constructor(
    private readonly socket: Socket,
    readonly local: TransportAddress,
  ) {}

  send(bytes: Uint8Array, length: number, to?: TransportAddress, confirm = false): void {
    if (this.closed) return;
    const done = confirm ? this.afterSend : undefined;
    try {
      if (this.connectedTo !== undefined) this.socket.send(bytes, 0, length, done);
      else {
        const dest = to ?? this.peer;
        if (dest === undefined) return;
        this.socket.send(bytes, 0, length, dest.port, dest.address, done);
      }
      if (confirm) this.pending++;
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

  /** No more sends or deliveries; the socket itself closes once queued sends are done. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.removeAllListeners('message');
    if (this.pending === 0) this.closeSocket();
  }

  private closeSocket(): void {
    if (this.socketClosed) return;
    this.socketClosed = true;
    this.socket.close();
  }
}

/** Binds UDP sockets with node:dgram. */
export const udpOpener: DatagramOpener = {
  open(options: DatagramOpenOptions): Promise<Result<DatagramEndpoint>> {
    return new Promise((resolve) => {
      const socket = createSocket({ type: 'udp4', reuseAddr: false });
      let bound = false;
      socket.once('error', (e: NodeJS.ErrnoException) => {
        if (bound) return;
        socket.close();
        const code = e.code === 'EADDRINUSE' ? 'RTP_PORT_IN_USE' : 'RTP_SOCKET';
        resolve(failure(code, `rtp: cannot bind ${options.address}:${options.port}: ${e.message}`));
      });
      socket.on('message', (msg, rinfo) => options.onPacket(msg, { address: rinfo.address, port: rinfo.port }));
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
