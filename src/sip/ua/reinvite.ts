// Modifying an established session: re-INVITE (RFC 3261 §14) and UPDATE (RFC 3311) in both
// directions. Offer/answer bodies stay opaque: received offers go to the call layer, which
// answers them; our offers come from it. Glare gets 491 and the §14.1 random back-off; an offer
// while one of the peer's is still unanswered gets 500 with Retry-After (§14.2, RFC 3311 §5.2).
import type { Timer } from '../../core/clock.js';
import { createResponse, randomBranch, type SipRequest, type SipResponse } from '../message/index.js';
import type { Dialog } from '../dialog/dialog.js';
import type { ClientHandlers, Peer, ServerTransaction } from '../transaction/transaction-layer.js';
import { AckWait } from './ack-wait.js';
import type { SessionContext } from './session-context.js';

export type ModifyMethod = 'INVITE' | 'UPDATE';

export interface Body {
  readonly body: string | Uint8Array;
  readonly contentType: string;
}

export interface ResponseOptions {
  readonly body?: string;
  readonly contentType?: string;
  readonly headers?: ReadonlyArray<readonly [string, string]>;
}

/** A re-INVITE or UPDATE from the peer, for the call layer to answer (now or later). */
export interface IncomingOffer {
  readonly method: ModifyMethod;
  readonly request: SipRequest;
  /** The offer; empty for an offerless re-INVITE (the body we answer with is then our offer). */
  readonly body: Buffer;
  /** 200 OK with our answer (or offer). Without a body: a refresh only. */
  answer(body?: string, contentType?: string): void;
  /** Refuses the change (488, 491...); the session stays as it was (§14.2). */
  reject(status: number, options?: ResponseOptions): void;
}

export type ModifyOutcome = { ok: true; response: SipResponse } | { ok: false; status: number; response?: SipResponse };

export interface ModifierHost {
  readonly ctx: SessionContext;
  /** The initial peer (for Via). */
  readonly peer: Peer;
  dialog(): Dialog | undefined;
  /** §14.1: the UA that generated the Call-ID waits longer after a 491. */
  readonly ownsCallId: boolean;
  readonly random: () => number;
  /** Sends an in-dialog request (the host adds credentials after a challenge). */
  send(request: SipRequest, handlers: ClientHandlers): void;
  sendAck(ack: SipRequest): void;
  /** Extra headers for a request we send (Supported, Session-Expires...). */
  requestHeaders(method: ModifyMethod, refresh: boolean): Array<[string, string]>;
  /** Session timer negotiation on a received request: 422 or the 2xx headers and what to apply. */
  negotiate(request: SipRequest): { tooSmall: number } | { headers: Array<[string, string]>; apply(): void };
  /** A 2xx to a request of ours (restart the session timer). */
  modified(request: SipRequest, response: SipResponse): void;
  /** §14.1 / RFC 3311 §5.1 with RFC 5057: 481 or 408 means the dialog is gone. */
  dialogGone(status: number): void;
  /** §13.3.1.4: no ACK for our 2xx to a re-INVITE. */
  noAck(): void;
  /** A 422 to our refresh: retry with the Min-SE learnt; false when nothing new. */
  retryAfter422(response: SipResponse): boolean;
  offer(offer: IncomingOffer): void;
  answer(body: Body, via: 'response' | 'ack'): void;
}

interface Pending {
  readonly method: ModifyMethod;
  body: Body | undefined;
  /** Builds the offer again before a retry after 491 (the session may have changed meanwhile). */
  readonly reoffer: (() => Body | undefined) | undefined;
  readonly refresh: boolean;
  readonly done: ((outcome: ModifyOutcome) => void) | undefined;
  request: SipRequest | undefined;
  ack: SipRequest | undefined;
  glareRetries: number;
  retry: Timer | undefined;
}

const MAX_GLARE_RETRIES = 5;

