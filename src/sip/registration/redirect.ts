// 3xx answers to a REGISTER (RFC 3261 §8.1.3.4, §21.3): where the next REGISTER goes and with
// which Request-URI, with a hop limit and loop detection across one chain of redirects.
//
// - 300/301/302: the best Contact (highest q, RFC 3261 §8.1.3.4 / §20.10; the first on a tie)
//   becomes both the next hop and the Request-URI, stripped of its user part and URI headers
//   (§10.2.1: the REGISTER's Request-URI "MUST NOT" carry userinfo).
// - 305 Use Proxy (§21.3.5): the Contact is a proxy: the REGISTER goes to it, Request-URI unchanged.
// DEVIATION: only the best Contact is tried (no walk down the list on failure), and only a Contact
// whose host is an IP address: a registration core has no resolver of its own (a redirect to a
// name fails the attempt, the line then retries from its configured registrar).
import { failure, ok, type Result } from '../../core/result.js';
import { SipUri, type NameAddr, type SipResponse } from '../message/index.js';
import type { Peer, TransportName } from '../transaction/transaction-layer.js';

/** Redirects followed in a row before giving up (RFC 3261 §8.1.3.4 leaves the limit to us). */
export const MAX_REDIRECTS = 5;

/** Where 3xx answers sent the line's REGISTERs. */
export interface RedirectChain {
  /** The next hop. */
  readonly peer: Peer;
  /** Request-URI for 301/302 (undefined for 305: the registrar URI stays). */
  readonly uri: SipUri | undefined;
  /** Redirects followed since the last 2xx. */
  readonly hops: number;
  /** `transport:address:port` of every server of the chain (loop detection). */
  readonly visited: readonly string[];
  /** For the line's state, e.g. `302 Moved Temporarily from 127.0.0.2:5060`. */
  readonly detail: string;
}

export const peerKey = (p: Peer): string => `${p.transport}:${p.address}:${p.port}`;
const hostPort = (p: Peer): string => (p.address.includes(':') ? `[${p.address}]:${p.port}` : `${p.address}:${p.port}`);

/** Whether `status` is a redirect a REGISTER follows (380 Alternative Service is not). */
export function isFollowedRedirect(status: number): boolean {
  return status === 300 || status === 301 || status === 302 || status === 305;
}

function bestContact(response: SipResponse): NameAddr | undefined {
  const contacts = response.contacts;
  if (contacts === '*') return undefined;
  let best: NameAddr | undefined;
  let bestQ = -1;
  for (const c of contacts) {
    const q = c.params.get('q');
    const value = typeof q === 'string' && /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(q) ? Number(q) : 1;
    if (value > bestQ) {
      best = c;
      bestQ = value;
    }
  }
  return best;
}

/**
 * The chain after following `response` (a 3xx from `from`), or REG_REDIRECT_* when it cannot be
 * followed: no usable Contact, a name or another transport, a loop, or more than MAX_REDIRECTS.
 */
export function followRedirect(chain: RedirectChain | undefined, from: Peer, response: SipResponse, transport: TransportName): Result<RedirectChain> {
  const status = `${response.status} ${response.reason}`;
  const contact = bestContact(response);
  const uri = contact?.uri;
  if (!(uri instanceof SipUri)) return failure('REG_REDIRECT_NO_CONTACT', `registration: ${status} without a SIP Contact`);
  // RFC 3263 §4.1 would take UDP for an IP address without a transport parameter; the line has
  // one socket of its own transport, so such a Contact is reached over it.
  const wanted = uri.transport ?? (uri.scheme === 'sips' ? 'tls' : transport);
  if (wanted !== transport) return failure('REG_REDIRECT_TRANSPORT', `registration: ${status} to ${uri.toString()}: the line uses ${transport}`);
  if (uri.hostType === 'domain') return failure('REG_REDIRECT_NAME', `registration: ${status} to ${uri.toString()}: only an IP address is followed`);
  const peer: Peer = { address: uri.hostname, port: uri.port ?? (transport === 'tls' ? 5061 : 5060), transport };
  const hops = (chain?.hops ?? 0) + 1;
  if (hops > MAX_REDIRECTS) return failure('REG_REDIRECT_LIMIT', `registration: more than ${MAX_REDIRECTS} redirects (last ${status} to ${hostPort(peer)})`);
  const visited = chain?.visited ?? [peerKey(from)];
  if (visited.includes(peerKey(peer))) return failure('REG_REDIRECT_LOOP', `registration: redirect loop (${status} back to ${hostPort(peer)})`);
  const requestUri = response.status === 305 ? undefined : new SipUri({ scheme: uri.scheme, host: uri.host, port: uri.port, params: uri.params });
  return ok({ peer, uri: requestUri, hops, visited: [...visited, peerKey(peer)], detail: `${status} from ${hostPort(from)} to ${hostPort(peer)}` });
}

/** After a 2xx the chain's hop count and loop memory start again from the server that answered. */
export function settledChain(chain: RedirectChain): RedirectChain {
  return chain.hops === 0 ? chain : { ...chain, hops: 0, visited: [peerKey(chain.peer)] };
}
