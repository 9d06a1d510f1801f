// A line's registration as a sans-IO state machine (RFC 3261 §10.2; KX-UT670 4.6.2, 5.8.2):
// events in (start, stop, targets, responses, timeouts, timers) -> actions out (resolve targets,
// send, timers, state events). RegistrationDriver runs it on a TransactionLayer and a Clock.
//
// States: unregistered -> registering -> registered (refreshed at REG_INTERVAL_RATE_n % of the
// granted expiry) ; failed{reason,status} -> retry after REG_RTX_INTVL_n (not after 403) ;
// stop() -> unregistering (USE_DEL_REG_CLOSE_n) -> unregistered.
// Edges: a 3xx is followed to its Contact (redirect.ts); 503 moves on to the next target and a
// Retry-After (503/500/480) replaces REG_RTX_INTVL_n (retry-after.ts); a refresh due on a
// fail-over target goes back to the primary first (fail-back, see failBack()).
import { randomCallId, randomBranch, randomTag, H, type SipRequest, type SipResponse } from '../message/index.js';
import { ok, type Result } from '../../core/result.js';
import { DigestClient } from '../auth/digest-client.js';
import type { Peer, TransportName } from '../transaction/transaction-layer.js';
import { followRedirect, isFollowedRedirect, settledChain, type RedirectChain } from './redirect.js';
import { retryAfterSeconds } from './retry-after.js';
import { buildRegister, grantedExpires, registerTemplate, type RegisterPurpose, type RegisterTemplate } from './register-request.js';
import type { RegistrationAction, RegistrationCause, RegistrationConfig, RegistrationFailureReason, RegistrationState, RegistrationTimer } from './types.js';

interface InFlight {
  readonly request: SipRequest;
  readonly purpose: RegisterPurpose;
}

/** How a REGISTER attempt ended when it did not succeed. */
interface Outcome {
  readonly reason: RegistrationFailureReason;
  readonly status?: number;
  readonly detail: string;
  /** The response's Retry-After, bounded (RFC 3261 §20.33). */
  readonly retryAfterS?: number;
}

export class Registration {
  private readonly template: RegisterTemplate;
  private readonly digest: DigestClient | undefined;
  private readonly callId: string;
  private readonly refreshPercent: number;
  private readonly retryIntervalS: number;
  private readonly unregisterOnStop: boolean;
  private readonly failoverEnabled: boolean;
  private readonly maxTargets: number;
  /** Timer F plus a second: how long before expiry a refresh on a fail-over target starts. */
  private readonly failbackLeadMs: number;
  private stateValue: RegistrationState = { kind: 'unregistered' };
  private cseq = 0;
  /** Seconds asked for; raised by a 423's Min-Expires (RFC 3261 §10.2.8). */
  private expiresS: number;
  private targets: readonly Peer[] = [];
  private targetIndex = 0;
  private inFlight: InFlight | undefined;
  private awaitingTargets = false;
  private started = false;
  private stopping = false;
  /** USE_DEL_REG_OPEN_n: the `Contact: *` removal is still to be done. */
  private clearPending: boolean;
  /** A 2xx bound our contact and no unregister has removed it since. */
  private bound = false;
  private out: RegistrationAction[] = [];
  private readonly lineNumber: number | undefined;
  private readonly transport: TransportName;
  /** Where 3xx answers sent the REGISTERs of this cycle (RFC 3261 §8.1.3.4); undefined when none did. */
  private redirect: RedirectChain | undefined;
  /** A refresh due on a fail-over target went back to the first target (see failBack()). */
  private failingBack = false;

  /** A Registration, or REG_BAD_URI when the configuration's URIs do not parse. */
  static create(config: RegistrationConfig): Result<Registration> {
    const template = registerTemplate(config, 'check');
    return template.ok ? ok(new Registration(config)) : template;
  }