export class SessionModifier {
  private pending: Pending | undefined;
  /** A received re-INVITE still without its final response (§14.2). */
  private serverInvite: SipRequest | undefined;
  /** A received offer not yet answered (RFC 3311 §5.2). */
  private remoteOfferPending = false;
  private ackWait: AckWait | undefined;
  private answeredInvite: { seq: number; offerless: boolean } | undefined;

  constructor(private readonly host: ModifierHost) {}

  /** Whether we wait for an answer to an offer of ours. */
  get busy(): boolean {
    return this.pending !== undefined;
  }

  /** Starts a re-INVITE or UPDATE; false when another modification is in progress. */
  start(method: ModifyMethod, body: Body | undefined, options: { refresh?: boolean; done?: (outcome: ModifyOutcome) => void; reoffer?: () => Body | undefined } = {}): boolean {
    if (this.pending || this.serverInvite || (body && this.remoteOfferPending) || !this.host.dialog()) return false;
    this.pending = { method, body, reoffer: options.reoffer, refresh: options.refresh ?? false, done: options.done, request: undefined, ack: undefined, glareRetries: 0, retry: undefined };
    this.sendPending();
    return true;
  }

  stop(): void {
    this.pending?.retry?.cancel();
    this.pending = undefined;
    this.ackWait?.stop();
    this.ackWait = undefined;
  }

  /** A 2xx retransmission no transaction claims: ACK it again (§13.2.2.4). */
  receiveStray2xx(response: SipResponse): void {
    const p = this.lastAck;
    if (p && p.cseq.seq === response.cseq.seq) this.host.sendAck(p);
  }

  private lastAck: SipRequest | undefined;

  private sendPending(): void {
    const p = this.pending;
    const dialog = this.host.dialog();
    if (!p || !dialog) return;
    const { ctx } = this.host;
    const request = dialog.createRequest(p.method, {
      via: ctx.via(randomBranch(), this.host.peer),
      contact: ctx.contact,
      headers: [...ctx.commonHeaders, ...this.host.requestHeaders(p.method, p.refresh)],
      body: p.body?.body,
      contentType: p.body?.contentType,
    });
    p.request = request;
    this.host.send(request, {
      onResponse: (r) => this.onResponse(p, r),
      onTimeout: () => this.fail(p, 408),
      onTransportError: () => this.fail(p, 503),
    });
  }

  private onResponse(p: Pending, response: SipResponse): void {
    if (response.status < 200) return;
    if (response.status < 300) {
      if (p.method === 'INVITE') {
        // §13.2.2.4: ACK every 2xx to our re-INVITE (retransmissions get the same ACK).
        if (!p.ack) p.ack = this.host.dialog()!.createAck(response.cseq.seq, { via: this.host.ctx.via(randomBranch(), this.host.peer), contact: this.host.ctx.contact });
        this.lastAck = p.ack;
        this.host.sendAck(p.ack);
      }
      if (this.pending !== p) return; // a retransmitted 2xx
      this.pending = undefined;
      this.host.dialog()?.receiveResponse(p.request!, response);
      this.host.modified(p.request!, response);
      if (response.body.length > 0) this.host.answer({ body: response.body, contentType: response.contentType?.mimeType ?? 'application/sdp' }, 'response');
      p.done?.({ ok: true, response });
      return;
    }
    if (this.pending !== p) return;
    if (response.status === 491 && p.glareRetries < MAX_GLARE_RETRIES) {
      // §14.1: glare: retry after a random time; the Call-ID owner waits 2.1-4 s, the other 0-2 s
      // (both in units of 10 ms).
      p.glareRetries++;
      const r = this.host.random();
      const delay = this.host.ownsCallId ? 2100 + Math.floor(r * 191) * 10 : Math.floor(r * 201) * 10;
      p.retry = this.host.ctx.clock.setTimer(delay, () => {
        p.retry = undefined;
        if (this.pending !== p) return;
        if (p.reoffer) p.body = p.reoffer() ?? p.body;
        this.sendPending();
      }, 'sip glare back-off');
      return;
    }
    if (response.status === 422 && this.host.retryAfter422(response)) {
      this.sendPending();
      return;
    }
    this.fail(p, response.status, response);
  }

