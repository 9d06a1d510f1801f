// A line's server settings (DeviceSettings.lines[n], KX-UT670 5.8.2) as fail-over specs.
import type { LineSettings } from '../../settings/canonical.js';
import type { FailoverSpec } from './failover.js';

export type ServerRole = 'registrar' | 'proxy' | 'outboundProxy';

/**
 * The FailoverSpec for one of the line's servers, or undefined when its address is empty. The
 * configured port is the A/AAAA fallback port (see select.ts); SRV follows SIP_DNSSRV_ENA_n and the
 * prefixes; the outbound proxy has no secondary.
 */
export function lineFailoverSpec(line: LineSettings, role: ServerRole): FailoverSpec | undefined {
  const server = line[role];
  if (server.host.trim() === '') return undefined;
  return {
    primary: {
      host: server.host,
      fallbackPort: server.port,
      transport: line.transport,
      srv: { enabled: line.dns.srvEnabled, udpPrefix: line.dns.udpSrvPrefix, tcpPrefix: line.dns.tcpSrvPrefix },
    },
    ...('secondaryHost' in server ? { secondary: { host: server.secondaryHost, port: server.secondaryPort } } : {}),
    failover: { onNoResponse: line.failover.onNoResponse, maxTargets: line.failover.maxTargets },
  };
}

/**
 * Where the line's REGISTER goes: the outbound proxy when one is set (RFC 3261 §8.1.2, the
 * outbound proxy is the first hop for every request), else the registrar.
 */
export function registrationFailoverSpec(line: LineSettings): FailoverSpec | undefined {
  return lineFailoverSpec(line, 'outboundProxy') ?? lineFailoverSpec(line, 'registrar');
}
