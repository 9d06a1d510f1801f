// Per-line settings of an INVITE session (the KX-UT670 5.8.2 SIP_*_n parameters that shape
// INVITE sessions) and small header helpers the session pieces share.
import { H, type SipMessage } from '../message/index.js';

export type RefreshMethod = 'invite' | 'update' | 'auto';

export interface SessionOptions {
  /** KX-UT670 5.8.2 SIP_100REL_ENABLE_n: Supported: 100rel on INVITE, reliable 18x as UAS (RFC 3262). */
  readonly reliableProvisional?: boolean;
  /**
   * KX-UT670 5.8.2 SIP_18X_RTX_INTVL_n (seconds, 0 disables): repeat the latest unreliable 18x at
   * this interval while the call rings (RFC 3261 §13.3.1.1 suggests once a minute). Reliable 18x
   * follow RFC 3262 §3 (T1 doubling) whatever this says.
   */
  readonly provisionalRetransmitS?: number;
  /** KX-UT670 5.8.2 SIP_SESSION_TIME_n (seconds; 0 disables RFC 4028 session timers). */
  readonly sessionExpiresS?: number;
  /** KX-UT670 5.8.2 SIP_SESSION_METHOD_n: 0 re-INVITE, 1 UPDATE, 2 AUTO (UPDATE when the peer allows it). */
  readonly sessionMethod?: RefreshMethod;
  /** KX-UT670 5.8.2 SIP_REFRESHER_n: 0 no refresher parameter, 1 `uas`, 2 `uac` in our INVITE. */
  readonly refresher?: 'none' | 'uas' | 'uac';
  /** Our Min-SE (RFC 4028 §5: at least 90 s); default 90. */
  readonly minSeS?: number;
  /** KX-UT670 5.8.2 SIP_INVITE_EXPIRE_n (seconds; 0 disables): Expires on outgoing INVITEs. */
  readonly inviteExpiresS?: number;
  /** Uniform [0, 1) for the RFC 3261 §14.1 glare back-off and Retry-After; default Math.random. */
  readonly random?: () => number;
}

/** RFC 4028 §5: the smallest Min-SE allowed. */
export const MIN_SE_FLOOR_S = 90;

export function minSe(options: SessionOptions): number {
  return Math.max(MIN_SE_FLOOR_S, options.minSeS ?? MIN_SE_FLOOR_S);
}

export function timersEnabled(options: SessionOptions): boolean {
  return (options.sessionExpiresS ?? 0) > 0;
}

/** Whether `tag` is listed in the message's Supported or Require (lower-case compare). */
export function hasOptionTag(message: SipMessage, tag: string, where: 'supported' | 'require' | 'either' = 'either'): boolean {
  const lists = where === 'supported' ? [H.Supported] : where === 'require' ? [H.Require] : [H.Supported, H.Require];
  return lists.some((spec) => (message.value(spec) ?? []).some((t) => t.toLowerCase() === tag));
}

/** The Supported value our requests and dialog-creating responses carry. */
export function supportedTags(options: SessionOptions): string[] {
  const tags = ['replaces'];
  if (options.reliableProvisional) tags.push('100rel');
  if (timersEnabled(options)) tags.push('timer');
  return tags;
}

export function allowsMethod(message: SipMessage, method: string): boolean {
  return (message.value(H.Allow) ?? []).some((m) => m.toUpperCase() === method);
}
