// One INVITE session (a call leg) on top of the transaction layer: the UAC and UAS halves of
// RFC 3261 §13 (INVITE, 2xx retransmission and ACK, §13.3.1.4), §9 (CANCEL), §15 (BYE), §22.2
// (challenged requests re-sent with credentials) and the extensions a desk phone line enables:
// 100rel/PRACK (RFC 3262, prack.ts), session timers (RFC 4028, session-timer.ts), re-INVITE and
// UPDATE (RFC 3311, reinvite.ts) and INVITE expiry (§13.2.1, §13.3.1).
// Offer/answer bodies are opaque here; the call layer negotiates them.
import type { Timer } from '../../core/clock.js';
import { Emitter } from '../../core/events.js';
import { buildCancel, createResponse, H, randomBranch, randomTag, type SipRequest, type SipResponse } from '../message/index.js';
import { Dialog } from '../dialog/dialog.js';
import type { ClientHandlers, Peer, ServerTransaction } from '../transaction/transaction-layer.js';
import { AckWait } from './ack-wait.js';
import { ReliableProvisionalSender, RseqTracker } from './prack.js';
import { SessionModifier, type Body, type IncomingOffer, type ModifierHost, type ModifyMethod, type ModifyOutcome } from './reinvite.js';
import { nextAttempt, sendAuthorized } from './resend.js';
import type { SessionContext } from './session-context.js';
import { allowsMethod, hasOptionTag, supportedTags, type SessionOptions } from './session-options.js';
import { SessionTimer, SessionTimerNegotiation, type SessionInterval } from './session-timer.js';

export type { SessionContext } from './session-context.js';
export type { Body, IncomingOffer, ModifyOutcome } from './reinvite.js';

export type SessionState = 'calling' | 'early' | 'confirmed' | 'terminated';

export type EndReason =
  | 'local-bye'
  | 'remote-bye'
  | 'cancelled'
  | 'rejected'
  | 'declined'
  | 'timeout'
  | 'transport-error'
  | 'no-ack'
  /** RFC 4028 §10: no session refresh came in time (BYE sent). */
  | 'session-expired'
  /** The INVITE's Expires passed unanswered (UAS: 487 sent). */
  | 'expired'
  /** UAS: a reliable provisional never got its PRACK (RFC 3262 §3, 5xx sent). */
  | 'no-prack'
  /** A re-INVITE/UPDATE got 481 or 408: the dialog is gone (RFC 5057). */
  | 'dialog-gone'
  | 'failed';

type RespondOptions = { body?: string; contentType?: string; headers?: Array<[string, string]> };

export interface SessionEvents extends Record<string, unknown> {
  state: SessionState;
  /** UAC: a provisional response (180, 183 with early media...); retransmitted reliable ones are not repeated. */
  provisional: SipResponse;
  /** The 2xx that established the session (UAC); the ACK that confirmed it (UAS). */
  established: SipResponse | SipRequest;
  /** The peer's re-INVITE or UPDATE: answer or reject it (now or later). */
  offer: IncomingOffer;
  /** The peer's answer to our offer: in the 2xx to our re-INVITE/UPDATE, or in an ACK. */
  answer: { body: Buffer; contentType: string; via: 'response' | 'ack' };
  /** The dialog exists or changed state (early dialog by a reliable 18x, confirmed by the 2xx). */
  dialog: Dialog;
  /** RFC 4028: a session interval was agreed (undefined: no session timer). */
  'session-timer': SessionInterval | undefined;
  /**
   * A request inside the dialog other than BYE, ACK and PRACK (INFO, REFER, NOTIFY); also
   * re-INVITE/UPDATE when nobody listens to `offer` (answer synchronously or it gets 488).
   */
  request: { request: SipRequest; respond: (status: number, options?: RespondOptions) => void };
  terminated: { reason: EndReason; status?: number; response?: SipResponse };
}

