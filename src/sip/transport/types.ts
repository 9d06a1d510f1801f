// The SIP transport layer's contract (RFC 3261 §18): thin Node adapters between sockets and the
// sans-IO stack. A transport sends messages to a Peer (requests) or back along the path of their
// request (responses, §18.2.2), and emits every message it receives, already checked and stamped
// per §18.1.2 / §18.2.1, for the transaction layer (`layer.receive(message, source)`).
//
// DEVIATION: DSCP (KX-UT670 4.6.2.10 / 5.8.2 DSCP_SIP_n) is not applied. Node.js 20 exposes no
// IP_TOS / IPV6_TCLASS socket option on dgram or net sockets (only setTTL and friends), and
// setting it needs a native addon; SIP packets leave with DSCP 0 whatever the setting says.
import type { Emitter } from '../../core/events.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { SipMessage } from '../message/index.js';
import type { Peer, TransportName } from '../transaction/transaction-layer.js';
import type { TransportStats } from './stats.js';

export type { Peer, TransportName };

/** Why an inbound message was dropped (counted in TransportStats and emitted as `dropped`). */
export type DropReason =
  /** Source address not allowed (KX-UT670 4.6.2.13 SSAF). */
  | 'filtered'
  /** Datagram over the size limit. */
  | 'oversized'
  /** Unparseable and not answerable (a malformed response, or a request without the headers a 400 needs). */
  | 'malformed'
  /** A response whose top Via sent-by is not ours (RFC 3261 §18.1.2). */
  | 'misrouted'
  /** A stream's framing broke (RFC 3261 §18.3): the connection is closed. */
  | 'framing';

export interface TransportEvents extends Record<string, unknown> {
  /** A parsed message for the transaction layer. Requests carry received/rport already (§18.2.1). */
  message: { readonly message: SipMessage; readonly source: Peer };
  /**
   * A send that was accepted (`send` returned true) failed later: connection refused or reset,
   * TLS handshake failure, socket error. `message` is undefined for keep-alives. The owner maps it
   * to the transaction (`layer.transportErrorFor`), RFC 3261 §17.1.4 / §17.2.4 (503 for a client).
   */
  'send-error': { readonly peer: Peer; readonly message: SipMessage | undefined; readonly error: Error };
  /** An inbound message was dropped (diagnostics; already counted and logged). */
  dropped: { readonly source: Peer; readonly reason: DropReason; readonly detail: string };
  /** A stream connection opened or closed. */
  connection: { readonly peer: Peer; readonly state: 'open' | 'closed'; readonly direction: 'inbound' | 'outbound'; readonly reason: string };
}

/** The address and port a transport is bound to. */
export interface LocalEndpoint {
  readonly address: string;
  readonly port: number;
}

export interface SipTransport {
  readonly protocol: TransportName;
  /** TCP and TLS: no retransmissions in the transaction layer (RFC 3261 §17.1.1.2). */
  readonly reliable: boolean;
  readonly events: Emitter<TransportEvents>;
  /** The bound address and port; throws before start(). */
  readonly local: LocalEndpoint;
  /** A snapshot of the counters. */
  readonly stats: TransportStats;
  /** Binds (UDP) or listens (TCP/TLS). Rejects when the address or port cannot be bound. */
  start(): Promise<void>;
  /** Closes the socket(s) and every connection; cancels the transport's timers. */
  close(): Promise<void>;
  /**
   * Sends a request to `peer`, or a response back along its request's path (RFC 3261 §18.2.2;
   * `peer` is then the request's source, used to find the connection it came on). A request
   * without a Via, or whose top Via names PLACEHOLDER_HOST, gets this transport's Via. Returns
   * false when the message cannot be sent at all (no route, too large, closed); later failures
   * come as `send-error` events.
   */
  send(message: SipMessage, peer: Peer): boolean;
  /** The top Via for a new request sent over this transport (sent-by, transport token, rport). */
  via(branch: string): string;
  /**
   * Sends a keep-alive to `peer`: a CRLFCRLF datagram (UDP NAT keep-alive, KX-UT670 4.6.2.12) or
   * an RFC 5626 §3.5.1 CRLFCRLF ping on an open connection (TCP/TLS). False when nothing was sent.
   */
  keepAlive(peer: Peer): boolean;
}

/** Options shared by every transport. */
export interface TransportOptions {
  /** The device's address to bind: an IPv4 or IPv6 literal, never a wildcard in tests. */
  readonly address: string;
  /** SIP_SRC_PORT_n (KX-UT670 4.6.2.5); 0 binds an ephemeral port (tests). */
  readonly port: number;
  /** Timers (idle connections, keep-alives) run on this clock. */
  readonly clock: Clock;
  readonly logger?: Logger;
  /** SIP_ADD_RPORT_n (KX-UT670 4.6.2.12): add `rport` to the top Via of requests (RFC 3581 §3). */
  readonly addRport?: boolean;
  /**
   * The sent-by written into Via and recognised in responses (§18.1.2); default the bound address
   * and port. A NAT'ed device with static NAPT (KX-UT670 4.4.5) writes its public address here.
   */
  readonly sentBy?: { readonly host: string; readonly port: number };
  /**
   * SIP_DETECT_SSAF_n (KX-UT670 4.6.2.13): when given, messages whose source address it refuses
   * are dropped silently (counted as `filtered`). See sourceAddressFilter().
   */
  readonly allowedSources?: (address: string) => boolean;
}
