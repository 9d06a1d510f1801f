// The UAC half of an INVITE session: sending the INVITE (RFC 3261 §13.2.1, Expires and CANCEL
// when it passes), provisional responses and their early dialogs (§13.2.2.1, RFC 3262 PRACK),
// the 2xx and its ACK (§13.2.2.4, forked 2xx ended with BYE), CANCEL (§9.1), a 422 retried with
// the Min-SE learnt (RFC 4028 §7.3) and a challenged INVITE re-sent with credentials (§22.2).
import type { Timer } from '../../core/clock.js';
import { buildCancel, randomBranch, H, type SipRequest, type SipResponse } from '../message/index.js';
import { Dialog } from '../dialog/dialog.js';
import type { ClientHandlers, Peer } from '../transaction/transaction-layer.js';
import { RseqTracker } from './prack.js';
import { nextAttempt, sendAuthorized } from './resend.js';
import { bodyOf, type SessionCore } from './session-core.js';
import { allowsMethod, supportedTags } from './session-options.js';

export class UacInvite {
  /** The INVITE in progress (a challenged or 422'd INVITE is re-sent with CSeq + 1). */
  private request: SipRequest;
  private cancelRequested = false;
  private cancelSent = false;
  private provisionalSeen = false;
  private ack: SipRequest | undefined;
  private expiry: Timer | undefined;
  private readonly rseqs = new RseqTracker();
  private readonly earlyDialogs = new Map<string, Dialog>();

  constructor(
    private readonly core: SessionCore,
    invite: SipRequest,
  ) {
    this.request = invite;
  }

  /** Sends the INVITE (which carries its top Via) with the line's extension headers. */
  start(): void {
    const { opts, ctx } = this.core;
    const invite = this.request;
    // KX-UT670 5.8.2 SIP_100REL_ENABLE_n / SIP_SESSION_TIME_n: option tags in Supported.
    if (!invite.headers.has('Supported')) invite.headers.append('Supported', supportedTags(opts).join(', '));
    for (const [name, value] of this.core.timerNegotiation.requestHeaders(false)) invite.headers.set(name, value);
    const expires = opts.inviteExpiresS ?? 0;
    if (expires > 0) {
      // KX-UT670 5.8.2 SIP_INVITE_EXPIRE_n → Expires; §13.2.1: CANCEL when it passes unanswered.
      invite.headers.set('Expires', String(expires));
      this.expiry = ctx.clock.setTimer(expires * 1000, () => this.cancel(), 'sip invite expires');
    }
    this.sendInvite();
  }

  /** §9.1: CANCEL once a provisional response came; before that it waits. */
  cancel(): void {
    const state = this.core.state();
    if (state === 'terminated' || state === 'confirmed') return;
    this.cancelRequested = true;
    if (this.provisionalSeen) this.sendCancel();
  }

  /** Whether a 2xx the transaction layer no longer claims answers our INVITE (and not a re-INVITE). */
  owns2xx(response: SipResponse): boolean {
    return response.cseq.seq === this.request.cseq.seq;
  }

  stop(): void {
    this.expiry?.cancel();
    this.expiry = undefined;
  }

  private sendInvite(): void {
    const handlers: ClientHandlers = {
      onResponse: (r) => this.onResponse(r),
      onTimeout: () => this.core.end('timeout', 408),
      onTransportError: () => this.core.end('transport-error', 503),
    };
    sendAuthorized(this.core.ctx, this.request, this.core.peer, handlers, (next) => this.resent(next));
  }

  /** A challenged or 422'd INVITE went out again: CANCEL must wait for its provisional response. */
  private resent(next: SipRequest): void {
    this.request = next;
    this.provisionalSeen = false;
  }

  private onResponse(response: SipResponse): void {
    const terminated = this.core.state() === 'terminated';
    if (terminated && response.status < 300) return;
    const status = response.status;
    if (status < 200) return this.onProvisional(response);
    if (status < 300) return this.receive2xx(response);
    if (status === 422 && !terminated && this.core.timerNegotiation.receive422(response)) {
      // RFC 4028 §7.3: again with the Min-SE learnt, CSeq + 1.
      const next = nextAttempt(this.request, this.core.timerNegotiation.requestHeaders(false));
      this.resent(next);
      this.sendInvite();
      return;
    }
    this.core.end(status === 487 ? 'cancelled' : status === 603 ? 'declined' : 'rejected', status, response);
  }

