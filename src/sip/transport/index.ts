// The SIP transport layer (RFC 3261 §18): UDP, TCP and TLS adapters between Node sockets and the
// sans-IO stack. The only files in src/sip that touch node:dgram, node:net or node:tls.
export * from './address.js';
export * from './inbound.js';
export * from './keep-alive.js';
export * from './outbound-via.js';
export * from './routing.js';
export * from './source-filter.js';
export * from './stats.js';
export * from './stream-transport.js';
export * from './transport-set.js';
export * from './types.js';
export * from './udp-transport.js';
export { TransportBase } from './transport-base.js';
