// One INVITE session (a call leg) on top of the transaction layer: the UAC and UAS halves of
// RFC 3261 §13 (INVITE, 2xx retransmission and ACK, §13.3.1.4), §9 (CANCEL) and §15 (BYE).
// Offer/answer bodies are opaque here; the call layer negotiates them.
import type { Clock, Timer } from '../../core/clock.js';
import { Emitter } from '../../core/events.js';
import { buildCancel, createResponse, randomBranch, randomTag, type SipRequest, type SipResponse } from '../message/index.js';
import { Dialog } from '../dialog/dialog.js';
import type { Peer, ServerTransaction, TransactionLayer } from '../transaction/transaction-layer.js';
import type { TransactionTimers } from '../transaction/types.js';

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
  | 'failed';

export interface SessionEvents extends Record<string, unknown> {
  state: SessionState;
  /** UAC: a provisional response (180, 183 with early media...). */
  provisional: SipResponse;
  /** UAC: the 2xx that established the session; UAS: the ACK that confirmed it. */
  established: SipResponse | SipRequest;
  /** A request inside the dialog other than BYE and ACK (re-INVITE, UPDATE, INFO, REFER, NOTIFY). */
  request: { request: SipRequest; respond: (status: number, options?: { body?: string; contentType?: string; headers?: Array<[string, string]> }) => void };
  terminated: { reason: EndReason; status?: number; response?: SipResponse };
}

export interface SessionContext {
  readonly layer: TransactionLayer;
  readonly clock: Clock;
  readonly timers: TransactionTimers;
  /** The Via for a new request from this UA (transport fills sent-by). */
  via(branch: string, peer: Peer): string;
  /** This UA's Contact for the dialog. */
  readonly contact: string;
  /** Where an in-dialog request goes (remote target or first route); default: the initial peer. */
  peerFor(request: SipRequest, fallback: Peer): Peer;
  /** Extra headers on every request and dialog-creating response (User-Agent, Allow, Supported). */
  readonly commonHeaders: ReadonlyArray<readonly [string, string]>;
}

export class InviteSession {
  readonly events = new Emitter<SessionEvents>();
  state: SessionState;
  dialog: Dialog | undefined;
  /** Final status code that ended the session, when a response did. */
  endStatus: number | undefined;
  /** The user asked to cancel (CANCEL sent or waiting for a provisional response). */
  private cancelRequested = false;
  private cancelSent = false;
  private provisionalSeen = false;
  private ack: SipRequest | undefined;
  private retransmit2xx: Timer | undefined;
  private ackGuard: Timer | undefined;
  private final2xx: SipResponse | undefined;
  private readonly localTag: string;

  private constructor(
    readonly direction: 'outgoing' | 'incoming',
    readonly invite: SipRequest,
    private readonly peer: Peer,
    private readonly ctx: SessionContext,
    private readonly serverTx?: ServerTransaction,
  ) {
    this.state = direction === 'outgoing' ? 'calling' : 'early';
    this.localTag = direction === 'outgoing' ? invite.from.tag! : randomTag();
  }

  get callId(): string {
    return this.invite.callId;
  }

  /** UAC: sends `invite` (which carries its top Via) to `peer`. */
  static outgoing(invite: SipRequest, peer: Peer, ctx: SessionContext): InviteSession {
    const session = new InviteSession('outgoing', invite, peer, ctx);
    ctx.layer.sendRequest(invite, peer, {
      onResponse: (r) => session.onResponse(r),
      onTimeout: () => session.end('timeout', 408),
      onTransportError: () => session.end('transport-error', 503),
    }, ctx.timers);
    return session;
  }

  /** UAS: an INVITE that created a server transaction. */
  static incoming(tx: ServerTransaction, ctx: SessionContext): InviteSession {
    const session = new InviteSession('incoming', tx.request, tx.source, ctx, tx);
    tx.respond(createResponse(tx.request, 100));
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
    if (this.direction === 'outgoing' && response.status >= 200 && response.status < 300) this.on2xx(response);
  }