export class InviteSession {
  readonly events = new Emitter<SessionEvents>();
  state: SessionState;
  dialog: Dialog | undefined;
  /** Final status code that ended the session, when a response did. */
  endStatus: number | undefined;
  /** Last body we sent in an offer or answer, and the peer's (for refreshes). */
  localBody: Body | undefined;
  remoteBody: Body | undefined;
  /** Builds the offer of a session-refresh re-INVITE (default: `localBody` unchanged). */
  refreshOffer: (() => Body | undefined) | undefined;
  /** The INVITE in progress (a challenged or 422'd INVITE is re-sent with CSeq + 1). */
  private request: SipRequest;
  private cancelRequested = false;
  private cancelSent = false;
  private provisionalSeen = false;
  private ack: SipRequest | undefined;
  private ackWait: AckWait | undefined;
  private final2xx: SipResponse | undefined;
  private readonly localTag: string;
  private readonly opts: SessionOptions;
  private readonly random: () => number;
  private readonly rseqs = new RseqTracker();
  private readonly earlyDialogs = new Map<string, Dialog>();
  private reliable: ReliableProvisionalSender | undefined;
  private provisionalRepeat: Timer | undefined;
  private expiry: Timer | undefined;
  private acceptQueued = false;
  private peerAllowsUpdate = false;
  private readonly timerNegotiation: SessionTimerNegotiation;
  private readonly sessionTimer: SessionTimer;
  private readonly modifier: SessionModifier;

  private constructor(
    readonly direction: 'outgoing' | 'incoming',
    /** The INVITE that created the session (the first one sent, for an outgoing session). */
    readonly invite: SipRequest,
    private readonly peer: Peer,
    private readonly ctx: SessionContext,
    private readonly serverTx?: ServerTransaction,
  ) {
    this.state = direction === 'outgoing' ? 'calling' : 'early';
    this.localTag = direction === 'outgoing' ? invite.from.tag! : randomTag();
    this.request = invite;
    this.opts = ctx.session ?? {};
    this.random = this.opts.random ?? Math.random;
    this.timerNegotiation = new SessionTimerNegotiation(this.opts);
    this.sessionTimer = new SessionTimer(ctx.clock, () => this.refresh(), () => this.sendBye('session-expired'));
    this.modifier = new SessionModifier(this.modifierHost());
  }

  get callId(): string {
    return this.invite.callId;
  }

  /** Where the session's requests go (the initial peer; ctx.peerFor may route in-dialog requests elsewhere). */
  get remotePeer(): Peer {
    return this.peer;
  }

  /** UAC: sends `invite` (which carries its top Via) to `peer`, with the line's extension headers. */
  static outgoing(invite: SipRequest, peer: Peer, ctx: SessionContext): InviteSession {
    const session = new InviteSession('outgoing', invite, peer, ctx);
    const opts = session.opts;
    // KX-UT670 5.8.2 SIP_100REL_ENABLE_n / SIP_SESSION_TIME_n: option tags in Supported.
    if (!invite.headers.has('Supported')) invite.headers.append('Supported', supportedTags(opts).join(', '));
    for (const [name, value] of session.timerNegotiation.requestHeaders(false)) invite.headers.set(name, value);
    const expires = opts.inviteExpiresS ?? 0;
    if (expires > 0) {
      // KX-UT670 5.8.2 SIP_INVITE_EXPIRE_n → Expires; §13.2.1: CANCEL when it passes unanswered.
      invite.headers.set('Expires', String(expires));
      session.expiry = ctx.clock.setTimer(expires * 1000, () => session.cancel(), 'sip invite expires');
    }
    session.sendInvite();
    return session;
  }

  /** UAS: an INVITE that created a server transaction. */
  static incoming(tx: ServerTransaction, ctx: SessionContext): InviteSession {
    const session = new InviteSession('incoming', tx.request, tx.source, ctx, tx);
    tx.respond(createResponse(tx.request, 100));
    session.peerAllowsUpdate = allowsMethod(tx.request, 'UPDATE');
    // RFC 4028 §9: a Session-Expires below our Min-SE is refused with 422 before ringing.
    const negotiated = session.timerNegotiation.receiveRequest(tx.request);
    if ('tooSmall' in negotiated) {
      tx.respond(createResponse(tx.request, 422, { toTag: session.localTag, headers: [['Min-SE', String(negotiated.tooSmall)], ...ctx.commonHeaders] }));
      session.end('rejected', 422);
      return session;
    }
    // §13.3.1: an INVITE whose Expires passes before it is answered gets 487.
    const expires = tx.request.value(H.Expires);
    if (expires !== undefined) session.expiry = ctx.clock.setTimer(expires * 1000, () => session.expire(), 'sip invite expires');
    return session;
  }

