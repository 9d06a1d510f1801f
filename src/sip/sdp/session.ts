// SdpSession: the offer/answer state of one call (one dialog), on top of the pure functions of
// offer-answer.ts. It owns
//  - the o= line: one session id, the version incremented by one whenever our description
//    changes and kept when it does not (RFC 3264 §8: "the version … MUST increment by one";
//    an unchanged description keeps its version), username and address fixed after the first
//    description (§8: the rest of o= MUST stay identical);
//  - the layout of m= lines, so a re-offer keeps every stream of the session (§8);
//  - hold (§8.4): our hold re-offer is a=sendonly, or a=inactive when the peer already holds us
//    (or the line holds with inactive); with RFC 2543 hold also c=0.0.0.0. The peer's hold is
//    read from a=sendonly / a=inactive and from c=0.0.0.0 alike;
//  - the offer in flight, so an answer is checked against it, and a failed re-offer
//    (488/491/timeout) rolls back (offerRejected).
// Early media: an answer in a 18x is processed with `{ provisional: true }`; RFC 3261 §13.2.1
// makes the first SDP the answer, but the 2xx of the same dialog may repeat or (against the
// rule, RFC 6337 §3.1.1) change it, so the offer stays known until a final answer comes, and
// a changed 2xx answer is processed again. Forked early dialogs: `clone()` one session per dialog.
//
// Sans-IO: nothing here sends or waits; the call layer puts the descriptions in messages. What
// a peer can get wrong comes back as a Result: an offer while ours is pending (glare) is
// SDP_OFFER_PENDING (status 491, RFC 3261 §14.2), an answer with no offer of ours out is
// SDP_NO_OFFER. Asking for a second offer while one is pending is a bug of the call layer and
// throws.
import { createAnswer, createOffer, processAnswer, type NegotiatedSession, type OriginIds } from './offer-answer.js';
import type { SdpOptions } from './options.js';
import { viewMedia } from './attributes.js';
import { directionSends, sdpFailure, type Direction, type Origin, type SdpResult, type SessionDescription } from './sdp.js';
import { serializeSdp } from './serialize.js';

export interface SdpSessionInit {
  /** o= session id (digits): e.g. NTP seconds of the clock's wall time, or a random number. */
  readonly sessionId: string;
  /** First o= version (digits); default: the session id (RFC 4566 §5.2 suggests NTP times for both). */
  readonly sessionVersion?: string;
}

interface PendingOffer {
  readonly offer: SessionDescription;
  /** localHold before hold()/resume(), restored by offerRejected(). */
  readonly holdBefore: boolean;
}

export class SdpSession {
  #options: SdpOptions;
  readonly sessionId: string;
  #version: bigint;
  #originBase: Pick<Origin, 'username' | 'netType' | 'addressType' | 'address'> | undefined;
  #local: SessionDescription | undefined;
  #localBody: string | undefined;
  #remote: SessionDescription | undefined;
  #pending: PendingOffer | undefined;
  #earlyOffer: SessionDescription | undefined;
  #localHold = false;
  #remoteHold = false;
  #negotiated: NegotiatedSession | undefined;

  constructor(options: SdpOptions, init: SdpSessionInit) {
    if (!/^[0-9]{1,20}$/.test(init.sessionId)) throw new Error(`SdpSession: session id must be digits, got ${JSON.stringify(init.sessionId)}`);
    const version = init.sessionVersion ?? init.sessionId;
    if (!/^[0-9]{1,20}$/.test(version)) throw new Error(`SdpSession: session version must be digits, got ${JSON.stringify(version)}`);
    this.#options = options;
    this.sessionId = init.sessionId;
    this.#version = BigInt(version);
  }

  get options(): SdpOptions {
    return this.#options;
  }

  /** New policy or endpoint (another RTP port, new codec settings); the next description uses it. */
  setOptions(options: SdpOptions): void {
    this.#options = options;
  }