  private fail(p: Pending, status: number, response?: SipResponse): void {
    if (this.pending !== p) return;
    this.pending = undefined;
    p.done?.({ ok: false, status, response });
    if (status === 481 || status === 408) this.host.dialogGone(status);
  }

  // Receiving --------------------------------------------------------------------------------

  /** A re-INVITE or UPDATE in the dialog (already checked by the dialog). */
  receive(request: SipRequest, tx: ServerTransaction): void {
    const method = request.method as ModifyMethod;
    const hasOffer = request.body.length > 0;
    const { ctx } = this.host;
    const reply = (status: number, options: ResponseOptions = {}): void => {
      const headers: Array<readonly [string, string]> = [...(options.headers ?? [])];
      if (status < 300) headers.push(['Contact', ctx.contact]);
      tx.respond(createResponse(request, status, { headers: [...headers, ...ctx.commonHeaders], body: options.body, contentType: options.contentType }));
    };
    const retryAfter = (): Array<[string, string]> => [['Retry-After', String(Math.floor(this.host.random() * 11))]];
    // §14.2: a re-INVITE before our final response to the previous one: 500 with Retry-After 0-10 s.
    if (method === 'INVITE' && this.serverInvite) return reply(500, { headers: retryAfter() });
    // §14.2 / RFC 3311 §5.2: an offer while our own offer awaits its answer: glare, 491.
    // (While we back off after a 491 our offer is withdrawn: the peer's goes first.)
    if (this.pending?.body && !this.pending.retry && (hasOffer || method === 'INVITE')) return reply(491);
    // RFC 3311 §5.2: an offer while the peer's previous offer is still unanswered: 500 + Retry-After.
    if (hasOffer && this.remoteOfferPending) return reply(500, { headers: retryAfter() });
    const negotiated = this.host.negotiate(request);
    if ('tooSmall' in negotiated) return reply(422, { headers: [['Min-SE', String(negotiated.tooSmall)]] });

    if (method === 'UPDATE' && !hasOffer) {
      // RFC 3311 §5.2 / RFC 4028 §9: an UPDATE without offer (a session refresh).
      reply(200, { headers: negotiated.headers });
      negotiated.apply();
      return;
    }
    if (method === 'INVITE') this.serverInvite = request;
    this.remoteOfferPending = hasOffer;
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      if (this.serverInvite === request) this.serverInvite = undefined;
      this.remoteOfferPending = false;
      return true;
    };
    const offer: IncomingOffer = {
      method,
      request,
      body: request.body,
      answer: (body, contentType = 'application/sdp') => {
        if (!settle()) return;
        const ok = createResponse(request, 200, {
          headers: [['Contact', ctx.contact], ...negotiated.headers, ...ctx.commonHeaders],
          body,
          contentType: body === undefined ? undefined : contentType,
        });
        tx.respond(ok);
        negotiated.apply();
        if (method === 'INVITE') {
          this.ackWait?.stop();
          this.answeredInvite = { seq: request.cseq.seq, offerless: !hasOffer };
          this.ackWait = new AckWait(ctx.clock, ctx.timers, () => tx.respond(ok), () => this.host.noAck(), tx.source.transport === 'udp');
        }
      },
      reject: (status, options) => {
        if (settle()) reply(status, options);
      },
    };
    this.host.offer(offer);
  }

  /** The ACK for a 2xx to a re-INVITE; an offerless re-INVITE's ACK carries the answer. */
  receiveAck(ack: SipRequest): void {
    const answered = this.answeredInvite;
    if (!answered || ack.cseq.seq !== answered.seq || !this.ackWait) return;
    const first = this.ackWait.ack();
    if (first && answered.offerless && ack.body.length > 0) this.host.answer({ body: ack.body, contentType: ack.contentType?.mimeType ?? 'application/sdp' }, 'ack');
  }
}
