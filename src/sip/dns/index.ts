// RFC 3263 server location and fail-over for SIP lines (KX-UT670 4.6.2.7, 5.8.2).
export type { AddressRecord, DnsAnswer, DnsQuery, DnsRecordMap, DnsRecordType, SipResolver, SrvRecord } from './types.js';
export { canonicalName, queryKey } from './types.js';
export { NodeSipResolver, type NodeResolverOptions } from './node-resolver.js';
export { CachingResolver, type DnsCacheOptions } from './cache.js';
export { TableResolver, type DnsTable, type TableEntry } from './table-resolver.js';
export { orderSrv, type RandomSource } from './srv-order.js';
export { selectTargets, srvName, validDomainName, type AddressFamily, type DnsAnswers, type SelectStep, type SrvSettings, type TargetSpec } from './select.js';
export { locateTargets } from './locate.js';
export { FailoverTargets, secondarySpec, type FailReason, type FailoverOptions, type FailoverSettings, type FailoverSpec } from './failover.js';
export { lineFailoverSpec, registrationFailoverSpec, type ServerRole } from './line-targets.js';