  private onProvisional(response: SipResponse): void {
    this.provisionalSeen = true; // a 100 counts too (§9.1)
    const status = response.status;
    const tag = response.to.tag;
    const verdict = this.rseqs.classify(response);
    // RFC 3262 §4: a retransmitted reliable provisional is not passed on again; one out of order
    // is discarded (it comes again after the missing one).
    if (verdict === 'retransmission' || verdict === 'out-of-order') return;
    if (this.core.state() === 'calling' && status > 100) this.core.setState('early');
    let dialog: Dialog | undefined;
    if (status > 100 && tag !== undefined) {
      dialog = this.earlyDialogs.get(tag) ?? Dialog.fromUac(this.request, response);
      if (dialog && !this.earlyDialogs.has(tag)) this.earlyDialogs.set(tag, dialog);
      if (!this.core.dialog() && dialog) this.core.setDialog(dialog);
    }
    if (verdict === 'new' && dialog) this.sendPrack(dialog, response);
    this.core.events.emit('provisional', response);
    if (this.cancelRequested && !this.cancelSent) this.sendCancel();
  }

  /** RFC 3262 §7.2: PRACK in the early dialog with RAck: RSeq, CSeq number and method of the INVITE. */
  private sendPrack(dialog: Dialog, response: SipResponse): void {
    const { ctx } = this.core;
    const prack = dialog.createRequest('PRACK', {
      via: ctx.via(randomBranch(), this.core.peer),
      headers: [['RAck', `${response.value(H.RSeq)!} ${response.cseq.seq} INVITE`], ...ctx.commonHeaders],
    });
    this.core.sendInDialog(prack, dialog, () => {});
  }

  /** A 2xx to our INVITE, first or retransmitted, from the dialog we confirmed or another fork. */
  receive2xx(response: SipResponse): void {
    const { ctx, peer } = this.core;
    if (this.ack) {
      // §13.2.2.4: a retransmitted 2xx gets the same ACK again.
      if (response.to.tag === this.core.dialog()?.remoteTag) {
        ctx.layer.sendStateless(this.ack, this.ackPeer());
        return;
      }
      // A second dialog from forking: ACK it and end it with BYE (§13.2.2.4).
      const extra = this.earlyDialogs.get(response.to.tag ?? '') ?? Dialog.fromUac(this.request, response);
      if (extra) {
        extra.receiveResponse(this.request, response);
        const ack = extra.createAck(this.request.cseq.seq, { via: ctx.via(randomBranch(), peer), contact: ctx.contact });
        ctx.layer.sendStateless(ack, ctx.peerFor(ack, peer));
        const bye = extra.createRequest('BYE', { via: ctx.via(randomBranch(), peer), headers: ctx.commonHeaders });
        this.core.sendInDialog(bye, extra, () => {});
      }
      return;
    }
    const tag = response.to.tag ?? '';
    const dialog = this.earlyDialogs.get(tag) ?? Dialog.fromUac(this.request, response);
    if (!dialog) {
      this.core.end('failed', response.status, response);
      return;
    }
    this.stop();
    dialog.receiveResponse(this.request, response);
    dialog.state = 'confirmed';
    this.core.setDialog(dialog);
    this.core.events.emit('dialog', dialog);
    this.ack = dialog.createAck(this.request.cseq.seq, { via: ctx.via(randomBranch(), peer), contact: ctx.contact });
    ctx.layer.sendStateless(this.ack, this.ackPeer());
    if (this.cancelRequested) {
      // CANCEL lost the race with the 200: the call is up, so end it with BYE (§9.1).
      this.core.setState('confirmed');
      this.core.sendBye();
      return;
    }
    this.core.setLocalBody(bodyOf(this.request));
    this.core.setRemoteBody(bodyOf(response));
    this.core.setPeerAllowsUpdate(allowsMethod(response, 'UPDATE'));
    this.core.setState('confirmed');
    this.core.startSessionTimer(this.core.timerNegotiation.receive2xx(response));
    this.core.events.emit('established', response);
  }

  private ackPeer(): Peer {
    return this.core.ctx.peerFor(this.ack!, this.core.peer);
  }

  private sendCancel(): void {
    if (this.core.state() === 'terminated' || this.ack || this.cancelSent) return;
    this.cancelSent = true;
    const cancel = buildCancel(this.request);
    this.core.ctx.layer.sendRequest(cancel, this.core.peer, { onResponse: () => {}, onTimeout: () => {}, onTransportError: () => {} }, this.core.ctx.timers);
  }
}
