// Per-transport counters for diagnostics (the status page, the control API, tests).
import type { TransportName } from '../transaction/transaction-layer.js';

export interface TransportStats {
  readonly transport: TransportName;
  /** Messages delivered to the stack (after filtering, parsing and checks). */
  readonly received: number;
  /** Messages handed to the socket (requests, responses, 400s for malformed requests). */
  readonly sent: number;
  readonly bytesReceived: number;
  readonly bytesSent: number;
  /** Inbound messages that failed to parse (answered with a 400 or dropped). */
  readonly malformed: number;
  /** 400/505/513 responses sent for requests that failed to parse. */
  readonly rejected: number;
  /** Dropped by the source address filter (SSAF). */
  readonly filtered: number;
  /** Datagrams over the size limit. */
  readonly oversized: number;
  /** Responses whose top Via was not ours (RFC 3261 §18.1.2). */
  readonly misrouted: number;
  /** CRLF keep-alives received (UDP CRLF datagrams, RFC 5626 pings and pongs). */
  readonly keepAlivesReceived: number;
  /** Keep-alives sent (NAT keep-alive datagrams, pings, pongs). */
  readonly keepAlivesSent: number;
  /** Sends that failed (at once or later). */
  readonly sendErrors: number;
  /** Exceptions caught in socket callbacks (a bug somewhere; logged). */
  readonly internalErrors: number;
  /** Stream framing errors (each closed its connection). */
  readonly framingErrors: number;
  /** Inbound TLS handshakes that failed (the connection never carried SIP). */
  readonly handshakeFailures: number;
  readonly connectionsOpened: number;
  readonly connectionsClosed: number;
  /** Connections open now (TCP/TLS). */
  readonly openConnections: number;
}

type Counter = Exclude<keyof TransportStats, 'transport' | 'openConnections'>;

/** The mutable counters behind a TransportStats snapshot. */
export class StatsCounter {
  private readonly counts: Record<Counter, number> = {
    received: 0,
    sent: 0,
    bytesReceived: 0,
    bytesSent: 0,
    malformed: 0,
    rejected: 0,
    filtered: 0,
    oversized: 0,
    misrouted: 0,
    keepAlivesReceived: 0,
    keepAlivesSent: 0,
    sendErrors: 0,
    internalErrors: 0,
    framingErrors: 0,
    handshakeFailures: 0,
    connectionsOpened: 0,
    connectionsClosed: 0,
  };

  constructor(private readonly transport: TransportName) {}

  add(counter: Counter, n = 1): void {
    this.counts[counter] += n;
  }

  snapshot(openConnections = 0): TransportStats {
    return { transport: this.transport, ...this.counts, openConnections };
  }
}
