// A SipResolver that answers from a table: for tests and for a lab without a DNS server. Names
// absent from the table are NXDOMAIN (an empty answer); an entry may instead fail with a code.
import { failure, ok } from '../../core/result.js';
import { canonicalName, type DnsAnswer, type DnsRecordMap, type DnsRecordType, type SipResolver, type SrvRecord } from './types.js';

export interface TableEntry {
  /** IPv4 addresses. */
  A?: readonly string[];
  /** IPv6 addresses. */
  AAAA?: readonly string[];
  SRV?: ReadonlyArray<Omit<SrvRecord, 'ttlS'> & { ttlS?: number }>;
  /** TTL of the A/AAAA (and SRV without their own) records; default 300 s. */
  ttlS?: number;
  /** Every query for this name fails with this code (e.g. DNS_TIMEOUT, DNS_SERVFAIL). */
  fail?: string;
}

export type DnsTable = Readonly<Record<string, TableEntry>>;

export class TableResolver implements SipResolver {
  private table = new Map<string, TableEntry>();
  /** Every query asked, as `TYPE name`, in order (tests count cache misses with it). */
  readonly asked: string[] = [];

  constructor(table: DnsTable = {}) {
    this.set(table);
  }

  /** Replaces the whole table (a zone change). */
  set(table: DnsTable): void {
    this.table = new Map(Object.entries(table).map(([name, entry]) => [canonicalName(name), entry]));
  }

  query<T extends DnsRecordType>(type: T, name: string): Promise<DnsAnswer<T>> {
    this.asked.push(`${type} ${canonicalName(name)}`);
    return Promise.resolve(this.answer(type, name));
  }

  private answer<T extends DnsRecordType>(type: T, name: string): DnsAnswer<T> {
    const entry = this.table.get(canonicalName(name));
    if (entry === undefined) return ok([]);
    if (entry.fail !== undefined) return failure(entry.fail, `dns: ${type} ${name}: ${entry.fail} (table)`);
    const ttlS = entry.ttlS ?? 300;
    const records: Array<DnsRecordMap[DnsRecordType]> =
      type === 'SRV' ? (entry.SRV ?? []).map((r) => ({ ...r, ttlS: r.ttlS ?? ttlS })) : (entry[type as 'A' | 'AAAA'] ?? []).map((address) => ({ address, ttlS }));
    return ok(records as unknown as ReadonlyArray<DnsRecordMap[T]>);
  }
}
