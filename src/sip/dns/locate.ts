// Drives the sans-IO selection (select.ts) with a resolver: asks the queries each step names, in
// parallel, until the step is done. RFC 3263 §4.2 needs at most two rounds (SRV, then the
// targets' A/AAAA records).
import { failure, type Result } from '../../core/result.js';
import type { Peer } from '../transaction/transaction-layer.js';
import { selectTargets, type TargetSpec } from './select.js';
import type { RandomSource } from './srv-order.js';
import { queryKey, type DnsAnswer, type SipResolver } from './types.js';

const MAX_ROUNDS = 4;

/** The ordered Peers to try for `spec` (RFC 3263 §4.2/§4.3); never rejects. */
export async function locateTargets(spec: TargetSpec, resolver: SipResolver, random: RandomSource = Math.random): Promise<Result<Peer[]>> {
  const answers = new Map<string, DnsAnswer>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const step = selectTargets(spec, answers, random);
    if (step.kind === 'done') return step.result;
    const results = await Promise.all(step.queries.map((q) => resolver.query(q.type, q.name)));
    step.queries.forEach((q, i) => answers.set(queryKey(q.type, q.name), results[i]!));
  }
  return failure('DNS_INTERNAL', `dns: selection for '${spec.host}' did not settle in ${MAX_ROUNDS} rounds`);
}
