// RFC 3261 §8.2 UAS behaviour before a request reaches the application, in the order the RFC
// gives: method inspection (405 / 501), header inspection (To tag without dialog: 481; merged
// requests: 482), content processing (415) and extensions (420).
import { createResponse, H, type SipRequest, type SipResponse } from '../message/index.js';

export interface UasCapabilities {
  /** Methods this UA implements at all (RFC 3261 core plus extensions). */
  readonly known: ReadonlySet<string>;
  /** Methods it accepts right now (a known method outside this set gets 405 with Allow). */
  readonly allowed: ReadonlySet<string>;
  /** Option tags it supports (100rel, timer, replaces, ...). */
  readonly supported: ReadonlySet<string>;
  /** Body types it understands (application/sdp, message/sipfrag, ...). */
  readonly accept: ReadonlySet<string>;
}

export interface UasContext {
  /** Whether a dialog matches the request's Call-ID and tags. */
  hasDialog(request: SipRequest): boolean;
  /**
   * §8.2.2.2 merged-request detection: a request without To tag whose From tag, Call-ID and CSeq
   * match a request already being processed but that arrived on a different path (top Via branch).
   */
  isMerged(request: SipRequest): boolean;
}

/** Returns the response the UA core sends at once, or undefined when the request may proceed. */
export function checkIncomingRequest(request: SipRequest, caps: UasCapabilities, ctx: UasContext): SipResponse | undefined {
  const method = request.method;
  // §8.2.1: unknown → 501; known but not allowed here → 405 with Allow.
  if (!caps.known.has(method)) return createResponse(request, 501, { headers: [['Allow', [...caps.allowed].join(', ')]] });
  if (!caps.allowed.has(method)) return createResponse(request, 405, { headers: [['Allow', [...caps.allowed].join(', ')]] });
  if (method === 'ACK' || method === 'CANCEL') return undefined; // matched by the dialog / transaction layers
  // §8.2.2.1: a Request-URI scheme we do not serve → 416 (RFC 4475 §3.3.2 unkscm, §3.3.3 novelsc).
  const scheme = request.uri.scheme;
  if (scheme !== 'sip' && scheme !== 'sips' && scheme !== 'tel') return createResponse(request, 416);
  // §8.2.2.2 / §12.2.2: a To tag names a dialog; none here → 481.
  if (request.to.tag !== undefined && !ctx.hasDialog(request)) return createResponse(request, 481);
  if (request.to.tag === undefined && ctx.isMerged(request)) return createResponse(request, 482);
  // §8.2.3: a body we cannot read → 415 with Accept.
  if (request.body.length > 0) {
    const type = request.contentType;
    const mime = type ? type.mimeType : 'application/sdp';
    if (!caps.accept.has(mime)) return createResponse(request, 415, { headers: [['Accept', [...caps.accept].join(', ')]] });
  }
  // §8.2.3 / §21.4.7: an INVITE whose Accept rules out SDP cannot get an answer we could send →
  // 406 (RFC 4475 §3.3.11 sdp01). No Accept means application/sdp (§20.1).
  if (method === 'INVITE' && request.headers.has('Accept')) {
    const accepted = request.value(H.Accept) ?? [];
    const sdpOk = accepted.some((m) => m.mimeType === 'application/sdp' || m.mimeType === 'application/*' || m.mimeType === '*/*');
    if (!sdpOk) return createResponse(request, 406, { headers: [['Accept', 'application/sdp']] });
  }
  // §8.2.2.3: Require with an option tag we do not support → 420 with Unsupported.
  const required = request.value(H.Require) ?? [];
  const unsupported = required.filter((tag) => !caps.supported.has(tag.toLowerCase()));
  if (unsupported.length > 0) return createResponse(request, 420, { headers: [['Unsupported', unsupported.join(', ')]] });
  return undefined;
}