  private onResponse(response: SipResponse): void {
    const status = response.status;
    if (status < 200) {
      this.provisionalSeen = true; // a 100 counts too (§9.1)
      if (this.state === 'calling' && status > 100) this.setState('early');
      if (status > 100 && response.to.tag !== undefined && !this.dialog) this.dialog = Dialog.fromUac(this.invite, response);
      this.events.emit('provisional', response);
      if (this.cancelRequested && !this.cancelSent) this.sendCancel();
      return;
    }
    if (status < 300) {
      this.on2xx(response);
      return;
    }
    this.end(status === 487 ? 'cancelled' : status === 603 ? 'declined' : 'rejected', status, response);
  }

  private on2xx(response: SipResponse): void {
    if (this.ack) {
      // §13.2.2.4: a retransmitted 2xx gets the same ACK again.
      if (response.to.tag === this.dialog?.remoteTag) {
        this.ctx.layer.sendStateless(this.ack, this.ackPeer());
        return;
      }
      // A second dialog from forking: ACK it and end it with BYE (§13.2.2.4).
      const extra = Dialog.fromUac(this.invite, response);
      if (extra) {
        const via = this.ctx.via(randomBranch(), this.peer);
        const ack = extra.createAck(this.invite.cseq.seq, { via, contact: this.ctx.contact });
        this.ctx.layer.sendStateless(ack, this.ctx.peerFor(ack, this.peer));
        const bye = extra.createRequest('BYE', { via: this.ctx.via(randomBranch(), this.peer), headers: this.ctx.commonHeaders });
        this.ctx.layer.sendRequest(bye, this.ctx.peerFor(bye, this.peer), { onResponse: () => {}, onTimeout: () => {}, onTransportError: () => {} }, this.ctx.timers);
      }
      return;
    }
    const dialog = this.dialog && this.dialog.remoteTag === response.to.tag ? this.dialog : Dialog.fromUac(this.invite, response);
    if (!dialog) {
      this.end('failed', response.status, response);
      return;
    }
    dialog.receiveResponse(this.invite, response);
    dialog.state = 'confirmed';
    this.dialog = dialog;
    this.ack = dialog.createAck(this.invite.cseq.seq, { via: this.ctx.via(randomBranch(), this.peer), contact: this.ctx.contact });
    this.ctx.layer.sendStateless(this.ack, this.ackPeer());
    if (this.cancelRequested) {
      // CANCEL lost the race with the 200: the call is up, so end it with BYE (§9.1).
      this.setState('confirmed');
      this.sendBye();
      return;
    }
    this.setState('confirmed');
    this.events.emit('established', response);
  }

  private ackPeer(): Peer {
    return this.ctx.peerFor(this.ack!, this.peer);
  }

  private sendCancel(): void {
    if (this.state === 'terminated' || this.ack || this.cancelSent) return;
    this.cancelSent = true;
    const cancel = buildCancel(this.invite);
    this.ctx.layer.sendRequest(cancel, this.peer, { onResponse: () => {}, onTimeout: () => {}, onTransportError: () => {} }, this.ctx.timers);
  }

  // UAS ---------------------------------------------------------------------------------------

  /** Sends a provisional response (180 Ringing, 183 Session Progress with early media). */
  ring(status = 180, options: { body?: string; contentType?: string } = {}): void {
    if (this.direction !== 'incoming' || this.state !== 'early' || !this.serverTx) return;
    const r = createResponse(this.invite, status, { toTag: this.localTag, headers: [['Contact', this.ctx.contact], ...this.ctx.commonHeaders], ...options });
    this.serverTx.respond(r);
  }

  /** Answers with 200 OK; retransmits it until the ACK (§13.3.1.4). */
  accept(options: { body?: string; contentType?: string } = {}): void {
    if (this.direction !== 'incoming' || this.state !== 'early' || !this.serverTx) return;
    const ok = createResponse(this.invite, 200, { toTag: this.localTag, copyRecordRoute: true, headers: [['Contact', this.ctx.contact], ...this.ctx.commonHeaders], ...options });
    this.dialog = Dialog.fromUas(this.invite, this.localTag, false);
    this.final2xx = ok;
    this.serverTx.respond(ok);
    this.setState('confirmed');
    if (this.peer.transport === 'udp') this.schedule2xxRetransmit(this.ctx.timers.t1Ms);
    // No ACK within 64*T1: the session is not established; end it with BYE (§13.3.1.4).
    this.ackGuard = this.ctx.clock.setTimer(64 * this.ctx.timers.t1Ms, () => this.onNoAck(), 'sip 2xx ack guard');
  }

