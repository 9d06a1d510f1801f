// One INVITE session (a call leg) on top of the transaction layer: the UAC and UAS halves of
// RFC 3261 §13 (uac-invite.ts, uas-invite.ts: INVITE, 2xx retransmission and ACK, §9 CANCEL,
// INVITE expiry §13.2.1/§13.3.1, 100rel/PRACK RFC 3262) and what both share once the dialog
// exists: §15 (BYE), §22.2 (challenged requests re-sent with credentials), session timers
// (RFC 4028, session-timer.ts), re-INVITE and UPDATE (RFC 3311, reinvite.ts).
// Offer/answer bodies are opaque here; the call layer negotiates them.
import { Emitter } from '../../core/events.js';
import { createResponse, H, randomBranch, type SipRequest, type SipResponse } from '../message/index.js';
import type { Dialog } from '../dialog/dialog.js';
import type { ClientHandlers, Peer, ServerTransaction } from '../transaction/transaction-layer.js';
import { SessionModifier, type Body, type IncomingOffer, type ModifierHost, type ModifyMethod, type ModifyOutcome } from './reinvite.js';
import { sendAuthorized } from './resend.js';
import type { SessionContext } from './session-context.js';
import { bodyOf, bodyText, type EndReason, type RespondOptions, type SessionCore, type SessionEvents, type SessionState } from './session-core.js';
import { supportedTags, type SessionOptions } from './session-options.js';
import { SessionTimer, SessionTimerNegotiation, type SessionInterval } from './session-timer.js';
import { UacInvite } from './uac-invite.js';
import { UasInvite } from './uas-invite.js';

export type { SessionContext } from './session-context.js';
export type { Body, IncomingOffer, ModifyOutcome } from './reinvite.js';
export type { EndReason, SessionEvents, SessionState } from './session-core.js';

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
  /** The half that sent the INVITE (outgoing) or answers it (incoming). */
  private uac: UacInvite | undefined;
  private uas: UasInvite | undefined;
  private readonly opts: SessionOptions;
  private readonly random: () => number;
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
  ) {
    this.state = direction === 'outgoing' ? 'calling' : 'early';
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
    session.uac = new UacInvite(session.core(), invite);
    session.uac.start();
    return session;
  }

  /** UAS: an INVITE that created a server transaction. */
  static incoming(tx: ServerTransaction, ctx: SessionContext): InviteSession {
    const session = new InviteSession('incoming', tx.request, tx.source, ctx);
    session.uas = new UasInvite(session.core(), tx);
    session.uas.start();
    return session;
  }

  // UAC ---------------------------------------------------------------------------------------

  /** §9.1: CANCEL once a provisional response came; before that it waits. */
  cancel(): void {
    this.uac?.cancel();
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
    if (this.uac?.owns2xx(response)) this.uac.receive2xx(response);
    else this.modifier.receiveStray2xx(response);
  }

  // UAS ---------------------------------------------------------------------------------------

  /**
   * Sends a provisional response (180 Ringing, 183 Session Progress with early media). It is sent
   * reliably (RFC 3262) when `reliable` says so, or by default when the line enables 100rel and
   * the caller supports it; always when the caller requires it.
   */
  progress(status = 180, options: { body?: string; contentType?: string; reliable?: boolean } = {}): void {
    this.uas?.progress(status, options);
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
    this.uas?.accept(options);
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
    this.uas?.reject(status, reason, headers);
  }

  /** The UA core routes a CANCEL for our INVITE here (§9.2). */
  receiveCancel(cancelTx: ServerTransaction): void {
    cancelTx.respond(createResponse(cancelTx.request, 200));
    this.uas?.cancelled();
  }

  // In the dialog -------------------------------------------------------------------------------

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
        if (!this.uas?.expectsPrack(request.value(H.RAck))) return reply(481);
        reply(200);
        this.uas.receivePrack(request.value(H.RAck));
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
    if (this.uas?.receiveAck(ack)) return;
    this.modifier.receiveAck(ack);
  }

  private onNoAck(): void {
    if (this.state !== 'confirmed') return;
    this.sendBye('no-ack');
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
    this.uas?.stop();
    this.uac?.stop();
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

  /** What the UAC and UAS halves see of the session. */
  private core(): SessionCore {
    return {
      ctx: this.ctx,
      peer: this.peer,
      opts: this.opts,
      random: this.random,
      events: this.events,
      timerNegotiation: this.timerNegotiation,
      state: () => this.state,
      setState: (state) => this.setState(state),
      dialog: () => this.dialog,
      setDialog: (dialog) => {
        this.dialog = dialog;
      },
      setLocalBody: (body) => {
        this.localBody = body;
      },
      setRemoteBody: (body) => {
        this.remoteBody = body;
      },
      setPeerAllowsUpdate: (allows) => {
        this.peerAllowsUpdate = allows;
      },
      sendInDialog: (request, dialog, onResponse, handlers) => this.sendInDialog(request, dialog, onResponse, handlers),
      sendBye: (reason) => this.sendBye(reason),
      noAck: () => this.onNoAck(),
      startSessionTimer: (interval) => this.startSessionTimer(interval),
      end: (reason, status, response) => this.end(reason, status, response),
    };
  }
}
