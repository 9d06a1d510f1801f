// The subscriber side of SIP-specific event notification (RFC 6665 §4.1): an initial SUBSCRIBE,
// the dialog created by its 2xx or by a NOTIFY that overtakes it (§4.1.2.4, §4.4.1), refreshes
// at SUB_INTERVAL_RATE_n percent of the granted expiry, new attempts every SUB_RTX_INTVL_n
// seconds after a failure, Subscription-State handling (§4.1.3) and unsubscribing (§4.1.2.3).
// Challenges (401/407) are answered with the line's DigestClient (UserAgentOptions.digest).
import type { Timer } from '../../core/clock.js';
import { Emitter } from '../../core/events.js';
import { createRequest, H, randomBranch, randomCallId, randomTag, type SipRequest, type SipResponse, type SubscriptionState } from '../message/index.js';
import { Dialog } from '../dialog/dialog.js';
import type { Peer, ServerTransaction } from '../transaction/transaction-layer.js';
import type { SessionContext } from '../ua/session-context.js';
import { answer, send, sendInDialog, type UsageHost } from './usage.js';

/** KX-UT670 5.8.2 subscription settings of a line. */
export interface SubscriberTimers {
  /** SIP_SUBS_EXPIRE_n: the Expires of a SUBSCRIBE, seconds (1-4294967295, default 3600). */
  readonly expiresS: number;
  /** SUB_INTERVAL_RATE_n: refresh after this percentage of the granted expiry (1-100, default 90). */
  readonly refreshPercent: number;
  /** SUB_RTX_INTVL_n: seconds between attempts after a failure (10-86400, default 10). */
  readonly retryIntervalS: number;
}

export const KX_UT670_SUBSCRIBER_DEFAULTS: SubscriberTimers = { expiresS: 3600, refreshPercent: 90, retryIntervalS: 10 };

export type SubscriberState =
  /** SUBSCRIBE sent, no NOTIFY yet. */
  | 'subscribing'
  | 'pending'
  | 'active'
  /** Failed or ended by the notifier; a new attempt is scheduled. */
  | 'waiting'
  /** Unsubscribe sent, waiting for the final NOTIFY. */
  | 'unsubscribing'
  /** Over for good (unsubscribed, 403, or a reason that forbids retrying). */
  | 'terminated';

export interface SubscriberEvents extends Record<string, unknown> {
  state: SubscriberState;
  /** A NOTIFY of this subscription (already answered 200). */
  notify: { readonly subscriptionState: SubscriptionState; readonly body: Buffer; readonly contentType: string | undefined; readonly request: SipRequest };
  /** A SUBSCRIBE failed (status 408 for a timeout, 503 for a transport error); `retryInS` when another attempt follows. */
  failed: { readonly status: number; readonly refresh: boolean; readonly retryInS: number | undefined };
  /** The subscription ended; `retryInS` when a new one follows. */
  terminated: { readonly reason: string | undefined; readonly retryInS: number | undefined };
}

export interface SubscriberOptions {
  readonly host: UsageHost;
  /** Event package, e.g. 'message-summary', 'dialog' (RFC 6665 §8.2.1), with `;id=` if wanted. */
  readonly event: string;
  readonly accept: readonly string[];
  /** Request-URI and To: the resource (voicemail account, monitored extension). */
  readonly target: string;
  /** Our address-of-record for From (without tag). */
  readonly from: string;
  /** To header; default `<target>`. */
  readonly to?: string;
  /** Where requests go (registrar/proxy or the notifier). */
  readonly peer: Peer;
  readonly timers?: Partial<SubscriberTimers>;
  /** Option tags for a Supported header on every SUBSCRIBE, refreshes included (RFC 4662 §4.1: eventlist). */
  readonly supported?: readonly string[];
  /** Extra headers on the initial SUBSCRIBE (Route for an outbound proxy with a pre-loaded route...). */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
}

/** RFC 6665 §4.1.2.2: a refresh failing with one of these ends the subscription. */
const REFRESH_FATAL = new Set([404, 405, 408, 410, 416, 480, 481, 482, 483, 484, 485, 489, 501, 604]);
/** RFC 6665 §4.1.3: reasons after which the subscriber should not retry. */
const NO_RETRY = new Set(['rejected', 'noresource', 'invariant']);
/** RFC 6665 §4.1.3: reasons after which it retries at once. */
const RETRY_NOW = new Set(['deactivated', 'timeout']);

