// Fail-over across a SIP server's targets (RFC 3263 §4.3; KX-UT670 5.8.2 SIP_FOVR_NORSP_n,
// SIP_FOVR_MAX_n, SIP_2NDRGSTR_ADDR_n/PORT_n, SIP_2NDPROXY_ADDR_n/PORT_n). A registration (or
// request) driver asks for the ordered targets, sends to `current()`, and reports the outcome:
// `fail(reason)` moves to the next target, `succeeded()` remembers the one that answered.
//
// The targets are: the primary server's RFC 3263 list (several SRV targets and addresses for a
// domain name), then the secondary server — which the manual allows only when the primary is
// written as an IP address ("This setting is available only when SIP_RGSTR_ADDR_n is specified
// in IP address notation") — at most SIP_FOVR_MAX_n of them ("the maximum number of servers
// (including the first [normal] server) used in the fail-over process"), counted as Peers.
//
// SIP_FOVR_NORSP_n = N: "the unit will not try to use the other SIP servers", so only the first
// target is ever used, whatever the failure (timeout, 503 or transport error).
//
// Going back to the primary: the manual says nothing. Our rule: the line stays on the target that
// answered until the driver starts a new cycle, and every cycle (`restart()` / `targets()`)
// re-resolves DNS (cache TTLs honoured) and starts again from the first, primary target. The
// intended cycle points are the next registration refresh and each retry after every target
// failed, so a primary that is back is used again at the next refresh, and one still down costs
// that refresh one transaction timeout (Timer F) before the secondary, well within the
// registration's remaining lifetime (REG_INTERVAL_RATE_n < 100 %).
// src/sip/registration (RegistrationDriver) calls `targets()` on start, on each retry, and on a
// refresh due while registered on a non-first target: that refresh goes to the primary first
// (fail-back, Registration.failBack; test/sip/registration-edges.test.ts,
// test/interop/registration-edges-sipp.test.ts).
//
// RegistrationDriver walks the list itself (its `targets` hook takes `() => failover.targets()`);
// `current()` / `fail()` / `succeeded()` serve drivers that do not (e.g. out-of-dialog requests
// to the proxy).
import { failure, ok, type Failure, type Result } from '../../core/result.js';
import type { Peer } from '../transaction/transaction-layer.js';
import { ipFamily } from '../transport/address.js';
import { locateTargets } from './locate.js';
import type { TargetSpec } from './select.js';
import type { RandomSource } from './srv-order.js';
import type { SipResolver } from './types.js';

/** Why the current target failed: Timer B/F, a 503 response, or a transport error (RFC 3263 §4.3). */
export type FailReason = 'timeout' | 'service-unavailable' | 'transport-error';

export interface FailoverSettings {
  /** SIP_FOVR_NORSP_n. */
  readonly onNoResponse: boolean;
  /** SIP_FOVR_MAX_n (1–4 on the KX-UT670); values below 1 count as 1. */
  readonly maxTargets: number;
}

export interface FailoverSpec {
  readonly primary: TargetSpec;
  /** SIP_2NDRGSTR_ADDR_n/PORT_n or SIP_2NDPROXY_ADDR_n/PORT_n; empty host = none. */
  readonly secondary?: { readonly host: string; readonly port: number };
  readonly failover: FailoverSettings;
}

export interface FailoverOptions {
  readonly resolver: SipResolver;
  /** RFC 2782 weighted draws; default Math.random. */
  readonly random?: RandomSource;
}

/** The secondary server's spec, when the manual's condition holds (primary is an IP literal). */
export function secondarySpec(spec: FailoverSpec): TargetSpec | undefined {
  const secondary = spec.secondary;
  if (secondary === undefined || secondary.host.trim() === '' || ipFamily(spec.primary.host.trim()) === 0) return undefined;
  // The secondary has its own port and no SRV (its value range is "IP address in dotted-decimal notation").
  return { host: secondary.host, port: secondary.port, transport: spec.primary.transport, families: spec.primary.families };
}

export class FailoverTargets {
  private list: Peer[] = [];
  private index = 0;
  private answered: Peer | undefined;
  private lastFailure: Failure | undefined;
  private reason: FailReason | undefined;

  constructor(
    private spec: FailoverSpec,
    private readonly options: FailoverOptions,
  ) {}

  /** New settings; they apply from the next cycle. */
  update(spec: FailoverSpec): void {
    this.spec = spec;
  }

  /**
   * Starts a cycle: resolves the targets afresh and points at the first (primary) one. Fails when
   * no target could be found (DNS_* codes from select.ts; `lastError` keeps it).
   */
  async restart(): Promise<Result<Peer[]>> {
    const { resolver, random } = this.options;
    const primary = await locateTargets(this.spec.primary, resolver, random);
    const peers = primary.ok ? [...primary.value] : [];
    const secondary = secondarySpec(this.spec);
    if (secondary !== undefined) {
      const more = await locateTargets(secondary, resolver, random);
      if (more.ok) for (const p of more.value) if (!peers.some((q) => samePeer(p, q))) peers.push(p);
    }
    const { onNoResponse, maxTargets } = this.spec.failover;
    this.list = peers.slice(0, onNoResponse ? Math.max(1, Math.floor(maxTargets)) : 1);
    this.index = 0;
    this.answered = undefined;
    this.reason = undefined;
    if (this.list.length > 0) {
      this.lastFailure = undefined;
      return ok([...this.list]);
    }
    this.lastFailure = primary.ok ? { code: 'DNS_NO_ADDRESS', message: `dns: no target for '${this.spec.primary.host}'` } : primary.error;
    return failure(this.lastFailure.code, this.lastFailure.message);
  }

  /** `restart()` for a driver's provider hook: the ordered targets of the new cycle, [] when none. */
  async targets(): Promise<Peer[]> {
    const result = await this.restart();
    return result.ok ? result.value : [];
  }

  /** The target to use now; undefined before a cycle or after every target failed. */
  current(): Peer | undefined {
    return this.list[this.index];
  }

  /** The current target failed; returns the next one, or undefined when none is left (SIP_FOVR_*). */
  fail(reason: FailReason): Peer | undefined {
    // Every §4.3 reason moves on; SIP_FOVR_NORSP_n = N already left a single target.
    this.reason = reason;
    if (this.index < this.list.length) this.index++;
    return this.current();
  }

  /** The current target answered: the line stays on it until the next cycle. */
  succeeded(): void {
    this.answered = this.current();
  }

  /** The target that last answered in this cycle. */
  get active(): Peer | undefined {
    return this.answered;
  }

  /** Index of the current target in this cycle's list (0 = primary); the list length when exhausted. */
  get position(): number {
    return this.index;
  }

  get exhausted(): boolean {
    return this.index >= this.list.length;
  }

  /** This cycle's targets. */
  get all(): readonly Peer[] {
    return this.list;
  }

  /** Why the last target was given up (diagnostics). */
  get lastFailReason(): FailReason | undefined {
    return this.reason;
  }

  /** Why the last cycle found no target. */
  get lastError(): Failure | undefined {
    return this.lastFailure;
  }
}

function samePeer(a: Peer, b: Peer): boolean {
  return a.address === b.address && a.port === b.port && a.transport === b.transport;
}
