// The Replaces header (RFC 3891): building it for a dialog we want replaced (attended transfer)
// and matching an incoming INVITE that carries one against our INVITE sessions (§3).
import { H, type Replaces, type SipRequest } from '../message/index.js';
import type { Dialog } from '../dialog/dialog.js';
import type { SessionState } from '../ua/invite-session.js';

export interface ReplacesValue {
  readonly callId: string;
  readonly toTag: string;
  readonly fromTag: string;
  readonly earlyOnly?: boolean;
}

/** Replaces = callid;to-tag=..;from-tag=..[;early-only] (RFC 3891 §6.1). */
export function formatReplaces(r: ReplacesValue): string {
  return `${r.callId};to-tag=${r.toTag};from-tag=${r.fromTag}${r.earlyOnly ? ';early-only' : ''}`;
}

/**
 * The Replaces naming `dialog` for the UA at its other end: that UA compares to-tag with its
 * local tag and from-tag with its remote tag (RFC 3891 §3), i.e. our remote and local tags.
 */
export function replacesForDialog(dialog: Dialog, earlyOnly = false): ReplacesValue {
  return { callId: dialog.callId, toTag: dialog.remoteTag, fromTag: dialog.localTag, earlyOnly };
}

/** What matchReplaces needs of a session (InviteSession fits). */
export interface ReplaceableSession {
  readonly direction: 'outgoing' | 'incoming';
  readonly state: SessionState;
  readonly dialog: Dialog | undefined;
}

export type ReplacesMatch<S> =
  /** The request has no Replaces header: an ordinary call. */
  | { readonly kind: 'none' }
  /**
   * Accept the new INVITE, then end `session`: BYE when confirmed, CANCEL when it is our early
   * dialog (RFC 3891 §3) — `session.hangup()` does exactly that.
   */
  | { readonly kind: 'replace'; readonly session: S; readonly replaces: Replaces; readonly end: 'bye' | 'cancel' }
  /** Refuse the new request with `status`. */
  | { readonly kind: 'reject'; readonly status: 400 | 481 | 486 | 603; readonly reason: string };

/** RFC 3891 §3: what to do with a request carrying Replaces, given our INVITE sessions. */
export function matchReplaces<S extends ReplaceableSession>(request: SipRequest, sessions: Iterable<S>): ReplacesMatch<S> {
  const typed = request.typed(H.Replaces);
  if (typed === undefined) return { kind: 'none' };
  // §3: more than one Replaces, or Replaces on anything but INVITE: 400.
  if (request.method !== 'INVITE') return { kind: 'reject', status: 400, reason: 'Replaces outside INVITE' };
  if (!typed.ok) return { kind: 'reject', status: 400, reason: 'Malformed or repeated Replaces' };
  const r = typed.value;
  for (const session of sessions) {
    const d = session.dialog;
    if (!d || d.callId !== r.callId || d.localTag !== r.toTag || d.remoteTag !== r.fromTag) continue;
    if (session.state === 'terminated' || d.state === 'terminated') return { kind: 'reject', status: 603, reason: 'Replaced dialog already ended' };
    if (session.state === 'confirmed') {
      // §3: early-only forbids replacing a confirmed dialog.
      if (r.earlyOnly) return { kind: 'reject', status: 486, reason: 'early-only and the dialog is confirmed' };
      return { kind: 'replace', session, replaces: r, end: 'bye' };
    }
    // §3: an early dialog can be replaced only when this UA initiated it.
    if (session.direction === 'outgoing') return { kind: 'replace', session, replaces: r, end: 'cancel' };
    return { kind: 'reject', status: 481, reason: 'Early dialog not initiated here' };
  }
  return { kind: 'reject', status: 481, reason: 'No dialog matches Replaces' };
}