export class Subscriber {
  readonly events = new Emitter<SubscriberEvents>();
  state: SubscriberState = 'subscribing';
  dialog: Dialog | undefined;
  /** Seconds granted by the last 2xx or NOTIFY. */
  grantedS: number | undefined;
  private readonly ctx: SessionContext;
  private readonly timers: SubscriberTimers;
  private readonly eventType: string;
  private readonly eventId: string | undefined;
  private expiresS: number;
  /** Out-of-dialog request state of the current attempt. */
  private callId = '';
  private localTag = '';
  private cseq = 0;
  /** Increments with each initial SUBSCRIBE; responses and timers of older attempts are ignored. */
  private attempt = 0;
  private unregister: Array<() => void> = [];
  private refreshTimer: Timer | undefined;
  private expiryTimer: Timer | undefined;
  private notifyGuard: Timer | undefined;
  private retryTimer: Timer | undefined;
  private notified = false;

  constructor(private readonly options: SubscriberOptions) {
    this.ctx = options.host.context;
    this.timers = { ...KX_UT670_SUBSCRIBER_DEFAULTS, ...options.timers };
    this.expiresS = this.timers.expiresS;
    const semi = options.event.indexOf(';');
    this.eventType = (semi < 0 ? options.event : options.event.slice(0, semi)).trim();
    this.eventId = /;\s*id\s*=\s*([^;\s]+)/i.exec(options.event)?.[1];
  }

  /** Sends the initial SUBSCRIBE. */
  start(): this {
    this.subscribe();
    return this;
  }

  /**
   * RFC 6665 §4.1.2.3: SUBSCRIBE with Expires: 0; ends once the final NOTIFY (or a failure) comes.
   * While the initial SUBSCRIBE is still unanswered, the unsubscribe waits for its dialog.
   */
  unsubscribe(): void {
    if (this.state === 'terminated' || this.state === 'unsubscribing') return;
    const inFlight = this.state === 'subscribing' && !this.dialog;
    this.clearTimers();
    if (!this.dialog && !inFlight) return this.finish(undefined);
    this.setState('unsubscribing');
    if (this.dialog) this.sendInDialogSubscribe(0);
    // The final NOTIFY may never come: give up after 64*T1 (RFC 6665 §4.1.2.4 timing).
    this.notifyGuard = this.ctx.clock.setTimer(64 * this.ctx.timers.t1Ms, () => this.finish(undefined), 'sip unsubscribe guard');
  }

  /** Refreshes now (e.g. to get a full state after a missed partial one, RFC 4235 §4.1.2), or retries at once while waiting. */
  refreshNow(): void {
    if (this.state === 'waiting') return this.subscribe();
    this.refreshTimer?.cancel();
    this.refresh();
  }

  // Sending ------------------------------------------------------------------------------------

  private subscribe(): void {
    this.attempt += 1;
    this.dropDialog();
    this.callId = randomCallId();
    this.localTag = randomTag();
    this.cseq = 0;
    this.notified = false;
    this.setState('subscribing');
    // Accept NOTIFYs from any remote tag until a dialog exists (RFC 6665 §4.1.2.4).
    this.unregister.push(this.options.host.registerDialogUsage({ callId: this.callId, localTag: this.localTag }, { receiveRequest: (r, tx) => this.receive(r, tx) }));
    this.sendInitial();
  }

  private sendInitial(): void {
    const attempt = this.attempt;
    this.cseq += 1;
    const request = createRequest({
      method: 'SUBSCRIBE',
      uri: this.options.target,
      via: this.ctx.via(randomBranch(), this.options.peer),
      from: `${this.options.from};tag=${this.localTag}`,
      to: this.options.to ?? `<${this.options.target}>`,
      callId: this.callId,
      cseq: this.cseq,
      contact: this.ctx.contact,
      headers: [...this.subscribeHeaders(this.expiresS), ...(this.options.headers ?? []), ...this.ctx.commonHeaders],
    });
    send(
      this.ctx,
      request,
      this.options.peer,
      (status, response, sent) => {
        if (attempt === this.attempt) this.onInitialResponse(sent, status, response);
      },
      (next) => (this.cseq = next.cseq.seq),
    );
  }

  private sendInDialogSubscribe(expiresS: number): void {
    const dialog = this.dialog!;
    const attempt = this.attempt;
    sendInDialog(this.ctx, dialog, this.options.peer, 'SUBSCRIBE', { headers: this.subscribeHeaders(expiresS) }, (status, response, sent) => {
      if (attempt !== this.attempt) return;
      if (status >= 300 || !response) return this.onRefreshFailure(status, expiresS);
      dialog.receiveResponse(sent, response);
      if (expiresS > 0) this.granted(response.value(H.Expires) ?? expiresS);
    });
  }