  /**
   * Throws on a configuration whose URIs do not parse (a bug: registrationConfigFromLine and
   * Registration.create check them).
   * The configuration is not kept: the password lives only inside the DigestClient.
   */
  constructor(config: RegistrationConfig) {
    this.lineNumber = config.line;
    this.transport = config.transport ?? 'udp';
    const template = registerTemplate(config, config.fromTag ?? randomTag());
    if (!template.ok) throw new Error(template.error.message);
    this.template = template.value;
    this.digest = config.credentials === undefined ? undefined : new DigestClient(config.credentials);
    this.callId = config.callId ?? randomCallId(this.template.contact.host);
    this.expiresS = config.expiresS ?? 3600;
    this.refreshPercent = Math.min(100, Math.max(1, config.refreshPercent ?? 90));
    this.retryIntervalS = config.retryIntervalS ?? 10;
    this.unregisterOnStop = config.unregisterOnStop ?? false;
    this.clearPending = config.unregisterOnStart ?? false;
    this.failoverEnabled = config.failover?.onNoResponse ?? true;
    // SIP_FOVR_MAX_n counts the first (normal) server; without fail-over only that one is used.
    this.maxTargets = this.failoverEnabled ? Math.max(1, config.failover?.maxTargets ?? 4) : 1;
    this.failbackLeadMs = (config.timerFMs ?? 32_000) + 1000;
  }

  get state(): RegistrationState {
    return this.stateValue;
  }

  get line(): number | undefined {
    return this.lineNumber;
  }

  /** Call-ID of every REGISTER of this line (RFC 3261 §10.2: the same across refreshes). */
  get registrationCallId(): string {
    return this.callId;
  }

  /** The request awaiting its outcome, if any (diagnostics, tests). */
  get pendingRequest(): SipRequest | undefined {
    return this.inFlight?.request;
  }

  /** Begins registering (first the `Contact: *` removal when USE_DEL_REG_OPEN_n is set). */
  start(): RegistrationAction[] {
    if (this.started || this.stopping) return [];
    this.started = true;
    this.beginAttempt('start');
    return this.flush();
  }

  /** Registers again now (e.g. network change), keeping Call-ID and CSeq order. */
  refreshNow(): RegistrationAction[] {
    if (!this.started || this.stopping || this.inFlight !== undefined || this.awaitingTargets) return this.flush();
    this.cancelTimer('retry');
    this.cancelTimer('refresh');
    if (this.bound && this.targets.length > 0) this.send('register');
    else this.beginAttempt('retry');
    return this.flush();
  }

  /**
   * Stops the line: with USE_DEL_REG_CLOSE_n and a binding (or a REGISTER under way) it removes
   * our contact (Expires 0) first; `stopped` follows when that is done.
   */
  stop(): RegistrationAction[] {
    if (this.stopping) return [];
    this.stopping = true;
    this.cancelTimer('refresh');
    this.cancelTimer('retry');
    this.awaitingTargets = false;
    this.failingBack = false;
    const mayBeBound = this.bound || this.inFlight?.purpose === 'register';
    if (this.started && this.unregisterOnStop && mayBeBound && this.targets.length > 0) {
      this.setState({ kind: 'unregistering' }, 'stop');
      this.send('unregister');
    } else {
      this.finishStop();
    }
    return this.flush();
  }

  /** The targets provider's answer (ordered; the first is the normal server). */
  targetsResolved(peers: readonly Peer[]): RegistrationAction[] {
    if (!this.awaitingTargets) return [];
    this.awaitingTargets = false;
    if (peers.length === 0 && this.failingBack) {
      // No server found for the fail-back: the refresh goes where the line is registered.
      this.failingBack = false;
      this.send('register');
      return this.flush();
    }
    this.targets = peers.slice(0, this.maxTargets);
    this.targetIndex = 0;
    this.redirect = undefined;
    if (this.targets.length === 0) this.fail({ reason: 'no-target', detail: 'no registrar address' });
    else this.send(this.clearPending ? 'clear' : 'register');
    return this.flush();
  }

