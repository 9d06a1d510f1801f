// The device's DNS resolver. A real phone learns its DNS servers from DHCP or its network
// settings (KX-UT670 4.4.1); the emulator takes them from `vphone run --dns ADDRESS[:PORT]`.
// Without one, names do not resolve at all — the emulator never asks the host's resolver, so no
// query can leave the loopback network by accident.
import { failure } from '../../src/core/result.js';
import { CachingResolver, NodeSipResolver, type SipResolver } from '../../src/sip/dns/index.js';
import type { Device } from '../device.js';

const noDns: SipResolver = {
  query: async (_type, name) => failure('DNS_NO_SERVER', `dns: cannot resolve ${name}: no DNS server configured (vphone run --dns ADDRESS[:PORT])`),
};

export function deviceResolver(device: Device): SipResolver {
  if (device.dnsServers.length === 0) return noDns;
  const created = NodeSipResolver.create({ servers: [...device.dnsServers], clock: device.clock, localAddress: device.ip });
  if (!created.ok) {
    device.logger.warn({ servers: device.dnsServers }, created.error.message);
    return noDns;
  }
  return new CachingResolver(created.value, { clock: device.clock });
}
