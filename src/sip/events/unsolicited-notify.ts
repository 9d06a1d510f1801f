// NOTIFYs outside any subscription. A server directs the phone to re-provision with
// `Event: check-sync` (KX-UT670 2.4.3.5 "Example Provisioning Direction from the Server"; the
// event text is CFG_RESYNC_FROM_SIP, default "check-sync"). Many PBXes also push
// message-summary without a SUBSCRIBE ("unsolicited MWI"). `Event: talk` / `Event: hold` are
// remote call control (KX-UT670 5.6.1 TALK_PACKAGE / HOLD_PACKAGE), answered with what the phone
// did. Anything else gets 481 (RFC 6665 §4.1.3).
import { createResponse, H, type SipRequest } from '../message/index.js';
import type { OutOfDialogHandler } from '../ua/user-agent.js';
import { MESSAGE_SUMMARY_EVENT, parseMessageSummary, type MessageSummary } from './message-summary.js';

export const DEFAULT_RESYNC_EVENT = 'check-sync';

export interface CheckSync {
  /** `reboot=true` / `reboot=false` parameter some servers add (Event: check-sync;reboot=true). */
  readonly reboot: boolean | undefined;
  readonly request: SipRequest;
}

export interface UnsolicitedNotifyOptions {
  /** CFG_RESYNC_FROM_SIP (max. 15 characters); default "check-sync". */
  readonly resyncEvent?: string;
  /** The server asks for re-provisioning. */
  onCheckSync(event: CheckSync): void;
  /** Unsolicited message-summary; without it such NOTIFYs get 481 like any other. */
  onMessageSummary?(summary: MessageSummary, request: SipRequest): void;
  /** `Event: talk` or `Event: hold`: acts and says how to answer (200, 481, 489 Bad Event). */
  onRemoteControl?(kind: 'talk' | 'hold', request: SipRequest): { status: number; reason?: string };
}

/** Whether `request` is the resync NOTIFY (event names compare case-insensitively here). */
export function checkSyncOf(request: SipRequest, resyncEvent: string = DEFAULT_RESYNC_EVENT): CheckSync | undefined {
  if (request.method !== 'NOTIFY') return undefined;
  const event = request.value(H.Event);
  if (!event || event.value.toLowerCase() !== resyncEvent.toLowerCase()) return undefined;
  const reboot = event.params.get('reboot');
  return { reboot: typeof reboot === 'string' ? reboot.toLowerCase() === 'true' : undefined, request };
}

/** An out-of-dialog NOTIFY handler for `ua.handleOutOfDialog('NOTIFY', ...)`. */
export function unsolicitedNotifyHandler(options: UnsolicitedNotifyOptions): OutOfDialogHandler {
  return (request, tx) => {
    const sync = checkSyncOf(request, options.resyncEvent);
    if (sync) {
      tx.respond(createResponse(request, 200));
      options.onCheckSync(sync);
      return;
    }
    const event = request.value(H.Event)?.value.toLowerCase();
    if (options.onMessageSummary && event === MESSAGE_SUMMARY_EVENT) {
      const summary = parseMessageSummary(request.body);
      tx.respond(createResponse(request, summary.ok ? 200 : 400, summary.ok ? {} : { reason: 'Bad message-summary body' }));
      if (summary.ok) options.onMessageSummary(summary.value, request);
      return;
    }
    if (options.onRemoteControl && (event === 'talk' || event === 'hold')) {
      const { status, reason } = options.onRemoteControl(event, request);
      tx.respond(createResponse(request, status, reason === undefined ? {} : { reason }));
      return;
    }
    tx.respond(createResponse(request, 481));
  };
}