  // UAC ---------------------------------------------------------------------------------------

  /** §9.1: CANCEL once a provisional response came; before that it waits. */
  cancel(): void {
    if (this.direction !== 'outgoing' || this.state === 'terminated' || this.state === 'confirmed') return;
    this.cancelRequested = true;
    if (this.provisionalSeen) this.sendCancel();
  }

  /** Ends the session from our side: CANCEL while calling, BYE once confirmed, reject when incoming. */
  hangup(): void {
    if (this.state === 'terminated') return;
    if (this.direction === 'incoming' && this.state === 'early') return this.reject(603);
    if (this.state !== 'confirmed') return this.cancel();
    this.sendBye();
  }

  /** A response the transaction layer no longer claims (2xx retransmission after Accepted). */
  receiveStrayResponse(response: SipResponse): void {
    if (response.status < 200 || response.status >= 300 || response.cseq.method !== 'INVITE') return;
    if (this.direction === 'outgoing' && response.cseq.seq === this.request.cseq.seq) this.on2xx(response);
    else this.modifier.receiveStray2xx(response);
  }

  private sendInvite(): void {
    const handlers: ClientHandlers = {
      onResponse: (r) => this.onResponse(r),
      onTimeout: () => this.end('timeout', 408),
      onTransportError: () => this.end('transport-error', 503),
    };
    sendAuthorized(this.ctx, this.request, this.peer, handlers, (next) => this.resent(next));
  }

  /** A challenged or 422'd INVITE went out again: CANCEL must wait for its provisional response. */
  private resent(next: SipRequest): void {
    this.request = next;
    this.provisionalSeen = false;
  }

  private onResponse(response: SipResponse): void {
    if (this.state === 'terminated' && response.status < 300) return;
    const status = response.status;
    if (status < 200) return this.onProvisional(response);
    if (status < 300) return this.on2xx(response);
    if (status === 422 && this.state !== 'terminated' && this.timerNegotiation.receive422(response)) {
      // RFC 4028 §7.3: again with the Min-SE learnt, CSeq + 1.
      const next = nextAttempt(this.request, this.timerNegotiation.requestHeaders(false));
      this.resent(next);
      this.sendInvite();
      return;
    }
    this.end(status === 487 ? 'cancelled' : status === 603 ? 'declined' : 'rejected', status, response);
  }

  private onProvisional(response: SipResponse): void {
    this.provisionalSeen = true; // a 100 counts too (§9.1)
    const status = response.status;
    const tag = response.to.tag;
    const verdict = this.rseqs.classify(response);
    // RFC 3262 §4: a retransmitted reliable provisional is not passed on again; one out of order
    // is discarded (it comes again after the missing one).
    if (verdict === 'retransmission' || verdict === 'out-of-order') return;
    if (this.state === 'calling' && status > 100) this.setState('early');
    let dialog: Dialog | undefined;
    if (status > 100 && tag !== undefined) {
      dialog = this.earlyDialogs.get(tag) ?? Dialog.fromUac(this.request, response);
      if (dialog && !this.earlyDialogs.has(tag)) this.earlyDialogs.set(tag, dialog);
      if (!this.dialog && dialog) this.dialog = dialog;
    }
    if (verdict === 'new' && dialog) this.sendPrack(dialog, response);
    this.events.emit('provisional', response);
    if (this.cancelRequested && !this.cancelSent) this.sendCancel();
  }

