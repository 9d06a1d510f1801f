// Addresses as the transport layer compares and writes them: IPv4 and IPv6 literals (RFC 3261
// §19.1.1 writes IPv6 in brackets in host positions; the Via `received` parameter carries it
// without, §20.42 / RFC 5118 §4.5), the default ports of §18 and the key of a connection.
import { isIP } from 'node:net';
import type { Peer, TransportName } from '../transaction/transaction-layer.js';

/** RFC 3261 §19.1.2: 5060 for UDP and TCP, 5061 for TLS. */
export function defaultPort(transport: TransportName): number {
  return transport === 'tls' ? 5061 : 5060;
}

/** The Via transport token (RFC 3261 §18, §20.42). */
export function viaTransportToken(transport: TransportName): string {
  return transport.toUpperCase();
}

/** Removes the brackets of an IPv6 reference: `[::1]` → `::1`. */
export function unbracket(host: string): string {
  return host.length >= 2 && host.charCodeAt(0) === 91 && host.charCodeAt(host.length - 1) === 93 ? host.slice(1, -1) : host;
}

/** 4, 6, or 0 for a host name (brackets allowed around IPv6). */
export function ipFamily(host: string): 0 | 4 | 6 {
  return isIP(unbracket(host)) as 0 | 4 | 6;
}

/**
 * Canonical text of an address for comparisons: brackets removed, lower case, IPv4-mapped IPv6
 * (`::ffff:127.0.0.1`, as a dual-stack socket reports IPv4 peers) unmapped, and IPv6 compressed
 * (`0:0:0:0:0:0:0:1` → `::1`). Host names are only lower-cased.
 */
export function normalizeAddress(host: string): string {
  const h = unbracket(host).toLowerCase();
  const family = isIP(h);
  if (family !== 6) return h;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  if (mapped && isIP(mapped[1]!) === 4) return mapped[1]!;
  try {
    return unbracket(new URL(`http://[${h}]/`).hostname);
  } catch {
    return h;
  }
}

/** True when two hosts name the same address (or are the same host name, case-insensitively). */
export function sameAddress(a: string, b: string): boolean {
  return a === b || normalizeAddress(a) === normalizeAddress(b);
}

/** The host as written in a Via sent-by or URI: IPv6 in brackets (RFC 3261 §25.1 IPv6reference). */
export function formatHost(address: string): string {
  return ipFamily(address) === 6 ? `[${unbracket(address)}]` : address;
}

/** `address:port` with IPv6 bracketed: for logs and connection keys. */
export function hostPort(address: string, port: number): string {
  return `${formatHost(normalizeAddress(address))}:${port}`;
}

/** Key of a peer's connection (transport, address, port). */
export function peerKey(peer: Peer): string {
  return `${peer.transport}:${hostPort(peer.address, peer.port)}`;
}
