// RFC 3263 §4.2 target selection, sans-IO: given the host to reach and the DNS answers known so
// far, say which queries are still needed, or give the ordered list of Peers to try (§4.3: in
// order, the next one on timeout, 503 or transport error). locate.ts drives it with a resolver;
// tests drive it with answer tables.
//
// KX-UT670 4.6.2.7 / 5.8.2 SIP_DNSSRV_ENA_n, SIP_UDP_SRV_PREFIX_n, SIP_TCP_SRV_PREFIX_n: SRV lookup
// on/off and the prefixes. NAPTR (RFC 3263 §4.1) is not used: the line's transport is configured
// (SIP_TRANSPORT_n), so §4.1's "transport known" case applies and SRV goes straight to the
// transport's prefix.
//
// A configured server port (SIP_RGSTR_PORT_n etc.) always has a value (default 5060), so it cannot
// mean "explicit port" the way a port in a URI does (§4.2 skips SRV then); it is the `fallbackPort`
// for A/AAAA when SRV is off or finds nothing. Only `port` (a port written in a URI) skips SRV.
import { failure, ok, type Result } from '../../core/result.js';
import type { Peer, TransportName } from '../transaction/transaction-layer.js';
import { defaultPort, ipFamily, normalizeAddress, unbracket } from '../transport/address.js';
import { orderSrv, type RandomSource } from './srv-order.js';
import { queryKey, type AddressRecord, type DnsAnswer, type DnsQuery, type SrvRecord } from './types.js';

export type AddressFamily = 'ipv4' | 'ipv6';

export interface SrvSettings {
  readonly enabled: boolean;
  /** SIP_UDP_SRV_PREFIX_n, default `_sip._udp.`. */
  readonly udpPrefix?: string;
  /** SIP_TCP_SRV_PREFIX_n, default `_sip._tcp.`. */
  readonly tcpPrefix?: string;
  /** No KX-UT670 setting; RFC 3263 §4.2 `_sips._tcp.`. */
  readonly tlsPrefix?: string;
}

export interface TargetSpec {
  /** IP literal (IPv6 with or without brackets) or domain name. */
  readonly host: string;
  /** A port written in the URI: RFC 3263 §4.2 then uses A/AAAA only. */
  readonly port?: number;
  /** Port for A/AAAA results when there is no SRV answer; default 5060, 5061 for TLS (RFC 3261 §19.1.2). */
  readonly fallbackPort?: number;
  readonly transport: TransportName;
  /** Default: SRV on with the RFC prefixes. */
  readonly srv?: SrvSettings;
  /** Families to look up, in preference order per target; default IPv4 then IPv6. */
  readonly families?: readonly AddressFamily[];
}

/** Answers so far, keyed by queryKey(type, name). */
export type DnsAnswers = ReadonlyMap<string, DnsAnswer>;

export type SelectStep =
  | { readonly kind: 'lookup'; readonly queries: readonly DnsQuery[] }
  | { readonly kind: 'done'; readonly result: Result<Peer[]> };

const DEFAULT_PREFIX: Readonly<Record<TransportName, string>> = { udp: '_sip._udp.', tcp: '_sip._tcp.', tls: '_sips._tcp.' };
const FAMILY_TYPE = { ipv4: 'A', ipv6: 'AAAA' } as const;
const LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

/** A domain name we are willing to ask about (RFC 1035 §2.3.4 lengths; `_` allowed for SRV owners). */
export function validDomainName(name: string): boolean {
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  return n.length > 0 && n.length <= 253 && n.split('.').every((label) => LABEL.test(label));
}

/** The SRV owner name for a host: the configured prefix (a missing final dot added) + host. */
export function srvName(host: string, transport: TransportName, srv: SrvSettings | undefined): string {
  const configured = transport === 'udp' ? srv?.udpPrefix : transport === 'tcp' ? srv?.tcpPrefix : srv?.tlsPrefix;
  const prefix = configured === undefined || configured === '' ? DEFAULT_PREFIX[transport] : configured;
  return `${prefix}${prefix.endsWith('.') ? '' : '.'}${host}`;
}

function validPort(port: number | undefined): boolean {
  return port === undefined || (Number.isInteger(port) && port >= 1 && port <= 65535);
}