  /** RFC 3262 §7.2: PRACK in the early dialog with RAck: RSeq, CSeq number and method of the INVITE. */
  private sendPrack(dialog: Dialog, response: SipResponse): void {
    const prack = dialog.createRequest('PRACK', {
      via: this.ctx.via(randomBranch(), this.peer),
      headers: [['RAck', `${response.value(H.RSeq)!} ${response.cseq.seq} INVITE`], ...this.ctx.commonHeaders],
    });
    this.sendInDialog(prack, dialog, () => {});
  }

  private on2xx(response: SipResponse): void {
    if (this.ack) {
      // §13.2.2.4: a retransmitted 2xx gets the same ACK again.
      if (response.to.tag === this.dialog?.remoteTag) {
        this.ctx.layer.sendStateless(this.ack, this.ackPeer());
        return;
      }
      // A second dialog from forking: ACK it and end it with BYE (§13.2.2.4).
      const extra = this.earlyDialogs.get(response.to.tag ?? '') ?? Dialog.fromUac(this.request, response);
      if (extra) {
        extra.receiveResponse(this.request, response);
        const ack = extra.createAck(this.request.cseq.seq, { via: this.ctx.via(randomBranch(), this.peer), contact: this.ctx.contact });
        this.ctx.layer.sendStateless(ack, this.ctx.peerFor(ack, this.peer));
        const bye = extra.createRequest('BYE', { via: this.ctx.via(randomBranch(), this.peer), headers: this.ctx.commonHeaders });
        this.sendInDialog(bye, extra, () => {});
      }
      return;
    }
    const tag = response.to.tag ?? '';
    const dialog = this.earlyDialogs.get(tag) ?? Dialog.fromUac(this.request, response);
    if (!dialog) {
      this.end('failed', response.status, response);
      return;
    }
    this.stopUacTimers();
    dialog.receiveResponse(this.request, response);
    dialog.state = 'confirmed';
    this.dialog = dialog;
    this.events.emit('dialog', dialog);
    this.ack = dialog.createAck(this.request.cseq.seq, { via: this.ctx.via(randomBranch(), this.peer), contact: this.ctx.contact });
    this.ctx.layer.sendStateless(this.ack, this.ackPeer());
    if (this.cancelRequested) {
      // CANCEL lost the race with the 200: the call is up, so end it with BYE (§9.1).
      this.setState('confirmed');
      this.sendBye();
      return;
    }
    this.localBody = bodyOf(this.request);
    this.remoteBody = bodyOf(response);
    this.peerAllowsUpdate = allowsMethod(response, 'UPDATE');
    this.setState('confirmed');
    this.startSessionTimer(this.timerNegotiation.receive2xx(response));
    this.events.emit('established', response);
  }

  private ackPeer(): Peer {
    return this.ctx.peerFor(this.ack!, this.peer);
  }

  private sendCancel(): void {
    if (this.state === 'terminated' || this.ack || this.cancelSent) return;
    this.cancelSent = true;
    const cancel = buildCancel(this.request);
    this.ctx.layer.sendRequest(cancel, this.peer, { onResponse: () => {}, onTimeout: () => {}, onTransportError: () => {} }, this.ctx.timers);
  }

  // UAS ---------------------------------------------------------------------------------------