  /** Refuses the call (486 Busy Here, 603 Decline, 480...). */
  reject(status = 486, reason?: string): void {
    if (this.direction !== 'incoming' || this.state !== 'early' || !this.serverTx) return;
    this.serverTx.respond(createResponse(this.invite, status, { toTag: this.localTag, reason, headers: this.ctx.commonHeaders }));
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
    if (request.method === 'ACK') {
      if (this.direction === 'incoming' && this.final2xx && request.cseq.seq === this.invite.cseq.seq) {
        const first = this.ackGuard !== undefined;
        this.stop2xxTimers();
        if (first) this.events.emit('established', request);
      }
      return;
    }
    if (!tx || !this.dialog) return;
    const refused = this.dialog.receiveRequest(request);
    if (refused) {
      tx.respond(refused);
      return;
    }
    if (request.method === 'BYE') {
      tx.respond(createResponse(request, 200, { headers: this.ctx.commonHeaders }));
      this.end('remote-bye');
      return;
    }
    let answered = false;
    const respond = (status: number, options: { body?: string; contentType?: string; headers?: Array<[string, string]> } = {}) => {
      if (answered) return;
      answered = true;
      const headers: Array<readonly [string, string]> = [...(options.headers ?? [])];
      if (request.method === 'INVITE' || request.method === 'UPDATE') headers.push(['Contact', this.ctx.contact]);
      tx.respond(createResponse(request, status, { headers: [...headers, ...this.ctx.commonHeaders], body: options.body, contentType: options.contentType }));
    };
    this.events.emit('request', { request, respond });
    // Nobody handled it: INFO and the like are acknowledged; a re-INVITE/UPDATE without a
    // handler cannot be answered properly (no offer/answer here) → 488.
    if (!answered) respond(request.method === 'INVITE' || request.method === 'UPDATE' ? 488 : 200);
  }

  private schedule2xxRetransmit(intervalMs: number): void {
    this.retransmit2xx = this.ctx.clock.setTimer(
      intervalMs,
      () => {
        if (!this.final2xx || !this.serverTx) return;
        this.serverTx.respond(this.final2xx);
        this.schedule2xxRetransmit(Math.min(2 * intervalMs, this.ctx.timers.t2Ms));
      },
      'sip 2xx retransmit',
    );
  }

  private onNoAck(): void {
    this.ackGuard = undefined;
    this.stop2xxTimers();
    if (this.state !== 'confirmed') return;
    this.sendBye('no-ack');
  }

  private stop2xxTimers(): void {
    this.retransmit2xx?.cancel();
    this.retransmit2xx = undefined;
    this.ackGuard?.cancel();
    this.ackGuard = undefined;
  }

  // both ----------------------------------------------------------------------------------------

  private sendBye(reason: EndReason = 'local-bye'): void {
    if (!this.dialog || this.state === 'terminated') return;
    this.stop2xxTimers();
    const via = this.ctx.via(randomBranch(), this.peer);
    const bye = this.dialog.createRequest('BYE', { via, headers: this.ctx.commonHeaders });
    const done = (status?: number) => this.end(reason, status);
    this.ctx.layer.sendRequest(bye, this.ctx.peerFor(bye, this.peer), {
      onResponse: (r) => {
        if (r.status >= 200) done(r.status);
      },
      onTimeout: () => done(408),
      onTransportError: () => done(503),
    }, this.ctx.timers);
  }

  private setState(state: SessionState): void {
    if (this.state === state) return;
    this.state = state;
    this.events.emit('state', state);
  }

  private end(reason: EndReason, status?: number, response?: SipResponse): void {
    if (this.state === 'terminated') return;
    this.stop2xxTimers();
    this.endStatus = status;
    this.dialog?.terminate();
    this.setState('terminated');
    this.events.emit('terminated', { reason, status, response });
  }
}