  /** A response to `request` (ignored unless it is the request in flight). */
  response(request: SipRequest, response: SipResponse): RegistrationAction[] {
    const current = this.inFlight;
    if (current === undefined || current.request !== request || response.status < 200) return [];
    this.inFlight = undefined;
    const status = response.status;
    if (status < 300) this.succeeded(current.purpose, response);
    else if (status === 401 || status === 407) this.challenged(current, response);
    else if (isFollowedRedirect(status) && current.purpose !== 'unregister') this.redirected(current.purpose, response);
    else if (status === 423 && current.purpose === 'register') this.intervalTooBrief(response);
    else this.errorResponse(current.purpose, response);
    return this.flush();
  }

  /** Timer F fired for `request` (RFC 3261 §8.1.3.1: as a 408). */
  timeout(request: SipRequest): RegistrationAction[] {
    return this.lost(request, { reason: 'timeout', detail: 'no response from the registrar' });
  }

  /** The transport failed for `request` (RFC 3261 §8.1.3.1: as a 503). */
  transportError(request: SipRequest): RegistrationAction[] {
    return this.lost(request, { reason: 'transport-error', detail: 'transport error' });
  }

  timerFired(timer: RegistrationTimer): RegistrationAction[] {
    if (this.stopping || this.inFlight !== undefined || this.awaitingTargets) return [];
    if (timer === 'refresh' && this.stateValue.kind === 'registered') {
      if (this.targetIndex > 0) this.failBack();
      else this.send('register');
    } else if (timer === 'retry' && this.stateValue.kind === 'failed') this.beginAttempt('retry');
    return this.flush();
  }

  // -- outcomes ------------------------------------------------------------------------------

  /**
   * Ends an unregister (stop) or a `Contact: *` removal (then registers) whatever the outcome;
   * true when `purpose` was one of them.
   * DEVIATION: a refused `Contact: *` removal does not stop the line; it registers anyway.
   */
  private endedAuxiliary(purpose: RegisterPurpose): boolean {
    if (purpose === 'unregister') this.finishStop();
    else if (purpose === 'clear') {
      this.clearPending = false;
      this.send('register');
    }
    return purpose !== 'register';
  }

  private succeeded(purpose: RegisterPurpose, response: SipResponse): void {
    if (this.endedAuxiliary(purpose)) return;
    const granted = grantedExpires(response, this.template.contact, this.expiresS);
    if (granted <= 0) {
      this.fail({ reason: 'rejected', status: response.status, detail: 'the registrar granted no time to our contact' });
      return;
    }
    const cause: RegistrationCause = this.failingBack ? 'failback' : this.bound && this.stateValue.kind === 'registered' ? 'refreshed' : 'registered';
    this.bound = true;
    this.failingBack = false;
    const redirect = this.redirect === undefined ? undefined : (this.redirect = settledChain(this.redirect));
    const target = this.target();
    this.setState(
      redirect === undefined ? { kind: 'registered', expiresS: granted, target } : { kind: 'registered', expiresS: granted, target, detail: redirect.detail },
      cause,
      target,
    );
    // KX-UT670 5.8.2 REG_INTERVAL_RATE_n: refresh at this percentage of the granted expiry.
    let delayMs = (granted * 1000 * this.refreshPercent) / 100;
    // On a fail-over target the refresh first waits up to Timer F for the primary (failBack()):
    // it starts early enough for this binding to outlive that wait (not before half the delay).
    if (this.targetIndex > 0 && granted * 1000 - this.failbackLeadMs < delayMs) delayMs = Math.max(granted * 1000 - this.failbackLeadMs, delayMs / 2);
    this.setTimer('refresh', delayMs);
  }