/** One step of RFC 3263 §4.2 for `spec` with the answers known so far. */
export function selectTargets(spec: TargetSpec, answers: DnsAnswers, random: RandomSource): SelectStep {
  const host = unbracket(spec.host.trim());
  const transport = spec.transport;
  if (!validPort(spec.port) || !validPort(spec.fallbackPort)) return done(failure('DNS_BAD_TARGET', `dns: bad port for '${spec.host}'`));
  const port = spec.port ?? spec.fallbackPort ?? defaultPort(transport);
  if (host === '') return done(failure('DNS_NO_HOST', 'dns: no server host configured'));
  // §4.2: "If TARGET is a numeric IP address, the client uses that address."
  if (ipFamily(host) !== 0) return done(ok([{ address: normalizeAddress(host), port, transport }]));
  if (!validDomainName(host)) return done(failure('DNS_BAD_TARGET', `dns: '${spec.host}' is neither an IP address nor a domain name`));
  const families = spec.families ?? (['ipv4', 'ipv6'] as const);

  // §4.2: "If the TARGET was not a numeric IP address, but a port is present in the URI, the client
  // performs an A or AAAA record lookup". Otherwise SRV first (when the line enables it).
  if (spec.port === undefined && (spec.srv?.enabled ?? true)) {
    const name = srvName(host, transport, spec.srv);
    const srv = answers.get(queryKey('SRV', name));
    if (srv === undefined) return { kind: 'lookup', queries: [{ type: 'SRV', name }] };
    const records = srv.ok ? (srv.value as readonly SrvRecord[]) : [];
    // RFC 2782: a single record with target "." — "the service is decidedly not available".
    if (records.length === 1 && (records[0]!.target === '.' || records[0]!.target === '')) {
      return done(failure('DNS_SRV_NOT_AVAILABLE', `dns: ${name} says the service is not available (target ".")`));
    }
    if (records.length > 0) return fromSrv(records, transport, families, answers, random, name);
    // §4.2: "If no SRV records were found, the client performs an A or AAAA record lookup of the
    // domain name." A failed SRV query (timeout, SERVFAIL) is treated as "none found".
  }
  const queries = missingAddressQueries([host], families, answers);
  if (queries.length > 0) return { kind: 'lookup', queries };
  return done(nonEmpty(addressPeers(host, port, transport, families, answers), [host], families, answers));
}

function done(result: Result<Peer[]>): SelectStep {
  return { kind: 'done', result };
}

function fromSrv(records: readonly SrvRecord[], transport: TransportName, families: readonly AddressFamily[], answers: DnsAnswers, random: RandomSource, name: string): SelectStep {
  const named = [...new Set(records.filter((r) => r.target !== '.' && ipFamily(r.target) === 0).map((r) => r.target))];
  const queries = missingAddressQueries(named, families, answers);
  if (queries.length > 0) return { kind: 'lookup', queries };
  // §4.3 / RFC 2782: targets in priority/weight order, each target's addresses in turn.
  const peers: Peer[] = [];
  for (const record of orderSrv(records, random)) peers.push(...addressPeers(record.target, record.port, transport, families, answers));
  // Records were found, so §4.2 does not fall back to the domain's own A/AAAA records.
  return done(peers.length > 0 ? ok(dedupe(peers)) : failure('DNS_NO_ADDRESS', `dns: no address for any target of ${name} (${named.join(', ')})`));
}

function missingAddressQueries(names: readonly string[], families: readonly AddressFamily[], answers: DnsAnswers): DnsQuery[] {
  const queries: DnsQuery[] = [];
  for (const name of names) {
    for (const family of families) {
      const type = FAMILY_TYPE[family];
      if (!answers.has(queryKey(type, name))) queries.push({ type, name });
    }
  }
  return queries;
}

function addressPeers(target: string, port: number, transport: TransportName, families: readonly AddressFamily[], answers: DnsAnswers): Peer[] {
  if (ipFamily(target) !== 0) return [{ address: normalizeAddress(target), port, transport }];
  const peers: Peer[] = [];
  for (const family of families) {
    const answer = answers.get(queryKey(FAMILY_TYPE[family], target));
    if (answer?.ok) for (const r of answer.value as readonly AddressRecord[]) peers.push({ address: normalizeAddress(r.address), port, transport });
  }
  return peers;
}

function nonEmpty(peers: Peer[], names: readonly string[], families: readonly AddressFamily[], answers: DnsAnswers): Result<Peer[]> {
  if (peers.length > 0) return ok(dedupe(peers));
  const errors: string[] = [];
  for (const name of names) {
    for (const family of families) {
      const answer = answers.get(queryKey(FAMILY_TYPE[family], name));
      if (answer !== undefined && !answer.ok) errors.push(answer.error.message);
    }
  }
  // Every lookup failed (rather than answering "no such name"): say why.
  if (errors.length === names.length * families.length) return failure('DNS_LOOKUP_FAILED', errors.join('; '));
  return failure('DNS_NO_ADDRESS', `dns: no ${families.map((f) => FAMILY_TYPE[f]).join('/')} record for ${names.join(', ')}`);
}

function dedupe(peers: readonly Peer[]): Peer[] {
  const seen = new Set<string>();
  return peers.filter((p) => {
    const key = `${p.transport} ${p.address} ${p.port}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
