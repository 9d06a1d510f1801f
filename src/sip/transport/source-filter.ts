// SSAF, the SIP Source Address Filter (KX-UT670 4.6.2.13, 5.8.2 SIP_DETECT_SSAF_n): when on, the
// line accepts SIP messages only from the addresses of its registrar, proxy and presence servers,
// and of its outbound proxy when one is set. Host names must be resolved by the caller first
// (this layer does no DNS); pass every address they resolved to.
import type { LineSettings } from '../../settings/canonical.js';
import { normalizeAddress } from './address.js';

/** An `allowedSources` predicate accepting exactly `addresses` (IPv4/IPv6 literals, any spelling). */
export function sourceAddressFilter(addresses: Iterable<string>): (address: string) => boolean {
  const allowed = new Set<string>();
  for (const a of addresses) if (a !== '') allowed.add(normalizeAddress(a));
  return (address) => allowed.has(normalizeAddress(address));
}

/**
 * The servers whose addresses SSAF admits for a line, as configured (host names unresolved);
 * undefined when SSAF is off.
 */
export function ssafServers(line: Pick<LineSettings, 'sourceAddressFilter' | 'registrar' | 'proxy' | 'presence' | 'outboundProxy'>): string[] | undefined {
  if (!line.sourceAddressFilter) return undefined;
  const hosts = [
    line.registrar.host,
    line.registrar.secondaryHost,
    line.proxy.host,
    line.proxy.secondaryHost,
    line.presence.host,
    line.presence.secondaryHost,
    line.outboundProxy.host,
  ];
  return [...new Set(hosts.filter((h) => h !== ''))];
}