  private challenged(current: InFlight, response: SipResponse): void {
    if (this.digest === undefined) {
      this.refused(current.purpose, response.status, `${response.reason} (no credentials configured)`, 'auth-unsupported');
      return;
    }
    const next = this.digest.authorize(current.request, response);
    if (!next.ok) {
      const reason = next.error.code === 'AUTH_REJECTED' ? 'auth-rejected' : 'auth-unsupported';
      this.refused(current.purpose, response.status, next.error.message, reason);
      return;
    }
    this.cseq = next.value.cseq.seq;
    this.dispatch({ request: next.value, purpose: current.purpose });
  }

  /** RFC 3261 §10.2.8 / §10.3 step 7: retry with the registrar's Min-Expires. */
  private intervalTooBrief(response: SipResponse): void {
    const min = response.value(H.MinExpires);
    if (min === undefined || min <= this.expiresS) {
      this.fail({ reason: 'interval-too-brief', status: 423, detail: `423 with ${min === undefined ? 'no' : `an unusable (${min})`} Min-Expires` });
      return;
    }
    this.expiresS = min;
    this.send('register');
  }

  /** RFC 3261 §8.1.3.4: the same REGISTER (next CSeq) goes to the 3xx's Contact. */
  private redirected(purpose: RegisterPurpose, response: SipResponse): void {
    const next = followRedirect(this.redirect, this.target(), response, this.transport);
    if (!next.ok) {
      this.refused(purpose, response.status, next.error.message.replace(/^registration: /, ''), 'redirect');
      return;
    }
    this.redirect = next.value;
    if (this.stateValue.kind !== 'registered') this.setState({ kind: 'registering', detail: next.value.detail }, 'redirect', next.value.peer);
    this.send(purpose);
  }

  /**
   * RFC 3263 §4.3: 503 moves on to the next server at once. RFC 3261 §21.5.4 / §20.33: a
   * Retry-After (also honoured on 500 and 480, §21.5.1 / §21.4.18) replaces REG_RTX_INTVL_n once
   * no server is left.
   */
  private errorResponse(purpose: RegisterPurpose, response: SipResponse): void {
    const status = response.status;
    const retryAfterS = status === 503 || status === 500 || status === 480 ? retryAfterSeconds(response.headers.get('Retry-After')) : undefined;
    const detail = `${status} ${response.reason}`;
    if (status === 503) this.noAnswer(purpose, { reason: 'unavailable', status, detail, retryAfterS });
    else if (retryAfterS !== undefined) this.refused(purpose, status, detail, 'unavailable', retryAfterS);
    else this.refused(purpose, status, response.reason);
  }

  private refused(purpose: RegisterPurpose, status: number, detail: string, reason?: RegistrationFailureReason, retryAfterS?: number): void {
    if (this.endedAuxiliary(purpose)) return;
    // Fail-back: a primary that refuses leaves the line with the server it is registered on.
    if (this.failingBack && this.nextTarget(purpose)) return;
    this.fail({ reason: reason ?? (status === 403 ? 'forbidden' : 'rejected'), status, detail, retryAfterS });
  }

  private lost(request: SipRequest, outcome: Outcome): RegistrationAction[] {
    const current = this.inFlight;
    if (current === undefined || current.request !== request) return [];
    this.inFlight = undefined;
    this.noAnswer(current.purpose, outcome);
    return this.flush();
  }

  /**
   * No answer, or 503: KX-UT670 5.8.2 SIP_FOVR_NORSP_n moves on to the next server (DNS SRV / A
   * order, at most SIP_FOVR_MAX_n of them, RFC 3263 §4.3); after the last one the attempt failed.
   */
  private noAnswer(purpose: RegisterPurpose, outcome: Outcome): void {
    if (purpose === 'unregister') {
      this.finishStop();
      return;
    }
    if (!this.nextTarget(purpose)) this.fail(outcome);
  }

  /** Sends `purpose` to the next target of the list (leaving any redirect); false when none is left. */
  private nextTarget(purpose: RegisterPurpose): boolean {
    this.redirect = undefined;
    this.failingBack = false;
    if (!this.failoverEnabled || this.targetIndex + 1 >= this.targets.length) return false;
    this.targetIndex++;
    const target = this.targets[this.targetIndex]!;
    if (this.stateValue.kind !== 'registered') this.setState({ kind: 'registering' }, 'failover', target);
    this.send(purpose);
    return true;
  }