  private subscribeHeaders(expiresS: number): Array<readonly [string, string]> {
    return [
      ['Event', this.options.event],
      // RFC 6665 §4.1.2: no Accept means the package's default body type (call-info has no body).
      ...(this.options.accept.length > 0 ? [['Accept', this.options.accept.join(', ')] as const] : []),
      ['Expires', String(expiresS)],
      ...(this.options.supported?.length ? [['Supported', this.options.supported.join(', ')] as const] : []),
    ];
  }

  // Responses -----------------------------------------------------------------------------------

  private onInitialResponse(request: SipRequest, status: number, response: SipResponse | undefined): void {    if (status === 423 && response) {
      // RFC 6665 §4.1.2.1 / RFC 3261 §10.3: Interval Too Brief, retry with Min-Expires.
      const min = response.value(H.MinExpires);
      if (min !== undefined && min > this.expiresS) {
        this.expiresS = min;
        return this.sendInitial();
      }
    }
    if (status >= 300) return this.onFailure(status, false);
    if (this.state === 'terminated' || this.state === 'waiting') return; // a terminating NOTIFY overtook the 2xx
    if (!this.dialog) {
      const dialog = Dialog.fromUac(request, response!);
      if (!dialog) return this.onFailure(status, false);
      this.adopt(dialog);
    } else if (this.dialog.remoteTag === response!.to.tag) {
      this.dialog.receiveResponse(request, response!);
    }
    if (this.state === 'unsubscribing') return; // adopt() sent the unsubscribe
    this.granted(response!.value(H.Expires) ?? this.expiresS);
    if (!this.notified) {
      // RFC 6665 §4.1.2.4: a 2xx without NOTIFY within 64*T1: the subscription did not happen.
      this.notifyGuard = this.ctx.clock.setTimer(64 * this.ctx.timers.t1Ms, () => this.onFailure(408, false), 'sip subscribe notify guard');
    }
  }

  private onRefreshFailure(status: number, expiresS: number): void {
    if (expiresS === 0) return this.finish(undefined);
    if (REFRESH_FATAL.has(status)) return this.onFailure(status, true);
    // RFC 6665 §4.1.2.2: other errors leave the subscription valid until it expires; try again.
    const retry = this.timers.retryIntervalS;
    this.events.emit('failed', { status, refresh: true, retryInS: retry });
    this.refreshTimer?.cancel();
    this.refreshTimer = this.ctx.clock.setTimer(retry * 1000, () => this.refresh(), 'sip subscribe refresh retry');
  }

  /** A failed attempt: KX-UT670 5.8.2 SUB_RTX_INTVL_n, except after 403 Forbidden. */
  private onFailure(status: number, refresh: boolean): void {
    this.dropDialog();
    if (this.state === 'unsubscribing') return this.finish(undefined);
    if (status === 403) {
      this.events.emit('failed', { status, refresh, retryInS: undefined });
      return this.finish('forbidden');
    }
    const retry = this.timers.retryIntervalS;
    this.events.emit('failed', { status, refresh, retryInS: retry });
    this.scheduleRetry(retry);
  }

  private granted(expiresS: number): void {
    this.grantedS = expiresS;
    this.refreshTimer?.cancel();
    this.expiryTimer?.cancel();
    if (expiresS === 0) return;
    const at = Math.max(1, Math.floor((expiresS * 1000 * this.timers.refreshPercent) / 100));
    this.refreshTimer = this.ctx.clock.setTimer(at, () => this.refresh(), 'sip subscribe refresh');
    this.expiryTimer = this.ctx.clock.setTimer(expiresS * 1000, () => this.expired(), 'sip subscription expiry');
  }

  private refresh(): void {
    this.refreshTimer = undefined;
    if (!this.dialog || (this.state !== 'active' && this.state !== 'pending' && this.state !== 'subscribing')) return;
    this.sendInDialogSubscribe(this.expiresS);
  }

  private expired(): void {
    // RFC 6665 §4.1.2.2: no successful refresh before the expiry: the subscription is over.
    this.dropDialog();
    this.events.emit('terminated', { reason: 'timeout', retryInS: 0 });
    this.subscribe();
  }

  // NOTIFY ---------------------------------------------------------------------------------------

