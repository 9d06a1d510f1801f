// One call as the phone's user sees it, on top of one INVITE session (src/sip/ua), its
// offer/answer state (src/sip/sdp SdpSession) and its audio stream (CallMedia). The call layer
// is model-agnostic and independent of what drives it (control API, keys, web dial page).
import { Emitter } from '../core/events.js';
import { failure, ok, type Result } from '../core/result.js';
import type { InviteSession, EndReason, ModifyOutcome } from '../sip/ua/invite-session.js';
import { directionReceives, parseSdp, serializeSdp, viewMedia, type NegotiatedSession, type SdpSession, type SessionDescription } from '../sip/sdp/index.js';
import type { SipMessage, SipRequest, SipResponse } from '../sip/message/index.js';
import { parseDtmfInfo } from '../sip/dtmf-info.js';
import { acceptRefers, type IncomingRefer } from '../sip/refer/referee.js';
import { sendInDialog, type UsageHost } from '../sip/subscription/usage.js';
import type { CallMedia, CallMediaStats } from './call-media.js';
import type { CallFeatureEvent, CallFeatureKind } from './in-call/call-feature.js';

export type CallState =
  /** Outgoing: INVITE sent, no provisional response with a To tag yet. */
  | 'calling'
  /** Outgoing: the far end rings (180/183). */
  | 'ringback'
  /** Incoming: we ring. */
  | 'ringing'
  | 'connected'
  /** We hold the call (our re-offer is sendonly/inactive). */
  | 'held'
  | 'ended';

export interface CallSnapshot {
  readonly id: string;
  readonly line: number;
  readonly direction: 'outgoing' | 'incoming';
  readonly state: CallState;
  readonly remote: { readonly uri: string; readonly displayName: string };
  readonly local: string;
  readonly callId: string;
  /** The far end holds us (its description does not want to receive). */
  readonly remoteHold: boolean;
  readonly muted: boolean;
  readonly codec: string | undefined;
  readonly startedAt: number;
  readonly answeredAt: number | undefined;
  readonly endedAt: number | undefined;
  readonly endReason: string | undefined;
  readonly endStatus: number | undefined;
  readonly rtp: CallMediaStats | undefined;
  /** It rang while another call was active (call waiting). */
  readonly waiting?: boolean;
  /** The other call of a conference this call is in. */
  readonly conference?: string | undefined;
  /** A transfer of this call we started (REFER sent). */
  readonly transfer?: TransferStatus | undefined;
  /** The call this one replaced (INVITE with Replaces), or the call whose REFER placed it. */
  readonly replaces?: string | undefined;
  readonly referredBy?: string | undefined;
  /** Incoming: the call was forwarded to us; the newest Diversion (RFC 5806): who and why. */
  readonly diversion?: { readonly uri: string; readonly reason: string } | undefined;
  /** The phonebook entry the remote number matched (KX-UT670 5.6.3; phonebook/caller-name.ts). */
  readonly contact?: { readonly id: number; readonly name: string } | undefined;
  /** Incoming: the ring it rings with (policy/ring-selection.ts): an A12 ring file or a KX-UT670 ringtone number, and why. */
  readonly ringType?: string | undefined;
  readonly ringBy?: 'alert-info' | 'line' | 'default' | undefined;
}

export interface TransferStatus {
  readonly kind: 'blind' | 'attended';
  readonly target: string;
  readonly state: 'trying' | 'done' | 'failed';
  /** Last sipfrag status (or the REFER's refusal). */
  readonly status: number | undefined;
}

export interface CallEvents extends Record<string, unknown> {
  state: CallState;
  /** The snapshot changed without a state change (remote hold, transfer, conference). */
  changed: undefined;
  feature: CallFeatureEvent;
  /** A REFER arrived in the call (RFC 3515): accept() and place the call, or reject(). */
  refer: IncomingRefer;
}

export interface CallOptions {
  /** The line's UA: REFERs of the call arrive through it, INFO and REFER go out through it. */
  readonly host?: UsageHost;
  /** KX-UT670 5.8.2 SIP_HOLD_HOLDRECEIVE_n: accept the peer's hold re-INVITE (default yes). */
  holdReceive?(): boolean;
}

const SDP = 'application/sdp';

export class Call {
  readonly events = new Emitter<CallEvents>();
  state: CallState;
  answeredAt: number | undefined;
  endedAt: number | undefined;
  endReason: string | undefined;
  endStatus: number | undefined;
  muted = false;
  negotiated: NegotiatedSession | undefined;
  waiting = false;
  conference: string | undefined;
  transfer: TransferStatus | undefined;
  replaces: string | undefined;
  referredBy: string | undefined;
  diversion: { uri: string; reason: string } | undefined;
  contact: { id: number; name: string } | undefined;
  ringType: string | undefined;
  ringBy: 'alert-info' | 'line' | 'default' | undefined;
  /** Our hold/resume re-INVITE in flight. */
  private modifying: 'hold' | 'resume' | undefined;
  private unregisterRefers: (() => void) | undefined;

