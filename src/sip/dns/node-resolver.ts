// The one DNS adapter that touches the network: node:dns/promises Resolver (c-ares) pointed at the
// configured servers — KX-UT670 4.4.x / 5.x DNS1, DNS2 (or the DHCP-supplied ones), or in tests a
// dnsmasq on loopback (test/peers/dnsmasq.ts). Never the system resolver: queries go only to the
// servers given. Answers come back as Results (types.ts); caching is cache.ts's job.
//
// DEVIATION: node:dns reports TTLs for A/AAAA but not for SRV (resolveSrv gives none); SRV answers
// carry no `ttlS` and the cache applies its configured SRV TTL instead.
import { Resolver } from 'node:dns/promises';
import type { Clock, Timer } from '../../core/clock.js';
import { failure, ok, type Result } from '../../core/result.js';
import type { AddressRecord, DnsAnswer, DnsRecordMap, DnsRecordType, SipResolver, SrvRecord } from './types.js';

export interface NodeResolverOptions {
  /** `address` or `address:port` (IPv6 as `[addr]:port`), tried in order (DNS1, DNS2). */
  readonly servers: readonly string[];
  readonly clock: Clock;
  /** Per-try timeout of c-ares; default 2000 ms. */
  readonly timeoutMs?: number;
  /** Tries per server; default 2. */
  readonly tries?: number;
  /**
   * Overall deadline of one query on the Clock, a guard over c-ares' own timeouts; default
   * servers × tries × timeoutMs + 500 ms.
   */
  readonly deadlineMs?: number;
  /** Source address of queries (tests: the dnsmasq loopback address). */
  readonly localAddress?: string;
}

/** c-ares error codes (node:dns) → our failure codes; negative answers are not errors. */
const NEGATIVE = new Set(['ENOTFOUND', 'ENODATA']);
const CODES: Readonly<Record<string, string>> = {
  ETIMEOUT: 'DNS_TIMEOUT',
  ESERVFAIL: 'DNS_SERVFAIL',
  EREFUSED: 'DNS_REFUSED',
  ECONNREFUSED: 'DNS_REFUSED',
  EBADNAME: 'DNS_BAD_NAME',
  ECANCELLED: 'DNS_TIMEOUT',
};

export class NodeSipResolver implements SipResolver {
  private constructor(
    private readonly resolver: Resolver,
    private readonly clock: Clock,
    private deadlineMs: number,
    private readonly perServerMs: number,
  ) {}

  /** Fails (DNS_BAD_SERVER) when a server string is not an IP address with an optional port. */
  static create(options: NodeResolverOptions): Result<NodeSipResolver> {
    const timeoutMs = options.timeoutMs ?? 2000;
    const tries = options.tries ?? 2;
    const resolver = new Resolver({ timeout: timeoutMs, tries });
    if (options.localAddress !== undefined) {
      try {
        resolver.setLocalAddress(options.localAddress);
      } catch (error) {
        return failure('DNS_BAD_SERVER', `dns: bad local address '${options.localAddress}': ${(error as Error).message}`);
      }
    }
    const self = new NodeSipResolver(resolver, options.clock, 0, timeoutMs * tries);
    const set = self.setServers(options.servers);
    if (!set.ok) return set;
    if (options.deadlineMs !== undefined) self.deadlineMs = options.deadlineMs;
    return ok(self);
  }

  /** New servers (a DHCP lease, a settings change); the deadline follows unless it was given. */
  setServers(servers: readonly string[]): Result<void> {
    if (servers.length === 0) return failure('DNS_BAD_SERVER', 'dns: no DNS server configured');
    try {
      this.resolver.setServers([...servers]);
    } catch (error) {
      return failure('DNS_BAD_SERVER', `dns: bad server list ${JSON.stringify(servers)}: ${(error as Error).message}`);
    }
    this.deadlineMs = servers.length * this.perServerMs + 500;
    return ok(undefined);
  }

  async query<T extends DnsRecordType>(type: T, name: string): Promise<DnsAnswer<T>> {
    let timer: Timer | undefined;
    const deadline = new Promise<DnsAnswer<T>>((resolve) => {
      timer = this.clock.setTimer(this.deadlineMs, () => resolve(failure('DNS_TIMEOUT', `dns: ${type} ${name}: no answer within ${this.deadlineMs} ms`)), `dns ${type} ${name}`);
    });
    try {
      return await Promise.race([this.ask(type, name), deadline]);
    } finally {
      timer?.cancel();
    }
  }

  private async ask<T extends DnsRecordType>(type: T, name: string): Promise<DnsAnswer<T>> {
    try {
      const records = await this.lookup(type, name);
      return ok(records as unknown as ReadonlyArray<DnsRecordMap[T]>);
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (NEGATIVE.has(code)) return ok([]);
      return failure(CODES[code] ?? 'DNS_ERROR', `dns: ${type} ${name}: ${code || (error as Error).message}`);
    }
  }

  private async lookup(type: DnsRecordType, name: string): Promise<AddressRecord[] | SrvRecord[]> {
    switch (type) {
      case 'A':
        return (await this.resolver.resolve4(name, { ttl: true })).map((r) => ({ address: r.address, ttlS: r.ttl }));
      case 'AAAA':
        return (await this.resolver.resolve6(name, { ttl: true })).map((r) => ({ address: r.address, ttlS: r.ttl }));
      case 'SRV':
        return (await this.resolver.resolveSrv(name)).map((r) => ({ target: r.name === '' ? '.' : r.name, port: r.port, priority: r.priority, weight: r.weight }));
    }
  }
}