  /**
   * Sends a provisional response (180 Ringing, 183 Session Progress with early media). It is sent
   * reliably (RFC 3262) when `reliable` says so, or by default when the line enables 100rel and
   * the caller supports it; always when the caller requires it.
   */
  progress(status = 180, options: { body?: string; contentType?: string; reliable?: boolean } = {}): void {
    if (this.direction !== 'incoming' || this.state !== 'early' || !this.serverTx || this.acceptQueued) return;
    const uacSupports = hasOptionTag(this.invite, '100rel');
    const reliable = hasOptionTag(this.invite, '100rel', 'require') || (uacSupports && (options.reliable ?? this.opts.reliableProvisional ?? false));
    const r = createResponse(this.invite, status, {
      toTag: this.localTag,
      copyRecordRoute: true,
      headers: [['Contact', this.ctx.contact], ['Supported', supportedTags(this.opts).join(', ')], ...this.ctx.commonHeaders],
      body: options.body,
      contentType: options.body === undefined ? undefined : (options.contentType ?? 'application/sdp'),
    });
    if (!reliable) {
      this.serverTx.respond(r);
      this.repeatProvisional(r);
      return;
    }
    if (!this.dialog) {
      // RFC 3262 §3 / §12.1.1: the reliable 18x creates the early dialog the PRACK arrives in.
      this.dialog = Dialog.fromUas(this.invite, this.localTag, true);
      if (this.dialog) this.events.emit('dialog', this.dialog);
    }
    this.reliable ??= new ReliableProvisionalSender(
      { clock: this.ctx.clock, t1Ms: this.ctx.timers.t1Ms, send: (x) => this.serverTx!.respond(x), giveUp: () => this.failNoPrack() },
      this.random,
      this.invite.cseq.seq,
    );
    if (options.body !== undefined) this.localBody = { body: options.body, contentType: options.contentType ?? 'application/sdp' };
    this.reliable.send(r);
  }

  /** Same as progress(status, options): the name the call layer used first. */
  ring(status = 180, options: { body?: string; contentType?: string; reliable?: boolean } = {}): void {
    this.progress(status, options);
  }

  /**
   * Answers with 200 OK; retransmits it until the ACK (§13.3.1.4). With a reliable provisional
   * still unacknowledged it waits for the PRACK (RFC 3262 §3).
   */
  accept(options: { body?: string; contentType?: string } = {}): void {
    if (this.direction !== 'incoming' || this.state !== 'early' || !this.serverTx || this.acceptQueued) return;
    if (this.reliable?.busy) {
      this.acceptQueued = true;
      this.reliable.whenIdle(() => {
        this.acceptQueued = false;
        this.accept(options);
      });
      return;
    }
    const negotiated = this.timerNegotiation.receiveRequest(this.invite);
    const timerHeaders = 'headers' in negotiated ? negotiated.headers : [];
    const ok = createResponse(this.invite, 200, {
      toTag: this.localTag,
      copyRecordRoute: true,
      headers: [['Contact', this.ctx.contact], ['Supported', supportedTags(this.opts).join(', ')], ...timerHeaders, ...this.ctx.commonHeaders],
      ...options,
    });
    if (this.dialog) this.dialog.state = 'confirmed';
    else this.dialog = Dialog.fromUas(this.invite, this.localTag, false);
    if (this.dialog) this.events.emit('dialog', this.dialog);
    this.final2xx = ok;
    this.stopUasTimers();
    this.serverTx.respond(ok);
    this.remoteBody = bodyOf(this.invite);
    if (options.body !== undefined) this.localBody = { body: options.body, contentType: options.contentType ?? 'application/sdp' };
    this.setState('confirmed');
    this.startSessionTimer('interval' in negotiated ? negotiated.interval : undefined);
    const tx = this.serverTx;
    // No ACK within 64*T1: the session is not established; end it with BYE (§13.3.1.4).
    this.ackWait = new AckWait(this.ctx.clock, this.ctx.timers, () => tx.respond(ok), () => this.onNoAck(), this.peer.transport === 'udp');
  }

  /** The same as accept(): answers the INVITE with our answer (or offer) body. */
  answer(body?: string, contentType = 'application/sdp'): void {
    this.accept(body === undefined ? {} : { body, contentType });
  }

  /**
   * Refuses the call (486 Busy Here, 603 Decline, 480...), or redirects it (3xx with `headers`
   * carrying Contact and Diversion, RFC 3261 §21.3).
   */
  reject(status = 486, reason?: string, headers: ReadonlyArray<readonly [string, string]> = []): void {
    if (this.direction !== 'incoming' || this.state !== 'early' || !this.serverTx) return;
    this.serverTx.respond(createResponse(this.invite, status, { toTag: this.localTag, reason, headers: [...headers, ...this.ctx.commonHeaders] }));
    this.end(status === 603 ? 'declined' : 'rejected', status);
  }

