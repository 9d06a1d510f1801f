// Message-waiting state of a line (the MWI / message LED): what a message-summary body (RFC 3842
// §5.2) means for the phone. KX-UT670 5.8.1 VOICE_MESSAGE_AVAILABLE decides how a
// "Messages-Waiting: yes" is read: Y (default) counts only when a "Voice-Message" line comes with
// it (a fax or text box alone does not light the LED), N trusts "Messages-Waiting: yes" alone.
import type { MessageSummary } from '../../sip/events/message-summary.js';

/** How the line learnt its state: from its own subscription or from a NOTIFY nobody asked for. */
export type MwiSource = 'subscription' | 'unsolicited';

/** Subscription to message-summary: off (VM_SUBSCRIBE_ENABLE N or no registrar) or the subscriber's state. */
export type MwiSubscriptionState = 'off' | 'waiting-for-registration' | 'subscribing' | 'pending' | 'active' | 'waiting' | 'unsubscribing' | 'terminated';

export interface MwiStatus {
  readonly line: number;
  readonly messagesWaiting: boolean;
  /** Voice-Message counts; 0 when the server sent none. */
  readonly newMessages: number;
  readonly oldMessages: number;
  readonly newUrgent?: number;
  readonly oldUrgent?: number;
  /** Message-Account of the last summary (the voice-mail account), if the server named one. */
  readonly account?: string;
  readonly source?: MwiSource;
  readonly subscription: MwiSubscriptionState;
  /** Why the subscription is not up (e.g. "403", "no route"), when it is not. */
  readonly reason?: string;
}

export function emptyMwi(line: number, subscription: MwiSubscriptionState): MwiStatus {
  return { line, messagesWaiting: false, newMessages: 0, oldMessages: 0, subscription };
}

/** KX-UT670 5.8.1 VOICE_MESSAGE_AVAILABLE: whether `summary` means voice messages are waiting. */
export function voiceMessagesWaiting(summary: MessageSummary, voiceMessageLineRequired: boolean): boolean {
  if (!summary.messagesWaiting) return false;
  // DEVIATION: the manual only says "with a Voice-Message line included"; we read that literally
  // (a "Voice-Message: 0/3" line with "Messages-Waiting: yes" still lights the LED).
  return voiceMessageLineRequired ? summary.counts['voice-message'] !== undefined : true;
}

/** The line's MWI status after `summary` arrived. */
export function applySummary(previous: MwiStatus, summary: MessageSummary, source: MwiSource, voiceMessageLineRequired: boolean): MwiStatus {
  const voice = summary.counts['voice-message'];
  return {
    line: previous.line,
    messagesWaiting: voiceMessagesWaiting(summary, voiceMessageLineRequired),
    newMessages: voice?.newMessages ?? 0,
    oldMessages: voice?.oldMessages ?? 0,
    ...(voice?.newUrgent !== undefined ? { newUrgent: voice.newUrgent } : {}),
    ...(voice?.oldUrgent !== undefined ? { oldUrgent: voice.oldUrgent } : {}),
    ...(summary.account !== undefined ? { account: summary.account } : {}),
    source,
    subscription: previous.subscription,
    ...(previous.reason !== undefined ? { reason: previous.reason } : {}),
  };
}

/** Whether the LED or the counts differ (what a `mwi` device event reports). */
export function mwiChanged(a: MwiStatus, b: MwiStatus): boolean {
  return a.messagesWaiting !== b.messagesWaiting || a.newMessages !== b.newMessages || a.oldMessages !== b.oldMessages || a.newUrgent !== b.newUrgent || a.oldUrgent !== b.oldUrgent || a.account !== b.account;
}