  /** We hold the call: hold() was asked and not undone by resume() or a refused offer. */
  get localHold(): boolean {
    return this.#localHold;
  }

  /** The peer holds the call: its last description does not want to receive. */
  get remoteHold(): boolean {
    return this.#remoteHold;
  }

  /** The media in force: from the last completed offer/answer exchange. */
  get negotiated(): NegotiatedSession | undefined {
    return this.#negotiated;
  }

  get localDescription(): SessionDescription | undefined {
    return this.#local;
  }

  get remoteDescription(): SessionDescription | undefined {
    return this.#remote;
  }

  get hasPendingOffer(): boolean {
    return this.#pending !== undefined;
  }

  /** The offer in flight, if any. */
  get pendingOffer(): SessionDescription | undefined {
    return this.#pending?.offer;
  }

  /** o= version of our last description. */
  get sessionVersion(): string {
    return String(this.#version);
  }

  /** A copy for another early dialog of a forked INVITE (same offer, same o= line). */
  clone(): SdpSession {
    const c = new SdpSession(this.#options, { sessionId: this.sessionId, sessionVersion: String(this.#version) });
    c.#originBase = this.#originBase;
    c.#local = this.#local;
    c.#localBody = this.#localBody;
    c.#remote = this.#remote;
    c.#pending = this.#pending;
    c.#earlyOffer = this.#earlyOffer;
    c.#localHold = this.#localHold;
    c.#remoteHold = this.#remoteHold;
    c.#negotiated = this.#negotiated;
    return c;
  }

  /** The direction we want while holding (RFC 3264 §8.4). */
  #holdDirection(): Direction {
    return this.#remoteHold || this.#options.inactiveHold ? 'inactive' : 'sendonly';
  }

  #origin(): OriginIds {
    return { sessionId: this.sessionId, sessionVersion: String(this.#version) };
  }

  /** Fixes o= (version bumped only if the description changed) and records it as ours. */
  #stamp(sd: SessionDescription): SessionDescription {
    const base = this.#originBase ?? { username: sd.origin.username, netType: sd.origin.netType, addressType: sd.origin.addressType, address: sd.origin.address };
    this.#originBase = base;
    const body = serializeSdp({ ...sd, origin: { ...sd.origin, ...base, sessionVersion: '0' } });
    if (this.#localBody !== undefined && body !== this.#localBody) this.#version += 1n;
    this.#localBody = body;
    const stamped: SessionDescription = { ...sd, origin: { ...sd.origin, ...base, sessionId: this.sessionId, sessionVersion: String(this.#version) } };
    this.#local = stamped;
    return stamped;
  }

  #offer(holdBefore: boolean): SdpResult<SessionDescription> {
    if (this.#pending) throw new Error('SdpSession: an offer is already pending');
    const hold = this.#localHold;
    const made = createOffer(this.#options, {
      origin: this.#origin(),
      direction: hold ? this.#holdDirection() : 'sendrecv',
      unspecifiedConnection: hold && this.#options.rfc2543Hold,
      ...(this.#local ? { previous: this.#local } : {}),
    });
    if (!made.ok) {
      this.#localHold = holdBefore;
      return made;
    }
    this.#earlyOffer = undefined;
    const offer = this.#stamp(made.value);
    this.#pending = { offer, holdBefore };
    return { ok: true, value: offer };
  }

  /** An offer for an INVITE (initial or re-INVITE), an UPDATE, or a 2xx to an offerless INVITE. */
  createOffer(): SdpResult<SessionDescription> {
    return this.#offer(this.#localHold);
  }

  /** The hold re-offer (RFC 3264 §8.4). */
  hold(): SdpResult<SessionDescription> {
    const before = this.#localHold;
    this.#localHold = true;
    return this.#offer(before);
  }

  /** The resume re-offer: sendrecv again (the peer answers sendonly if it still holds us). */
  resume(): SdpResult<SessionDescription> {
    const before = this.#localHold;
    this.#localHold = false;
    return this.#offer(before);
  }

  /** Our offer was refused (488, 491, timeout): nothing changes, hold()/resume() are undone. */
  offerRejected(): void {
    if (!this.#pending) throw new Error('SdpSession: no offer pending');
    this.#localHold = this.#pending.holdBefore;
    this.#pending = undefined;
  }

  /**
   * The peer's answer to our pending offer (in a 18x with `provisional`, a 2xx, an ACK, or the
   * 2xx of an UPDATE). A failure leaves the media in force unchanged; the exchange is over
   * either way, and the call layer ends the call (RFC 3261 §13.2.1: ACK, then BYE).
   */
  receiveAnswer(answer: SessionDescription, opts: { provisional?: boolean } = {}): SdpResult<NegotiatedSession> {
    let offer: SessionDescription;
    let holdBefore: boolean;
    if (this.#pending) {
      offer = this.#pending.offer;
      holdBefore = this.#pending.holdBefore;
    } else if (this.#earlyOffer) {
      offer = this.#earlyOffer;
      holdBefore = this.#localHold;
      if (this.#remote && this.#negotiated && sameOrigin(this.#remote, answer)) {
        // A later response of the dialog repeats the early answer (same o= version): nothing new.
        if (!opts.provisional) this.#earlyOffer = undefined;
        return { ok: true, value: this.#negotiated };
      }
    } else {
      return sdpFailure('SDP_NO_OFFER', 'a description arrived as an answer, but no offer of ours is outstanding (RFC 3261 §13.2.1)');
    }
    this.#pending = undefined;
    this.#earlyOffer = opts.provisional ? offer : undefined;
    const result = processAnswer(offer, answer, this.#options);
    if (!result.ok) {
      this.#localHold = holdBefore;
      return result;
    }
    this.#remote = answer;
    const audio = result.value.audio;
    const offeredDirection = viewMedia(offer, audio.mediaIndex).direction;
    // Our offer without "send" (inactive hold) leaves the peer no way to show its own intent.
    if (directionSends(offeredDirection)) this.#remoteHold = audio.remoteHold;
    this.#negotiated = result.value;
    return result;
  }

  /**
   * An offer from the peer (INVITE, re-INVITE, UPDATE, or the 2xx to our offerless INVITE):
   * our answer and the new media. A failure (488: nothing acceptable) leaves the session as it
   * was (RFC 3264 §8: a refused re-offer changes nothing).
   */
  receiveOffer(offer: SessionDescription): SdpResult<{ answer: SessionDescription; negotiated: NegotiatedSession }> {
    // RFC 3261 §14.2: a re-INVITE (or UPDATE) offer crossing ours is refused with 491.
    if (this.#pending) return sdpFailure('SDP_OFFER_PENDING', 'an offer arrived while ours is pending (glare)');
    const notes: string[] = [];
    const prev = this.#remote;
    if (prev && (prev.origin.sessionId !== offer.origin.sessionId || prev.origin.username !== offer.origin.username)) {
      notes.push('the peer changed its o= session id or username (RFC 3264 §8 keeps them)');
    }
    const desired: Direction = this.#localHold ? (this.#options.inactiveHold ? 'inactive' : 'sendonly') : 'sendrecv';
    const made = createAnswer(offer, this.#options, { origin: this.#origin(), direction: desired });
    if (!made.ok) return made;
    this.#earlyOffer = undefined;
    const answer = this.#stamp(made.value.answer);
    this.#remote = offer;
    this.#remoteHold = made.value.negotiated.audio.remoteHold;
    const negotiated: NegotiatedSession = { ...made.value.negotiated, notes: [...made.value.negotiated.notes, ...notes] };
    this.#negotiated = negotiated;
    return { ok: true, value: { answer, negotiated } };
  }
}

function sameOrigin(a: SessionDescription, b: SessionDescription): boolean {
  return a.origin.sessionId === b.origin.sessionId && a.origin.sessionVersion === b.origin.sessionVersion && a.origin.username === b.origin.username;
}