  /**
   * Fail-back to the primary. The KX-UT670 manual (5.8.2 SIP_FOVR_NORSP_n, SIP_FOVR_MAX_n,
   * SIP_2NDRGSTR_ADDR_n) says nothing about returning to the first [normal] server; our rule (also
   * src/sip/dns/failover.ts): a refresh due on a fail-over target starts a new cycle (the targets
   * are asked for again) at the first target, the line staying `registered` meanwhile. A primary
   * that answers takes the binding (cause `failback`); one that still does not answer (Timer F) or
   * refuses passes the refresh on to the next targets as a fail-over does. The binding on the
   * secondary is left to expire, not removed: a registrar pair sharing one location database would
   * otherwise lose the binding just made on the primary.
   */
  private failBack(): void {
    this.failingBack = true;
    this.awaitingTargets = true;
    this.emit({ kind: 'resolve-targets' });
  }

  // -- helpers -------------------------------------------------------------------------------

  private beginAttempt(cause: RegistrationCause): void {
    this.setState({ kind: 'registering' }, cause);
    this.awaitingTargets = true;
    this.emit({ kind: 'resolve-targets' });
  }

  private fail(outcome: Outcome): void {
    this.cancelTimer('refresh');
    this.failingBack = false;
    const { retryAfterS, ...failure } = outcome;
    // KX-UT670 5.8.2 REG_RTX_INTVL_n: "Transmissions will not be sent when 403 Forbidden occurred."
    if (failure.reason === 'forbidden') {
      this.setState({ kind: 'failed', ...failure }, 'failed');
      return;
    }
    // RFC 3261 §21.5.4: the server's Retry-After, else the line's retry interval.
    const retryInS = retryAfterS ?? this.retryIntervalS;
    this.setState({ kind: 'failed', ...failure, detail: `${failure.detail}, retry in ${retryInS} s`, retryInS }, 'failed');
    this.setTimer('retry', retryInS * 1000);
  }

  private finishStop(): void {
    this.inFlight = undefined;
    this.bound = false;
    if (this.stateValue.kind !== 'unregistered') this.setState({ kind: 'unregistered' }, 'unregistered');
    this.emit({ kind: 'stopped' });
  }

  private send(purpose: RegisterPurpose): void {
    this.cseq++;
    const uri = this.redirect?.uri;
    let request = buildRegister(this.template, { purpose, expiresS: this.expiresS, callId: this.callId, cseq: this.cseq, branch: randomBranch(), uri });
    if (this.digest !== undefined) request = this.digest.preauthorize(request);
    this.dispatch({ request, purpose });
  }

  private dispatch(flight: InFlight): void {
    this.inFlight = flight;
    this.emit({ kind: 'send', request: flight.request, target: this.target() });
  }

  /** Where the REGISTER goes: the redirect's server, else the current target of the list. */
  private target(): Peer {
    return this.redirect?.peer ?? this.targets[this.targetIndex]!;
  }

  private setState(state: RegistrationState, cause: RegistrationCause, target?: Peer): void {
    this.stateValue = state;
    const line = this.lineNumber;
    this.emit({ kind: 'event', event: { ...(line === undefined ? {} : { line }), state, cause, ...(target === undefined ? {} : { target }) } });
  }

  private setTimer(timer: RegistrationTimer, delayMs: number): void {
    this.emit({ kind: 'set-timer', timer, delayMs });
  }

  private cancelTimer(timer: RegistrationTimer): void {
    this.emit({ kind: 'cancel-timer', timer });
  }

  private emit(action: RegistrationAction): void {
    this.out.push(action);
  }

  private flush(): RegistrationAction[] {
    const actions = this.out;
    this.out = [];
    return actions;
  }
}
