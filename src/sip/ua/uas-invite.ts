// The UAS half of an INVITE session: 100 Trying and the RFC 4028 §9 Min-SE check on arrival,
// provisional responses (repeated per KX-UT670 SIP_18X_RTX_INTVL_n, or reliable per RFC 3262),
// the 2xx retransmitted until its ACK (RFC 3261 §13.3.1.4), reject/redirect, CANCEL (§9.2) and
// the INVITE's Expires passing unanswered (§13.3.1).
import type { Timer } from '../../core/clock.js';
import { createResponse, H, randomTag, type RAck, type SipRequest, type SipResponse } from '../message/index.js';
import { Dialog } from '../dialog/dialog.js';
import type { ServerTransaction } from '../transaction/transaction-layer.js';
import { AckWait } from './ack-wait.js';
import { ReliableProvisionalSender } from './prack.js';
import { bodyOf, type SessionCore } from './session-core.js';
import { allowsMethod, hasOptionTag, supportedTags } from './session-options.js';

export class UasInvite {
  private readonly localTag = randomTag();
  private readonly invite: SipRequest;
  private reliable: ReliableProvisionalSender | undefined;
  private provisionalRepeat: Timer | undefined;
  private expiry: Timer | undefined;
  private acceptQueued = false;
  private final2xx: SipResponse | undefined;
  private ackWait: AckWait | undefined;

  constructor(
    private readonly core: SessionCore,
    private readonly serverTx: ServerTransaction,
  ) {
    this.invite = serverTx.request;
  }

  /** 100 Trying; a Session-Expires below our Min-SE is refused; the INVITE's Expires starts. */
  start(): void {
    const { ctx } = this.core;
    const tx = this.serverTx;
    tx.respond(createResponse(tx.request, 100));
    this.core.setPeerAllowsUpdate(allowsMethod(tx.request, 'UPDATE'));
    // RFC 4028 §9: a Session-Expires below our Min-SE is refused with 422 before ringing.
    const negotiated = this.core.timerNegotiation.receiveRequest(tx.request);
    if ('tooSmall' in negotiated) {
      tx.respond(createResponse(tx.request, 422, { toTag: this.localTag, headers: [['Min-SE', String(negotiated.tooSmall)], ...ctx.commonHeaders] }));
      this.core.end('rejected', 422);
      return;
    }
    // §13.3.1: an INVITE whose Expires passes before it is answered gets 487.
    const expires = tx.request.value(H.Expires);
    if (expires !== undefined) this.expiry = ctx.clock.setTimer(expires * 1000, () => this.expire(), 'sip invite expires');
  }

  private get ringing(): boolean {
    return this.core.state() === 'early';
  }

  /** See InviteSession.progress. */
  progress(status: number, options: { body?: string; contentType?: string; reliable?: boolean }): void {
    if (!this.ringing || this.acceptQueued) return;
    const { ctx, opts } = this.core;
    const uacSupports = hasOptionTag(this.invite, '100rel');
    const reliable = hasOptionTag(this.invite, '100rel', 'require') || (uacSupports && (options.reliable ?? opts.reliableProvisional ?? false));
    const r = createResponse(this.invite, status, {
      toTag: this.localTag,
      copyRecordRoute: true,
      headers: [['Contact', ctx.contact], ['Supported', supportedTags(opts).join(', ')], ...ctx.commonHeaders],
      body: options.body,
      contentType: options.body === undefined ? undefined : (options.contentType ?? 'application/sdp'),
    });
    if (!reliable) {
      this.serverTx.respond(r);
      this.repeatProvisional(r);
      return;
    }
    if (!this.core.dialog()) {
      // RFC 3262 §3 / §12.1.1: the reliable 18x creates the early dialog the PRACK arrives in.
      const dialog = Dialog.fromUas(this.invite, this.localTag, true);
      this.core.setDialog(dialog);
      if (dialog) this.core.events.emit('dialog', dialog);
    }
    this.reliable ??= new ReliableProvisionalSender(
      { clock: ctx.clock, t1Ms: ctx.timers.t1Ms, send: (x) => this.serverTx.respond(x), giveUp: () => this.failNoPrack() },
      this.core.random,
      this.invite.cseq.seq,
    );
    if (options.body !== undefined) this.core.setLocalBody({ body: options.body, contentType: options.contentType ?? 'application/sdp' });
    this.reliable.send(r);
  }