  /** The UA core routes a CANCEL for our INVITE here (§9.2). */
  receiveCancel(cancelTx: ServerTransaction): void {
    cancelTx.respond(createResponse(cancelTx.request, 200));
    if (this.direction === 'incoming' && this.state === 'early' && this.serverTx) {
      this.serverTx.respond(createResponse(this.invite, 487, { toTag: this.localTag }));
      this.end('cancelled', 487);
    }
  }

  /** The UA core routes in-dialog requests and 2xx ACKs here. */
  receiveInDialog(request: SipRequest, tx: ServerTransaction | undefined): void {
    if (request.method === 'ACK') return this.receiveAck(request);
    if (!tx || !this.dialog) return;
    const refused = this.dialog.receiveRequest(request);
    if (refused) return void tx.respond(refused);
    const reply = (status: number, headers: Array<[string, string]> = []) =>
      tx.respond(createResponse(request, status, { headers: [...headers, ...this.ctx.commonHeaders] }));
    switch (request.method) {
      case 'BYE':
        reply(200);
        this.end('remote-bye');
        return;
      case 'PRACK':
        // RFC 3262 §3: a PRACK matching the outstanding reliable provisional gets 200, others 481.
        // DEVIATION: an offer or answer in a PRACK body is not passed on (phones put SDP in the 18x/2xx).
        if (!this.reliable?.matches(request.value(H.RAck))) return reply(481);
        reply(200);
        this.reliable.receivePrack(request.value(H.RAck));
        return;
      case 'INVITE':
      case 'UPDATE':
        // §14.2: a re-INVITE before the initial INVITE is answered: 500 with Retry-After.
        if (request.method === 'INVITE' && this.state !== 'confirmed') return reply(500, [['Retry-After', String(Math.floor(this.random() * 11))]]);
        this.modifier.receive(request, tx);
        return;
      default:
        this.emitRequest(request, (status, options = {}) =>
          tx.respond(createResponse(request, status, { headers: [...(options.headers ?? []), ...this.ctx.commonHeaders], body: options.body, contentType: options.contentType })),
        );
    }
  }

  private emitRequest(request: SipRequest, send: (status: number, options?: RespondOptions) => void, fallback = 200): void {
    let answered = false;
    const respond = (status: number, options?: RespondOptions): void => {
      if (answered) return;
      answered = true;
      send(status, options);
    };
    this.events.emit('request', { request, respond });
    if (!answered) respond(fallback);
  }

  private receiveAck(ack: SipRequest): void {
    if (this.direction === 'incoming' && this.final2xx && ack.cseq.seq === this.invite.cseq.seq) {
      if (!this.ackWait?.ack()) return;
      // An offerless INVITE: our offer was in the 2xx, the answer is in the ACK (RFC 3264 §4).
      if (this.invite.body.length === 0 && ack.body.length > 0) {
        this.remoteBody = bodyOf(ack);
        this.events.emit('answer', { body: ack.body, contentType: ack.contentType?.mimeType ?? 'application/sdp', via: 'ack' });
      }
      this.events.emit('established', ack);
      return;
    }
    this.modifier.receiveAck(ack);
  }

  private expire(): void {
    this.expiry = undefined;
    if (this.state !== 'early' || !this.serverTx || this.final2xx) return;
    this.serverTx.respond(createResponse(this.invite, 487, { toTag: this.localTag, headers: this.ctx.commonHeaders }));
    this.end('expired', 487);
  }

  private failNoPrack(): void {
    if (this.state !== 'early' || !this.serverTx) return;
    this.serverTx.respond(createResponse(this.invite, 500, { toTag: this.localTag, reason: 'No PRACK', headers: this.ctx.commonHeaders }));
    this.end('no-prack', 500);
  }

  /** KX-UT670 5.8.2 SIP_18X_RTX_INTVL_n: repeat the latest unreliable 18x while it rings. */
  private repeatProvisional(response: SipResponse): void {
    this.provisionalRepeat?.cancel();
    const seconds = this.opts.provisionalRetransmitS ?? 0;
    if (seconds <= 0) return;
    this.provisionalRepeat = this.ctx.clock.setTimer(seconds * 1000, () => {
      if (this.state !== 'early' || this.final2xx || !this.serverTx) return;
      this.serverTx.respond(response);
      this.repeatProvisional(response);
    }, 'sip 18x repeat');
  }

