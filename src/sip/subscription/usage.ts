// What subscriptions and REFER need from the UA core: its session context (transaction layer,
// clock, Via, Contact, common headers) and the dialog-usage registry. UserAgent provides both;
// tests may pass anything shaped alike.
import { createResponse, randomBranch, type SipRequest, type SipResponse } from '../message/index.js';
import type { Dialog } from '../dialog/dialog.js';
import type { ClientHandlers, Peer, ServerTransaction } from '../transaction/transaction-layer.js';
import { sendAuthorized } from '../ua/resend.js';
import type { SessionContext } from '../ua/session-context.js';
import type { DialogUsage, DialogUsageKey } from '../ua/user-agent.js';

export interface UsageHost {
  readonly context: SessionContext;
  registerDialogUsage(key: DialogUsageKey, usage: DialogUsage): () => void;
}

/** Responses that end a request: final response, Timer F (408) or a transport error (503), RFC 3261 §8.1.3.1. */
export function finalHandlers(onFinal: (status: number, response: SipResponse | undefined) => void): ClientHandlers {
  return {
    onResponse: (r) => {
      if (r.status >= 200) onFinal(r.status, r);
    },
    onTimeout: () => onFinal(408, undefined),
    onTransportError: () => onFinal(503, undefined),
  };
}

/** Sends a request inside `dialog` (§12.2.1.1) to where the dialog's routing says, falling back to `peer`. */
export function sendInDialog(
  ctx: SessionContext,
  dialog: Dialog,
  peer: Peer,
  method: string,
  options: { headers?: ReadonlyArray<readonly [string, string]>; body?: string; contentType?: string },
  onFinal: (status: number, response: SipResponse | undefined, request: SipRequest) => void,
  onResend?: (next: SipRequest) => void,
): SipRequest {
  const request = dialog.createRequest(method, {
    via: ctx.via(randomBranch(), peer),
    contact: ctx.contact,
    headers: [...(options.headers ?? []), ...ctx.commonHeaders],
    body: options.body,
    contentType: options.contentType,
  });
  send(ctx, request, peer, onFinal, (next) => {
    // A challenged request went again with CSeq + 1 (RFC 3261 §22.2): the dialog follows.
    if (next.cseq.seq > dialog.localSeq) dialog.localSeq = next.cseq.seq;
    onResend?.(next);
  });
  return request;
}

/**
 * Sends `request` in its own client transaction, answering 401/407 with the line's credentials
 * (`ctx.digest`, RFC 3261 §22.2); `onFinal` sees the final response or 408/503 and the request
 * that got it (the last copy sent), `onResend` each re-sent copy.
 */
export function send(
  ctx: SessionContext,
  request: SipRequest,
  peer: Peer,
  onFinal: (status: number, response: SipResponse | undefined, request: SipRequest) => void,
  onResend?: (next: SipRequest) => void,
): void {
  let last = request;
  sendAuthorized(ctx, request, ctx.peerFor(request, peer), finalHandlers((s, r) => onFinal(s, r, last)), (next) => {
    last = next;
    onResend?.(next);
  });
}

/** Answers a request with the UA's common headers (User-Agent, Allow). */
export function answer(ctx: SessionContext, tx: ServerTransaction, status: number, headers: ReadonlyArray<readonly [string, string]> = []): void {
  tx.respond(createResponse(tx.request, status, { headers: [...headers, ...ctx.commonHeaders] }));
}

/** Subscription-State value (RFC 6665 §8.2.3). */
export function formatSubscriptionState(state: { state: 'active' | 'pending' | 'terminated'; expires?: number; reason?: string; retryAfter?: number }): string {
  let s: string = state.state;
  if (state.reason !== undefined) s += `;reason=${state.reason}`;
  if (state.expires !== undefined && state.state !== 'terminated') s += `;expires=${state.expires}`;
  if (state.retryAfter !== undefined) s += `;retry-after=${state.retryAfter}`;
  return s;
}
