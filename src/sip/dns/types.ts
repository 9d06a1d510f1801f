// The DNS view the SIP stack needs for RFC 3263 server location: A, AAAA and SRV (RFC 2782)
// answers behind one small interface, so the selection logic is tested with a table and the
// phone runs it over node:dns (node-resolver.ts) with a TTL cache (cache.ts).
import type { Result } from '../../core/result.js';

export type DnsRecordType = 'A' | 'AAAA' | 'SRV';

/** An A or AAAA answer. */
export interface AddressRecord {
  readonly address: string;
  /** Time to live in seconds as the server gave it. */
  readonly ttlS: number;
}

/** RFC 2782 SRV answer. A `target` of "." means the service is decidedly not available. */
export interface SrvRecord {
  readonly target: string;
  readonly port: number;
  readonly priority: number;
  readonly weight: number;
  /** Absent when the resolver cannot tell (node:dns resolveSrv reports no TTL). */
  readonly ttlS?: number;
}

export interface DnsRecordMap {
  A: AddressRecord;
  AAAA: AddressRecord;
  SRV: SrvRecord;
}

/**
 * An answer: the records, an empty list for a negative answer (NXDOMAIN or no data, RFC 2308),
 * or a failure (`DNS_TIMEOUT`, `DNS_SERVFAIL`, `DNS_REFUSED`, `DNS_BAD_NAME`, `DNS_ERROR`).
 */
export type DnsAnswer<T extends DnsRecordType = DnsRecordType> = Result<ReadonlyArray<DnsRecordMap[T]>>;

export interface SipResolver {
  /** Never rejects: failures come back as a Result. */
  query<T extends DnsRecordType>(type: T, name: string): Promise<DnsAnswer<T>>;
}

export interface DnsQuery {
  readonly type: DnsRecordType;
  readonly name: string;
}

/** Map key of a query: names compare case-insensitively and without a trailing dot (RFC 4343). */
export function queryKey(type: DnsRecordType, name: string): string {
  return `${type} ${canonicalName(name)}`;
}

export function canonicalName(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.endsWith('.') && lower.length > 1 ? lower.slice(0, -1) : lower;
}