  constructor(
    readonly id: string,
    readonly line: number,
    readonly session: InviteSession,
    readonly sdp: SdpSession,
    readonly media: CallMedia,
    readonly remote: { uri: string; displayName: string },
    readonly local: string,
    readonly startedAt: number,
    private readonly now: () => number,
    private readonly options: CallOptions = {},
  ) {
    this.state = session.direction === 'outgoing' ? 'calling' : 'ringing';
    session.events.on('provisional', (r) => this.onProvisional(r));
    session.events.on('established', (m) => this.onEstablished(m));
    session.events.on('request', (e) => this.onInDialogRequest(e));
    session.events.on('terminated', (t) => void this.onTerminated(t.reason, t.status));
    // RFC 4733 digits from the far end, as SIP INFO digits are (call-feature dtmf-received).
    media.onDigit?.((digit) => this.feature('dtmf-received', { detail: digit }));
  }

  /** The held state the user asked for (our hold), whatever the peer does. */
  get localHold(): boolean {
    return this.sdp.localHold;
  }

  get direction(): 'outgoing' | 'incoming' {
    return this.session.direction;
  }

  get active(): boolean {
    return this.state !== 'ended';
  }

  snapshot(): CallSnapshot {
    return {
      id: this.id,
      line: this.line,
      direction: this.direction,
      state: this.state,
      remote: this.remote,
      local: this.local,
      callId: this.session.callId,
      remoteHold: this.sdp.remoteHold,
      muted: this.muted,
      codec: this.negotiated?.audio.codec.name,
      startedAt: this.startedAt,
      answeredAt: this.answeredAt,
      endedAt: this.endedAt,
      endReason: this.endReason,
      endStatus: this.endStatus,
      rtp: this.negotiated ? this.media.stats() : undefined,
      waiting: this.waiting,
      conference: this.conference,
      transfer: this.transfer,
      replaces: this.replaces,
      referredBy: this.referredBy,
      diversion: this.diversion,
      contact: this.contact,
      ...(this.ringType !== undefined ? { ringType: this.ringType, ringBy: this.ringBy } : {}),
    };
  }

  // Actions (the Phone checks the state first and reports a clear error) ----------------------

  /** Incoming: answer with 200 and our SDP answer (or offer, when the INVITE had none). */
  answer(): { ok: true } | { ok: false; reason: string } {
    const invite = this.session.invite;
    if (invite.body.length > 0) {
      const offer = parseSdp(invite.body);
      if (!offer.ok) return this.refuse(400, `bad SDP offer: ${offer.error.message}`);
      const made = this.sdp.receiveOffer(offer.value);
      if (!made.ok) return this.refuse(488, made.error.message);
      this.session.accept({ body: serializeSdp(made.value.answer), contentType: SDP });
      this.applyMedia(made.value.negotiated);
    } else {
      // RFC 3264 §4 / RFC 3261 §13.2.1: an offerless INVITE gets our offer in the 2xx, the answer in the ACK.
      const offer = this.sdp.createOffer();
      if (!offer.ok) return this.refuse(488, offer.error.message);
      this.session.accept({ body: serializeSdp(offer.value), contentType: SDP });
    }
    this.answeredAt = this.now();
    this.setState('connected');
    this.listenForRefers();
    return { ok: true };
  }

  reject(status: number): void {
    this.session.reject(status);
  }

  hangup(): void {
    this.session.hangup();
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    this.media.setMuted(muted);
  }

  sendDtmf(digits: string): void {
    this.media.sendDtmf(digits);
  }

  /** RFC 3264 §8.4: re-INVITE with our description sendonly (inactive when held by the peer too). */
  hold(): Result<void> {
    return this.modify('hold');
  }

  /** The re-INVITE back to sendrecv. */
  resume(): Result<void> {
    return this.modify('resume');
  }

  /** Sends a request inside the call's dialog (INFO, REFER...); `onFinal` sees its final status. */
  request(method: string, options: { headers?: ReadonlyArray<readonly [string, string]>; body?: string; contentType?: string }, onFinal: (status: number, response: SipResponse | undefined) => void): Result<SipRequest> {
    const dialog = this.session.dialog;
    const host = this.options.host;
    if (!host || !dialog || this.session.state !== 'confirmed') return failure('CALL_BAD_STATE', `call: no established dialog to send ${method} in`);
    return ok(sendInDialog(host.context, dialog, this.session.remotePeer, method, options, onFinal));
  }

