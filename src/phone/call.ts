// One call as the phone's user sees it, on top of one INVITE session (src/sip/ua), its
// offer/answer state (src/sip/sdp SdpSession) and its audio stream (CallMedia). The call layer
// is model-agnostic and independent of what drives it (control API, keys, web dial page).
import { Emitter } from '../core/events.js';
import type { InviteSession, EndReason } from '../sip/ua/invite-session.js';
import { parseSdp, serializeSdp, type NegotiatedSession, type SdpSession } from '../sip/sdp/index.js';
import type { SipMessage } from '../sip/message/index.js';
import type { CallMedia, CallMediaStats } from './call-media.js';

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
}

export interface CallEvents extends Record<string, unknown> {
  state: CallState;
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
  ) {
    this.state = session.direction === 'outgoing' ? 'calling' : 'ringing';
    session.events.on('provisional', (r) => this.onProvisional(r));
    session.events.on('established', (m) => this.onEstablished(m));
    session.events.on('request', (e) => this.onInDialogRequest(e));
    session.events.on('terminated', (t) => void this.onTerminated(t.reason, t.status));
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

  private onInDialogRequest(e: { request: { method: string; body: Uint8Array }; respond: (status: number, options?: { body?: string; contentType?: string; headers?: Array<[string, string]> }) => void }): void {
    const { request, respond } = e;
    if (request.method !== 'INVITE' && request.method !== 'UPDATE') return;
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
    const made = this.sdp.receiveOffer(offer.value);
    if (!made.ok) return respond(488, { headers: [['Warning', `304 vphone "${made.error.message.replace(/"/g, "'")}"`]] });
    respond(200, { body: serializeSdp(made.value.answer), contentType: SDP });
    this.applyMedia(made.value.negotiated);
  }

  private applyMedia(negotiated: NegotiatedSession): void {
    this.negotiated = negotiated;
    this.media.apply(negotiated.audio);
  }

  private async onTerminated(reason: EndReason, status: number | undefined): Promise<void> {
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