  private receive(request: SipRequest, tx: ServerTransaction): boolean {
    if (request.method !== 'NOTIFY') return false;
    const event = request.value(H.Event);
    if (!event || event.value.toLowerCase() !== this.eventType.toLowerCase() || event.id !== this.eventId) return false;
    if (this.dialog && request.from.tag !== this.dialog.remoteTag) return false; // another fork: 481 (§4.1.2.4)
    const state = request.typed(H.SubscriptionState);
    if (!state || !state.ok) {
      answer(this.ctx, tx, 400);
      return true;
    }
    if (!this.dialog) {
      // RFC 6665 §4.4.1: a NOTIFY that arrives before the 2xx creates the dialog.
      const dialog = Dialog.fromUas(request, this.localTag, false);
      if (!dialog) {
        answer(this.ctx, tx, 400);
        return true;
      }
      dialog.localSeq = this.cseq;
      this.adopt(dialog);
    } else {
      const refused = this.dialog.receiveRequest(request);
      if (refused) {
        tx.respond(refused);
        return true;
      }
    }
    answer(this.ctx, tx, 200);
    this.onNotify(request, state.value);
    return true;
  }

  private onNotify(request: SipRequest, s: SubscriptionState): void {
    this.notified = true;
    this.notifyGuard?.cancel();
    this.notifyGuard = undefined;
    const unsubscribing = this.state === 'unsubscribing';
    if (s.state === 'active' || s.state === 'pending') {
      if (!unsubscribing) this.setState(s.state);
      // §4.1.3: an expires shorter than what we believe reschedules the refresh.
      if (!unsubscribing && s.expires !== undefined && (this.grantedS === undefined || s.expires < this.remainingS())) this.granted(s.expires);
    }
    this.events.emit('notify', { subscriptionState: s, body: request.body, contentType: request.contentType?.mimeType, request });
    if (s.state !== 'terminated') return;
    this.dropDialog();
    if (unsubscribing) return this.finish(s.reason);
    // RFC 6665 §4.1.3 reason codes.
    const reason = s.reason?.toLowerCase();
    if (reason !== undefined && NO_RETRY.has(reason)) return this.finish(reason);
    const retry = reason !== undefined && RETRY_NOW.has(reason) ? 0 : (s.retryAfter ?? this.timers.retryIntervalS);
    this.events.emit('terminated', { reason, retryInS: retry });
    this.scheduleRetry(retry);
  }

  private remainingS(): number {
    return this.expiryTimer ? Math.max(0, (this.expiryTimer.dueMs - this.ctx.clock.now()) / 1000) : 0;
  }

  // Bookkeeping ----------------------------------------------------------------------------------

  private adopt(dialog: Dialog): void {
    this.dialog = dialog;
    this.unregister.push(this.options.host.registerDialogUsage({ callId: dialog.callId, localTag: dialog.localTag, remoteTag: dialog.remoteTag }, { receiveRequest: (r, tx) => this.receive(r, tx) }));
    if (this.state === 'unsubscribing') this.sendInDialogSubscribe(0); // unsubscribe() came before the dialog
  }

  private scheduleRetry(seconds: number): void {
    this.clearTimers();
    this.setState('waiting');
    if (seconds === 0) return this.subscribe();
    this.retryTimer = this.ctx.clock.setTimer(seconds * 1000, () => this.subscribe(), 'sip subscribe retry');
  }

  private dropDialog(): void {
    this.dialog?.terminate();
    this.dialog = undefined;
    this.grantedS = undefined;
    for (const u of this.unregister.splice(0)) u();
    this.refreshTimer?.cancel();
    this.expiryTimer?.cancel();
    this.notifyGuard?.cancel();
    this.refreshTimer = this.expiryTimer = this.notifyGuard = undefined;
  }

  private clearTimers(): void {
    for (const t of [this.refreshTimer, this.expiryTimer, this.notifyGuard, this.retryTimer]) t?.cancel();
    this.refreshTimer = this.expiryTimer = this.notifyGuard = this.retryTimer = undefined;
  }

  private finish(reason: string | undefined): void {
    if (this.state === 'terminated') return;
    this.attempt += 1; // ignore whatever is still in flight
    this.clearTimers();
    this.dropDialog();
    this.setState('terminated');
    this.events.emit('terminated', { reason, retryInS: undefined });
  }

  private setState(state: SubscriberState): void {
    if (this.state === state) return;
    this.state = state;
    this.events.emit('state', state);
  }
}

/** Convenience: a started subscriber. */
export function subscribe(options: SubscriberOptions): Subscriber {
  return new Subscriber(options).start();
}