  private onNoAck(): void {
    if (this.state !== 'confirmed') return;
    this.sendBye('no-ack');
  }

  private stopUasTimers(): void {
    this.provisionalRepeat?.cancel();
    this.provisionalRepeat = undefined;
    this.expiry?.cancel();
    this.expiry = undefined;
    this.reliable?.stop();
  }

  private stopUacTimers(): void {
    this.expiry?.cancel();
    this.expiry = undefined;
  }

  // Modifying the session (re-INVITE, UPDATE) and session timers -------------------------------

  /** Sends a re-INVITE with `body` as the offer (§14.1); false while another offer is pending. */
  reinvite(body?: Body | string, done?: (outcome: ModifyOutcome) => void, options: { reoffer?: () => Body | undefined } = {}): boolean {
    return this.modify('INVITE', body, done, false, options.reoffer);
  }

  /** Sends an UPDATE (RFC 3311), with an offer or without (a refresh); false while another offer is pending. */
  update(body?: Body | string, done?: (outcome: ModifyOutcome) => void): boolean {
    return this.modify('UPDATE', body, done);
  }

  private modify(method: ModifyMethod, body: Body | string | undefined, done: ((outcome: ModifyOutcome) => void) | undefined, refresh = false, reoffer?: () => Body | undefined): boolean {
    if (this.state !== 'confirmed' && !(method === 'UPDATE' && this.state === 'early' && this.dialog)) return false;
    let b = typeof body === 'string' ? { body, contentType: 'application/sdp' } : body;
    const started = this.modifier.start(method, b, {
      // A retry after 491 carries the offer built again (RFC 3261 §14.1: the peer's change went first).
      ...(reoffer
        ? {
            reoffer: () => {
              const next = reoffer();
              if (next) b = next;
              return next;
            },
          }
        : {}),
      refresh,
      done: (outcome) => {
        if (outcome.ok && b) this.localBody = b;
        done?.(outcome);
      },
    });
    return started;
  }

  /** RFC 4028 §7.4 / KX-UT670 5.8.2 SIP_SESSION_METHOD_n: refresh with re-INVITE or UPDATE. */
  private refresh(): void {
    if (this.state !== 'confirmed') return;
    const method = this.opts.sessionMethod ?? 'invite';
    const useUpdate = method === 'update' || (method === 'auto' && this.peerAllowsUpdate);
    const body = useUpdate ? undefined : (this.refreshOffer?.() ?? this.localBody);
    // DEVIATION: without a refreshOffer hook the re-INVITE repeats the last SDP as is (same o= version).
    if (!this.modify(useUpdate ? 'UPDATE' : 'INVITE', body, undefined, true)) {
      // Another offer is in progress; try again shortly (its own 2xx restarts the timer anyway).
      this.sessionTimer.start({ intervalS: 2, weRefresh: true });
    }
  }

  private startSessionTimer(interval: SessionInterval | undefined): void {
    if (!this.timerNegotiation.enabled) return;
    this.sessionTimer.start(interval);
    this.events.emit('session-timer', interval);
  }