  /** Reports an in-call feature (the Phone publishes it). */
  feature(kind: CallFeatureKind, extra: Omit<CallFeatureEvent, 'call' | 'kind'> = {}): void {
    this.events.emit('feature', { call: this.id, kind, ...extra });
  }

  /** Tells listeners the snapshot changed (transfer progress, conference membership). */
  changed(): void {
    if (this.state !== 'ended') this.events.emit('changed', undefined);
  }

  private modify(kind: 'hold' | 'resume'): Result<void> {
    if (this.session.state !== 'confirmed' || (this.state !== 'connected' && this.state !== 'held')) return failure('CALL_BAD_STATE', `call: cannot ${kind} a call that is ${this.state}`);
    if (kind === 'hold' && this.sdp.localHold) return failure('CALL_BAD_STATE', 'call: the call is already on hold');
    if (kind === 'resume' && !this.sdp.localHold) return failure('CALL_BAD_STATE', 'call: the call is not on hold');
    // RFC 3261 §14.1: one offer at a time in a dialog.
    if (this.modifying || this.sdp.hasPendingOffer) return failure('CALL_BUSY', 'call: another offer/answer exchange is in progress');
    const offer = kind === 'hold' ? this.sdp.hold() : this.sdp.resume();
    if (!offer.ok) return failure('CALL_MEDIA', `call: ${offer.error.message}`);
    // After a 491 the peer's offer may go first (onInDialogRequest withdraws ours): the retry
    // carries a new offer made from the session as it is then.
    const reoffer = () => {
      if (this.sdp.hasPendingOffer) return undefined;
      const again = kind === 'hold' ? this.sdp.hold() : this.sdp.resume();
      return again.ok ? { body: serializeSdp(again.value), contentType: SDP } : undefined;
    };
    const started = this.session.reinvite(serializeSdp(offer.value), (outcome) => this.modified(kind, outcome), { reoffer });
    if (!started) {
      this.sdp.offerRejected();
      return failure('CALL_BUSY', 'call: the peer is changing the session; try again');
    }
    this.modifying = kind;
    return ok(undefined);
  }

  private modified(kind: 'hold' | 'resume', outcome: ModifyOutcome): void {
    this.modifying = undefined;
    if (this.state === 'ended') return;
    if (!outcome.ok) {
      // RFC 3261 §14.1: a refused re-INVITE (488, 491 after the back-offs, timeout) changes nothing.
      if (this.sdp.hasPendingOffer) this.sdp.offerRejected();
      return this.feature(kind === 'hold' ? 'hold-failed' : 'resume-failed', { status: outcome.status });
    }
    const body = outcome.response.body;
    const answer = body.length > 0 ? parseSdp(body) : failure('SDP_NO_ANSWER', 'the 2xx to our re-INVITE has no answer');
    const negotiated = answer.ok ? this.sdp.receiveAnswer(answer.value) : answer;
    if (!negotiated.ok) {
      if (this.sdp.hasPendingOffer) this.sdp.offerRejected();
      return this.feature(kind === 'hold' ? 'hold-failed' : 'resume-failed', { status: 488, detail: negotiated.error.message });
    }
    this.applyMedia(negotiated.value);
    this.setState(kind === 'hold' ? 'held' : 'connected');
    this.feature(kind);
  }

  /** RFC 3515: REFERs in the established dialog go to the `refer` listener (the Phone). */
  private listenForRefers(): void {
    const host = this.options.host;
    const dialog = this.session.dialog;
    if (!host || !dialog || this.unregisterRefers) return;
    this.unregisterRefers = acceptRefers(host, dialog, (refer) => {
      if (this.events.listenerCount('refer') === 0) return refer.reject(603);
      this.events.emit('refer', refer);
    });
  }

  // Session events ------------------------------------------------------------------------------

  private onProvisional(response: SipMessage & { status: number }): void {
    if (response.status > 100 && this.state === 'calling') this.setState('ringback');
    // Early media: an SDP answer in a 18x (RFC 3261 §13.2.1; RFC 3960 gateway model).
    if (response.body.length > 0 && this.sdp.hasPendingOffer) this.takeAnswer(response.body, true);
  }

  private onEstablished(message: SipMessage): void {
    if (this.direction === 'outgoing') {
      if (message.body.length > 0) this.takeAnswer(message.body, false);
      this.answeredAt = this.now();
      this.setState('connected');
      this.listenForRefers();
    } else if (message.body.length > 0 && this.sdp.hasPendingOffer) {
      // The ACK carries the answer to the offer of our 2xx.
      this.takeAnswer(message.body, false);
    }
  }

