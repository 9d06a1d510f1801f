// NAT keep-alive (KX-UT670 4.6.2.12 "Keep Alive Interval", 5.8.2 PORT_PUNCH_INTVL_n: 0 or 10–300
// seconds, "available only when SIP_TRANSPORT_n is set to 0 for UDP"): a small packet to the
// server every interval keeps the NAT binding of the line's SIP port open.
//
// The manual does not say what the packet holds. We send CRLFCRLF: the RFC 5626 §3.5.1 "ping"
// form, which SIP servers (Kamailio, Asterisk, OpenSIPS) already skip as an empty message (RFC
// 3261 §7.5 lets CRLFs precede a message). RFC 5626 §4.4.2 would use STUN over UDP; the manual
// predates that and a plain CRLFCRLF needs nothing from the server.
import type { Clock, Timer } from '../../core/clock.js';
import type { LineSettings } from '../../settings/canonical.js';

export interface NatKeepAliveOptions {
  readonly clock: Clock;
  /** PORT_PUNCH_INTVL_n in seconds; 0 (or less) disables. */
  readonly intervalS: number;
  /** Sends one keep-alive. */
  send(): void;
}

/** Starts the periodic keep-alive; undefined when disabled. The first one goes after one interval. */
export function startNatKeepAlive(options: NatKeepAliveOptions): Timer | undefined {
  if (!(options.intervalS > 0)) return undefined;
  return options.clock.setPeriodic(options.intervalS * 1000, () => options.send(), 'sip nat keep-alive');
}

/**
 * Where a line's keep-alives go: the outbound proxy when one is set (SIP_OUTPROXY_ADDR_n /
 * _PORT_n), else the registrar. Host names still need resolving by the caller. Undefined when the
 * line does not use them (not UDP, interval 0, no server).
 */
export function natKeepAliveTarget(line: Pick<LineSettings, 'transport' | 'natKeepaliveS' | 'outboundProxy' | 'registrar'>): { host: string; port: number } | undefined {
  if (line.transport !== 'udp' || !(line.natKeepaliveS > 0)) return undefined;
  if (line.outboundProxy.host !== '') return { host: line.outboundProxy.host, port: line.outboundProxy.port };
  if (line.registrar.host !== '') return { host: line.registrar.host, port: line.registrar.port };
  return undefined;
}