  private modifierHost(): ModifierHost {
    return {
      ctx: this.ctx,
      peer: this.peer,
      dialog: () => this.dialog,
      ownsCallId: this.direction === 'outgoing',
      random: this.random,
      send: (request, handlers) => this.sendInDialog(request, this.dialog!, (r) => handlers.onResponse(r), handlers),
      sendAck: (ack) => this.ctx.layer.sendStateless(ack, this.ctx.peerFor(ack, this.peer)),
      requestHeaders: () => [['Supported', supportedTags(this.opts).join(', ')], ...this.timerNegotiation.requestHeaders(true)],
      negotiate: (request) => {
        const n = this.timerNegotiation.receiveRequest(request);
        if ('tooSmall' in n) return n;
        return { headers: n.headers, apply: () => this.startSessionTimer(n.interval) };
      },
      modified: (_request, response) => this.startSessionTimer(this.timerNegotiation.receive2xx(response)),
      dialogGone: (status) => (status === 481 ? this.end('dialog-gone', status) : this.sendBye('dialog-gone')),
      noAck: () => this.onNoAck(),
      retryAfter422: (response) => this.timerNegotiation.receive422(response),
      offer: (offer) => this.deliverOffer(offer),
      answer: (body, via) => {
        this.remoteBody = body;
        this.events.emit('answer', { body: Buffer.from(body.body), contentType: body.contentType, via });
      },
    };
  }

  /** An incoming offer: `offer` listeners, else the older `request` event, else a default. */
  private deliverOffer(offer: IncomingOffer): void {
    const answerWith = (body: string | undefined, contentType?: string): void => {
      if (body !== undefined) this.localBody = { body, contentType: contentType ?? 'application/sdp' };
      offer.answer(body, contentType);
    };
    const wrapped: IncomingOffer = { ...offer, answer: answerWith, reject: offer.reject };
    if (offer.body.length > 0) this.remoteBody = bodyOf(offer.request);
    if (this.events.listenerCount('offer') > 0) return void this.events.emit('offer', wrapped);
    if (this.events.listenerCount('request') > 0) {
      return this.emitRequest(offer.request, (status, options = {}) => (status < 300 ? answerWith(options.body, options.contentType) : offer.reject(status, options)), 488);
    }
    // Nobody negotiates media: keep the session as it is when we have a body to repeat.
    // DEVIATION: the previous answer is re-sent unchanged (a refresh re-INVITE with the same SDP).
    if (this.localBody) answerWith(bodyText(this.localBody), this.localBody.contentType);
    else offer.reject(488);
  }

  // both ----------------------------------------------------------------------------------------

  /** Sends a request in `dialog` (credentials after a challenge move the dialog's CSeq along). */
  private sendInDialog(request: SipRequest, dialog: Dialog, onResponse: (r: SipResponse) => void, handlers?: ClientHandlers): void {
    sendAuthorized(
      this.ctx,
      request,
      this.ctx.peerFor(request, this.peer),
      { onResponse, onTimeout: () => handlers?.onTimeout(), onTransportError: () => handlers?.onTransportError() },
      (next) => {
        dialog.localSeq = Math.max(dialog.localSeq, next.cseq.seq);
      },
    );
  }

  private sendBye(reason: EndReason = 'local-bye'): void {
    if (!this.dialog || this.state === 'terminated') return;
    this.stopAll();
    const via = this.ctx.via(randomBranch(), this.peer);
    const bye = this.dialog.createRequest('BYE', { via, headers: this.ctx.commonHeaders });
    const done = (status?: number) => this.end(reason, status);
    this.sendInDialog(bye, this.dialog, (r) => {
      if (r.status >= 200) done(r.status);
    }, { onResponse: () => {}, onTimeout: () => done(408), onTransportError: () => done(503) });
  }

  private stopAll(): void {
    this.ackWait?.stop();
    this.stopUasTimers();
    this.stopUacTimers();
    this.sessionTimer.stop();
    this.modifier.stop();
  }

  private setState(state: SessionState): void {
    if (this.state === state) return;
    this.state = state;
    this.events.emit('state', state);
  }

  private end(reason: EndReason, status?: number, response?: SipResponse): void {
    if (this.state === 'terminated') return;
    this.stopAll();
    this.endStatus = status;
    this.dialog?.terminate();
    this.setState('terminated');
    this.events.emit('terminated', { reason, status, response });
  }
}

function bodyOf(message: SipRequest | SipResponse): Body | undefined {
  return message.body.length > 0 ? { body: message.body, contentType: message.contentType?.mimeType ?? 'application/sdp' } : undefined;
}

function bodyText(body: Body): string {
  return typeof body.body === 'string' ? body.body : Buffer.from(body.body).toString('utf8');
}
