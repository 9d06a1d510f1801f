// A TTL cache in front of any SipResolver, on the injected Clock: positive answers live for the
// smallest TTL among their records (RFC 1035 §3.2.1, RFC 2181 §5.2), negative answers (NXDOMAIN,
// no data) for a fixed negative TTL (RFC 2308 §5; node:dns does not pass the SOA minimum), and
// failures (timeouts, SERVFAIL) are not cached. Concurrent identical queries share one lookup.
import type { Clock } from '../../core/clock.js';
import { queryKey, type DnsAnswer, type DnsRecordType, type SipResolver } from './types.js';

export interface DnsCacheOptions {
  readonly clock: Clock;
  /** TTL for SRV answers whose records carry none (node:dns); default 60 s. */
  readonly srvTtlS?: number;
  /** TTL of negative answers; default 30 s. */
  readonly negativeTtlS?: number;
  /** Upper bound of any TTL; default 86,400 s (one day, RFC 8767 §4's suggested cap). */
  readonly maxTtlS?: number;
  /** Entries kept; expired ones go first, then the oldest; default 1000. */
  readonly maxEntries?: number;
}

interface Entry {
  readonly expiresMs: number;
  readonly answer: DnsAnswer;
}

export class CachingResolver implements SipResolver {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<DnsAnswer>>();
  private readonly srvTtlS: number;
  private readonly negativeTtlS: number;
  private readonly maxTtlS: number;
  private readonly maxEntries: number;
  private hitCount = 0;
  private missCount = 0;

  constructor(
    private readonly inner: SipResolver,
    private readonly options: DnsCacheOptions,
  ) {
    this.srvTtlS = options.srvTtlS ?? 60;
    this.negativeTtlS = options.negativeTtlS ?? 30;
    this.maxTtlS = options.maxTtlS ?? 86_400;
    this.maxEntries = options.maxEntries ?? 1000;
  }

  get stats(): { hits: number; misses: number; entries: number } {
    return { hits: this.hitCount, misses: this.missCount, entries: this.entries.size };
  }

  clear(): void {
    this.entries.clear();
  }

  query<T extends DnsRecordType>(type: T, name: string): Promise<DnsAnswer<T>> {
    const key = queryKey(type, name);
    const now = this.options.clock.now();
    const hit = this.entries.get(key);
    if (hit !== undefined && hit.expiresMs > now) {
      this.hitCount++;
      return Promise.resolve(hit.answer as DnsAnswer<T>);
    }
    if (hit !== undefined) this.entries.delete(key);
    const pending = this.inflight.get(key);
    if (pending !== undefined) return pending as Promise<DnsAnswer<T>>;
    this.missCount++;
    const lookup = this.inner.query(type, name).then((answer) => {
      this.inflight.delete(key);
      this.store(key, type, answer);
      return answer;
    });
    this.inflight.set(key, lookup as Promise<DnsAnswer>);
    return lookup;
  }

  /** Seconds an answer may be reused; 0 = not cached. */
  private ttlOf(type: DnsRecordType, answer: DnsAnswer): number {
    if (!answer.ok) return 0;
    if (answer.value.length === 0) return this.negativeTtlS;
    let ttl = Infinity;
    for (const record of answer.value) ttl = Math.min(ttl, record.ttlS ?? (type === 'SRV' ? this.srvTtlS : 0));
    return Math.min(ttl, this.maxTtlS);
  }

  private store(key: string, type: DnsRecordType, answer: DnsAnswer): void {
    const ttlS = this.ttlOf(type, answer);
    if (!(ttlS > 0)) return;
    const now = this.options.clock.now();
    if (this.entries.size >= this.maxEntries) {
      for (const [k, e] of this.entries) if (e.expiresMs <= now) this.entries.delete(k);
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    }
    this.entries.set(key, { expiresMs: now + ttlS * 1000, answer });
  }
}
