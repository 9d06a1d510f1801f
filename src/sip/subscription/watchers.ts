// Ready-made subscriptions for the call layer: message-summary for the MWI LED (RFC 3842) and the
// dialog event for BLF lamps (RFC 4235), each turning NOTIFY bodies into what the LED shows.
import { BlfTracker, type BlfStatus } from '../events/blf.js';
import { DIALOG_EVENT, DIALOG_INFO_TYPE, parseDialogInfo, type DialogInfoEntry } from '../events/dialog-info.js';
import { MESSAGE_SUMMARY_EVENT, MESSAGE_SUMMARY_TYPE, parseMessageSummary, type MessageSummary } from '../events/message-summary.js';
import { Subscriber, type SubscriberOptions } from './subscriber.js';

export type EventSubscriptionOptions = Omit<SubscriberOptions, 'event' | 'accept'>;

/**
 * Subscribes to message-summary (KX-UT670 VM_SUBSCRIBE_ENABLE) and reports every summary a
 * NOTIFY carries; malformed bodies are skipped (the LED keeps its state). Call start().
 */
export function watchMessageSummary(options: EventSubscriptionOptions, onSummary: (summary: MessageSummary) => void): Subscriber {
  const sub = new Subscriber({ ...options, event: MESSAGE_SUMMARY_EVENT, accept: [MESSAGE_SUMMARY_TYPE] });
  sub.events.on('notify', (n) => {
    if (n.body.length === 0) return; // e.g. the final NOTIFY of an unsubscribe
    const summary = parseMessageSummary(n.body);
    if (summary.ok) onSummary(summary.value);
  });
  return sub;
}

/** What a BLF lamp shows: the monitored user's state, or unknown while no subscription is up. */
export type BlfLamp = BlfStatus | 'unknown';

/**
 * Subscribes to the dialog event of a monitored extension (KX-UT670 6.1 BLF buttons) and reports
 * lamp changes. A partial document that skips versions asks for a full state by refreshing
 * (RFC 4235 §4.1.2); a new subscription starts from an empty state. Call start().
 */
export function watchDialogState(options: EventSubscriptionOptions, onLamp: (lamp: BlfLamp, live: readonly DialogInfoEntry[]) => void): { readonly subscriber: Subscriber; readonly tracker: BlfTracker } {
  const sub = new Subscriber({ ...options, event: DIALOG_EVENT, accept: [DIALOG_INFO_TYPE] });
  const tracker = new BlfTracker();
  let lamp: BlfLamp = 'unknown';
  const show = (next: BlfLamp) => {
    if (next === lamp) return;
    lamp = next;
    onLamp(next, next === 'unknown' ? [] : tracker.live);
  };
  sub.events.on('notify', (n) => {
    if (n.body.length === 0) return;
    const info = parseDialogInfo(n.body);
    if (!info.ok) return;
    if (tracker.apply(info.value) === 'gap') return sub.refreshNow();
    show(tracker.status);
  });
  sub.events.on('state', (state) => {
    if (state === 'subscribing' || state === 'waiting' || state === 'terminated') {
      tracker.reset();
      show('unknown');
    }
  });
  return { subscriber: sub, tracker };
}
