// The sending side of REFER inside a dialog (RFC 3515 §2.4): REFER with Refer-To and Referred-By
// (RFC 3892), then the implicit subscription's NOTIFYs carrying message/sipfrag progress until the
// one with Subscription-State: terminated (§2.4.4-2.4.6; Event: refer;id=<REFER CSeq>).
import type { Timer } from '../../core/clock.js';
import { Emitter } from '../../core/events.js';
import { H, type SipRequest, type SipResponse } from '../message/index.js';
import type { Dialog } from '../dialog/dialog.js';
import type { Peer, ServerTransaction } from '../transaction/transaction-layer.js';
import { answer, sendInDialog, type UsageHost } from '../subscription/usage.js';
import { parseSipfrag } from './sipfrag.js';

export type ReferralEnd =
  /** The final NOTIFY came; `status` is the referred request's final status. */
  | 'completed'
  /** The REFER was refused (`status` is its response). */
  | 'rejected'
  /** No final NOTIFY before the guard (or the subscription expired). */
  | 'timeout'
  /** The dialog ended first. */
  | 'dialog-ended';

export interface ReferralEvents extends Record<string, unknown> {
  /** 202 (or 200) to the REFER. */
  accepted: SipResponse;
  /** A sipfrag status from a NOTIFY (100 Trying, 180 Ringing, 200 OK, 486 ...). */
  progress: { readonly status: number; readonly reason: string };
  done: { readonly end: ReferralEnd; readonly status: number | undefined };
}

export interface ReferOptions {
  readonly host: UsageHost;
  /** The dialog to send REFER in (the call with the transferee). */
  readonly dialog: Dialog;
  readonly peer: Peer;
  /** Refer-To value (see formatReferTo for attended transfer). */
  readonly referTo: string;
  /** Referred-By value (RFC 3892), usually our address-of-record. */
  readonly referredBy?: string;
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  /** How long to wait for the final NOTIFY after the REFER was accepted; default 180 s. */
  readonly guardS?: number;
}

export class Referral {
  readonly events = new Emitter<ReferralEvents>();
  state: 'referring' | 'accepted' | 'done' = 'referring';
  /** The last sipfrag status reported. */
  lastStatus: number | undefined;
  /** The REFER (after a challenge, the copy re-sent with credentials). */
  request: SipRequest;
  private readonly unregister: () => void;
  private guard: Timer | undefined;

  constructor(private readonly options: ReferOptions) {
    const ctx = options.host.context;
    const d = options.dialog;
    this.unregister = options.host.registerDialogUsage({ callId: d.callId, localTag: d.localTag, remoteTag: d.remoteTag }, { receiveRequest: (r, tx) => this.receive(r, tx) });
    const headers: Array<readonly [string, string]> = [['Refer-To', options.referTo]];
    if (options.referredBy !== undefined) headers.push(['Referred-By', options.referredBy]);
    // A challenged REFER goes again with CSeq + 1 (RFC 3261 §22.2): its NOTIFYs carry that id.
    this.request = sendInDialog(ctx, d, options.peer, 'REFER', { headers: [...headers, ...(options.headers ?? [])] }, (status, response) => this.onResponse(status, response), (next) => (this.request = next));
  }

  private onResponse(status: number, response: SipResponse | undefined): void {
    if (this.state === 'done') return;
    if (status >= 300 || !response) return this.finish('rejected', status);
    this.options.dialog.receiveResponse(this.request, response);
    if (this.state === 'referring') this.state = 'accepted';
    this.events.emit('accepted', response);
    this.guard ??= this.options.host.context.clock.setTimer((this.options.guardS ?? 180) * 1000, () => this.finish('timeout', this.lastStatus), 'sip refer guard');
  }

  /** RFC 3515 §2.4.6: NOTIFYs of this REFER carry Event: refer with id = the REFER's CSeq (or none). */
  private receive(request: SipRequest, tx: ServerTransaction): boolean {
    if (request.method !== 'NOTIFY' || this.state === 'done') return false;
    const event = request.value(H.Event);
    if (!event || event.value.toLowerCase() !== 'refer') return false;
    if (event.id !== undefined && event.id !== String(this.request.cseq.seq)) return false;
    const ctx = this.options.host.context;
    const refused = this.options.dialog.receiveRequest(request);
    if (refused) {
      tx.respond(refused);
      return true;
    }
    const state = request.value(H.SubscriptionState);
    const frag = request.body.length > 0 ? parseSipfrag(request.body) : undefined;
    if (!state || (frag && !frag.ok)) {
      answer(ctx, tx, 400);
      return true;
    }
    answer(ctx, tx, 200);
    // A NOTIFY may overtake the 202 (RFC 3515 §2.4.4): it accepts the REFER as well.
    if (this.state === 'referring') this.state = 'accepted';
    if (frag?.ok) {
      this.lastStatus = frag.value.status;
      this.events.emit('progress', frag.value);
    }
    if (state.state === 'terminated') this.finish(state.reason === 'timeout' && (this.lastStatus ?? 0) < 200 ? 'timeout' : 'completed', this.lastStatus);
    return true;
  }

  private finish(end: ReferralEnd, status: number | undefined): void {
    if (this.state === 'done') return;
    this.state = 'done';
    this.guard?.cancel();
    // Keep routing this REFER's NOTIFYs to us for retransmissions (absorbed by the transaction layer anyway).
    this.unregister();
    this.events.emit('done', { end, status });
  }
}

/** Sends REFER in `options.dialog`; follow `referral.events` for progress. */
export function sendRefer(options: ReferOptions): Referral {
  return new Referral(options);
}
