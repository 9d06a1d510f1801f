// The receiving side of REFER inside a dialog (RFC 3515 §2.4): check Refer-To (exactly one,
// §2.4.1: else 400), let the call layer decide, answer 202 Accepted (§2.4.2), and report the
// referred call's progress through the implicit subscription: NOTIFY message/sipfrag
// "SIP/2.0 100 Trying" at once, then the final status with Subscription-State: terminated.
import { Emitter } from '../../core/events.js';
import { H, type NameAddr, type SipRequest } from '../message/index.js';
import type { Dialog } from '../dialog/dialog.js';
import type { Peer, ServerTransaction } from '../transaction/transaction-layer.js';
import { Notifier } from '../subscription/notifier.js';
import { answer, type UsageHost } from '../subscription/usage.js';
import { referTargetOf, type ReferTarget } from './refer-to.js';
import { formatSipfrag, SIPFRAG_TYPE } from './sipfrag.js';

/** Lifetime of the implicit subscription we grant (RFC 3515 §2.4.4 leaves it to the notifier). */
export const REFER_SUBSCRIPTION_S = 180;

export interface IncomingReferEvents extends Record<string, unknown> {
  /** The implicit subscription ended (final NOTIFY sent, or the referrer went away: 481/timeout). */
  ended: { readonly reason: string };
}

/** A REFER received in a dialog, for the call layer to accept (place the new call) or refuse. */
export class IncomingRefer {
  readonly events = new Emitter<IncomingReferEvents>();
  private answered = false;
  private notifier: Notifier | undefined;

  constructor(
    private readonly host: UsageHost,
    private readonly dialog: Dialog,
    private readonly tx: ServerTransaction,
    readonly target: ReferTarget,
    readonly referredBy: NameAddr | undefined,
  ) {}

  get request(): SipRequest {
    return this.tx.request;
  }

  /** 202 Accepted and the first NOTIFY (100 Trying); then place the call to `target`. */
  accept(): void {
    if (this.answered) return;
    this.answered = true;
    const ctx = this.host.context;
    answer(ctx, this.tx, 202, [['Contact', ctx.contact]]);
    this.notifier = new Notifier({ ctx, dialog: this.dialog, peer: this.tx.source, event: `refer;id=${this.request.cseq.seq}`, expiresS: REFER_SUBSCRIPTION_S });
    this.notifier.events.on('terminated', (t) => this.events.emit('ended', t));
    this.notifier.notify({ state: 'active', body: formatSipfrag(100), contentType: SIPFRAG_TYPE });
  }

  /** Refuses the REFER (603 Decline by default; 403 when transfers are barred). */
  reject(status = 603): void {
    if (this.answered) return;
    this.answered = true;
    answer(this.host.context, this.tx, status);
  }

  /** Reports a provisional status of the referred call (180 Ringing, 183); 100 was already sent. */
  progress(status: number, reason?: string): void {
    if (status > 100 && status < 200) this.notifier?.notify({ state: 'active', body: formatSipfrag(status, reason), contentType: SIPFRAG_TYPE });
  }

  /** Reports the referred call's final status (200 when it was answered) and ends the subscription. */
  finish(status: number, reason?: string): void {
    this.notifier?.notify({ state: 'terminated', reason: 'noresource', body: formatSipfrag(status, reason), contentType: SIPFRAG_TYPE });
  }
}

/**
 * Routes REFERs of `dialog` (an established call) to `onRefer`, which must call accept() or
 * reject() (within the transaction's lifetime). Returns the unregister function.
 */
export function acceptRefers(host: UsageHost, dialog: Dialog, onRefer: (refer: IncomingRefer) => void): () => void {
  return host.registerDialogUsage(
    { callId: dialog.callId, localTag: dialog.localTag, remoteTag: dialog.remoteTag },
    {
      receiveRequest: (request: SipRequest, tx: ServerTransaction, _source: Peer) => {
        if (request.method !== 'REFER') return false;
        const refused = dialog.receiveRequest(request);
        if (refused) {
          tx.respond(refused);
          return true;
        }
        const target = referTargetOf(request);
        if (!target.ok) {
          answer(host.context, tx, 400);
          return true;
        }
        onRefer(new IncomingRefer(host, dialog, tx, target.value, request.value(H.ReferredBy)));
        return true;
      },
    },
  );
}
