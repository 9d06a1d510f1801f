// One subscription of a line that first needs a route: resolves the target (DNS may fail; then it
// tries again every SUB_RTX_INTVL_n seconds, KX-UT670 5.8.2), builds the subscriber on the route
// and reports its state and failures. stop() unsubscribes (RFC 6665 §4.1.2.3) or cancels the retry.
import type { Clock, Timer } from '../../core/clock.js';
import type { Subscriber, SubscriberState } from '../../sip/subscription/subscriber.js';
import type { CallTarget } from '../phone-line.js';
import type { PresenceLine, PresencePurpose } from './presence-line.js';

export interface RoutedWatchOptions {
  readonly clock: Clock;
  readonly line: PresenceLine;
  readonly purpose: PresencePurpose;
  readonly target: string;
  readonly retryIntervalS: number;
  /** Builds (does not start) the subscriber for the resolved route. */
  readonly create: (route: CallTarget) => Subscriber;
  /** State changes; `reason` says why a subscription is not up. */
  readonly onState: (state: SubscriberState, reason: string | undefined) => void;
}

export class RoutedWatch {
  subscriber: Subscriber | undefined;
  private retry: Timer | undefined;
  private stopped = false;

  constructor(private readonly options: RoutedWatchOptions) {}

  start(): void {
    void this.open();
  }

  /** Unsubscribes; resolves once the subscription is over (final NOTIFY, failure or the 64*T1 guard). */
  stop(): Promise<void> {
    this.stopped = true;
    this.retry?.cancel();
    this.retry = undefined;
    const sub = this.subscriber;
    if (!sub) return Promise.resolve();
    sub.unsubscribe();
    if (sub.state === 'terminated') return Promise.resolve();
    return new Promise((resolve) => {
      const off = sub.events.on('state', (state) => {
        if (state !== 'terminated') return;
        off();
        resolve();
      });
    });
  }

  private async open(): Promise<void> {
    const o = this.options;
    o.onState('subscribing', undefined);
    const route = await o.line.route(o.target, o.purpose);
    if (this.stopped) return;
    if (!route.ok) {
      o.onState('waiting', route.error.message);
      this.retry = o.clock.setTimer(o.retryIntervalS * 1000, () => this.start(), `presence ${o.purpose} route retry`);
      return;
    }
    const sub = o.create(route.value);
    this.subscriber = sub;
    let reason: string | undefined;
    sub.events.on('failed', (f) => (reason = String(f.status)));
    sub.events.on('terminated', (t) => {
      reason = t.reason ?? reason;
      o.onState(sub.state, reason); // a final end reports its state before its reason
    });
    sub.events.on('state', (state) => {
      if (state === 'active' || state === 'pending') reason = undefined;
      o.onState(state, reason);
    });
    sub.start();
  }
}
