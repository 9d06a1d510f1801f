// The transports of one line (or device) behind the single send function the transaction layer
// takes: a message goes out on the transport its Peer names. Wiring:
//   const set = new TransportSet([udp, tcp]);
//   const layer = new TransactionLayer({ clock, send: (m, p) => set.send(m, p), tu });
//   set.onMessage(({ message, source }) => layer.receive(message, source));
//   new UserAgent({ layer, via: (branch, peer) => set.via(branch, peer), ... });
import type { SipMessage } from '../message/index.js';
import type { Peer, TransportName } from '../transaction/transaction-layer.js';
import type { TransportStats } from './stats.js';
import type { SipTransport, TransportEvents } from './types.js';

export class TransportSet {
  private readonly byName = new Map<TransportName, SipTransport>();

  constructor(transports: Iterable<SipTransport>) {
    for (const t of transports) {
      if (this.byName.has(t.protocol)) throw new Error(`sip transport: two ${t.protocol} transports in one set`);
      this.byName.set(t.protocol, t);
    }
  }

  get(transport: TransportName): SipTransport | undefined {
    return this.byName.get(transport);
  }

  get transports(): SipTransport[] {
    return [...this.byName.values()];
  }

  /** Sends on the transport `peer.transport` names; false when the set has none. */
  send(message: SipMessage, peer: Peer): boolean {
    return this.byName.get(peer.transport)?.send(message, peer) ?? false;
  }

  /** The Via for a request to `peer`. Throws when the set has no transport for it (a wiring bug). */
  via(branch: string, peer: Peer): string {
    const t = this.byName.get(peer.transport);
    if (t === undefined) throw new Error(`sip transport: no ${peer.transport} transport for ${peer.address}:${peer.port}`);
    return t.via(branch);
  }

  /** Subscribes to every transport's `message` event; returns the unsubscribe function. */
  onMessage(listener: (event: TransportEvents['message']) => void): () => void {
    const offs = this.transports.map((t) => t.events.on('message', listener));
    return () => offs.forEach((off) => off());
  }

  start(): Promise<void[]> {
    return Promise.all(this.transports.map((t) => t.start()));
  }

  close(): Promise<void[]> {
    return Promise.all(this.transports.map((t) => t.close()));
  }

  stats(): TransportStats[] {
    return this.transports.map((t) => t.stats);
  }
}
