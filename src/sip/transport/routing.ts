// Where a response goes (RFC 3261 §18.2.2, RFC 3581 §4), from its top Via.
import type { SipResponse } from '../message/index.js';
import type { Peer, TransportName } from '../transaction/transaction-layer.js';
import { defaultPort, ipFamily, normalizeAddress } from './address.js';

/**
 * The destination of a response when it cannot go back over the request's connection:
 *  - reliable transports (TCP, TLS): a new connection to `received` (else the sent-by host) at
 *    the sent-by port, or the transport's default port (§18.2.2 second bullet);
 *  - unreliable (UDP): `received` and `rport` when the Via has both (RFC 3581 §4), else
 *    `received` (else the sent-by host) at the sent-by port or 5060 (§18.2.2 fourth bullet).
 * Returns undefined when the Via names a host by domain name without `received` (the §18.2.2
 * procedures of RFC 3263 §5 need DNS, which this layer does not do); the caller then falls back
 * to the packet's source.
 *
 * DEVIATION: `maddr` (§18.2.2 third bullet, multicast responses) is ignored: a phone never
 * receives requests whose Via asks for a multicast response, and sending to an arbitrary maddr
 * would let any sender aim our responses at a third party.
 */
export function responseDestination(response: SipResponse, transport: TransportName): Peer | undefined {
  const via = response.topVia;
  if (via === undefined) return undefined;
  const received = via.received;
  const host = received ?? via.host;
  if (ipFamily(host) === 0) return undefined;
  const address = normalizeAddress(host);
  if (transport === 'udp') {
    const rport = via.rport;
    if (received !== undefined && rport !== undefined && rport > 0) return { address, port: rport, transport };
  }
  return { address, port: via.port ?? defaultPort(transport), transport };
}
