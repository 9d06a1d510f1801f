// The top Via of requests this transport sends (RFC 3261 §8.1.1.7, §18.1.1): sent-protocol with
// the transport's token, sent-by = the address and port the transport listens on (so a response
// can reach it even over a new connection, §18.2.2), the branch, and `rport` when SIP_ADD_RPORT_n
// asks for it (RFC 3581 §3, KX-UT670 4.6.2.12).
//
// Two ways to get it: ask the transport for `via(branch)` when building the request (the UA
// core's `via(branch, peer)` callback), or write a placeholder Via (`placeholderVia(branch)`, or
// no Via at all) and let the transport fill it in when it sends the request.
import { randomBranch, type SipRequest } from '../message/index.js';
import { formatHost, viaTransportToken } from './address.js';
import type { TransportName } from '../transaction/transaction-layer.js';

/**
 * A sent-by host that means "the transport fills this Via in". `.invalid` (RFC 2606 §2) never
 * resolves, so a real Via can never carry it.
 */
export const PLACEHOLDER_HOST = 'sent-by.invalid';

export interface ViaIdentity {
  readonly transport: TransportName;
  readonly host: string;
  readonly port: number;
  readonly rport: boolean;
}

/** `SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK...;rport` */
export function buildVia(identity: ViaIdentity, branch: string): string {
  return `SIP/2.0/${viaTransportToken(identity.transport)} ${formatHost(identity.host)}:${identity.port};branch=${branch}${identity.rport ? ';rport' : ''}`;
}

/** A Via the transport completes on send (transport token, sent-by and rport are replaced). */
export function placeholderVia(branch: string): string {
  return `SIP/2.0/UDP ${PLACEHOLDER_HOST};branch=${branch}`;
}

/**
 * Completes the top Via of an outgoing request in place: adds one (with a fresh branch) when the
 * request has none, or fills a placeholder Via keeping its branch and other parameters. A Via
 * the caller wrote in full is left alone. Returns true when the request was changed.
 */
export function completeRequestVia(request: SipRequest, identity: ViaIdentity): boolean {
  if (!request.headers.has('Via')) {
    request.prependVia(buildVia(identity, randomBranch()));
    return true;
  }
  const top = request.topVia;
  if (top === undefined || top.host.toLowerCase() !== PLACEHOLDER_HOST) return false;
  let params = top.params;
  if (identity.rport && !params.has('rport')) params = params.with('rport', null);
  request.replaceTopVia(top.with({ transport: viaTransportToken(identity.transport), host: formatHost(identity.host), port: identity.port, params }));
  return true;
}
