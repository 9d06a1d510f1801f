// KX-UT670 5.8.1 FWD_DND_SYNCHRO_ENABLE_n / A12 9.12 "Enable Feature Sync": "synchronize the Do
// Not Disturb and Call Forward settings ... between the unit and the portal server". The manual
// names no protocol; we use the one such portals speak, BroadSoft's "as-feature-event" package
// (RFC 6665 subscription to the line's own address of record): the server's NOTIFYs
// (DoNotDisturbEvent, ForwardingEvent) set the phone's switches, and a switch changed at the
// phone goes to the server as an in-dialog SUBSCRIBE carrying SetDoNotDisturb / SetForwarding,
// whose answer comes back as a NOTIFY. The subscription starts when the line registers.
import type { Clock } from '../../core/clock.js';
import type { DeviceSettings } from '../../settings/canonical.js';
import { Subscriber, type SubscriberState } from '../../sip/subscription/subscriber.js';
import { sendInDialog } from '../../sip/subscription/usage.js';
import type { CallTarget, PhoneLine } from '../phone-line.js';
import { RoutedWatch } from '../presence/routed-watch.js';
import type { LineFeatureOverrides, LineFeatures } from './line-features.js';
import { FEATURE_EVENT_PACKAGE, FEATURE_EVENT_TYPE, parseFeatureEvents, setDoNotDisturbBody, setForwardingBody, type FeatureEventChange, type SyncedForward } from './feature-event-body.js';

export interface FeatureSyncHost {
  readonly clock: Clock;
  settings(): DeviceSettings;
  line(number: number): PhoneLine | undefined;
  /** What the server says the line's DND / forward is now (the phone's switches follow). */
  apply(line: number, change: FeatureEventChange): void;
}

export type SyncPush = 'sent' | 'not-connected';

interface LineSync {
  watch?: RoutedWatch;
  route: CallTarget | undefined;
  state: SubscriberState | 'off';
  reason: string | undefined;
}

export class FeatureSync {
  private readonly lines = new Map<number, LineSync>();

  constructor(private readonly host: FeatureSyncHost) {}

  /** Whether the line synchronises DND and forwards with the server. */
  enabled(line: number): boolean {
    return this.host.settings().lines[line - 1]?.fwdDndSync === true;
  }

  /** The line registered: its as-feature-event subscription starts (once). */
  lineRegistered(number: number): void {
    const line = this.host.line(number);
    if (!line || this.lines.has(number) || !this.enabled(number)) return;
    const aor = addressOfRecord(line.from);
    const timers = this.host.settings().lines[number - 1]!.subscription;
    const sync: LineSync = { route: undefined, state: 'subscribing', reason: undefined };
    const watch = new RoutedWatch({
      clock: this.host.clock,
      // The line's own address of record at its server, as message-summary is (RFC 3842 §3).
      line: { number, ua: line.ua, from: line.from, user: aor.user, registers: true, route: (dialled) => line.route(dialled) },
      purpose: 'mwi',
      target: aor.uri,
      retryIntervalS: timers.retryIntervalS,
      create: (route) => {
        sync.route = route;
        const sub = new Subscriber({ host: line.ua, event: FEATURE_EVENT_PACKAGE, accept: [FEATURE_EVENT_TYPE, 'multipart/mixed'], target: route.uri, to: route.to, from: line.from, peer: route.peer, timers });
        sub.events.on('notify', (n) => {
          for (const change of parseFeatureEvents(n.body.toString('utf8'))) this.host.apply(number, change);
        });
        return sub;
      },
      onState: (state, reason) => {
        sync.state = state;
        sync.reason = reason;
      },
    });
    sync.watch = watch;
    this.lines.set(number, sync);
    watch.start();
  }

  /**
   * Tells the server about a switch changed at the phone: SUBSCRIBE in the subscription's dialog
   * with the Set… body (BroadSoft's way). 'not-connected' when no subscription is up.
   */
  push(number: number, change: FeatureEventChange): SyncPush {
    const sync = this.lines.get(number);
    const sub = sync?.watch?.subscriber;
    const line = this.host.line(number);
    if (!sync || !sub?.dialog || !sync.route || !line || (sub.state !== 'active' && sub.state !== 'pending')) return 'not-connected';
    const device = addressOfRecord(line.from).user;
    const body = change.kind === 'dnd' ? setDoNotDisturbBody(device, change.on) : setForwardingBody(device, change.type, change.on, change.number);
    const expires = this.host.settings().lines[number - 1]?.subscription.expiresS ?? 3600;
    sendInDialog(line.ua.context, sub.dialog, sync.route.peer, 'SUBSCRIBE', { headers: [['Event', FEATURE_EVENT_PACKAGE], ['Expires', String(expires)]], body, contentType: FEATURE_EVENT_TYPE }, () => undefined);
    return 'sent';
  }

  /** The subscription of each synchronised line. */
  status(): Array<{ line: number; state: SubscriberState | 'off'; reason?: string }> {
    return [...this.lines.entries()].map(([line, s]) => ({ line, state: s.state, ...(s.reason !== undefined ? { reason: s.reason } : {}) }));
  }

  /** Unsubscribes everything (RFC 6665 §4.1.2.3). */
  async stop(): Promise<void> {
    const ending = [...this.lines.values()].map((s) => s.watch?.stop());
    this.lines.clear();
    await Promise.all(ending);
  }
}

/** The feature a phone switch is, in the package's terms (undefined: not synchronised). */
export function syncedChange(feature: string, on: boolean, number: string): FeatureEventChange | undefined {
  if (feature === 'dnd') return { kind: 'dnd', on };
  const type: SyncedForward | undefined = feature === 'forward-always' ? 'always' : feature === 'forward-busy' ? 'busy' : feature === 'forward-no-answer' ? 'no-answer' : undefined;
  return type ? { kind: 'forward', type, on, number } : undefined;
}

/** The phone's switch as the server set it (a forward's number kept when the server sends none). */
export function overrideOf(change: FeatureEventChange, current: LineFeatures): LineFeatureOverrides {
  if (change.kind === 'dnd') return { dnd: change.on };
  if (change.type === 'always') return { forwardAlways: { enabled: change.on, number: change.number || current.forwardAlways.number } };
  if (change.type === 'busy') return { forwardBusy: { enabled: change.on, number: change.number || current.forwardBusy.number } };
  return { forwardNoAnswer: { ...current.forwardNoAnswer, enabled: change.on, number: change.number || current.forwardNoAnswer.number } };
}

function addressOfRecord(from: string): { uri: string; user: string } {
  const uri = /<([^>]+)>/.exec(from)?.[1] ?? from.trim();
  return { uri, user: /^sips?:([^@;]+)@/.exec(uri)?.[1] ?? '' };
}
