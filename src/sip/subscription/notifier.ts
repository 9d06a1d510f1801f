// The notifier side of one subscription inside an existing dialog (RFC 6665 §4.2.2), as REFER's
// implicit subscription needs it (RFC 3515 §2.4.4): NOTIFYs with Event and Subscription-State,
// one in flight at a time so they arrive in order, expiry, and the end of the subscription when a
// NOTIFY fails with 481 or times out (RFC 6665 §4.2.2).
import type { Timer } from '../../core/clock.js';
import { Emitter } from '../../core/events.js';
import type { Dialog } from '../dialog/dialog.js';
import type { Peer } from '../transaction/transaction-layer.js';
import type { SessionContext } from '../ua/session-context.js';
import { formatSubscriptionState, sendInDialog } from './usage.js';

export interface NotifyContent {
  readonly state: 'active' | 'pending' | 'terminated';
  readonly body?: string;
  readonly contentType?: string;
  /** With `terminated` (RFC 6665 §4.1.3): noresource, timeout, rejected, deactivated... */
  readonly reason?: string;
  readonly retryAfter?: number;
}

export interface NotifierEvents extends Record<string, unknown> {
  /** Each NOTIFY's final status (408/503 for timeout/transport error). */
  notified: { readonly status: number; readonly state: NotifyContent['state'] };
  /** The subscription is over: a terminated NOTIFY went out, or a NOTIFY failed. */
  terminated: { readonly reason: string };
}

export interface NotifierOptions {
  readonly ctx: SessionContext;
  readonly dialog: Dialog;
  /** Fallback destination when the dialog's routing gives none (the subscriber's source). */
  readonly peer: Peer;
  /** Event header value, e.g. `refer;id=93809824`. */
  readonly event: string;
  /** Subscription duration granted, seconds. */
  readonly expiresS: number;
}

/** NOTIFY failures that end the subscription (RFC 6665 §4.2.2: 481, timeout and the like). */
const FATAL = new Set([404, 405, 408, 410, 416, 480, 481, 482, 483, 484, 485, 489, 501, 503, 604]);

export class Notifier {
  readonly events = new Emitter<NotifierEvents>();
  state: 'pending' | 'active' | 'terminated' = 'pending';
  private readonly queue: NotifyContent[] = [];
  private inFlight = false;
  private ended = false;
  private expiry: Timer | undefined;
  private readonly expiresAt: number;

  constructor(private readonly options: NotifierOptions) {
    const clock = options.ctx.clock;
    this.expiresAt = clock.now() + options.expiresS * 1000;
    this.expiry = clock.setTimer(options.expiresS * 1000, () => this.onExpiry(), 'sip notifier expiry');
  }

  /** Queues a NOTIFY; a `terminated` one ends the subscription (later ones are dropped). */
  notify(content: NotifyContent): void {
    if (this.state === 'terminated') return;
    if (content.state === 'terminated') {
      this.state = 'terminated';
      this.expiry?.cancel();
    } else this.state = content.state;
    this.queue.push(content);
    this.pump();
  }

  private pump(): void {
    if (this.inFlight) return;
    const content = this.queue.shift();
    if (!content) return;
    if (this.options.dialog.state === 'terminated') return this.end('dialog-terminated');
    this.inFlight = true;
    const remaining = Math.max(0, Math.round((this.expiresAt - this.options.ctx.clock.now()) / 1000));
    const state = formatSubscriptionState({ ...content, expires: remaining });
    sendInDialog(
      this.options.ctx,
      this.options.dialog,
      this.options.peer,
      'NOTIFY',
      { headers: [['Event', this.options.event], ['Subscription-State', state]], body: content.body, contentType: content.contentType },
      (status) => {
        this.inFlight = false;
        this.events.emit('notified', { status, state: content.state });
        if (content.state === 'terminated') return this.end(content.reason ?? 'noresource');
        if (FATAL.has(status)) {
          this.state = 'terminated';
          this.expiry?.cancel();
          this.queue.length = 0;
          return this.end(`notify-${status}`);
        }
        this.pump();
      },
    );
  }

  private onExpiry(): void {
    this.expiry = undefined;
    // RFC 6665 §4.2.2: at expiry the notifier sends a final NOTIFY with reason=timeout.
    this.notify({ state: 'terminated', reason: 'timeout' });
  }

  private end(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.state = 'terminated';
    this.events.emit('terminated', { reason });
  }
}
