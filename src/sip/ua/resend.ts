// Re-sending a request after a challenge (RFC 3261 §22.2) or a 422 (RFC 4028 §7.3): a copy with
// CSeq + 1, a new branch, the same Call-ID and From tag.
import { randomBranch, type SipRequest, type SipResponse } from '../message/index.js';
import type { ClientHandlers, Peer } from '../transaction/transaction-layer.js';
import type { SessionContext } from './session-context.js';

/** A copy of `request` with CSeq + 1, a fresh branch and `set` headers replaced. */
export function nextAttempt(request: SipRequest, set: ReadonlyArray<readonly [string, string]> = []): SipRequest {
  const next = request.clone();
  next.headers.set('CSeq', `${request.cseq.seq + 1} ${request.method}`);
  const top = request.topVia;
  if (top !== undefined) next.replaceTopVia(top.withParam('branch', randomBranch()));
  for (const [name, value] of set) next.headers.set(name, value);
  return next;
}

/**
 * Sends `request` in a client transaction; a 401/407 is answered with the line's credentials
 * (§22.2) and the request re-sent (`onResend` sees each new copy, e.g. to move the dialog's
 * CSeq). A challenge that cannot be answered reaches `handlers` like any final response.
 */
export function sendAuthorized(ctx: SessionContext, request: SipRequest, peer: Peer, handlers: ClientHandlers, onResend?: (next: SipRequest) => void): void {
  ctx.layer.sendRequest(
    request,
    peer,
    {
      onResponse: (response: SipResponse) => {
        if ((response.status === 401 || response.status === 407) && ctx.digest) {
          const next = ctx.digest.authorize(request, response);
          if (next.ok) {
            onResend?.(next.value);
            sendAuthorized(ctx, next.value, peer, handlers, onResend);
            return;
          }
        }
        handlers.onResponse(response);
      },
      onTimeout: () => handlers.onTimeout(),
      onTransportError: () => handlers.onTransportError(),
    },
    ctx.timers,
  );
}