  private takeAnswer(body: Uint8Array | string, provisional: boolean): void {
    const answer = parseSdp(body);
    const negotiated = answer.ok ? this.sdp.receiveAnswer(answer.value, { provisional }) : answer;
    if (!negotiated.ok) {
      // RFC 3261 §13.2.1 / RFC 3264: an unusable answer ends the call (ACK, then BYE).
      if (!provisional) {
        this.endReason = 'bad-answer';
        this.session.hangup();
      }
      return;
    }
    this.applyMedia(negotiated.value);
  }

  private onInDialogRequest(e: { request: SipRequest; respond: (status: number, options?: { body?: string; contentType?: string; headers?: Array<[string, string]> }) => void }): void {
    const { request, respond } = e;
    if (request.method === 'INFO') return this.onInfo(request, respond);
    if (request.method !== 'INVITE' && request.method !== 'UPDATE') return;
    // The session layer hands us the peer's offer while our re-INVITE backs off after a 491
    // (RFC 3261 §14.1): ours is withdrawn, theirs goes first, ours is rebuilt for the retry.
    if (this.sdp.hasPendingOffer && this.modifying) this.sdp.offerRejected();
    if (this.sdp.hasPendingOffer) {
      // RFC 3261 §14.2: an offer while ours is pending is glare.
      respond(491);
      return;
    }
    if (request.body.length === 0) {
      const offer = this.sdp.createOffer();
      if (!offer.ok) return respond(488);
      respond(200, { body: serializeSdp(offer.value), contentType: SDP });
      return;
    }
    const offer = parseSdp(request.body);
    if (!offer.ok) return respond(400);
    const heldBefore = this.sdp.remoteHold;
    if (!heldBefore && offerHolds(offer.value) && this.options.holdReceive?.() === false) {
      // DEVIATION: KX-UT670 5.8.2 SIP_HOLD_HOLDRECEIVE_n = N ("allow re-INVITE for calls on
      // hold": no) is read as refusing the peer's hold re-INVITE with 488; RFC 3261 §14.2: the
      // session stays as it was.
      return respond(488, { headers: [['Warning', '399 vphone "hold is not accepted on this line"']] });
    }
    const made = this.sdp.receiveOffer(offer.value);
    if (!made.ok) return respond(488, { headers: [['Warning', `304 vphone "${made.error.message.replace(/"/g, "'")}"`]] });
    respond(200, { body: serializeSdp(made.value.answer), contentType: SDP });
    this.applyMedia(made.value.negotiated);
    if (heldBefore !== this.sdp.remoteHold) {
      this.feature(this.sdp.remoteHold ? 'remote-hold' : 'remote-resume');
      this.changed();
    }
  }

  /** RFC 6086 INFO: DTMF relay / hook flash bodies are reported; other bodies get 415. */
  private onInfo(request: SipRequest, respond: (status: number) => void): void {
    if (request.body.length === 0) return respond(200);
    const info = parseDtmfInfo(request.contentType?.mimeType ?? '', Buffer.from(request.body).toString('utf8'));
    if (!info.ok) return respond(info.error.code === 'SIP_UNSUPPORTED_DTMF_TYPE' ? 415 : 400);
    respond(200);
    this.feature('dtmf-received', { detail: info.value.digit });
  }

  private applyMedia(negotiated: NegotiatedSession): void {
    this.negotiated = negotiated;
    this.media.apply(negotiated.audio);
  }

  /**
   * The phone powers off (shutdown, reboot): the far end gets its BYE/CANCEL once, but nothing
   * waits for the answer — the call ends here and its media closes, as on a real phone whose
   * power goes. (Waiting would hold sockets open for Timer F once the transport is closed.)
   */
  powerOff(): Promise<void> {
    if (!this.active) return Promise.resolve();
    this.hangup();
    this.endReason ??= 'shutdown';
    return this.onTerminated('local-bye', undefined);
  }

  private async onTerminated(reason: EndReason, status: number | undefined): Promise<void> {
    if (this.endedAt !== undefined) return;
    this.unregisterRefers?.();
    this.endReason ??= reason;
    this.endStatus = status;
    this.endedAt = this.now();
    this.setState('ended');
    await this.media.close();
  }

  private refuse(status: number, reason: string): { ok: false; reason: string } {
    this.session.reject(status);
    return { ok: false, reason };
  }

  private setState(state: CallState): void {
    if (this.state === state || this.state === 'ended') return;
    this.state = state;
    this.events.emit('state', state);
  }
}

/** RFC 3264 §8.4: the offer's audio does not want to receive (sendonly/inactive, or c=0.0.0.0). */
function offerHolds(offer: SessionDescription): boolean {
  const index = offer.media.findIndex((m) => m.type === 'audio' && m.port !== 0);
  if (index < 0) return false;
  const view = viewMedia(offer, index);
  return !directionReceives(view.direction) || view.connection?.address === '0.0.0.0';
}
