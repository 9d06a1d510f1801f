// Transaction matching keys. RFC 3261 §17.1.3 (client: top Via branch + CSeq method) and §17.2.3
// (server: branch + sent-by + method, ACK matching its INVITE), with the RFC 2543 fallback for
// branches without the magic cookie.
import type { SipMessage, SipRequest } from '../message/index.js';

function sentBy(message: SipMessage): string {
  const via = message.topVia;
  return via ? `${via.host.toLowerCase()}:${via.port ?? ''}` : '';
}

/** Key of the client transaction a response belongs to (or a request creates). */
export function clientKey(message: SipMessage): string | undefined {
  const branch = message.topVia?.branch;
  if (branch === undefined) return undefined;
  return `${branch}|${message.cseq.method}`;
}

/** Key of the server transaction a request belongs to; ACK maps onto its INVITE. */
export function serverKey(request: SipRequest): string {
  const method = request.method === 'ACK' ? 'INVITE' : request.method;
  const via = request.topVia;
  if (via?.isRfc3261Branch) return `${via.branch}|${sentBy(request)}|${method}`;
  // RFC 2543 (§17.2.3 last paragraphs): Request-URI, From tag, Call-ID, CSeq number and top Via.
  // The To tag is left out so the ACK (which carries the response's To tag) matches its INVITE.
  return `2543|${request.uri.toString()}|${request.from.tag ?? ''}|${request.callId}|${request.cseq.seq}|${sentBy(request)}|${via?.branch ?? ''}|${method}`;
}

/** Key of the INVITE server transaction a CANCEL refers to (RFC 3261 §9.2). */
export function inviteKeyForCancel(cancel: SipRequest): string {
  const asInvite = serverKey(cancel);
  return asInvite.replace(/\|CANCEL$/, '|INVITE');
}
