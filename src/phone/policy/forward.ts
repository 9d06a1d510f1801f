// Call forward by redirection: which rule applies, and the 302 that carries it. Pure.
//  - KX-UT670 4.7.2.4 / A12 9.12: unconditional, busy, no answer (after the ring time).
//  - RFC 3261 §21.3.3 / §8.1.3.4: 302 Moved Temporarily with the new target in Contact; the caller
//    (or its proxy) recurses.
//  - RFC 5806 Diversion (KX-UT670 5.8.2 SIP_ADD_DIVERSION_n: 0 none, 1 own diversion only, 2 own
//    added to the existing ones).
// DEVIATION: neither manual says how the phone forwards; both do it with 302 here (no second INVITE
// from the phone), which is what a phone behind a proxy does.
import type { LineFeatures } from './line-features.js';

export type DiversionReason = 'unconditional' | 'user-busy' | 'no-answer' | 'do-not-disturb';

export interface ForwardDecision {
  readonly number: string;
  readonly reason: DiversionReason;
}

/** The forward that applies now (unconditional first, then busy), or undefined. */
export function forwardNow(features: LineFeatures, busy: boolean): ForwardDecision | undefined {
  if (features.forwardAlways.enabled && features.forwardAlways.number !== '') return { number: features.forwardAlways.number, reason: 'unconditional' };
  if (busy && features.forwardBusy.enabled && features.forwardBusy.number !== '') return { number: features.forwardBusy.number, reason: 'user-busy' };
  return undefined;
}

/** The forward on no answer and its delay in ms, or undefined. */
export function forwardOnNoAnswer(features: LineFeatures): (ForwardDecision & { readonly delayMs: number }) | undefined {
  const f = features.forwardNoAnswer;
  if (!f.enabled || f.number === '') return undefined;
  return { number: f.number, reason: 'no-answer', delayMs: Math.max(0, f.delayS) * 1000 };
}

/**
 * Headers of the 302: Contact with the new target, and the Diversion chain per `mode` (0, 1, 2).
 * `ownUri` is the diverting line's address-of-record; `existing` the INVITE's Diversion values.
 */
export function redirectHeaders(target: string, ownUri: string, reason: DiversionReason, mode: number, existing: readonly string[]): Array<[string, string]> {
  const headers: Array<[string, string]> = [['Contact', `<${target}>`]];
  if (mode === 0 || ownUri === '') return headers;
  // RFC 5806 §4: the newest diversion comes first; counter counts the diversions by this hop.
  headers.push(['Diversion', `<${ownUri}>;reason=${reason};counter=1`]);
  if (mode === 2) for (const d of existing) headers.push(['Diversion', d]);
  return headers;
}

/** RFC 5806 §3: the newest Diversion of an INVITE (the first value): who diverted it and why. */
export function diversionOf(values: readonly string[]): { readonly uri: string; readonly reason: string } | undefined {
  const first = values[0]?.split(/,(?=\s*(?:"[^"]*"\s*)?<)/)[0];
  const uri = first === undefined ? undefined : /<([^>]+)>/.exec(first)?.[1];
  if (first === undefined || uri === undefined) return undefined;
  const reason = /;\s*reason\s*=\s*"?([A-Za-z-]+)/i.exec(first.slice(first.indexOf('>')))?.[1] ?? 'unknown';
  return { uri, reason: reason.toLowerCase() };
}
