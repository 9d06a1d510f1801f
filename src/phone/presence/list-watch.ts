// One dialog subscription to a resource list (RFC 4662 §4.1: Supported: eventlist, Accept with
// application/rlmi+xml and multipart/related beside application/dialog-info+xml), turning its
// NOTIFYs into member states. A partial state that skips a version, or a member document that
// does, asks for a full state by refreshing (RFC 4662 §5.2, RFC 4235 §4.1.2). A malformed body
// changes nothing: the NOTIFY was already answered 200 (RFC 6665 §4.1.3 only asks for a 200 to
// a NOTIFY that matches a subscription; a 4xx would make the notifier end it, RFC 6665 §4.2.2),
// and the next partial state shows the version gap that brings the full state.
import { DIALOG_EVENT } from '../../sip/events/dialog-info.js';
import { EVENTLIST, LIST_ACCEPT, parseDialogNotification, ResourceListTracker, type ResourceStatus } from '../../sip/events/resource-list.js';
import { Subscriber } from '../../sip/subscription/subscriber.js';
import type { EventSubscriptionOptions } from '../../sip/subscription/watchers.js';

export interface ListWatchEvents {
  /** Members after a notification was applied; `undefined` while no subscription is up. */
  readonly onMembers: (members: readonly ResourceStatus[] | undefined) => void;
  /** A body that could not be read (the members keep their state). */
  readonly onMalformed?: (message: string) => void;
}

export function watchResourceList(options: EventSubscriptionOptions, events: ListWatchEvents): { readonly subscriber: Subscriber; readonly tracker: ResourceListTracker } {
  const sub = new Subscriber({ ...options, event: DIALOG_EVENT, accept: LIST_ACCEPT, supported: [EVENTLIST] });
  const tracker = new ResourceListTracker();
  sub.events.on('notify', (n) => {
    if (n.body.length === 0) return; // e.g. the final NOTIFY of an unsubscribe
    const parsed = parseDialogNotification(n.body, n.request.contentType);
    if (!parsed.ok) return events.onMalformed?.(parsed.error.message);
    const applied = tracker.apply(parsed.value);
    if (applied === 'stale') return;
    if (applied === 'gap') return sub.refreshNow();
    events.onMembers(tracker.resources());
  });
  sub.events.on('state', (state) => {
    if (state === 'subscribing' || state === 'waiting' || state === 'terminated') {
      tracker.reset();
      events.onMembers(undefined);
    }
  });
  return { subscriber: sub, tracker };
}
