// What the halves of an INVITE session share: its states, end reasons and events (the public
// types, re-exported by invite-session.ts), and the core the UAC half (uac-invite.ts) and the
// UAS half (uas-invite.ts) call back into, which InviteSession provides.
import type { Emitter } from '../../core/events.js';
import type { Dialog } from '../dialog/dialog.js';
import type { SipRequest, SipResponse } from '../message/index.js';
import type { ClientHandlers, Peer } from '../transaction/transaction-layer.js';
import type { Body, IncomingOffer } from './reinvite.js';
import type { SessionContext } from './session-context.js';
import type { SessionOptions } from './session-options.js';
import type { SessionInterval, SessionTimerNegotiation } from './session-timer.js';

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

export type RespondOptions = { body?: string; contentType?: string; headers?: Array<[string, string]> };

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

/** The session as its UAC and UAS halves see it. */
export interface SessionCore {
  readonly ctx: SessionContext;
  /** The initial peer (the INVITE's destination, or its source). */
  readonly peer: Peer;
  readonly opts: SessionOptions;
  readonly random: () => number;
  readonly events: Emitter<SessionEvents>;
  readonly timerNegotiation: SessionTimerNegotiation;
  state(): SessionState;
  setState(state: SessionState): void;
  dialog(): Dialog | undefined;
  setDialog(dialog: Dialog | undefined): void;
  setLocalBody(body: Body | undefined): void;
  setRemoteBody(body: Body | undefined): void;
  /** RFC 4028 §7.4: whether a refresh may use UPDATE (the peer's Allow). */
  setPeerAllowsUpdate(allows: boolean): void;
  /** Sends a request in `dialog` (credentials after a challenge move the dialog's CSeq along). */
  sendInDialog(request: SipRequest, dialog: Dialog, onResponse: (r: SipResponse) => void, handlers?: ClientHandlers): void;
  sendBye(reason?: EndReason): void;
  /** §13.3.1.4: no ACK came for our 2xx. */
  noAck(): void;
  startSessionTimer(interval: SessionInterval | undefined): void;
  end(reason: EndReason, status?: number, response?: SipResponse): void;
}

export function bodyOf(message: SipRequest | SipResponse): Body | undefined {
  return message.body.length > 0 ? { body: message.body, contentType: message.contentType?.mimeType ?? 'application/sdp' } : undefined;
}

export function bodyText(body: Body): string {
  return typeof body.body === 'string' ? body.body : Buffer.from(body.body).toString('utf8');
}
