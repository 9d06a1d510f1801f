// Inbound processing of one received message, sans-IO (RFC 3261 §18.1.2, §18.2.1, RFC 3581 §4):
// bytes and their source in, one outcome out: deliver it, answer it with a 400, or drop it.
// The UDP and stream transports share it; they only do the socket work around it.
import type { Result } from '../../core/result.js';
import {
  buildBadRequest,
  isRequest,
  parseMessage,
  type SipFailure,
  type SipMessage,
  type SipRequest,
  type SipResponse,
  type Via,
} from '../message/index.js';
import type { Peer } from '../transaction/transaction-layer.js';
import { normalizeAddress, sameAddress } from './address.js';
import type { DropReason } from './types.js';

export type InboundOutcome =
  | { readonly kind: 'deliver'; readonly message: SipMessage }
  /** A request that failed to parse, answered with the 400 (505, 513) naming the fault. */
  | { readonly kind: 'reject'; readonly response: SipResponse; readonly failure: SipFailure }
  | { readonly kind: 'drop'; readonly reason: DropReason; readonly detail: string }
  /** CR/LF only: a keep-alive (RFC 5626 §4.4.1 style, or a NAT keep-alive), ignored. */
  | { readonly kind: 'keep-alive' };

export interface InboundContext {
  /** Largest message accepted (the datagram limit for UDP). */
  readonly maxMessageBytes: number;
  /** True when a Via sent-by is one this transport inserts into requests (§18.1.2). */
  isOwnSentBy(via: Via): boolean;
}

/** Processes one whole message (a datagram, or one message cut out of a stream). */
export function processInbound(bytes: Buffer, source: Peer, ctx: InboundContext): InboundOutcome {
  if (bytes.length > ctx.maxMessageBytes) return { kind: 'drop', reason: 'oversized', detail: `${bytes.length} bytes > ${ctx.maxMessageBytes}` };
  const parsed: Result<SipMessage, SipFailure> = parseMessage(bytes, { maxMessageBytes: ctx.maxMessageBytes });
  if (!parsed.ok) {
    const failure = parsed.error;
    if (failure.code === 'SIP_EMPTY') return { kind: 'keep-alive' };
    // RFC 3261 §21.4.1: the reason phrase names the fault. buildBadRequest declines responses,
    // ACKs and requests without the headers a response must copy.
    const response = buildBadRequest(bytes, failure);
    if (response === undefined) return { kind: 'drop', reason: 'malformed', detail: failure.reason };
    stampTopVia(response, source);
    return { kind: 'reject', response, failure };
  }
  const message = parsed.value;
  if (isRequest(message)) {
    stampReceived(message, source);
    return { kind: 'deliver', message };
  }
  // §18.1.2: a response whose top Via sent-by is not a value we insert is silently discarded.
  const top = message.topVia;
  if (top === undefined || !ctx.isOwnSentBy(top)) {
    return { kind: 'drop', reason: 'misrouted', detail: `top Via ${top?.toString() ?? '(none)'} is not ours` };
  }
  return { kind: 'deliver', message };
}

/**
 * The top Via with `received` and `rport` as a server transport stamps them (RFC 3261 §18.2.1,
 * RFC 3581 §4), or the same Via when nothing changes:
 *  - `received=<source address>` when the sent-by host is a domain name or an address other
 *    than the packet's source;
 *  - with a valueless `rport`: `rport=<source port>`, and `received` always, even when equal.
 */
export function stampedVia(via: Via, source: Peer): Via {
  let v = via;
  const address = normalizeAddress(source.address);
  if (via.hasRport) {
    v = v.withParam('received', address).withParam('rport', String(source.port));
  } else if (!sameAddress(via.host, address)) {
    v = v.withParam('received', address);
  }
  return v;
}

/** Stamps a received request's top Via in place (§18.2.1). */
export function stampReceived(request: SipRequest, source: Peer): void {
  const top = request.topVia;
  if (top === undefined) return;
  const v = stampedVia(top, source);
  if (v !== top) request.replaceTopVia(v);
}

/** Same stamping on the copied Via of a 400 for an unparseable request (best effort: skipped when the Via itself is unreadable). */
function stampTopVia(response: SipResponse, source: Peer): void {
  const top = response.topVia;
  if (top === undefined) return;
  const v = stampedVia(top, source);
  if (v !== top) response.replaceTopVia(v);
}