  /** See InviteSession.accept. */
  accept(options: { body?: string; contentType?: string }): void {
    if (!this.ringing || this.acceptQueued) return;
    if (this.reliable?.busy) {
      this.acceptQueued = true;
      this.reliable.whenIdle(() => {
        this.acceptQueued = false;
        this.accept(options);
      });
      return;
    }
    const { ctx, opts } = this.core;
    const negotiated = this.core.timerNegotiation.receiveRequest(this.invite);
    const timerHeaders = 'headers' in negotiated ? negotiated.headers : [];
    const ok = createResponse(this.invite, 200, {
      toTag: this.localTag,
      copyRecordRoute: true,
      headers: [['Contact', ctx.contact], ['Supported', supportedTags(opts).join(', ')], ...timerHeaders, ...ctx.commonHeaders],
      ...options,
    });
    const early = this.core.dialog();
    if (early) early.state = 'confirmed';
    else this.core.setDialog(Dialog.fromUas(this.invite, this.localTag, false));
    const dialog = this.core.dialog();
    if (dialog) this.core.events.emit('dialog', dialog);
    this.final2xx = ok;
    this.stopTimers();
    this.serverTx.respond(ok);
    this.core.setRemoteBody(bodyOf(this.invite));
    if (options.body !== undefined) this.core.setLocalBody({ body: options.body, contentType: options.contentType ?? 'application/sdp' });
    this.core.setState('confirmed');
    this.core.startSessionTimer('interval' in negotiated ? negotiated.interval : undefined);
    const tx = this.serverTx;
    // No ACK within 64*T1: the session is not established; end it with BYE (§13.3.1.4).
    this.ackWait = new AckWait(ctx.clock, ctx.timers, () => tx.respond(ok), () => this.core.noAck(), this.core.peer.transport === 'udp');
  }

  /** See InviteSession.reject. */
  reject(status: number, reason: string | undefined, headers: ReadonlyArray<readonly [string, string]>): void {
    if (!this.ringing) return;
    this.serverTx.respond(createResponse(this.invite, status, { toTag: this.localTag, reason, headers: [...headers, ...this.core.ctx.commonHeaders] }));
    this.core.end(status === 603 ? 'declined' : 'rejected', status);
  }

  /** §9.2: a CANCEL (already answered 200) ends a session still ringing with 487. */
  cancelled(): void {
    if (!this.ringing) return;
    this.serverTx.respond(createResponse(this.invite, 487, { toTag: this.localTag }));
    this.core.end('cancelled', 487);
  }

  /** RFC 3262 §3: whether a PRACK's RAck matches the outstanding reliable provisional. */
  expectsPrack(rack: RAck | undefined): boolean {
    return this.reliable?.matches(rack) ?? false;
  }

  receivePrack(rack: RAck | undefined): void {
    this.reliable?.receivePrack(rack);
  }

  /** The ACK for our 2xx to the INVITE (true), or not ours (false: a re-INVITE's). */
  receiveAck(ack: SipRequest): boolean {
    if (!this.final2xx || ack.cseq.seq !== this.invite.cseq.seq) return false;
    if (!this.ackWait?.ack()) return true;
    // An offerless INVITE: our offer was in the 2xx, the answer is in the ACK (RFC 3264 §4).
    if (this.invite.body.length === 0 && ack.body.length > 0) {
      this.core.setRemoteBody(bodyOf(ack));
      this.core.events.emit('answer', { body: ack.body, contentType: ack.contentType?.mimeType ?? 'application/sdp', via: 'ack' });
    }
    this.core.events.emit('established', ack);
    return true;
  }

  stop(): void {
    this.ackWait?.stop();
    this.stopTimers();
  }

  private expire(): void {
    this.expiry = undefined;
    if (!this.ringing || this.final2xx) return;
    this.serverTx.respond(createResponse(this.invite, 487, { toTag: this.localTag, headers: this.core.ctx.commonHeaders }));
    this.core.end('expired', 487);
  }

  private failNoPrack(): void {
    if (!this.ringing) return;
    this.serverTx.respond(createResponse(this.invite, 500, { toTag: this.localTag, reason: 'No PRACK', headers: this.core.ctx.commonHeaders }));
    this.core.end('no-prack', 500);
  }

  /** KX-UT670 5.8.2 SIP_18X_RTX_INTVL_n: repeat the latest unreliable 18x while it rings. */
  private repeatProvisional(response: SipResponse): void {
    this.provisionalRepeat?.cancel();
    const seconds = this.core.opts.provisionalRetransmitS ?? 0;
    if (seconds <= 0) return;
    this.provisionalRepeat = this.core.ctx.clock.setTimer(seconds * 1000, () => {
      if (!this.ringing || this.final2xx) return;
      this.serverTx.respond(response);
      this.repeatProvisional(response);
    }, 'sip 18x repeat');
  }

  private stopTimers(): void {
    this.provisionalRepeat?.cancel();
    this.provisionalRepeat = undefined;
    this.expiry?.cancel();
    this.expiry = undefined;
    this.reliable?.stop();
  }
}
